"""A database opened read-only (someone else has the file open for writing): every write is
refused in words before it reaches the database, and SQLite is told so too. No Qt here."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event

from lscb_desktop.store.database import Database
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


def read_only_error(holder: str) -> ReadOnlyDatabase:
    """``holder``: who has it open, as :attr:`LockInfo.holder_words` says it."""
    return ReadOnlyDatabase(
        f"This database is open read-only because {holder} has it open; nothing was saved."
    )


def is_write(statement: str) -> bool:
    """True for a statement that changes the database or locks rows to change them."""
    return bool(_WRITES.match(statement) or _LOCKING.search(statement))


def make_read_only(database: Database, holder: str) -> None:
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
