"""Putting a step back (undo) and making it again (redo), exactly: the same ids, links and
papers. A step is put back only when every row it changed is still as the step left it; when
someone else has changed one since, nothing is put back and :class:`CannotUndo` says what.

Undoing is itself a change: it is written to the change log like any other (so the history
shows who undid what, and when), raises each record's version (so a form opened before the
undo cannot save over it), and is seen by the other users' windows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, and_, delete, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lscb_desktop.models import Base, ChangeLogEntry
from lscb_desktop.services.history_labels import humanise
from lscb_desktop.store.changelog import current_os_user
from lscb_desktop.store.changelog import loggable as _loggable
from lscb_desktop.store.database import Database
from lscb_desktop.store.journal import Row, RowChange, Step, key_columns, read_keys, tables

#: The version column every save raises; never compared and never put back.
VERSION = "version"


class CannotUndo(Exception):
    """The step cannot be put back (someone else changed what it changed); nothing was."""


def _sorted_names() -> dict[str, int]:
    """Each table's place in the schema's dependency order (a table after those it names)."""
    return {table.name: index for index, table in enumerate(Base.metadata.sorted_tables)}


def _same(one: Row | None, other: Row | None) -> bool:
    if one is None or other is None:
        return one is other
    keys = (set(one) | set(other)) - {VERSION}
    return all(one.get(key) == other.get(key) for key in keys)


def name_row(table: str, row: Row | None) -> str:
    """A row in words: "meeting 27/11/2026", "agenda item “Budget”", "attendance"."""
    kind = humanise(table).lower()
    if row is None:
        return kind
    for name in ("name", "title", "reference", "filename", "label"):
        value = row.get(name)
        if isinstance(value, str) and value.strip():
            text = " ".join(value.split())
            return f"{kind} “{text[:50]}{'…' if len(text) > 50 else ''}”"
    for name in ("starts_at", "due_on", "start_date", "end_date"):
        value = row.get(name)
        if isinstance(value, dt.date):
            return f"{kind} {value:%d/%m/%Y}"
    return kind


def label_for(step: Step) -> str:
    """What a step did, when the window did not say: its first record in the schema's order
    (the meeting rather than its agenda items), and whether it was added, deleted or changed."""
    if step.label:
        return step.label
    if not step.changes:
        return "change"
    order = _sorted_names()
    main = min(step.changes, key=lambda c: (order.get(c.table, 0), c.before is not None))
    verb = "add" if main.before is None else "delete" if main.after is None else "change"
    return f"{verb} {name_row(main.table, main.after or main.before)}"


def _check(session: Session, changes: Iterable[RowChange]) -> dict[tuple[str, Any], Row | None]:
    """Each row as it is now; CannotUndo when one is not as the step left it."""
    by_table: dict[str, list[RowChange]] = {}
    for change in changes:
        by_table.setdefault(change.table, []).append(change)
    connection = session.connection()
    now: dict[tuple[str, Any], Row | None] = {}
    for name, group in by_table.items():
        found = read_keys(connection, tables()[name], [c.key for c in group])
        for change in group:
            current = found.get(change.key)
            if not _same(current, change.after):
                what = name_row(name, change.after or change.before or current)
                verb = (
                    "added"
                    if change.after is None
                    else ("deleted" if current is None else "changed")
                )
                raise CannotUndo(
                    f"The {what} was {verb} by someone else since, so this cannot be undone "
                    "or redone. Nothing was changed."
                )
            now[(name, change.key)] = current
    return now


def _where(table: Table, key: tuple[Any, ...]) -> Any:
    return and_(*(column == value for column, value in zip(key_columns(table), key, strict=True)))


def _log(session: Session, entries: list[tuple[str, RowChange, Row | None, Row | None]]) -> None:
    when = dt.datetime.now().replace(microsecond=0)
    user = current_os_user()
    rows = []
    for operation, change, old, new in entries:
        fields: dict[str, list[Any]] = {}
        for key in sorted(set(old or {}) | set(new or {})):
            if key == VERSION:
                continue
            before = None if old is None else old.get(key)
            after = None if new is None else new.get(key)
            if before != after or operation != "update":
                if operation != "update" and (before if new is None else after) in (None, ""):
                    continue
                fields[key] = [_loggable(before), _loggable(after)]
        rows.append(
            {
                "at": when,
                "os_user": user,
                "operation": operation,
                "table_name": change.table,
                "record_id": ",".join(str(part) for part in change.key),
                "changes": json.dumps(fields, ensure_ascii=False, default=str),
            }
        )
    if rows:
        session.execute(insert(ChangeLogEntry), rows)


def _apply(session: Session, changes: tuple[RowChange, ...]) -> tuple[RowChange, ...]:
    """Makes every row of ``changes`` as its ``after`` says (each one's ``before`` being what
    is there now); returns what was done, for doing it the other way."""
    order = _sorted_names()
    _check(session, (RowChange(c.table, c.key, c.after, c.before) for c in changes))
    adds = sorted((c for c in changes if c.before is None), key=lambda c: order[c.table])
    removes = sorted((c for c in changes if c.after is None), key=lambda c: -order[c.table])
    edits = [c for c in changes if c.before is not None and c.after is not None]
    logged: list[tuple[str, RowChange, Row | None, Row | None]] = []
    for change in adds:
        assert change.after is not None
        session.execute(insert(tables()[change.table]), [change.after])
        logged.append(("insert", change, None, change.after))
    for change in edits:
        assert change.before is not None and change.after is not None
        table = tables()[change.table]
        values = {k: v for k, v in change.after.items() if k != VERSION}
        if VERSION in table.c:
            values[VERSION] = int(change.before.get(VERSION) or 0) + 1
        session.execute(update(table).where(_where(table, change.key)).values(values))
        logged.append(("update", change, change.before, change.after))
    for change in removes:
        table = tables()[change.table]
        session.execute(delete(table).where(_where(table, change.key)))
        logged.append(("delete", change, change.before, None))
    _log(session, logged)
    connection = session.connection()
    done = []
    for change in changes:
        now = read_keys(connection, tables()[change.table], [change.key]).get(change.key)
        done.append(RowChange(change.table, change.key, change.before, now))
    return tuple(done)


def _put(database: Database, step: Step, changes: tuple[RowChange, ...]) -> Step:
    if not step.undoable:
        raise CannotUndo(f"“{label_for(step)}” was made in a way that cannot be undone.")
    try:
        with database.journal.paused(), database.session() as session:
            done = _apply(session, changes)
    except IntegrityError as exc:
        raise CannotUndo(
            f"“{label_for(step)}” cannot be undone: a record added since by someone else is in the "
            "way (the same name, or a meeting of the same group at the same time). Nothing "
            "was changed."
        ) from exc
    return Step(label_for(step), done, step.undoable)


def undo(database: Database, step: Step) -> Step:
    """Puts ``step`` back; returns the step that redoes it."""
    back = tuple(RowChange(c.table, c.key, c.after, c.before) for c in reversed(step.changes))
    return _put(database, step, back)


def redo(database: Database, step: Step) -> Step:
    """Makes again a step :func:`undo` put back (``step`` is what undo returned); returns the
    step to undo it once more."""
    again = tuple(RowChange(c.table, c.key, c.after, c.before) for c in reversed(step.changes))
    return _put(database, step, again)


def still_as_left(database: Database, step: Step) -> bool:
    """Whether every row of ``step`` is still as the step left it (so it can be put back)."""
    try:
        with database.session() as session:
            _check(session, step.changes)
    except CannotUndo:
        return False
    return True


def tables_of(step: Step) -> frozenset[str]:
    return frozenset(change.table for change in step.changes)


__all__ = ["CannotUndo", "label_for", "name_row", "redo", "still_as_left", "tables_of", "undo"]
