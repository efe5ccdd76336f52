"""The change log in words: who changed which record when, and each field from what to what.

The store writes a change-log row for every insert, update and delete made through the ORM
(``store.changelog``); this reads those rows back for ``lscb-desktop history`` and the window's
History view, naming records and fields as the user knows them (``history_labels``), and
withholding any case-review value that today's anonymity rules would refuse. No Qt here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from lscb_desktop.models import Attendance, ChangeLogEntry
from lscb_desktop.services.history_labels import (
    HIDDEN_FIELDS,
    KIND_WORDS,
    KINDS,
    NAME_FIELDS,
    OPERATION_WORDS,
    WITHHELD,
    case_review_name,
    column_of,
    current_names,
    field_label,
    humanise,
    is_withheld,
    load_changes,
    short_name,
    summarise,
    target_table,
    typed_text,
)
from lscb_desktop.services.settings import Settings, read_settings
from lscb_desktop.store import Database

__all__ = [
    "DEFAULT_LIMIT",
    "KINDS",
    "WITHHELD",
    "FieldChange",
    "History",
    "HistoryEntry",
    "HistoryError",
    "RecordRef",
    "Subject",
    "attendance_id",
    "parse_date",
    "parse_record",
    "read_history",
    "subject",
]

#: How many entries are shown unless asked for more.
DEFAULT_LIMIT = 200


class HistoryError(ValueError):
    """A record or date the user gave that cannot be read; the message is in their words."""


@dataclass(frozen=True)
class RecordRef:
    """A record by its table and its key (a number, or a setting's name)."""

    table: str
    record_id: str

    @property
    def words(self) -> str:
        if self.table == "setting":
            return f"Setting “{humanise(self.record_id)}”"
        return f"{KIND_WORDS.get(self.table, self.table)} {self.record_id}"


@dataclass(frozen=True)
class Subject:
    """What the History view is asked to show: a title and the records it covers (a member is
    their person and their membership)."""

    title: str
    records: tuple[RecordRef, ...]


def subject(title: str, *records: tuple[str, int | str]) -> Subject:
    """``subject("Mary Emson", ("person", 12), ("membership", 5))``, by table names."""
    return Subject(title, tuple(RecordRef(table, str(ident)) for table, ident in records))


def attendance_id(database: Database, meeting_id: int, person_id: int) -> int | None:
    """The attendance row of a person at a meeting, once their attendance is recorded."""
    with database.session() as session:
        return session.scalar(
            select(Attendance.id).where(
                Attendance.meeting_id == meeting_id, Attendance.person_id == person_id
            )
        )


def parse_record(text: str) -> RecordRef:
    """``person:12``, ``case-review:3`` or ``setting:papers_deadline_days`` as a RecordRef."""
    kind, sep, ident = text.strip().partition(":")
    kind = kind.strip().casefold().replace("_", "-").replace(" ", "-")
    ident = ident.strip()
    kinds = ", ".join(KINDS)
    if not sep or not ident:
        raise HistoryError(f"“{text}”: write the record as KIND:ID, such as person:12 ({kinds})")
    table = KINDS.get(kind)
    if table is None:
        raise HistoryError(f"“{kind}” is not a kind of record; choose one of: {kinds}")
    if table != "setting" and not (ident.isascii() and ident.isdigit()):
        raise HistoryError(f"“{ident}” is not a record number; write it like {kind}:12")
    if table != "setting":
        ident = str(int(ident))
    return RecordRef(table, ident)


def parse_date(text: str) -> dt.date:
    """23/11/2026 or 2026-11-23."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise HistoryError(f"“{text}” is not a date; write it like 23/11/2026")


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    #: As shown: "23/11/2026", "Yes", "Luton Borough Council", "(blank)".
    old: str
    new: str
    #: As logged (JSON values).
    old_value: Any
    new_value: Any


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: dt.datetime
    user: str
    operation: str
    table: str
    record_id: str
    #: The record in words: "Person 12 (Mary Emson)".
    record: str
    changes: tuple[FieldChange, ...]

    @property
    def what(self) -> str:
        return OPERATION_WORDS.get(self.operation, self.operation)

    @property
    def kind(self) -> str:
        """The kind in the words ``--record`` takes ("case-review")."""
        return next((k for k, t in KINDS.items() if t == self.table), self.table)

    def as_plain(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "user": self.user,
            "operation": self.operation,
            "what": self.what,
            "kind": self.kind,
            "table": self.table,
            "record_id": self.record_id,
            "record": self.record,
            "changes": [
                {
                    "field": c.field,
                    "label": c.label,
                    "old": c.old_value,
                    "new": c.new_value,
                    "old_text": c.old,
                    "new_text": c.new,
                }
                for c in self.changes
            ],
        }


@dataclass(frozen=True)
class History:
    entries: list[HistoryEntry]
    #: How many entries matched, shown or not.
    total: int

    @property
    def left_out(self) -> int:
        return self.total - len(self.entries)


def read_history(
    database: Database,
    records: Sequence[RecordRef] = (),
    since: dt.date | None = None,
    limit: int | None = DEFAULT_LIMIT,
) -> History:
    """The newest entries first, for these records (all records when none are given), from
    ``since`` on; at most ``limit`` of them (None for all).

    Entries are ordered by their number, which follows time (``at`` has no index), and the
    matching entries are counted only when some are left out."""
    where: list[ColumnElement[bool]] = []
    if records:
        where.append(
            or_(
                *(
                    and_(
                        ChangeLogEntry.table_name == ref.table,
                        ChangeLogEntry.record_id == ref.record_id,
                    )
                    for ref in records
                )
            )
        )
    with database.session() as session:
        if since is not None:
            start = dt.datetime.combine(since, dt.time.min)
            first = _first_id_since(session, start)
            if first is None:
                return History([], 0)
            where += [ChangeLogEntry.id >= first, ChangeLogEntry.at >= start]
        query = select(ChangeLogEntry).where(*where).order_by(ChangeLogEntry.id.desc())
        if limit is not None:
            query = query.limit(max(0, limit) + 1)  # one more says whether any are left out
        rows = list(session.scalars(query))
        total = len(rows)
        if limit is not None and total > limit:
            rows = rows[: max(0, limit)]
            count = select(func.count()).select_from(ChangeLogEntry).where(*where)
            total = session.scalar(count) or 0
        return History(_Describer(session, read_settings(session)).entries(rows), total)


def _first_id_since(session: Session, start: dt.datetime) -> int | None:
    """The number of the first entry made at or after ``start``, or None when there is none.

    Entry numbers follow time, so this halves the range of numbers with look-ups by primary key
    instead of reading the (unindexed) time of every entry."""
    low, high = session.execute(
        select(func.min(ChangeLogEntry.id), func.max(ChangeLogEntry.id))
    ).one()
    found: int | None = None
    if low is None or high is None:
        return None
    while low <= high:
        middle = (low + high) // 2
        probe = session.execute(
            select(ChangeLogEntry.id, ChangeLogEntry.at)
            .where(ChangeLogEntry.id >= middle, ChangeLogEntry.id <= high)
            .order_by(ChangeLogEntry.id)
            .limit(1)
        ).first()
        if probe is None:  # no entry numbered from middle to high
            high = middle - 1
        elif probe.at >= start:
            found, high = probe.id, middle - 1
        else:
            low = probe.id + 1
    return found


class _Describer:
    """Turns log rows into entries, looking up the names of the records they mention, and
    withholding what today's rules say could identify a child."""

    def __init__(self, session: Session, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self._names: dict[str, dict[str, str]] = {}

    def entries(self, rows: Sequence[ChangeLogEntry]) -> list[HistoryEntry]:
        parsed = [(row, load_changes(row.changes)) for row in rows]
        wanted: dict[str, set[str]] = {}
        for row, changes in parsed:
            wanted.setdefault(row.table_name, set()).add(row.record_id)
            for field, pair in changes.items():
                target = target_table(row.table_name, field)
                if target is not None:
                    for value in pair:
                        for ident in value if isinstance(value, list) else [value]:
                            if ident is not None:
                                wanted.setdefault(target, set()).add(str(ident))
        for table, ids in wanted.items():
            self._look_up(table, ids)
        return [self._entry(row, changes) for row, changes in parsed]

    def _entry(self, row: ChangeLogEntry, changes: dict[str, list[Any]]) -> HistoryEntry:
        ref = RecordRef(row.table_name, row.record_id)
        return HistoryEntry(
            id=row.id,
            at=row.at,
            user=row.os_user,
            operation=row.operation,
            table=row.table_name,
            record_id=row.record_id,
            record=self.describe(ref),
            changes=tuple(
                self._change(row, field, pair)
                for field, pair in changes.items()
                if field not in HIDDEN_FIELDS and (row.table_name, field) != ("setting", "key")
            ),
        )

    def _change(self, row: ChangeLogEntry, field: str, pair: list[Any]) -> FieldChange:
        """One field from what to what; a value that could identify a child is withheld, both as
        shown and as logged (``--json``)."""
        table = row.table_name
        logged: list[Any] = []
        shown: list[str] = []
        for value in pair:
            if is_withheld(table, field, value, self.settings):
                logged.append(WITHHELD)
                shown.append(WITHHELD)
            else:
                logged.append(value)
                shown.append(self._value(table, field, value))
        return FieldChange(
            field=field,
            label=self._label(table, row.record_id, field),
            old=shown[0],
            new=shown[1],
            old_value=logged[0],
            new_value=logged[1],
        )

    def describe(self, ref: RecordRef) -> str:
        name = self._names.get(ref.table, {}).get(ref.record_id)
        if name is None:
            return f"{ref.words} (no longer on file)"
        if name.startswith(WITHHELD):
            return f"{ref.words} {name}"
        return f"{ref.words} ({name})" if name else ref.words

    def _label(self, table: str, record_id: str, field: str) -> str:
        if table == "setting":
            return humanise(record_id)
        return field_label(table, field)

    def _value(self, table: str, field: str, value: Any) -> str:
        if value is None or value in ("", []):
            return "(blank)"
        target = target_table(table, field)
        if target is not None:
            names = self._names.get(target, {})
            idents = value if isinstance(value, list) else [value]
            words = KIND_WORDS.get(target, target)
            return "; ".join(self._named(words, str(i), names.get(str(i))) for i in idents)
        if field == "period_start_year" and isinstance(value, int):
            return f"{value}-{(value + 1) % 100:02d}"
        column = column_of(table, field)
        if column is not None:
            return typed_text(column.type, value)
        return summarise(str(value))

    @staticmethod
    def _named(words: str, ident: str, name: str | None) -> str:
        if not name:
            return f"{words} {ident}"
        return f"{words} {ident} {name}" if name.startswith(WITHHELD) else name

    # -- names of records ----------------------------------------------------------------------

    def _look_up(self, table: str, ids: set[str]) -> None:
        known = self._names.setdefault(table, {})
        missing = {i for i in ids if i not in known}
        if not missing:
            return
        if table == "setting":
            # A setting is always "there" (a default stands in for a missing row).
            known.update(dict.fromkeys(missing, ""))
            return
        numbers = [int(i) for i in missing if i.isdigit()]
        if numbers:
            found = current_names(self.session, table, numbers)
            if table == "case_review":  # a reference saved before today's rules may be a name
                found = {i: case_review_name(name, self.settings) for i, name in found.items()}
            known.update(found)
        gone = {i for i in missing if i not in known}
        if gone:
            self._names_from_log(table, gone)

    def _names_from_log(self, table: str, ids: set[str]) -> None:
        """Names of records no longer on file, from what the log kept of them."""
        snapshots: dict[str, dict[str, Any]] = {}
        query = (
            select(ChangeLogEntry)
            .where(ChangeLogEntry.table_name == table, ChangeLogEntry.record_id.in_(ids))
            .order_by(ChangeLogEntry.id)
        )
        for row in self.session.scalars(query):
            snapshot = snapshots.setdefault(row.record_id, {})
            for field, (old, new) in load_changes(row.changes).items():
                snapshot[field] = new if row.operation != "delete" else old
        name_field = NAME_FIELDS.get(table)
        for ident, snapshot in snapshots.items():
            name = str(snapshot.get(name_field) or "") if name_field else ""
            if not name and table in ("membership", "attendance", "declaration"):
                person = snapshot.get("person_id")
                if person is not None:
                    name = current_names(self.session, "person", [int(person)]).get(str(person), "")
            if table == "case_review" and name:
                name = case_review_name(name, self.settings)
            if name.startswith(WITHHELD):
                self._names[table][ident] = f"{name}, deleted"
            elif name:
                self._names[table][ident] = f"{short_name(name)}, deleted"
