"""The change log in words: who changed which record when, and each field from what to what.

The store writes a change-log row for every insert, update and delete made through the ORM
(``store.changelog``); this reads those rows back for ``lscb-desktop history`` and the window's
History view, naming records and fields as the user knows them. No Qt here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Enum as SAEnum
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.sqltypes import Boolean, Date, DateTime

from lscb_desktop.models import (
    CHECKLIST,
    Action,
    Agency,
    AgendaItem,
    Attendance,
    Audit,
    Base,
    CaseReview,
    ChangeLogEntry,
    Document,
    Group,
    Guest,
    Meeting,
    Membership,
    Person,
)
from lscb_desktop.store import Database

#: Each kind of record: the word ``--record`` takes, its table, and how a sentence names it.
_KIND_TABLE = (
    ("person", "person", "Person"),
    ("agency", "agency", "Agency"),
    ("group", "board_group", "Group"),
    ("membership", "membership", "Membership"),
    ("meeting", "meeting", "Meeting"),
    ("agenda-item", "agenda_item", "Agenda item"),
    ("attendance", "attendance", "Attendance"),
    ("guest", "guest", "Guest"),
    ("action", "action", "Action"),
    ("audit", "audit", "Audit"),
    ("case-review", "case_review", "Case review"),
    ("paper", "document", "Paper"),
    ("setting", "setting", "Setting"),
)
KINDS: dict[str, str] = {word: table for word, table, _ in _KIND_TABLE}
KIND_WORDS: dict[str, str] = {table: words for _, table, words in _KIND_TABLE}
OPERATION_WORDS = {"insert": "created", "update": "changed", "delete": "deleted"}
#: How many entries are shown unless asked for more.
DEFAULT_LIMIT = 200
#: Longer values are shown by their start and their length.
LONGEST_SHOWN = 120
#: Fields that say nothing to a reader: the record's number is in its name already.
HIDDEN_FIELDS = frozenset({"id", "uuid"})

_LABELS: dict[str, str] = {
    "pa_name": "PA's name",
    "pa_email": "PA's email",
    "pa_phone": "PA's phone",
    "secure_email": "Secure email",
    "accountable_to_id": "Accountable to",
    "tor_review_date": "Terms of reference review date",
    "quorum_agencies": "Quorum (agencies)",
    "meeting_frequency": "Meeting frequency",
    "archived_on": "Archived on",
    "starts_at": "Starts",
    "ends_at": "Ends",
    "document_id": "Paper",
    "presenter_text": "Presenter (not on file)",
    "substitute_name": "Substitute (not on file)",
    "owner_text": "Owner (not on file)",
    "minutes": "Minutes allowed",
    "period_start_year": "Annual period",
    "escalated_to_sag_on": "Escalated to the Scrutiny and Assurance Group on",
    "authority_letter_on": "Letter of authority on",
    "sha256": "Checksum",
    "size": "Size (bytes)",
    "content_type": "File type",
    "filename": "File name",
    "position": "Position",
    "agencies": "Agencies",
    "value": "Value",
    **dict(CHECKLIST),
}
#: Per table, where a column's meaning differs from the generic label.
_TABLE_LABELS: dict[tuple[str, str], str] = {
    ("membership", "position"): "Seat",
    ("agenda_item", "position"): "Order",
}
#: The field that names a record of each table, for records the log alone still describes.
_NAME_FIELDS = {
    "person": "name",
    "agency": "name",
    "board_group": "name",
    "agenda_item": "title",
    "guest": "name",
    "action": "description",
    "audit": "title",
    "case_review": "reference",
    "document": "filename",
}


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
            return f"Setting “{_humanise(self.record_id)}”"
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


def _humanise(name: str) -> str:
    words = name.replace("_", " ")
    return words[:1].upper() + words[1:]


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
    ``since`` on; at most ``limit`` of them (None for all)."""
    query = select(ChangeLogEntry)
    if records:
        query = query.where(
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
    if since is not None:
        query = query.where(ChangeLogEntry.at >= dt.datetime.combine(since, dt.time.min))
    with database.session() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        query = query.order_by(ChangeLogEntry.at.desc(), ChangeLogEntry.id.desc())
        if limit is not None:
            query = query.limit(max(0, limit))
        rows = list(session.scalars(query))
        return History(_Describer(session).entries(rows), total)


def field_label(table: str, field: str) -> str:
    if table == "setting" and field == "value":
        return "Value"
    label = _TABLE_LABELS.get((table, field)) or _LABELS.get(field)
    if label is not None:
        return label
    return _humanise(field.removesuffix("_id"))


def summarise(text: str) -> str:
    """Text on one line, long text by its start and its length."""
    flat = " / ".join(line.strip() for line in text.splitlines() if line.strip())
    if len(flat) > LONGEST_SHOWN:
        return f"{flat[: LONGEST_SHOWN - 40].rstrip()}… ({len(text):,} characters)"
    return flat


def _short(name: str, longest: int = 60) -> str:
    flat = " ".join(name.split())
    return flat if len(flat) <= longest else flat[: longest - 1].rstrip() + "…"


_MODELS: dict[str, type[Base]] = {
    str(mapper.class_.__tablename__): mapper.class_ for mapper in Base.registry.mappers
}


class _Describer:
    """Turns log rows into entries, looking up the names of the records they mention."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._names: dict[str, dict[str, str]] = {}

    def entries(self, rows: Sequence[ChangeLogEntry]) -> list[HistoryEntry]:
        parsed = [(row, _load(row.changes)) for row in rows]
        wanted: dict[str, set[str]] = {}
        for row, changes in parsed:
            wanted.setdefault(row.table_name, set()).add(row.record_id)
            for field, pair in changes.items():
                target = _target_table(row.table_name, field)
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
                FieldChange(
                    field=field,
                    label=self._label(row.table_name, row.record_id, field),
                    old=self._value(row.table_name, field, pair[0]),
                    new=self._value(row.table_name, field, pair[1]),
                    old_value=pair[0],
                    new_value=pair[1],
                )
                for field, pair in changes.items()
                if field not in HIDDEN_FIELDS and (row.table_name, field) != ("setting", "key")
            ),
        )

    def describe(self, ref: RecordRef) -> str:
        name = self._names.get(ref.table, {}).get(ref.record_id)
        if name is None:
            return f"{ref.words} (no longer on file)"
        return f"{ref.words} ({name})" if name else ref.words

    def _label(self, table: str, record_id: str, field: str) -> str:
        if table == "setting":
            return _humanise(record_id)
        return field_label(table, field)

    def _value(self, table: str, field: str, value: Any) -> str:
        if value is None or value in ("", []):
            return "(blank)"
        target = _target_table(table, field)
        if target is not None:
            names = self._names.get(target, {})
            idents = value if isinstance(value, list) else [value]
            words = KIND_WORDS.get(target, target)
            return "; ".join(names.get(str(i)) or f"{words} {i}" for i in idents)
        if field == "period_start_year" and isinstance(value, int):
            return f"{value}-{(value + 1) % 100:02d}"
        column = _column(table, field)
        if column is not None:
            return _typed_text(column.type, value)
        return summarise(str(value))

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
            known.update(_current_names(self.session, table, numbers))
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
            for field, (old, new) in _load(row.changes).items():
                snapshot[field] = new if row.operation != "delete" else old
        name_field = _NAME_FIELDS.get(table)
        for ident, snapshot in snapshots.items():
            name = str(snapshot.get(name_field) or "") if name_field else ""
            if not name and table in ("membership", "attendance"):
                person = snapshot.get("person_id")
                if person is not None:
                    name = _current_names(self.session, "person", [int(person)]).get(
                        str(person), ""
                    )
            if name:
                self._names[table][ident] = f"{_short(name)}, deleted"


def _load(text: str) -> dict[str, list[Any]]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {
        str(k): list(v) for k, v in value.items() if isinstance(v, list | tuple) and len(v) == 2
    }


def _column(table: str, field: str) -> Any:
    table_obj = Base.metadata.tables.get(table)
    if table_obj is None or field not in table_obj.c:
        return None
    return table_obj.c[field]


def _target_table(table: str, field: str) -> str | None:
    """The table a foreign-key column (or a many-to-many list) points at."""
    column = _column(table, field)
    if column is not None:
        keys = list(column.foreign_keys)
        return str(keys[0].column.table.name) if keys else None
    model = _MODELS.get(table)
    if model is not None:
        relationship = model.__mapper__.relationships.get(field)
        if relationship is not None and relationship.secondary is not None:
            return str(relationship.mapper.class_.__tablename__)
    return None


def _typed_text(kind: Any, value: Any) -> str:
    if isinstance(kind, Boolean):
        return "Yes" if value else "No"
    if isinstance(kind, DateTime) and isinstance(value, str):
        try:
            return f"{dt.datetime.fromisoformat(value):%d/%m/%Y %H:%M}"
        except ValueError:
            pass
    if isinstance(kind, Date) and isinstance(value, str):
        try:
            return f"{dt.date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            pass
    if isinstance(kind, SAEnum) and kind.enum_class is not None:
        try:
            member = kind.enum_class(value)
        except ValueError:
            pass
        else:
            return str(getattr(member, "label", value))
    return summarise(str(value))


def _current_names(session: Session, table: str, ids: Iterable[int]) -> dict[str, str]:
    """The names of the records of ``table`` that are still on file."""
    ids = list(ids)
    found: dict[str, str] = {}
    for start in range(0, len(ids), 500):  # SQLite's limit on parameters
        chunk = ids[start : start + 500]
        for ident, name in _names_query(session, table, chunk):
            found[str(ident)] = _short(name)
    return found


def _names_query(session: Session, table: str, ids: list[int]) -> list[tuple[int, str]]:
    if table == "person":
        people = session.execute(
            select(Person.id, Person.title, Person.name).where(Person.id.in_(ids))
        )
        return [(i, f"{title} {name}".strip()) for i, title, name in people]
    if table == "membership":
        rows = session.execute(
            select(Membership.id, Person.name, Group.name)
            .join(Person, Person.id == Membership.person_id)
            .join(Group, Group.id == Membership.group_id)
            .where(Membership.id.in_(ids))
        )
        return [(i, f"{person}, {group}") for i, person, group in rows]
    if table == "meeting":
        rows = session.execute(
            select(Meeting.id, Group.name, Meeting.starts_at)
            .join(Group, Group.id == Meeting.group_id)
            .where(Meeting.id.in_(ids))
        )
        return [(i, f"{group}, {at:%d/%m/%Y %H:%M}") for i, group, at in rows]
    if table == "attendance":
        attendance = session.execute(
            select(Attendance.id, Person.name, Group.name, Meeting.starts_at)
            .join(Person, Person.id == Attendance.person_id)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .join(Group, Group.id == Meeting.group_id)
            .where(Attendance.id.in_(ids))
        )
        return [(i, f"{p} at {g}, {at:%d/%m/%Y}") for i, p, g, at in attendance]
    simple: dict[str, Any] = {
        "agency": (Agency.id, Agency.name),
        "board_group": (Group.id, Group.name),
        "agenda_item": (AgendaItem.id, AgendaItem.title),
        "guest": (Guest.id, Guest.name),
        "action": (Action.id, Action.description),
        "audit": (Audit.id, Audit.title),
        "case_review": (CaseReview.id, CaseReview.reference),
        "document": (Document.id, Document.filename),
    }
    if table not in simple:
        return []
    key, name = simple[table]
    return [(i, str(n)) for i, n in session.execute(select(key, name).where(key.in_(ids)))]
