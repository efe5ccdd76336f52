"""Copying the rows of every table from one open connection to another at the same schema
revision, and checking the copy: the heart of :mod:`lscb_desktop.store.copying`. Tables are read
from the databases themselves (reflected), not from the models, so that a database at an older
revision is copied as it is. No Qt here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    and_,
    func,
    select,
    text,
    update,
)
from sqlalchemy.schema import ForeignKeyConstraint, sort_tables_and_constraints

from lscb_desktop.store.errors import DatabaseError

#: Rows read and written at a time; fewer for a table holding papers (a few MB each).
CHUNK, BLOB_CHUNK = 1000, 20

#: Not copied: Alembic's record of the revision, which building the target writes itself.
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class Progress:
    """How far a copy has gone: ``done`` of ``total`` records, now in ``table``."""

    done: int
    total: int
    table: str = ""
    stage: str = "copying"  # "copying", then "checking"

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0

    @property
    def text(self) -> str:
        if self.stage == "checking":
            return "Checking the copy…"
        what = self.table.replace("_", " ")
        return f"Copying {what} ({self.done:,} of {self.total:,} records)…"


def reflect(connection: Connection) -> MetaData:
    metadata = MetaData()
    metadata.reflect(bind=connection)
    if VERSION_TABLE in metadata.tables:
        metadata.remove(metadata.tables[VERSION_TABLE])
    return metadata


def order_tables(metadata: MetaData) -> tuple[list[Table], dict[str, set[str]]]:
    """Tables parents first, and per table the link columns filled in only once every row is
    in: links to the same table (a group accountable to a group) and links in a cycle."""
    order: list[Table] = []
    late: dict[str, set[str]] = {}
    cyclic: list[ForeignKeyConstraint] = []
    for table, constraints in sort_tables_and_constraints(  # type: ignore[no-untyped-call]
        metadata.sorted_tables
    ):
        if table is None:
            cyclic.extend(constraints)
        else:
            order.append(table)
    for table in order:
        for constraint in table.foreign_key_constraints:
            if constraint.referred_table is table or constraint in cyclic:
                late.setdefault(table.name, set()).update(constraint.column_keys)
    return order, late


class Digest:
    """An order-free digest of a table's rows (the engines may sort text differently)."""

    def __init__(self) -> None:
        self.value = 0

    def add(self, values: Iterable[object]) -> None:
        row = "\x1f".join(plain(value) for value in values).encode()
        self.value = (self.value + int.from_bytes(hashlib.sha256(row).digest())) % 2**256


def plain(value: object) -> str:
    """One value, the same text whichever engine it was read from."""
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return f"b{int(value)}"
    if isinstance(value, bytes | bytearray | memoryview):
        return "x" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return f"{type(value).__name__[0]}{value.isoformat()}"
    return f"{type(value).__name__[0]}{value}"


def rows_of(connection: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    chunk = BLOB_CHUNK if any(isinstance(c.type, LargeBinary) for c in table.columns) else CHUNK
    statement = select(table).order_by(*table.primary_key.columns)
    result = connection.execute(statement.execution_options(yield_per=chunk))
    names = [column.name for column in table.columns]
    for part in result.partitions():
        yield [dict(zip(names, row, strict=True)) for row in part]


def digest_of(connection: Connection, table: Table) -> tuple[int, int]:
    digest, count = Digest(), 0
    names = sorted(column.name for column in table.columns)
    for rows in rows_of(connection, table):
        for row in rows:
            digest.add(row[name] for name in names)
        count += len(rows)
    return count, digest.value


# -- copying ---------------------------------------------------------------------------------------


def copy_rows(read: Connection, write: Connection) -> Generator[Progress, None, dict[str, int]]:
    """Copies every row of every table from ``read`` into the empty tables of ``write`` (same
    revision), then checks each table's count and digest; returns the counts."""
    source, target = reflect(read), reflect(write)
    if set(source.tables) != set(target.tables):
        raise DatabaseError(
            "The two databases do not have the same tables, so nothing was copied "
            f"({', '.join(sorted(set(source.tables) ^ set(target.tables))[:3])})."
        )
    counts = {
        name: int(read.execute(select(func.count()).select_from(table)).scalar_one())
        for name, table in source.tables.items()
    }
    total, done = sum(counts.values()), 0
    order, late = order_tables(source)
    digests: dict[str, int] = {}
    links: list[tuple[Table, dict[str, Any], dict[str, Any]]] = []
    yield Progress(0, total, order[0].name if order else "")
    for table in order:
        into = target.tables[table.name]
        names = sorted(column.name for column in table.columns)
        if names != sorted(column.name for column in into.columns):
            raise DatabaseError(
                f"The table {table.name} differs between the two databases; nothing was copied."
            )
        digest = Digest()
        keys = [column.name for column in table.primary_key.columns]
        for rows in rows_of(read, table):
            for row in rows:
                digest.add(row[name] for name in names)
                later = {c: row[c] for c in late.get(table.name, ()) if row[c] is not None}
                if later:  # inserted without the link, set once its target row is in
                    links.append((into, {k: row[k] for k in keys}, later))
                    row.update(dict.fromkeys(later))
            write.execute(into.insert(), rows)
            done += len(rows)
            yield Progress(done, total, table.name)
        digests[table.name] = digest.value
    for into, key, values in links:
        write.execute(update(into).where(and_(*(into.c[k] == v for k, v in key.items()))), values)
    if write.dialect.name == "postgresql":
        reset_sequences(write, target)
    yield Progress(done, total, stage="checking")
    for name, table in target.tables.items():
        if digest_of(write, table) != (counts[name], digests[name]):
            raise DatabaseError(
                f"The copy of the table {name} does not match the original, so it was not kept."
            )
    return counts


def reset_sequences(write: Connection, metadata: MetaData) -> None:
    """Sets each table's id sequence past the ids copied, so the next record gets a new one."""
    quote = write.dialect.identifier_preparer.quote
    for table in metadata.tables.values():
        columns = list(table.primary_key.columns)
        if len(columns) != 1 or not isinstance(columns[0].type, Integer):
            continue
        sequence = write.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": quote(table.name), "column": columns[0].name},
        ).scalar()
        if sequence:
            highest = write.execute(select(func.max(columns[0]))).scalar() or 0
            write.execute(
                text("SELECT setval(CAST(:sequence AS regclass), :next, false)"),
                {"sequence": sequence, "next": int(highest) + 1},
            )
