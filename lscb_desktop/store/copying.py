"""Copying a whole database, record for record, into a new file or a new server database: every
table (papers, the change log and the settings included), ids kept. ``lscb-desktop copy TARGET``
and File > Copy database to… use it (a file to a server when an office moves in, a server to a
file as a backup), as do ``backup`` of a server database and the copy taken before a server
database is upgraded. No Qt here.

The copy reads one consistent snapshot of the source, builds the target at the source's schema
revision (Alembic, never ``create_all``), copies table by table in dependency order in chunks,
sets the PostgreSQL sequences past the ids copied, and checks that every table holds as many
rows as the source with the same values (a digest of every row) before it keeps anything. A
file is built beside its name and moved into place only when complete; a server database is
built and filled in one transaction, so a failure leaves it exactly as it was.

For a progress bar, either pass ``progress`` (called with a :class:`Progress` after each chunk;
raising from it, e.g. for a Cancel button, abandons the copy and keeps nothing)::

    result = copy_database(database, "postgresql+psycopg://clerk@db.council.local/lscb",
                           progress=lambda step: bar.setValue(int(step.fraction * 100)))

or drive the generator :func:`copying` yourself (closing it abandons the copy)::

    steps = copying(database, target)
    try:
        while True:
            step = next(steps)          # a Progress: step.done, step.total, step.text
    except StopIteration as finished:
        result = finished.value         # the CopyResult
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from lscb_desktop.store.copy_rows import VERSION_TABLE, Progress, copy_rows
from lscb_desktop.store.database import (
    Database,
    database_url,
    note_errors_where,
    put_in_place,
    replacing,
    sqlite_pragmas,
)
from lscb_desktop.store.errors import DatabaseError, explain, shown_url, where_of
from lscb_desktop.store.migrating import host_tag, revision_on, run_migrations, upgrade
from lscb_desktop.store.server import MIGRATION_LOCK

__all__ = ["CopyResult", "Progress", "copy_database", "copy_to_file", "copying"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CopyResult:
    """A copy made and checked: where to (no password), at which revision, rows per table."""

    source: str
    target: str
    revision: str
    counts: dict[str, int] = field(default_factory=dict)
    path: Path | None = None  # the file written, for a file target

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        return (
            f"Copied {self.total:,} records in {len(self.counts)} tables from {self.source} "
            f"to {self.target} (checked: every table's records match)."
        )


ProgressCallback = Callable[[Progress], object]


def copy_database(
    source: Database, target: str | Path, progress: ProgressCallback | None = None
) -> CopyResult:
    """Copies every record of ``source`` into ``target``, a new file (a path) or an empty
    server database (a URL). Refuses a target that holds records, or the source itself; raises
    :class:`DatabaseError` (words for the user) when anything fails, leaving no half-made file
    and a server database as empty as it was. ``progress`` is called after each chunk."""
    return _drive(copying(source, target), progress)


def copy_to_file(
    source: Database,
    path: Path,
    *,
    replace: bool = False,
    progress: ProgressCallback | None = None,
) -> CopyResult:
    """:func:`copy_database` into a file; ``replace`` overwrites a database of ours that holds
    records (a backup), once the copy is complete and checked, but never one that is open, the
    source itself, or a file that is not a database of ours
    (:func:`lscb_desktop.store.database.replacing`)."""
    return _drive(_guarded(_to_file(source, Path(path), replace=replace), str(path)), progress)


def _drive(
    steps: Generator[Progress, None, CopyResult], progress: ProgressCallback | None
) -> CopyResult:
    try:
        while True:
            step = next(steps)
            if progress is not None:
                progress(step)
    except StopIteration as finished:
        result: CopyResult = finished.value
        return result
    finally:
        steps.close()  # a progress callback that raised: the copy is abandoned, nothing kept


def copying(source: Database, target: str | Path) -> Generator[Progress, None, CopyResult]:
    """:func:`copy_database` as a generator of :class:`Progress`; returns the CopyResult."""
    url = make_url(database_url(target))
    shown = _shown(url)
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise DatabaseError("A copy must go to a file or a server database, not to memory.")
        path = Path(url.database or "")
        if source.path is not None and source.path.resolve() == path.resolve():
            raise DatabaseError("That is the database itself; choose another file for the copy.")
        steps = _to_file(source, path, replace=False)
        shown = str(path)
    else:
        if source.on_server and _same_server_database(source.engine.url, url):
            raise DatabaseError("That is the database itself; choose another database.")
        steps = _to_server(source, url)
    return (yield from _guarded(steps, shown))


def _guarded(
    steps: Generator[Progress, None, CopyResult], shown: str
) -> Generator[Progress, None, CopyResult]:
    """The copy with every failure in words for the user (the details go to the log). A server
    copy is one transaction and a file copy is built aside, so a failure writes nothing."""
    left = f"nothing was written to {shown}"
    try:
        return (yield from steps)
    except DatabaseError:
        raise
    except (SQLAlchemyError, sqlite3.Error) as exc:
        log.error("Copy to %s failed", shown, exc_info=True)
        words = explain(exc)
        raise DatabaseError(
            f"The copy failed{': ' + words if words else ''} The copy was abandoned and {left}; "
            "the details are in the log."
        ) from exc
    except OSError as exc:
        log.error("Copy to %s failed", shown, exc_info=True)
        where = f" ({exc.filename})" if exc.filename else ""
        raise DatabaseError(
            f"The copy failed: {exc.strerror or exc}{where}. The copy was abandoned and {left}."
        ) from exc


def _shown(url: URL) -> str:
    """A target as the user is told it: a file's path, or "DATABASE on HOST" (as the window's
    title names a shared database); never a password."""
    if url.get_backend_name() == "sqlite" or not url.database:
        return shown_url(url)
    port = f":{url.port}" if url.port and url.port != 5432 else ""
    return f"{url.database} on {url.host or 'this computer'}{port}"


def _same_server_database(one: URL, other: URL) -> bool:
    def key(url: URL) -> tuple[object, ...]:
        return (url.get_backend_name(), url.host, url.port or 5432, url.database)

    return key(one) == key(other)


# -- reading the source ----------------------------------------------------------------------------


@contextmanager
def _snapshot(source: Database) -> Iterator[Connection]:
    """A connection reading one consistent state of the source for as long as it is open: a
    REPEATABLE READ transaction on a server, a read transaction on a SQLite file (WAL lets the
    window and other programs carry on writing meanwhile)."""
    if source.path is None:
        level = {"isolation_level": "REPEATABLE READ"} if source.on_server else {}
        with source.engine.connect().execution_options(**level) as connection, connection.begin():
            yield connection
        return
    engine = create_engine(source.engine.url, poolclass=NullPool)

    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # our BEGIN, not pysqlite's
        dbapi_connection.execute("PRAGMA busy_timeout=5000")

    event.listen(engine, "connect", _connect)
    event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN"))
    try:
        with engine.connect() as connection, connection.begin():
            yield connection
    finally:
        engine.dispose()


def _source_revision(read: Connection) -> str:
    revision, _tables = revision_on(read)
    if revision is None:
        raise DatabaseError("The database to copy has no schema revision; nothing was copied.")
    return revision


# -- into a file -----------------------------------------------------------------------------------


def _to_file(
    source: Database, path: Path, *, replace: bool
) -> Generator[Progress, None, CopyResult]:
    """Builds the copy beside ``path`` and moves it into place once complete and checked."""
    path = path.expanduser().absolute()
    with replacing(path, source.path):  # refused before a long copy, not after it
        if not replace:
            _refuse_file(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    maker = f"{host_tag()}-{os.getpid()}-{threading.get_ident()}"
    partial = path.with_name(f".{path.name}.copying-{maker}")
    _remove(partial)
    try:
        with _snapshot(source) as read:
            revision = _source_revision(read)
            upgrade(f"sqlite:///{partial}", revision)
            engine = create_engine(f"sqlite:///{partial}", poolclass=NullPool)
            event.listen(engine, "connect", sqlite_pragmas)
            try:
                with engine.begin() as write:
                    counts = yield from copy_rows(read, write)
            finally:
                engine.dispose()
        if os.name == "posix":
            partial.chmod(0o600)
        with partial.open("rb+") as written:
            os.fsync(written.fileno())
        _put_in_place(partial, path, replace=replace, source=source.path)
    finally:
        _remove(partial)
    return CopyResult(source.display_name, str(path), revision, counts, path)


def _remove(path: Path) -> None:
    for extra in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)


def _refuse_file(path: Path) -> None:
    """Refuses a file that holds records or is not a database; an empty file, or a database
    of ours holding no records, may be replaced."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder; name a new file for the copy.")
    if not path.exists() or path.stat().st_size == 0:
        return
    if _file_records(path) != 0:
        raise DatabaseError(
            f"{path} already holds records (or is not a database); a copy goes to a new file "
            "or an empty database. Nothing was changed."
        )


