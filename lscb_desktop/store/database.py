"""Opening a database: the URL, SQLite's pragmas, migrations (after a copy), short sessions.

A server database (PostgreSQL) is opened with ``pool_pre_ping``, so that a connection the server
dropped (a restart) is replaced before it is used; it is migrated under an advisory lock, after a
file copy of it is taken in the data folder's backups area (see :mod:`lscb_desktop.store.copying`),
so that two copies of a new version starting at once upgrade it once.
"""

from __future__ import annotations

import datetime as dt
import glob
import logging
import os
import socket
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import NullPool

from lscb_desktop.config import default_database_path
from lscb_desktop.processes import process_running
from lscb_desktop.store import changelog, versions, watch
from lscb_desktop.store.errors import DatabaseError, explain, note_where

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")

#: The newest migration. Opening a database already at it skips loading Alembic (a third of a
#: second at start-up); a test checks it against the migrations, so a new one must update it.
__all__ = ["Database", "DatabaseError", "open_database"]

SCHEMA_HEAD = "0004"


class DamagedDatabase(DatabaseError):
    """A database file whose pages are damaged (SQLite calls it a malformed disk image)."""


#: What SQLite says (as its error name) when a file's pages do not hold together.
_DAMAGE_ERRORS = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def is_damage(error: BaseException | None) -> bool:
    """True for SQLite's report of a damaged file ("database disk image is malformed")."""
    name = str(getattr(error, "sqlite_errorname", ""))
    text = str(error or "")
    return name.startswith(_DAMAGE_ERRORS) or any(
        words in text for words in ("disk image is malformed", "malformed database schema")
    )


def damaged(name: str, detail: object = "") -> DamagedDatabase:
    """The user's words for a damaged database, and what to do about it; SQLite's own account
    of the damage (page numbers, error codes) goes to the log, not in front of the user."""
    if str(detail):
        logging.getLogger(__name__).error("Database %s is damaged: %s", name, detail)
    return DamagedDatabase(
        f"The database {name} is damaged: part of it cannot be read. Restore the last good "
        "backup: File > Restore from backup… in the window, or lscb-desktop restore BACKUP on "
        "the command line (lscb-desktop backups lists them); lscb-desktop check says what is "
        "damaged."
    )


def _translate_damage(context: Any) -> None:
    """handle_error: a malformed disk image met by any statement becomes a DamagedDatabase,
    so that no command and no window carries on over damage, and none ends in a traceback.
    A file that is not a database at all keeps its own message ("Cannot open …")."""
    error = context.original_exception
    if not is_damage(error) or getattr(error, "sqlite_errorname", "") == "SQLITE_NOTADB":
        return
    database = context.engine.url.database if context.engine is not None else None
    raise damaged(Path(database).name if database else "", error) from error


def display_target(target: str | Path) -> str:
    """A ``--db`` target as it may be shown or logged: a URL's password is replaced by ***."""
    text = str(target)
    if "://" not in text:
        return text
    try:
        return make_url(text).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy can read: show nothing that could be a password
        return f"{text.split('://', 1)[0]}://…"


def _note_where(context: Any) -> None:
    """handle_error: every error records which database it came from, for explain()'s words."""
    if context.engine is not None:
        note_where(context.sqlalchemy_exception, context.engine.url)
        note_where(context.original_exception, context.engine.url)


def database_url(target: str | Path | None) -> str:
    """A SQLAlchemy URL for a path, a URL, or the default database when None."""
    if target is None:
        target = default_database_path()
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


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


