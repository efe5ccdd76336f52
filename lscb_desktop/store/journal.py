"""What each committed change did to the database, row by row, so that it can be undone.

While a database's :class:`Journal` is recording (the window turns it on), every session the
database makes notes, for each row it touches, the whole row as it was before the transaction
and as it is after it:

- rows the ORM flushes (added, changed, deleted objects);
- rows the database itself changes with them: children removed by ``ON DELETE CASCADE``, links
  cleared by ``ON DELETE SET NULL``, rows of link tables (a group's required partners, an
  audit's agencies) — found from the schema's foreign keys, not from a list kept by hand;
- rows written by an ``UPDATE`` or ``DELETE`` statement outside the unit of work (the rows its
  ``WHERE`` chooses), and by an ``INSERT … RETURNING`` the id;
- rows a service writes in ways none of the above can follow (an upsert) inside
  :func:`touching`, which names where they are.

A statement the journal cannot follow marks the change as one that cannot be undone, rather than
let an undo put back only part of it. Each commit becomes a :class:`Step` handed to
:attr:`Journal.on_step`; steps made inside :meth:`Journal.labelled` are joined into one. No Qt
here: the window keeps the steps on its undo stack and :mod:`lscb_desktop.services.undo` puts
them back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, and_, event, inspect, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from lscb_desktop.models import Base, ChangeLogEntry

Key = tuple[Any, ...]
Row = dict[str, Any]
#: Tables whose rows are the record of changes, not records: never undone.
UNJOURNALLED = frozenset({ChangeLogEntry.__tablename__, "alembic_version"})


@dataclass(frozen=True)
class RowChange:
    """One row before and after a step (None: it did not exist)."""

    table: str
    key: Key
    before: Row | None
    after: Row | None


@dataclass(frozen=True)
class Step:
    """One change as the user made it: a label ("delete meeting 27/11/2026") and its rows."""

    label: str
    changes: tuple[RowChange, ...]
    #: False when part of the change was made in a way the journal could not follow.
    undoable: bool = True


@dataclass
class Journal:
    """A database's journal: off until the window turns it on."""

    recording: bool = False
    on_step: Callable[[Step], None] | None = None
    _label: list[str] = field(default_factory=list)
    _joined: list[Step] | None = None

    @contextmanager
    def labelled(self, label: str) -> Iterator[None]:
        """Every change committed inside is one step called ``label`` (the outermost wins)."""
        outermost = self._joined is None
        if outermost:
            self._joined = []
        self._label.append(label)
        try:
            yield
        finally:
            self._label.pop()
            if outermost:
                steps, self._joined = self._joined or [], None
                if steps:
                    self._emit(join(label, steps))

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Changes committed inside are not recorded (putting a step back, an import)."""
        was, self.recording = self.recording, False
        try:
            yield
        finally:
            self.recording = was

    def committed(self, step: Step) -> None:
        if self._joined is not None:
            self._joined.append(step)
        else:
            self._emit(step)

    def _emit(self, step: Step) -> None:
        if (step.changes or not step.undoable) and self.on_step is not None:
            self.on_step(step)

    @property
    def label(self) -> str:
        return self._label[0] if self._label else ""


def join(label: str, steps: list[Step]) -> Step:
    """Several commits as one step: each row's first before and last after."""
    rows: dict[tuple[str, Key], list[Any]] = {}
    for step in steps:
        for change in step.changes:
            seen = rows.get((change.table, change.key))
            if seen is None:
                rows[(change.table, change.key)] = [change.before, change.after]
            else:
                seen[1] = change.after
    changes = tuple(
        RowChange(table, key, before, after)
        for (table, key), (before, after) in rows.items()
        if before != after
    )
    return Step(label, changes, all(step.undoable for step in steps))


# -- the schema's shape -------------------------------------------------------------------------


def tables() -> Mapping[str, Table]:
    return Base.metadata.tables


def key_columns(table: Table) -> list[Any]:
    return list(table.primary_key.columns)


def key_of(table: Table, row: Mapping[str, Any]) -> Key:
    return tuple(row[column.key] for column in key_columns(table))


