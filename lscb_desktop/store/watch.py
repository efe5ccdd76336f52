"""Seeing each other's work: which tables others have changed since the window last looked.
No Qt here; the window asks a :class:`Watcher` every few seconds.

- PostgreSQL: every commit that changed records sends ``NOTIFY lscb_changes`` with the tables it
  changed (the listeners below, installed on every session factory); the watcher listens on a
  connection of its own. A notification is delivered only when its transaction commits.
- SQLite: ``PRAGMA data_version`` on a connection of the watcher's own changes whenever another
  connection commits; the change log's new rows then say which tables.

A program's own changes are not "others'": each engine has a token (PostgreSQL, carried in the
notification) and, while a watcher looks at its file, a list of the change-log rows it wrote
(SQLite), so the window is not told about what it has just done itself. ``Database.__init__``
installs the listeners (:func:`install`) after the change log's own.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
import uuid
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from lscb_desktop.models import Base, ChangeLogEntry

if TYPE_CHECKING:
    from lscb_desktop.store.database import Database  # which installs the listeners below

log = logging.getLogger(__name__)

CHANNEL = "lscb_changes"
#: How long the watcher waits before trying again to reach a server that went away (seconds).
RECONNECT_AFTER = 30.0
#: How long connecting to the server may take before it counts as out of reach (seconds).
CONNECT_TIMEOUT = 5


@dataclass(frozen=True)
class Changes:
    """What others changed: these tables, or (``everything``) changes that could not be told
    apart, after the server went away for a while, say."""

    tables: frozenset[str] = frozenset()
    everything: bool = False

    def __bool__(self) -> bool:
        return self.everything or bool(self.tables)

    def touches(self, tables: frozenset[str] | set[str]) -> bool:
        return self.everything or not self.tables.isdisjoint(tables)


NOTHING = Changes()
EVERYTHING = Changes(everything=True)


class Watcher(Protocol):
    def changes(self, wait: float = 0.0) -> Changes:
        """What others have changed since the last call; at once, or (on a server, where word
        of a change comes a moment after it) waiting up to ``wait`` seconds for some."""
        ...

    def close(self) -> None: ...


# -- this program's own changes --------------------------------------------------------------


@dataclass
class _Own:
    """What one engine (one open database in this program) has written itself."""

    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    #: A watcher looks at this database (only then are a file's own change-log ids noted).
    watched: bool = False
    #: Committed change-log ids written through this engine, as (after, up to) ranges (SQLite).
    ranges: list[tuple[int, int]] = field(default_factory=list)

    def add(self, low: int, high: int) -> None:
        if self.ranges and self.ranges[-1][1] == low:  # straight after the last: one range
            low = self.ranges.pop()[0]
        self.ranges.append((low, high))

    def wrote(self, row_id: int) -> bool:
        return any(low < row_id <= high for low, high in self.ranges)

    def forget_up_to(self, row_id: int) -> None:
        self.ranges = [(low, high) for low, high in self.ranges if high > row_id]


_OWN: weakref.WeakKeyDictionary[Engine, _Own] = weakref.WeakKeyDictionary()


def _own(engine: Engine) -> _Own:
    own = _OWN.get(engine)
    if own is None:
        own = _OWN[engine] = _Own()
    return own


def _engine(session: Session) -> Engine | None:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else getattr(bind, "engine", None)


def _changed_tables(session: Session) -> set[str]:
    return {
        obj.__tablename__
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, Base) and not isinstance(obj, ChangeLogEntry)
    }


def _notify(session: Session, engine: Engine, tables: set[str]) -> None:
    payload = f"{_own(engine).token} {','.join(sorted(tables))}"
    session.connection().execute(
        text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload}
    )


def _last_change_id(session: Session) -> tuple[int, int]:
    """(the change log's highest id, PRAGMA data_version) as this session's connection sees it."""
    connection = session.connection()
    last = connection.execute(text("SELECT coalesce(max(id), 0) FROM change_log")).scalar_one()
    version = connection.exec_driver_sql("PRAGMA data_version").scalar_one()
    return int(last), int(version)


def _noting(engine: Engine | None) -> bool:
    """True for a file a watcher of this program looks at: its own ids are worth noting."""
    own = _OWN.get(engine) if engine is not None else None
    return own is not None and own.watched and engine is not None and engine.name == "sqlite"


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if _noting(_engine(session)):
        session.info["watch_before"] = _last_change_id(session)


def _after_flush(session: Session, _context: Any) -> None:
    engine = _engine(session)
    if engine is None:
        return
    if engine.dialect.name == "postgresql":
        tables = _changed_tables(session)
        if tables:
            _notify(session, engine, tables)
        return
    before = session.info.pop("watch_before", None)
    if before is not None:
        # The change log's rows for this flush were written by the change log's own
        # after_flush (installed first).
        _note_own(session, before)


def _note_own(session: Session, before: tuple[int, int]) -> None:
    """Notes the change-log ids written since ``before`` as this program's own (SQLite). The
    session holds the write lock now, so every id above the one seen before is its own, unless
    another connection committed in between (its data version then differs): those ids are
    left to count as others', a refresh too many at worst."""
    after = _last_change_id(session)
    if after[1] == before[1] and after[0] > before[0]:
        session.info.setdefault("watch_own", []).append((before[0], after[0]))


def _on_execute(state: ORMExecuteState) -> Any:
    """A change made without the unit of work (an upsert, a bulk update): on a server it is
    notified too; on a file, change-log rows written this way are noted as this program's."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    table = getattr(getattr(state.statement, "table", None), "name", None)
    engine = _engine(state.session)
    if not table or engine is None:
        return None
    if engine.dialect.name == "postgresql" and table != ChangeLogEntry.__tablename__:
        result = state.invoke_statement()  # first: a refused write is refused in its own words
        _notify(state.session, engine, {table})
        return result
    if table == ChangeLogEntry.__tablename__ and _noting(engine):
        before = _last_change_id(state.session)
        result = state.invoke_statement()
        _note_own(state.session, before)
        return result
    return None


def _after_commit(session: Session) -> None:
    ranges = session.info.pop("watch_own", None)
    engine = _engine(session) if ranges else None
    if engine is not None and ranges:
        own = _own(engine)
        for low, high in ranges:
            own.add(low, high)


def _after_rollback(session: Session) -> None:
    # Rolled-back ids are free again, for anyone's next change: they are not ours.
    session.info.pop("watch_own", None)
    session.info.pop("watch_before", None)


def install(factory: sessionmaker[Session]) -> None:
    """Hooks the notifications into every session the factory makes (once)."""
    if event.contains(factory, "after_flush", _after_flush):
        return
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _on_execute)
    event.listen(factory, "after_commit", _after_commit)
    event.listen(factory, "after_rollback", _after_rollback)


# -- the watchers ----------------------------------------------------------------------------


class _Nothing:
    """A database nobody else can change (one in memory)."""

    def changes(self, wait: float = 0.0) -> Changes:
        _ = wait
        return NOTHING

    def close(self) -> None:
        return None


class SQLiteWatcher:
    def __init__(self, database: Database) -> None:
        assert database.path is not None
        self._path = database.path
        self._own = _own(database.engine)
        self._own.watched = True
        self._connection = sqlite3.connect(
            self._path, isolation_level=None, check_same_thread=False
        )
        self._connection.execute("PRAGMA busy_timeout=1000")
        self._version = self._data_version()
        self._last_id = self._max_id()

    def _data_version(self) -> int:
        # fetchall: a statement left unfinished would hold a read transaction open.
        return int(self._connection.execute("PRAGMA data_version").fetchall()[0][0])

    def _max_id(self) -> int:
        rows = self._connection.execute("SELECT coalesce(max(id), 0) FROM change_log").fetchall()
        return int(rows[0][0])

    def changes(self, wait: float = 0.0) -> Changes:
        _ = wait  # a commit is seen as soon as it is made
        try:
            version = self._data_version()
            if version == self._version:
                return NOTHING
            rows = self._connection.execute(
                "SELECT id, table_name FROM change_log WHERE id > ? ORDER BY id", (self._last_id,)
            ).fetchall()
        except sqlite3.Error as exc:  # busy, or the file went away: look again next time
            log.info("Could not look for changes in %s: %s", self._path.name, exc)
            return NOTHING
        self._version = version
        if not rows:
            return NOTHING
        tables = frozenset(str(name) for row_id, name in rows if not self._own.wrote(row_id))
        self._last_id = int(rows[-1][0])
        self._own.forget_up_to(self._last_id)
        return Changes(tables)

    def close(self) -> None:
        self._own.watched = False
        self._own.ranges.clear()
        self._connection.close()


class PostgresWatcher:
    """Listens on a connection of its own. When the server goes away (a restart, the network),
    it connects again in the background, so the window never waits for a server that does not
    answer; once back, it says "look at everything", as what was said meanwhile is lost."""

    def __init__(self, database: Database) -> None:
        import psycopg  # noqa: PLC0415 - only for a server database

        self._engine = database.engine
        self._token = _own(database.engine).token
        self._connection: Any = None
        self._lock = threading.Lock()
        self._reconnected: Any = None  # a connection made in the background, not yet in use
        self._reconnecting: threading.Thread | None = None
        self._next_try = 0.0
        self._closed = False
        try:
            self._connection = self._connect()
        except psycopg.Error as exc:  # tried again in the background, from changes()
            log.info("Cannot listen for changes yet: %s", exc)

    def _connect(self) -> Any:
        import psycopg  # noqa: PLC0415

        args, params = self._engine.dialect.create_connect_args(self._engine.url)
        params = {**params, "autocommit": True, "connect_timeout": CONNECT_TIMEOUT}
        connection = psycopg.connect(*args, **params)
        connection.execute(f"LISTEN {CHANNEL}")
        return connection

    def _reconnect(self) -> None:
        """In the background: a new listening connection, or the time of the next try."""
        import psycopg  # noqa: PLC0415

        try:
            connection = self._connect()
        except psycopg.Error as exc:
            log.info("The server is still out of reach for changes: %s", exc)
            self._next_try = time.monotonic() + RECONNECT_AFTER
            return
        with self._lock:
            if self._closed:
                connection.close()
            else:
                self._reconnected = connection

    def _back(self, wait: float) -> bool:
        """True once a background connection is ready (waiting up to ``wait`` seconds)."""
        running = self._reconnecting is not None and self._reconnecting.is_alive()
        if not running and self._reconnected is None and time.monotonic() >= self._next_try:
            self._reconnecting = threading.Thread(
                target=self._reconnect, name="lscb-watch-reconnect", daemon=True
            )
            self._reconnecting.start()
        if self._reconnecting is not None and wait > 0:
            self._reconnecting.join(wait)
        with self._lock:
            self._connection, self._reconnected = self._reconnected, None
        return self._connection is not None

    def changes(self, wait: float = 0.0) -> Changes:
        import psycopg  # noqa: PLC0415

        if self._connection is None:
            return EVERYTHING if self._back(wait) else NOTHING
        tables: set[str] = set()
        deadline = time.monotonic() + wait
        try:
            self._read(self._connection.notifies(timeout=0), tables)
            while not tables and (left := deadline - time.monotonic()) > 0:
                self._read(self._connection.notifies(timeout=left, stop_after=1), tables)
        except psycopg.Error as exc:  # the server restarted or the network dropped
            log.info("Lost the connection that listens for changes: %s", exc)
            self._connection.close()
            self._connection = None
            self._next_try = 0.0
            return NOTHING
        return Changes(frozenset(tables))

    def _read(self, notices: Iterable[Any], tables: set[str]) -> None:
        for notice in notices:
            token, _, names = str(notice.payload).partition(" ")
            if token != self._token:  # not one of this program's own
                tables.update(name for name in names.split(",") if name)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for connection in (self._connection, self._reconnected):
                if connection is not None:
                    connection.close()
            self._connection = self._reconnected = None


def watcher_for(database: Database) -> Watcher:
    """A watcher of the database's changes made by others (by other programs, or other open
    databases in this one)."""
    backend = database.engine.dialect.name
    if backend == "postgresql":
        return PostgresWatcher(database)
    if backend == "sqlite" and database.path is not None:
        return SQLiteWatcher(database)
    return _Nothing()