def _file_records(path: Path) -> int | None:
    """Whether a file of ours holds records: 0 when it has our tables and no rows, else None
    (records, or not a database of ours)."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            tables = [
                str(row[0])
                for row in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
            if VERSION_TABLE not in tables:
                return None
            for table in tables:
                if table != VERSION_TABLE and db.execute(f'SELECT 1 FROM "{table}"').fetchone():
                    return None
    except sqlite3.Error:
        return None
    return 0


def _put_in_place(partial: Path, path: Path, *, replace: bool, source: Path | None) -> None:
    """Moves the finished copy to ``path``: over a file only when :func:`replacing` allows it
    (never a database that is open, nor the source), otherwise only if the name is still free."""
    if replace or path.exists():
        with replacing(path, source):
            if not replace:
                _refuse_file(path)  # written to by another program meanwhile?
            put_in_place(partial, path)
        return
    created = DatabaseError(
        f"{path} was created by another program during the copy; nothing was changed."
    )
    try:
        os.link(partial, path)  # fails if another program took the name meanwhile
    except FileExistsError as exc:
        raise created from exc
    except OSError:  # no hard links on this file system: the name is looked at just before
        if path.exists():
            raise created from None
        partial.replace(path)


# -- into a server database -----------------------------------------------------------------------


def _to_server(source: Database, url: URL) -> Generator[Progress, None, CopyResult]:
    """Builds and fills an empty server database in one transaction, under the lock that
    migrations take (a program opening it meanwhile waits until the copy is in)."""
    engine = create_engine(url, poolclass=NullPool)
    event.listen(engine, "handle_error", note_errors_where)
    try:
        with _snapshot(source) as read:
            revision = _source_revision(read)
            with engine.begin() as write:
                if write.dialect.name == "postgresql":
                    write.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
                current = _refuse_server(write, url, revision)
                if current != revision:
                    run_migrations(write, revision)
                counts = yield from copy_rows(read, write)
    finally:
        engine.dispose()
    return CopyResult(source.display_name, _shown(url), revision, counts)


def _refuse_server(write: Connection, url: URL, revision: str) -> str | None:
    """Refuses a server database holding records, another program's tables, or a newer
    schema than the source's; returns its revision (None when it has no tables)."""
    current, tables = revision_on(write)
    shown = where_of(url).database_words
    others = tables - {VERSION_TABLE}
    if current is None and others:
        raise DatabaseError(
            f"{shown[0].upper()}{shown[1:]} holds tables of another program "
            f"({', '.join(sorted(others)[:3])}); a copy goes to an empty database. "
            "Nothing was changed."
        )
    for table in sorted(others):
        if write.exec_driver_sql(f'SELECT 1 FROM "{table}" LIMIT 1').first():
            raise DatabaseError(
                f"{shown[0].upper()}{shown[1:]} already holds records; a copy goes to a new, "
                "empty database (ask your IT team to create one). Nothing was changed."
            )
    if current is not None and current > revision:
        raise DatabaseError(
            f"{shown[0].upper()}{shown[1:]} was made by a newer version of LSCB Desktop "
            f"(schema {current}) than the database to copy (schema {revision}). Open that "
            "database once with this version (which brings it up to date), then copy it."
        )
    return current
