"""A database opened read-only (someone else has the file open for writing): nothing is written
to the file or beside it, and every write is refused in words before it reaches the database,
SQLite being told so too. No Qt here.

:func:`open_read_only` (``open_database(path, read_only=True)``) opens a file with SQLite's own
read-only mode: no migration, no removal of leftovers beside it, no change of journal mode (a
read-only connection cannot even checkpoint the write-ahead log of the program writing it), and
only a file already at this version's schema. The write-ahead log files SQLite makes to read a
file that nobody had open are removed again when the database is closed, as SQLite itself would.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url

from lscb_desktop import APP_NAME
from lscb_desktop.store.database import SCHEMA_HEAD, Database, build_engine, database_url
from lscb_desktop.store.errors import DatabaseError

#: Statements that change a database (or, for BEGIN IMMEDIATE, start to).
_WRITES = re.compile(
    r"^\s*(INSERT|UPDATE|DELETE|REPLACE|UPSERT|MERGE|CREATE|DROP|ALTER|TRUNCATE"
    r"|BEGIN\s+(IMMEDIATE|EXCLUSIVE))\b",
    re.IGNORECASE,
)
#: A SELECT that locks rows, as a write about to happen does (a server refuses it read-only).
_LOCKING = re.compile(r"\bFOR\s+(NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b", re.IGNORECASE)


class ReadOnlyDatabase(DatabaseError):
    """A save refused because the database is open read-only; nothing was written."""


def read_only_error(holder: str | None) -> ReadOnlyDatabase:
    """``holder``: who has it open, as :attr:`LockInfo.holder_words` says it (None: unknown)."""
    if holder is None:
        return ReadOnlyDatabase("This database is open read-only; nothing was saved.")
    return ReadOnlyDatabase(
        f"This database is open read-only because {holder} has it open; nothing was saved."
    )


def is_write(statement: str) -> bool:
    """True for a statement that changes the database or locks rows to change them."""
    return bool(_WRITES.match(statement) or _LOCKING.search(statement))


def make_read_only(database: Database, holder: str | None = None) -> None:
    """From now on ``database`` refuses every write with :func:`read_only_error`: an ORM flush,
    a Core statement (an upsert) or SQL text alike, and nothing is written. SQLite connections
    also get ``PRAGMA query_only=ON`` (a server's get ``READ ONLY`` transactions), so that a
    write this check missed is still refused by the database itself."""
    if database.read_only:
        return
    database.read_only = True
    engine = database.engine

    def refuse(
        _connection: Any,
        _cursor: Any,
        statement: str,
        _parameters: Any,
        _context: Any,
        _executemany: bool,
    ) -> None:
        if is_write(statement):
            raise read_only_error(holder)

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA query_only=ON")
        elif engine.dialect.name == "postgresql":
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        cursor.close()
        if engine.dialect.name == "postgresql":
            dbapi_connection.commit()

    event.listen(engine, "before_cursor_execute", refuse)
    event.listen(engine, "connect", on_connect)
    if database.path is not None or engine.dialect.name != "sqlite":
        # Connections already in the pool were opened writable: new ones get the setting.
        # (A database in memory lives in its one connection, which must not be closed.)
        engine.dispose()


# -- opening a file read-only ---------------------------------------------------------------------


def open_read_only(target: str | Path | None, holder: str | None = None) -> Database:
    """Opens ``target`` without writing anything to it or beside it, every save refused in
    words (``holder``: who has it open, for those words). A file must be at this version's
    schema: one that would have to be upgraded is refused (nothing was changed). A server
    database is opened without migrating it, and refuses every write the same way."""
    url = make_url(database_url(target))
    if url.get_backend_name() != "sqlite":
        database = Database(build_engine(url))
        try:
            current = database.current_revision()
        except BaseException:
            database.dispose()
            raise
        if current != SCHEMA_HEAD:
            database.dispose()
            raise _other_version(database.display_name, holder)
        make_read_only(database, holder)
        return database
    if url.database in (None, "", ":memory:"):
        raise DatabaseError("A database held in memory cannot be opened read-only.")
    path = Path(url.database or "")
    if not path.is_file() or path.stat().st_size == 0:
        raise DatabaseError(f"There is no database at {path}.")
    had_log = any(Path(f"{path}{extra}").exists() for extra in ("-wal", "-shm"))
    try:
        revision = stored_revision(path)
    finally:
        if not had_log:
            _tidy_log(path)
    if revision != SCHEMA_HEAD:
        raise _other_version(path.name, holder)
    uri = f"{path.as_uri()}?mode=ro"
    engine = build_engine(
        url, creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
    )
    database = Database(engine)
    make_read_only(database, holder)
    if not had_log:
        database.on_dispose.append(partial(_tidy_log, path))
    return database


def _other_version(name: str, holder: str | None) -> DatabaseError:
    while_open = f" while {holder} has it open" if holder else ""
    return DatabaseError(
        f"{name} was written by another version of {APP_NAME}, so it cannot be opened "
        f"read-only{while_open}: it would have to be upgraded. Nothing was changed."
    )


def stored_revision(path: Path) -> str | None:
    """The schema revision of the file (None for none), read without writing to it."""
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
            tables = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'"
            ).fetchall()
            if not tables:
                return None
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:  # not a database, damaged: SQLite's one line says which
        raise DatabaseError(f"Cannot open {path.name}: {exc}.") from exc
    return str(row[0]) if row else None


def _tidy_log(path: Path) -> None:
    """Removes the write-ahead log files reading ``path`` made when nobody had it open (a
    read-only connection cannot): a connection closing last removes them, as SQLite does, and
    writes nothing while the log is empty. A log someone has written to meanwhile, or a
    rollback journal, is left for its writer."""
    wal = Path(f"{path}-wal")
    try:
        if wal.stat().st_size != 0 or Path(f"{path}-journal").exists():
            return
    except OSError:  # no log: nothing to tidy
        return
    try:
        with closing(sqlite3.connect(path, timeout=0)) as connection:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:  # busy, gone: whoever has it open tidies it
        return