def _dependents(table: Table) -> list[tuple[Table, Any, Any, bool]]:
    """(child table, its column, the parent's column, cascades) for each foreign key that the
    database follows when a row of ``table`` is deleted, and every link-table key."""
    found = []
    mapped = {mapper.local_table for mapper in Base.registry.mappers}
    for child in tables().values():
        if child.name in UNJOURNALLED:
            continue
        for fk in child.foreign_keys:
            if fk.column.table is not table:
                continue
            rule = (fk.ondelete or "").upper()
            if rule in ("CASCADE", "SET NULL") or child not in mapped:
                found.append((child, fk.parent, fk.column, rule == "CASCADE"))
    return found


def link_tables_of(table: Table) -> list[tuple[Table, Any, Any]]:
    """Link tables (no class of their own) with a key pointing at ``table``."""
    mapped = {mapper.local_table for mapper in Base.registry.mappers}
    return [
        (child, column, parent)
        for child, column, parent, _ in _dependents(table)
        if child not in mapped
    ]


# -- reading rows -----------------------------------------------------------------------------


def read_rows(connection: Connection, table: Table, where: ColumnElement[bool]) -> list[Row]:
    return [dict(row) for row in connection.execute(select(table).where(where)).mappings()]


def read_keys(connection: Connection, table: Table, keys: Iterable[Key]) -> dict[Key, Row]:
    wanted = list(dict.fromkeys(keys))
    columns = key_columns(table)
    found: dict[Key, Row] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        if len(columns) == 1:
            where = columns[0].in_([key[0] for key in chunk])
        else:
            where = or_(
                *(and_(*(c == v for c, v in zip(columns, key, strict=True))) for key in chunk)
            )
        for row in read_rows(connection, table, where):
            found[key_of(table, row)] = row
    return found


# -- recording ----------------------------------------------------------------------------------


class _Pending:
    """A transaction's rows so far: each row's first before, and the keys to read after."""

    def __init__(self) -> None:
        self.before: dict[tuple[str, Key], Row | None] = {}
        self.untracked = False

    def saw(self, table: Table, key: Key, row: Row | None) -> None:
        self.before.setdefault((table.name, key), row)

    def saw_rows(self, table: Table, rows: Iterable[Row]) -> None:
        for row in rows:
            self.saw(table, key_of(table, row), row)


def _journal(session: Session) -> Journal | None:
    journal = session.info.get("journal")
    return journal if isinstance(journal, Journal) and journal.recording else None


def _pending(session: Session) -> _Pending:
    pending = session.info.get("journal_pending")
    if pending is None:
        pending = session.info["journal_pending"] = _Pending()
    return pending  # type: ignore[no-any-return]


def _object_key(obj: Base) -> tuple[Table, Key] | None:
    state = inspect(obj)
    table: Table = state.mapper.local_table  # type: ignore[assignment]
    key = state.mapper.primary_key_from_instance(obj)
    if any(part is None for part in key):
        return None
    return table, tuple(key)


def _note_dependents(
    connection: Connection, pending: _Pending, table: Table, rows: list[Row], depth: int = 0
) -> None:
    """Rows that deleting ``rows`` of ``table`` changes in the database's own right."""
    if not rows or depth > 8:
        return
    for child, column, parent, cascades in _dependents(table):
        values = list({row[parent.key] for row in rows if row.get(parent.key) is not None})
        found: list[Row] = []
        for start in range(0, len(values), 500):
            found += read_rows(connection, child, column.in_(values[start : start + 500]))
        pending.saw_rows(child, found)
        if cascades:
            _note_dependents(connection, pending, child, found, depth + 1)


def _note_links(connection: Connection, pending: _Pending, table: Table, key: Key) -> None:
    if len(key) != 1:
        return
    for child, column, _parent in link_tables_of(table):
        pending.saw_rows(child, read_rows(connection, child, column == key[0]))


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if _journal(session) is None:
        return
    pending = _pending(session)
    connection = session.connection()
    touched = session.info.setdefault("journal_objects", [])
    for obj in (*session.dirty, *session.deleted):
        if not isinstance(obj, Base) or isinstance(obj, ChangeLogEntry):
            continue
        found = _object_key(obj)
        if found is None:
            continue
        table, key = found
        row = read_keys(connection, table, [key]).get(key)
        pending.saw(table, key, row)
        _note_links(connection, pending, table, key)
        if obj in session.deleted and row is not None:
            _note_dependents(connection, pending, table, [row])
    touched.extend(obj for obj in session.new if isinstance(obj, Base))