class Database:
    """An open database: the engine and a factory of short sessions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False)
        changelog.install(self._factory)
        watch.install(self._factory)  # after the change log: it reads the ids the log wrote
        versions.install(self._factory)
        #: Opened read-only (another program has the file open for writing): nothing is saved.
        self.read_only = False

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def path(self) -> Path | None:
        """The file behind a SQLite database; None for a server database or :memory:."""
        if self.engine.url.get_backend_name() != "sqlite":
            return None
        name = self.engine.url.database
        if not name or name == ":memory:":
            return None
        return Path(name)

    @property
    def display_name(self) -> str:
        """The file's name, or "DATABASE on HOST" for a server database (never a password)."""
        if self.path is not None:
            return self.path.name
        url = self.engine.url
        if url.get_backend_name() == "sqlite":
            return "a database in memory"
        port = f":{url.port}" if url.port and url.port != 5432 else ""
        return f"{url.database} on {url.host or 'this computer'}{port}"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed when the block ends normally and rolled back otherwise."""
        session = self._factory()
        try:
            yield session
            session.commit()
        except NoResultFound as exc:  # get_one of a record someone else has deleted
            session.rollback()
            raise versions.gone(exc) from exc
        except StaleDataError as exc:  # someone else saved the record between our read and write
            session.rollback()
            raise versions.stale(exc) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def current_revision(self) -> str | None:
        return _stored_revision(self)[0]

    @property
    def on_server(self) -> bool:
        return self.engine.url.get_backend_name() != "sqlite"

    def backup_to(self, target: Path) -> Path:
        """A consistent, verified copy of the database in the SQLite file ``target`` (replaced
        if it exists). A file is copied with SQLite's backup API (safe while it is open, WAL
        included; a damaged database is refused rather than copied); a server database is copied
        record for record (:func:`lscb_desktop.store.copying.copy_to_file`)."""
        source = self.path
        if source is None:
            if not self.on_server:
                raise DatabaseError("A database held in memory cannot be backed up to a file.")
            from lscb_desktop.store.copying import copy_to_file  # noqa: PLC0415

            copied = copy_to_file(self, Path(target), replace=True).path
            assert copied is not None
            return copied
        return backup_file(source, Path(target))

    def dispose(self) -> None:
        self.engine.dispose()


def backup_file(source: Path, target: Path) -> Path:
    """Copies the SQLite file ``source`` to ``target`` with SQLite's backup API, checks the copy
    (``PRAGMA integrity_check``, which reads every page) and renames it into place only then.

    The copy is a single file (journal mode DELETE), readable by the user alone on POSIX. A
    damaged source raises :class:`DamagedDatabase` and leaves nothing behind.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            problems = [str(row[0]) for row in dst.execute("PRAGMA integrity_check(5)")]
        if problems != ["ok"]:
            lines = [line for p in problems for line in p.splitlines() if "***" not in line]
            raise damaged(source.name, lines[0] if lines else problems[0])
        if os.name == "posix":
            partial.chmod(0o600)
        with partial.open("rb+") as written:
            os.fsync(written.fileno())
        partial.replace(target)
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            raise damaged(source.name, exc) from exc
        raise DatabaseError(f"Cannot copy {source.name}: {exc}.") from exc
    finally:
        for extra in ("", "-journal", "-wal", "-shm"):
            Path(f"{partial}{extra}").unlink(missing_ok=True)
    return target


def _stored_revision(database: Database) -> tuple[str | None, set[str]]:
    with database.engine.connect() as connection:
        return revision_on(connection)


def revision_on(connection: Connection) -> tuple[str | None, set[str]]:
    """The schema revision a database is at (None for none) and the tables it holds."""
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" not in tables:
        return None, tables
    rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    return (str(rows[0][0]) if len(rows) == 1 else None), tables


def _migration_engine(url: str) -> Engine:
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


def _broken_links(connection: Any) -> list[str]:
    if connection.dialect.name != "sqlite":
        return []
    rows = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    return [f"{row[0]} row {row[1]} refers to a missing {row[2]} record" for row in rows]


def _upgrade(url: str, revision: str = "head") -> None:
    """Run every pending migration (up to ``revision``) in one transaction; on any failure
    nothing is changed."""
    engine = _migration_engine(url)
    try:
        with engine.begin() as connection:
            _run_migrations(connection, revision)
    finally:
        engine.dispose()


def _run_migrations(connection: Any, revision: str = "head") -> None:
    from alembic import command  # noqa: PLC0415 - only when there is something to do

    config = alembic_config()
    config.attributes["connection"] = connection
    already = set(_broken_links(connection))  # damage from before is check's to report
    command.upgrade(config, revision)
    broken = [link for link in _broken_links(connection) if link not in already]
    if broken:
        raise DatabaseError(
            "Upgrading this database would leave records pointing at records that do "
            f"not exist ({broken[0]}), so it was not upgraded and nothing was changed."
        )


