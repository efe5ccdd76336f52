"""Opening a database: the URL, SQLite's pragmas, short sessions; a backup of a file, which never
replaces a database that is open. The schema is brought up to date by
:mod:`lscb_desktop.store.migrating`; a database opened read-only by
:mod:`lscb_desktop.store.readonly`.

A server database (PostgreSQL) is opened with ``pool_pre_ping``, so that a connection the server
dropped (a restart) is replaced before it is used; it is migrated under an advisory lock, after a
file copy of it is taken in the data folder's backups area (see :mod:`lscb_desktop.store.copying`),
so that two copies of a new version starting at once upgrade it once.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from lscb_desktop.config import default_database_path
from lscb_desktop.store import changelog, journal, lockfile, migrating, versions, watch
from lscb_desktop.store.errors import DatabaseError, explain, note_where, shown_url
from lscb_desktop.store.migrating import SCHEMA_HEAD, alembic_config, head_revision, revision_on

__all__ = [
    "SCHEMA_HEAD",
    "Database",
    "DatabaseError",
    "alembic_config",
    "head_revision",
    "open_database",
    "revision_on",
]


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


def translate_damage(context: Any) -> None:
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
        return shown_url(make_url(text))
    except Exception:  # not a URL SQLAlchemy can read: show nothing that could be a password
        return f"{text.split('://', 1)[0]}://…"


def note_errors_where(context: Any) -> None:
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


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def build_engine(url: URL, creator: Callable[[], Any] | None = None) -> Engine:
    """The engine of an open database: a server's connections tested before use (a restart
    costs nothing), a file's with foreign keys on and a damaged file reported in words.
    ``creator`` makes a file's connections (a read-only one's)."""
    if url.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_pre_ping=True)
    elif creator is not None:
        engine = create_engine(url, creator=creator)
    else:
        engine = create_engine(url)
    event.listen(engine, "handle_error", note_errors_where)
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", sqlite_pragmas)
        event.listen(engine, "handle_error", translate_damage)
    return engine


class Database:
    """An open database: the engine and a factory of short sessions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False)
        changelog.install(self._factory)
        #: Each change the window makes, row by row, for undo (off until the window asks).
        self.journal = journal.Journal()
        journal.install(self._factory, self.journal)
        watch.install(self._factory)  # after the change log: it reads the ids the log wrote
        versions.install(self._factory)
        #: Opened read-only (another program has the file open for writing): nothing is saved.
        self.read_only = False
        #: Called after :meth:`dispose` (a read-only file tidies the WAL files it caused).
        self.on_dispose: list[Callable[[], None]] = []

    @property
    def url(self) -> str:
        return shown_url(self.engine.url)

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
        return migrating.stored_revision(self)[0]

    @property
    def on_server(self) -> bool:
        return self.engine.url.get_backend_name() != "sqlite"

    def backup_to(self, target: Path) -> Path:
        """A consistent, verified copy of the database in the SQLite file ``target``, which may
        replace only a database of ours that nobody has open (:func:`replacing`). A file is
        copied with SQLite's backup API (safe while it is open, WAL included; a damaged database
        is refused rather than copied); a server database is copied record for record
        (:func:`lscb_desktop.store.copying.copy_to_file`)."""
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
        for tidy in self.on_dispose:
            tidy()


def backup_file(source: Path, target: Path) -> Path:
    """Copies the SQLite file ``source`` to ``target`` with SQLite's backup API, checks the copy
    (``PRAGMA integrity_check``, which reads every page) and renames it into place only then.

    The copy is a single file (journal mode DELETE), readable by the user alone on POSIX. A
    damaged source raises :class:`DamagedDatabase` and leaves nothing behind. An existing
    ``target`` is replaced only when :func:`replacing` allows it (asked before the copy starts,
    and again, under its lock, before it is put in place).
    """
    with replacing(target, source):  # refused before a long copy, not after it
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{lockfile.file_tag()}.partial")
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
        with replacing(target, source):
            put_in_place(partial, target)
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            raise damaged(source.name, exc) from exc
        raise DatabaseError(f"Cannot copy {source.name}: {exc}.") from exc
    finally:
        for extra in ("", "-journal", "-wal", "-shm"):
            Path(f"{partial}{extra}").unlink(missing_ok=True)
    return target


# -- replacing a file with a backup or a copy -----------------------------------------------------

_NEVER_OPEN = "A backup or a copy never replaces a database that is open; choose another file."


