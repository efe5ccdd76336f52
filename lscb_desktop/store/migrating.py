"""Bringing a database's schema up to date: Alembic's migrations (shipped in the package), run
in one transaction after a copy of the file is taken; a new file built beside its name and moved
into place only when complete; a database of another program, or of a newer version, refused.
No Qt here. :func:`lscb_desktop.store.database.open_database` calls :func:`migrate`; a server
database is migrated by :func:`lscb_desktop.store.server.migrate_server`.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import socket
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from lscb_desktop.processes import process_running
from lscb_desktop.store.errors import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

    from lscb_desktop.store.database import Database

MIGRATIONS = Path(__file__).with_name("migrations")

#: The newest migration. Opening a database already at it skips loading Alembic (a third of a
#: second at start-up); a test checks it against the migrations, so a new one must update it.
SCHEMA_HEAD = "0006"


def alembic_config() -> Config:
    from alembic.config import Config  # noqa: PLC0415 - Alembic loads only to migrate

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def stored_revision(database: Database) -> tuple[str | None, set[str]]:
    """The schema revision ``database`` is at (None for none) and the tables it holds."""
    with database.engine.connect() as connection:
        return revision_on(connection)


def revision_on(connection: Connection) -> tuple[str | None, set[str]]:
    """The schema revision a database is at (None for none) and the tables it holds."""
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" not in tables:
        return None, tables
    rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    return (str(rows[0][0]) if len(rows) == 1 else None), tables


def migration_engine(url: str) -> Engine:
    """An engine for migrating only: one transaction for the whole upgrade, foreign keys off.

    pysqlite commits before every CREATE, DROP or ALTER unless it is told to leave transactions
    to us, so a killed first open used to leave tables without their ``alembic_version``; here
    every statement of every migration runs inside one ``BEGIN IMMEDIATE`` and a kill leaves the
    file as it was. Foreign keys are off because a batch migration rebuilds a table by dropping
    it, and with them on the drop fires ``ON DELETE SET NULL`` in every table that points at it
    (migration 0002 once emptied every action's link to its agenda item that way); they are
    checked with ``PRAGMA foreign_key_check`` before the upgrade commits instead.
    """
    engine = create_engine(url, poolclass=NullPool)
    if make_url(url).get_backend_name() == "sqlite":

        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA foreign_keys=OFF")
            dbapi_connection.execute("PRAGMA busy_timeout=5000")

        def _begin(connection: Any) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        event.listen(engine, "connect", _connect)
        event.listen(engine, "begin", _begin)
    return engine


def broken_links(connection: Any) -> list[str]:
    if connection.dialect.name != "sqlite":
        return []
    rows = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    return [f"{row[0]} row {row[1]} refers to a missing {row[2]} record" for row in rows]


def upgrade(url: str, revision: str = "head") -> None:
    """Run every pending migration (up to ``revision``) in one transaction; on any failure
    nothing is changed."""
    engine = migration_engine(url)
    try:
        with engine.begin() as connection:
            run_migrations(connection, revision)
    finally:
        engine.dispose()


def run_migrations(connection: Any, revision: str = "head") -> None:
    from alembic import command  # noqa: PLC0415 - only when there is something to do

    config = alembic_config()
    config.attributes["connection"] = connection
    already = set(broken_links(connection))  # damage from before is check's to report
    command.upgrade(config, revision)
    broken = [link for link in broken_links(connection) if link not in already]
    if broken:
        raise DatabaseError(
            "Upgrading this database would leave records pointing at records that do "
            f"not exist ({broken[0]}), so it was not upgraded and nothing was changed."
        )


def unfinished_creation(database: Database, tables: set[str]) -> bool:
    """True for a file holding only some of our tables, all empty: a creation that never ended."""
    from lscb_desktop.models import Base  # noqa: PLC0415

    ours = set(Base.metadata.tables)
    if not tables or not tables <= ours | {"alembic_version"}:
        return False
    with database.engine.connect() as connection:
        for table in tables:
            if connection.exec_driver_sql(f'SELECT 1 FROM "{table}" LIMIT 1').first():
                return False
    return True


def migrate(database: Database) -> None:
    """Brings ``database`` up to this version's schema: a server's under its advisory lock, a
    file's in one transaction after a copy of it is taken beside it; a new file's unfinished
    creation is made again; another program's database, or a newer version's, is refused."""
    current, tables = stored_revision(database)
    if current == SCHEMA_HEAD:
        return
    if database.engine.url.get_backend_name() == "postgresql":
        from lscb_desktop.store.server import migrate_server  # noqa: PLC0415

        migrate_server(database)
        return
    if current == head_revision():
        return
    path = database.path
    if (
        current is None
        and tables - {"alembic_version"}
        and path is not None
        and unfinished_creation(database, tables)
    ):
        database.dispose()
        create_file(path, replace=True)
        return
    refuse_unknown(current, tables, "file")
    if current is not None and database.path is not None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        copy = database.path.with_name(f"{database.path.stem}.before-upgrade-{stamp}.sqlite")
        database.backup_to(copy)
    if database.engine.url.get_backend_name() == "sqlite" and database.path is None:
        with database.engine.begin() as connection:  # in memory: nothing to lose
            run_migrations(connection)
        return
    database.dispose()
    upgrade(database.engine.url.render_as_string(hide_password=False))


def refuse_unknown(current: str | None, tables: set[str], kind: str) -> None:
    """Refuses a database holding tables of another program, or written by a newer version."""
    if current is None and tables - {"alembic_version"}:
        raise DatabaseError(
            f"This {kind} is not an LSCB Desktop database: it has tables (such as "
            f"{', '.join(sorted(tables)[:3])}) but no record of a version of LSCB Desktop making "
            "them. Nothing was changed."
        )
    if current is None:
        return
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(current)
    except Exception as exc:
        raise DatabaseError(
            f"This database was written by a newer version of LSCB Desktop (schema {current}); "
            "this version cannot open it safely. Install the newer version. "
            f"The {kind} has not been changed."
        ) from exc


CREATING = ".creating-"


def host_tag() -> str:
    """This computer's name as it may stand in a file name (a database may be on a share)."""
    return "".join(c for c in socket.gethostname() if c.isalnum())[:40] or "host"


def _process_running(pid: int) -> bool:
    return pid != os.getpid() and process_running(pid)


def remove_unfinished_creations(path: Path) -> None:
    """Remove what creations of ``path`` killed part-way left beside it: never one that a live
    process here is still making, nor, unless a day old, one made on another computer."""
    day_ago = dt.datetime.now().timestamp() - 86_400
    prefix = f".{path.name}{CREATING}"
    for stale in path.parent.glob(f"{glob.escape(prefix)}*"):
        host, _, rest = stale.name[len(prefix) :].partition("-")
        pid_text = rest.split("-")[0]
        try:
            old = stale.stat().st_mtime < day_ago
        except OSError:
            continue
        ours = host == host_tag() and pid_text.isdigit()
        if old or (ours and not _process_running(int(pid_text))):
            stale.unlink(missing_ok=True)


def create_file(path: Path, *, replace: bool = False) -> None:
    """Build a new database beside ``path`` and move it into place only once it is complete,
    so that a first open killed part-way never leaves a half-made file under the real name.

    ``replace`` is for an empty (zero-byte) file or an unfinished creation of an older version.
    Otherwise a database that another program created meanwhile is kept, never replaced: ours
    is put in place only if the name is still free (a hard link fails if it is taken).
    """
    remove_unfinished_creations(path)
    partial = path.with_name(f".{path.name}{CREATING}{host_tag()}-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        upgrade(f"sqlite:///{partial}")
        if replace:
            if path.exists() and path.stat().st_size and not holds_no_records(path):
                raise DatabaseError(
                    f"{path} was written to while it was being created; nothing was changed."
                )
            for extra in ("-wal", "-shm", "-journal"):
                Path(f"{path}{extra}").unlink(missing_ok=True)
            partial.replace(path)
            return
        try:
            os.link(partial, path)
        except FileExistsError:
            return  # another program made it first, completely (it too renames a whole file)
        except OSError:  # no hard links on this file system
            if not path.exists():
                partial.replace(path)
    finally:
        for extra in ("", "-journal", "-wal", "-shm"):
            Path(f"{partial}{extra}").unlink(missing_ok=True)


def holds_no_records(path: Path) -> bool:
    """True for a file of ours that has tables but no rows in any (an unfinished creation)."""
    with closing(sqlite3.connect(path)) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return not any(
            connection.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() for table in tables
        )