def _unfinished_creation(database: Database, tables: set[str]) -> bool:
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


def _migrate(database: Database) -> None:
    current, tables = _stored_revision(database)
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
        and _unfinished_creation(database, tables)
    ):
        database.dispose()
        _create_file(path, replace=True)
        return
    _refuse_unknown(current, tables, "file")
    if current is not None and database.path is not None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        copy = database.path.with_name(f"{database.path.stem}.before-upgrade-{stamp}.sqlite")
        database.backup_to(copy)
    if database.engine.url.get_backend_name() == "sqlite" and database.path is None:
        with database.engine.begin() as connection:  # in memory: nothing to lose
            _run_migrations(connection)
        return
    database.dispose()
    _upgrade(database.engine.url.render_as_string(hide_password=False))


def _refuse_unknown(current: str | None, tables: set[str], kind: str) -> None:
    """Refuses a database holding tables of another program, or written by a newer version."""
    if current is None and tables - {"alembic_version"}:
        raise DatabaseError(
            f"This {kind} holds a database, but not one written by LSCB Desktop "
            f"(it has tables such as {', '.join(sorted(tables)[:3])}). Nothing was changed."
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


def _host() -> str:
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
        ours = host == _host() and pid_text.isdigit()
        if old or (ours and not _process_running(int(pid_text))):
            stale.unlink(missing_ok=True)


def _create_file(path: Path, *, replace: bool = False) -> None:
    """Build a new database beside ``path`` and move it into place only once it is complete,
    so that a first open killed part-way never leaves a half-made file under the real name.

    ``replace`` is for an empty (zero-byte) file or an unfinished creation of an older version.
    Otherwise a database that another program created meanwhile is kept, never replaced: ours
    is put in place only if the name is still free (a hard link fails if it is taken).
    """
    remove_unfinished_creations(path)
    partial = path.with_name(f".{path.name}{CREATING}{_host()}-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        _upgrade(f"sqlite:///{partial}")
        if replace:
            if path.exists() and path.stat().st_size and not _holds_no_records(path):
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


def _holds_no_records(path: Path) -> bool:
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


def open_database(
    target: str | Path | None = None, *, create: bool = True, migrate: bool = True
) -> Database:
    """Open (and, for a new file, create) a database, bringing its schema up to date."""
    url = make_url(database_url(target))
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        path = Path(url.database or "")
        if not path.exists() or (path.is_file() and path.stat().st_size == 0):
            if not create:
                raise DatabaseError(f"There is no database at {path}.")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(f"Cannot create the folder {path.parent}: {exc}") from exc
            if migrate:
                try:
                    _create_file(path, replace=path.exists())
                except SADatabaseError as exc:
                    reason = str(exc.orig) if exc.orig else str(exc)
                    raise DatabaseError(f"Cannot create {path.name}: {reason}.") from exc
        elif path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a database file.")
        else:
            remove_unfinished_creations(path)
    on_server = url.get_backend_name() != "sqlite"
    # A server may drop connections (a restart): each is tested before use and replaced.
    engine = create_engine(url, pool_pre_ping=True) if on_server else create_engine(url)
    event.listen(engine, "handle_error", _note_where)
    if not on_server:
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "handle_error", _translate_damage)
    database = Database(engine)
    try:
        if migrate:
            _migrate(database)
        if url.get_backend_name() == "sqlite":
            # WAL is a property of the file: set it once the file is known to be ours, so that
            # a database we refuse is left byte for byte as it was.
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    except SADatabaseError as exc:
        engine.dispose()
        if on_server:
            logging.getLogger(__name__).error("Cannot open %s: %s", database.url, exc.orig or exc)
            words = explain(exc) or f"Cannot open {database.display_name}: the server refused it."
            raise DatabaseError(words) from exc
        reason = str(exc.orig) if exc.orig else str(exc)
        raise DatabaseError(f"Cannot open {database.display_name}: {reason}.") from exc
    except Exception:
        engine.dispose()
        raise
    return database