@contextmanager
def replacing(target: Path, source: Path | None = None) -> Iterator[None]:
    """Guards putting a backup or a copy in the place of ``target`` (with :func:`put_in_place`
    inside the block). Raises :class:`DatabaseError`, in words naming the file, when ``target``
    is a folder, the database being copied itself (``source``), a database another program has
    open (its lock is someone else's, or a program of this computer that still has it open was
    displaced from it, or SQLite finds it in use), or a file that is not a database of ours.
    Nothing is refused for a file that is not there, or an empty one. The lock of ``target`` is
    held until the block ends, so that no program of ours opens it meanwhile."""
    if not target.exists():
        yield
        return
    if target.is_dir():
        raise DatabaseError(f"{target} is a folder; name a file. Nothing was changed.")
    if source is not None and _same_file(source, target):
        raise DatabaseError(
            f"{target} is the database being copied itself; choose another file. "
            "Nothing was changed."
        )
    try:
        lock: lockfile.FileLock | None = lockfile.acquire(target)
    except lockfile.Locked as held:
        raise DatabaseError(
            f"Cannot replace {target}: {held} {_NEVER_OPEN} Nothing was changed."
        ) from held
    except OSError:  # a folder that cannot be written: the rename will say so
        lock = None
    try:
        live = lockfile.live_here(target)
        if live is not None:  # taken over ("--ignore-lock"), but that program is still running
            raise DatabaseError(
                f"Cannot replace {target}: "
                f"{lockfile.held_message(target, live)} {_NEVER_OPEN} Nothing was changed."
            )
        _refuse_in_use_or_foreign(target)
        yield
    finally:
        if lock is not None:
            lock.release()


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except OSError:
        return one.resolve() == other.resolve()


def _refuse_in_use_or_foreign(target: Path) -> None:
    """Refuses a database file SQLite finds in use (a program is reading or writing it), and a
    file that is not a database of ours; an empty file is anyone's to replace."""
    if target.stat().st_size == 0:
        return
    ours = False
    try:
        with closing(sqlite3.connect(target, timeout=0, isolation_level=None)) as probe:
            probe.execute("BEGIN EXCLUSIVE")  # refused while another connection is using it
            ours = bool(
                probe.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
                ).fetchone()
            )
            probe.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
            raise DatabaseError(
                f"Cannot replace {target}: another program is using it. {_NEVER_OPEN} "
                "Nothing was changed."
            ) from exc
    except sqlite3.DatabaseError:
        pass  # not a database
    if not ours:
        raise DatabaseError(
            f"Cannot replace {target}: it is not a database of LSCB Desktop. Choose another "
            "file, or move that one away first. Nothing was changed."
        )


def put_in_place(new: Path, target: Path) -> None:
    """Renames the file ``new`` to ``target``, removing first the files SQLite keeps beside the
    file replaced (a write-ahead log that belongs to it must not be read with the new one).
    Only inside :func:`replacing`."""
    for extra in ("-wal", "-shm", "-journal"):
        Path(f"{target}{extra}").unlink(missing_ok=True)
    new.replace(target)


def open_database(
    target: str | Path | None = None,
    *,
    create: bool = True,
    migrate: bool = True,
    read_only: bool = False,
) -> Database:
    """Open (and, for a new file, create) a database, bringing its schema up to date.

    ``read_only`` opens it without writing anything to it or beside it (no migration, no removal
    of leftovers, no change of journal mode), every save refused in words: see
    :func:`lscb_desktop.store.readonly.open_read_only`."""
    if read_only:
        from lscb_desktop.store.readonly import open_read_only  # noqa: PLC0415 - it imports this

        return open_read_only(target)
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
                    migrating.create_file(path, replace=path.exists())
                except SADatabaseError as exc:
                    reason = str(exc.orig) if exc.orig else str(exc)
                    raise DatabaseError(f"Cannot create {path.name}: {reason}.") from exc
        elif path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a database file.")
        else:
            migrating.remove_unfinished_creations(path)
    on_server = url.get_backend_name() != "sqlite"
    engine = build_engine(url)
    database = Database(engine)
    try:
        if on_server and not create and not migrating.stored_revision(database)[1]:
            # A command that only reads never makes the tables of a new, empty server database.
            raise DatabaseError(
                f"{database.display_name} holds no LSCB Desktop records yet: nothing to read. "
                "Nothing was changed."
            )
        if migrate:
            migrating.migrate(database)
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
