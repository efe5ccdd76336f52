"""How the History names things: kinds of record, field labels, values in words, the names of
records, and what is withheld because it could identify a child. No Qt here."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Enum as SAEnum
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.sqltypes import Boolean, Date, DateTime, Time

from lscb_desktop.models import (
    CHECKLIST,
    Action,
    Agency,
    AgendaItem,
    Attendance,
    Audit,
    Base,
    CaseReview,
    Declaration,
    Document,
    Group,
    Guest,
    Meeting,
    Membership,
    PackIssue,
    PackIssuePaper,
    Person,
)
from lscb_desktop.services.anonymity import CHECKED_TEXT, reference_problem, text_problem
from lscb_desktop.services.settings import Settings

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
    ("declaration", "declaration", "Declaration of interest"),
    ("action", "action", "Action"),
    ("audit", "audit", "Audit"),
    ("case-review", "case_review", "Case review"),
    ("paper", "document", "Paper"),
    ("pack", "pack_issue", "Issued version"),
    ("pack-paper", "pack_issue_paper", "Paper issued"),
    ("setting", "setting", "Setting"),
)
KINDS: dict[str, str] = {word: table for word, table, _ in _KIND_TABLE}
KIND_WORDS: dict[str, str] = {table: words for _, table, words in _KIND_TABLE}
OPERATION_WORDS = {"insert": "created", "update": "changed", "delete": "deleted"}
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
    "counts_for_quorum": "Counts towards quorum",
    "quorum_partners": "Partners the quorum requires",
    "seat": "Seat",
    "arrived_at": "Arrived at",
    "left_at": "Left at",
    "attendance_confirmed_on": "Attendance confirmed with the minutes on",
    "attendance_confirmed_by": "Attendance confirmed by",
    "changed_after_confirmation": "Attendance changed after confirmation",
    "interest": "Interest declared",
    **dict(CHECKLIST),
}
#: Per table, where a column's meaning differs from the generic label.
_TABLE_LABELS: dict[tuple[str, str], str] = {
    ("membership", "position"): "Seat",
    ("agenda_item", "position"): "Order",
    ("membership", "agency_id"): "Agency represented",
    ("attendance", "agency_id"): "Agency represented on the day",
    ("attendance", "role"): "Role on the day",
    ("attendance", "seat"): "Seat on the day",
    ("attendance", "reason"): "Reason for apologies",
    ("guest", "items"): "In attendance for items",
    ("declaration", "person_id"): "Declared by",
    ("declaration", "agenda_item_id"): "Item",
    ("declaration", "action"): "What they did",
    ("pack_issue", "sequence"): "Version",
    ("pack_issue", "supplement"): "Supplement (0: the whole pack)",
    ("pack_issue", "pages"): "Pages",
    ("pack_issue_paper", "issue_id"): "Issued in",
    ("pack_issue_paper", "first_page"): "First page",
}
#: The field that names a record of each table, for records the log alone still describes.
NAME_FIELDS = {
    "person": "name",
    "agency": "name",
    "board_group": "name",
    "agenda_item": "title",
    "guest": "name",
    "action": "description",
    "audit": "title",
    "case_review": "reference",
    "document": "filename",
    "pack_issue_paper": "filename",
}


def humanise(name: str) -> str:
    words = name.replace("_", " ")
    return words[:1].upper() + words[1:]


def field_label(table: str, field: str) -> str:
    if table == "setting" and field == "value":
        return "Value"
    label = _TABLE_LABELS.get((table, field)) or _LABELS.get(field)
    if label is not None:
        return label
    return humanise(field.removesuffix("_id"))


def summarise(text: str) -> str:
    """Text on one line, long text by its start and its length."""
    flat = " / ".join(line.strip() for line in text.splitlines() if line.strip())
    if len(flat) > LONGEST_SHOWN:
        return f"{flat[: LONGEST_SHOWN - 40].rstrip()}… ({len(text):,} characters)"
    return flat


def short_name(name: str, longest: int = 60) -> str:
    flat = " ".join(name.split())
    return flat if len(flat) <= longest else flat[: longest - 1].rstrip() + "…"


_MODELS: dict[str, type[Base]] = {
    str(mapper.class_.__tablename__): mapper.class_ for mapper in Base.registry.mappers
}


def load_changes(text: str) -> dict[str, list[Any]]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {
        str(k): list(v) for k, v in value.items() if isinstance(v, list | tuple) and len(v) == 2
    }


def column_of(table: str, field: str) -> Any:
    table_obj = Base.metadata.tables.get(table)
    if table_obj is None or field not in table_obj.c:
        return None
    return table_obj.c[field]


def target_table(table: str, field: str) -> str | None:
    """The table a foreign-key column (or a many-to-many list) points at."""
    column = column_of(table, field)
    if column is not None:
        keys = list(column.foreign_keys)
        return str(keys[0].column.table.name) if keys else None
    model = _MODELS.get(table)
    if model is not None:
        relationship = model.__mapper__.relationships.get(field)
        if relationship is not None and relationship.secondary is not None:
            return str(relationship.mapper.class_.__tablename__)
    return None


def typed_text(kind: Any, value: Any) -> str:
    if isinstance(kind, Boolean):
        return "Yes" if value else "No"
    if isinstance(kind, DateTime) and isinstance(value, str):
        try:
            return f"{dt.datetime.fromisoformat(value):%d/%m/%Y %H:%M}"
        except ValueError:
            pass
    if isinstance(kind, Time) and isinstance(value, str):
        try:
            return f"{dt.time.fromisoformat(value):%H:%M}"
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


def current_names(session: Session, table: str, ids: Iterable[int]) -> dict[str, str]:
    """The names of the records of ``table`` that are still on file."""
    ids = list(ids)
    found: dict[str, str] = {}
    for start in range(0, len(ids), 500):  # SQLite's limit on parameters
        chunk = ids[start : start + 500]
        for ident, name in _names_query(session, table, chunk):
            found[str(ident)] = short_name(name)
    return found


def _names_query(session: Session, table: str, ids: list[int]) -> list[tuple[int, str]]:
    special = _SPECIAL_NAMES.get(table)
    if special is not None:
        return special(session, ids)
    simple: dict[str, Any] = {
        "agency": (Agency.id, Agency.name),
        "board_group": (Group.id, Group.name),
        "agenda_item": (AgendaItem.id, AgendaItem.title),
        "guest": (Guest.id, Guest.name),
        "action": (Action.id, Action.description),
        "audit": (Audit.id, Audit.title),
        "case_review": (CaseReview.id, CaseReview.reference),
        "document": (Document.id, Document.filename),
        "pack_issue_paper": (PackIssuePaper.id, PackIssuePaper.filename),
    }
    if table not in simple:
        return []
    key, name = simple[table]
    return [(i, str(n)) for i, n in session.execute(select(key, name).where(key.in_(ids)))]


def _person_names(session: Session, ids: list[int]) -> list[tuple[int, str]]:
    people = session.execute(select(Person.id, Person.title, Person.name).where(Person.id.in_(ids)))
    return [(i, f"{title} {name}".strip()) for i, title, name in people]


def _membership_names(session: Session, ids: list[int]) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Membership.id, Person.name, Group.name)
        .join(Person, Person.id == Membership.person_id)
        .join(Group, Group.id == Membership.group_id)
        .where(Membership.id.in_(ids))
    )
    return [(i, f"{person}, {group}") for i, person, group in rows]


def _meeting_names(session: Session, ids: list[int]) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Meeting.id, Group.name, Meeting.starts_at)
        .join(Group, Group.id == Meeting.group_id)
        .where(Meeting.id.in_(ids))
    )
    return [(i, f"{group}, {at:%d/%m/%Y %H:%M}") for i, group, at in rows]


def _attendance_names(session: Session, ids: list[int]) -> list[tuple[int, str]]:
    attendance = session.execute(
        select(Attendance.id, Person.name, Group.name, Meeting.starts_at)
        .join(Person, Person.id == Attendance.person_id)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Group, Group.id == Meeting.group_id)
        .where(Attendance.id.in_(ids))
    )
    return [(i, f"{p} at {g}, {at:%d/%m/%Y}") for i, p, g, at in attendance]


def _declaration_names(session: Session, ids: list[int]) -> list[tuple[int, str]]:
    """ "Mary Emson at Strategic Board, 12/06/2025, on “Neglect strategy”" (or "on the whole
    meeting")."""
    rows = session.execute(
        select(Declaration.id, Person.name, Group.name, Meeting.starts_at, AgendaItem.title)
        .join(Person, Person.id == Declaration.person_id)
        .join(Meeting, Meeting.id == Declaration.meeting_id)
        .join(Group, Group.id == Meeting.group_id)
        .outerjoin(AgendaItem, AgendaItem.id == Declaration.agenda_item_id)
        .where(Declaration.id.in_(ids))
    )
    return [
        (i, f"{p} at {g}, {at:%d/%m/%Y}, on " + (f"“{title}”" if title else "the whole meeting"))
        for i, p, g, at, title in rows
    ]


def _issue_names(session: Session, ids: list[int]) -> list[tuple[int, str]]:
    """ "Strategic Board, 09/12/2026: Supplement 1" (or ": the pack")."""
    rows = session.execute(
        select(PackIssue.id, Group.name, Meeting.starts_at, PackIssue.supplement)
        .join(Meeting, Meeting.id == PackIssue.meeting_id)
        .join(Group, Group.id == Meeting.group_id)
        .where(PackIssue.id.in_(ids))
    )
    return [
        (i, f"{g}, {at:%d/%m/%Y}: " + (f"Supplement {n}" if n else "the pack"))
        for i, g, at, n in rows
    ]


#: Tables whose records are named by a query of their own: a name from several tables.
_SPECIAL_NAMES: dict[str, Callable[[Session, list[int]], list[tuple[int, str]]]] = {
    "person": _person_names,
    "membership": _membership_names,
    "meeting": _meeting_names,
    "attendance": _attendance_names,
    "declaration": _declaration_names,
    "pack_issue": _issue_names,
}


#: Shown instead of a case review's value (old or new) that today's rules would refuse: a value
#: saved by an older version, or corrected since, stays in the log as it was.
WITHHELD = "(withheld: it could identify a child)"


def is_withheld(table: str, field: str, value: Any, settings: Settings) -> bool:
    """Whether a logged value of a case review could identify a child by today's rules."""
    if table != "case_review" or not isinstance(value, str) or not value.strip():
        return False
    if field == "reference":
        return reference_problem(value, settings) is not None
    return field in CHECKED_TEXT and text_problem(value) is not None


def case_review_name(reference: str, settings: Settings) -> str:
    """A case review's reference as a name, or WITHHELD when it could identify a child."""
    return WITHHELD if is_withheld("case_review", "reference", reference, settings) else reference