def _after_flush(session: Session, _context: Any) -> None:
    if _journal(session) is None:
        return
    pending = _pending(session)
    connection = session.connection()
    for obj in session.info.pop("journal_objects", []):
        if isinstance(obj, ChangeLogEntry):
            continue
        found = _object_key(obj)
        if found is not None:
            table, key = found
            pending.saw(table, key, None)  # it did not exist before this flush
            _note_links(connection, pending, table, key)


def _statement_table(state: ORMExecuteState) -> Table | None:
    name = getattr(getattr(state.statement, "table", None), "name", None)
    return tables().get(name) if isinstance(name, str) else None  # the schema's own Table


def _on_execute(state: ORMExecuteState) -> Any:  # noqa: PLR0911 - one return per kind
    """An INSERT, UPDATE or DELETE outside the unit of work: its rows, where they can be told."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    session = state.session
    if _journal(session) is None or session.info.get("journal_touching"):
        return None
    table = _statement_table(state)
    if table is None:
        _pending(session).untracked = True
        return None
    if table.name in UNJOURNALLED:
        return None
    pending = _pending(session)
    connection = session.connection()
    if state.is_insert:
        statement: Any = state.statement
        returned = [c.key for c in getattr(statement, "_returning", ())]
        upsert = getattr(statement, "_post_values_clause", None) is not None
        if upsert or not all(c.key in returned for c in key_columns(table)):
            pending.untracked = True
            return None
        frozen = state.invoke_statement().freeze()
        for row in frozen().mappings():
            pending.saw(table, key_of(table, dict(row)), None)
        return frozen()
    where = getattr(state.statement, "whereclause", None)
    rows = read_rows(connection, table, where if where is not None else and_(True))
    pending.saw_rows(table, rows)
    if state.is_delete:
        _note_dependents(connection, pending, table, rows)
    return None


@contextmanager
def touching(session: Session, table: Table, where: ColumnElement[bool]) -> Iterator[None]:
    """Statements inside change only rows of ``table`` that ``where`` chooses (before or
    after): the journal reads those rows before and after, and follows nothing else."""
    if _journal(session) is None:
        yield
        return
    pending = _pending(session)
    connection = session.connection()
    pending.saw_rows(table, read_rows(connection, table, where))
    session.info["journal_touching"] = True
    try:
        yield
    finally:
        session.info.pop("journal_touching", None)
    for row in read_rows(connection, table, where):
        pending.saw(table, key_of(table, row), None)


def _finish(session: Session) -> Step | None:
    """The transaction's step: every row seen, read once more as it is now."""
    pending: _Pending | None = session.info.pop("journal_pending", None)
    session.info.pop("journal_objects", None)
    if pending is None or not (pending.before or pending.untracked):
        return None
    connection = session.connection()
    by_table: dict[str, list[Key]] = {}
    for table_name, key in pending.before:
        by_table.setdefault(table_name, []).append(key)
    now = {name: read_keys(connection, tables()[name], keys) for name, keys in by_table.items()}
    changes = tuple(
        RowChange(name, key, before, now[name].get(key))
        for (name, key), before in pending.before.items()
        if before != now[name].get(key)
    )
    return Step("", changes, not pending.untracked)


def _before_commit(session: Session) -> None:
    journal = _journal(session)
    if journal is None:
        return
    session.flush()  # so the rows read below are the ones committed
    step = _finish(session)
    if step is not None:
        session.info["journal_step"] = step


def _after_commit(session: Session) -> None:
    step = session.info.pop("journal_step", None)
    journal = session.info.get("journal")
    if isinstance(step, Step) and isinstance(journal, Journal):
        journal.committed(Step(journal.label, step.changes, step.undoable))


def _after_rollback(session: Session) -> None:
    for name in ("journal_pending", "journal_objects", "journal_step", "journal_touching"):
        session.info.pop(name, None)


def install(factory: sessionmaker[Session], journal: Journal) -> None:
    """Every session of ``factory`` reports to ``journal`` (while it is recording)."""
    factory.kw.setdefault("info", {})["journal"] = journal
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    # Ahead of the other listeners: one that runs a statement itself (the server's change
    # notices) ends the chain, and :meth:`ORMExecuteState.invoke_statement` here runs the rest.
    event.listen(factory, "do_orm_execute", _on_execute, insert=True)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_commit", _after_commit)
    event.listen(factory, "after_rollback", _after_rollback)


__all__ = [
    "Journal",
    "RowChange",
    "Step",
    "install",
    "join",
    "key_of",
    "read_keys",
    "tables",
    "touching",
]
