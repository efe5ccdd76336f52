"""A database on a PostgreSQL server: migrated under an advisory lock after a file copy of it
is taken, and where such copies are kept. No Qt here.

Every copy of the program that opens a server database at an older schema takes the same
advisory lock (:data:`MIGRATION_LOCK`) in the migration's own transaction, then reads the
revision again: a second copy starting at the same moment waits, then finds nothing left to do
(never "column already exists"). The lock goes with the transaction, even if the program is
killed. Before migrating, the records are copied (at the old revision) into a file private to the
user: ``<data folder>/backups/<database>@<host>/<database>.before-upgrade-STAMP.sqlite``.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from lscb_desktop.config import data_dir
from lscb_desktop.store.backups import private_folder
from lscb_desktop.store.database import Database, note_errors_where
from lscb_desktop.store.errors import DatabaseError
from lscb_desktop.store.migrating import head_revision, refuse_unknown, revision_on, run_migrations

log = logging.getLogger(__name__)

#: The advisory lock every copy of the program takes on a server database to migrate it (any
#: number, the same in every version: "LSCB" in ASCII).
MIGRATION_LOCK = 0x4C534342


def migrate_server(database: Database) -> None:
    """Migrates a PostgreSQL database under an advisory lock held by the migration's own
    transaction: a second copy of the program upgrading at the same moment waits for the lock,
    then reads the revision again and finds nothing left to do. A file copy of the records is
    taken first (under the lock, at the old revision); the whole upgrade is one transaction, so
    a failure leaves the database as it was."""
    engine = create_engine(database.engine.url, poolclass=NullPool)
    event.listen(engine, "handle_error", note_errors_where)
    try:
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            current, tables = revision_on(connection)
            if current == head_revision():
                return  # another copy of the program upgraded it while this one waited
            refuse_unknown(current, tables, "database")
            if current is not None:
                copy_before_upgrade(database, current)
            run_migrations(connection)
    finally:
        engine.dispose()
        database.dispose()  # connections opened on the old schema are not kept


def server_key(url: URL) -> str:
    """A server database's name as it may stand in a file name: ``lscb@db.council.local`` (and
    ``-PORT`` for a port other than the default); never the user or the password."""
    port = f"-{url.port}" if url.port and url.port != 5432 else ""
    text = f"{url.database or 'database'}@{url.host or 'localhost'}{port}"
    return "".join(c if c.isalnum() or c in "._@-" else "_" for c in text)


def server_backup_folder(url: URL) -> Path:
    """Where copies of a server database are kept: the data folder's ``backups/<name@host>/``."""
    return data_dir() / "backups" / server_key(url)


def copy_before_upgrade(database: Database, revision: str) -> Path:
    """A file copy of a server database at its current (old) ``revision``, private to the user,
    taken before it is upgraded: ``backups/<name@host>/<name>.before-upgrade-STAMP.sqlite``."""
    url = database.engine.url
    folder = server_backup_folder(url)
    private_folder(folder)
    name = "".join(c if c.isalnum() or c in "._-" else "_" for c in url.database or "database")
    when = dt.datetime.now().replace(microsecond=0)
    target = folder / f"{name}.before-upgrade-{when:%Y%m%d-%H%M%S}.sqlite"
    while target.exists():
        when += dt.timedelta(seconds=1)
        target = folder / f"{name}.before-upgrade-{when:%Y%m%d-%H%M%S}.sqlite"
    from lscb_desktop.store.copying import copy_to_file  # noqa: PLC0415 - it imports this

    result = copy_to_file(database, target)
    if result.revision != revision:  # upgraded meanwhile by a version that took no lock
        target.unlink(missing_ok=True)
        raise DatabaseError(
            f"{database.display_name} changed while it was being copied before an upgrade; "
            "nothing was upgraded. Open it again."
        )
    log.info("Copied %s (schema %s) to %s before upgrading it", database.url, revision, target)
    return target
