"""Deleting a meeting, with everything that belongs to it: its agenda and the papers attached
to it, its attendance, guests, declarations of interest and actions. The window says first what
goes with it (:func:`what_goes`); the step can be undone like any other.

A meeting whose attendance has been confirmed with the minutes is not deleted: its figures are
in an annual report. Mark it cancelled, or take back the confirmation first.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from lscb_desktop.models import (
    Action,
    AgendaItem,
    Attendance,
    Declaration,
    Document,
    Guest,
    Meeting,
    PackIssue,
)
from lscb_desktop.services.concurrency import changed_since_shown
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.store import Database


@dataclass(frozen=True)
class MeetingContents:
    """What deleting a meeting takes with it."""

    name: str  # "Scrutiny and Assurance Group, 27/11/2026"
    agenda_items: int
    papers: int
    attendance: int
    guests: int
    declarations: int
    actions: int
    #: Why it may not be deleted ("" when it may).
    refusal: str = ""
    #: Versions of its pack issued (the record of what members were sent).
    issued: int = 0

    def in_words(self) -> str:
        """ "its agenda (6 items), 3 papers, 27 attendance records and 2 actions"."""
        parts = []
        if self.agenda_items:
            items = "item" if self.agenda_items == 1 else "items"
            parts.append(f"its agenda ({self.agenda_items} {items})")
        for count, one, many in (
            (self.papers, "paper", "papers"),
            (self.attendance, "attendance record", "attendance records"),
            (self.guests, "guest or officer", "guests and officers"),
            (self.declarations, "declaration of interest", "declarations of interest"),
            (self.actions, "action", "actions"),
            (self.issued, "record of a pack issued", "records of packs and supplements issued"),
        ):
            if count:
                parts.append(f"{count} {one if count == 1 else many}")
        if not parts:
            return "nothing else: it has no agenda, papers, attendance or actions"
        return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def _name(meeting: Meeting) -> str:
    return f"{meeting.group.name}, {meeting.starts_at:%d/%m/%Y}"


def _refusal(meeting: Meeting) -> str:
    if meeting.attendance_confirmed_on is None:
        return ""
    return (
        f"The attendance at {_name(meeting)} was confirmed with the minutes on "
        f"{meeting.attendance_confirmed_on:%d/%m/%Y}, so its figures may be in a report: the "
        "meeting cannot be deleted. Mark it cancelled instead, or take back the confirmation "
        "on the Attendance tab first."
    )


def _actions(session: Session, meeting: Meeting) -> list[Action]:
    items = [item.id for item in meeting.agenda_items]
    where = Action.meeting_id == meeting.id
    if items:
        where = or_(where, Action.agenda_item_id.in_(items))
    return list(session.scalars(select(Action).where(where)))


def _count(session: Session, model: type, meeting_id: int) -> int:
    column = model.meeting_id  # type: ignore[attr-defined]
    statement = select(func.count()).select_from(model).where(column == meeting_id)
    return int(session.scalar(statement) or 0)


def what_goes(database: Database, meeting_id: int) -> MeetingContents:
    with database.session() as session:
        meeting = session.get_one(Meeting, meeting_id)
        return MeetingContents(
            name=_name(meeting),
            agenda_items=len(meeting.agenda_items),
            papers=sum(1 for item in meeting.agenda_items if item.document_id is not None),
            attendance=_count(session, Attendance, meeting_id),
            guests=_count(session, Guest, meeting_id),
            declarations=_count(session, Declaration, meeting_id),
            actions=len(_actions(session, meeting)),
            refusal=_refusal(meeting),
            issued=_count(session, PackIssue, meeting_id),
        )


def delete_meeting(database: Database, meeting_id: int, *, version: int | None) -> str:
    """Deletes the meeting and all that belongs to it; returns its name. ``version`` is the one
    the list showed (None: not checked): a meeting someone else changed since raises
    ChangedSinceShown and one with confirmed attendance InvalidInput, deleting nothing."""
    with database.session() as session:
        meeting = session.get_one(Meeting, meeting_id)
        if version is not None and meeting.version != version:
            raise changed_since_shown(
                session,
                "meeting",
                meeting.id,
                f"The meeting {_name(meeting)} was changed",
                "nothing was deleted",
            )
        refusal = _refusal(meeting)
        if refusal:
            raise InvalidInput({"meeting": refusal})
        name = _name(meeting)
        for action in _actions(session, meeting):
            session.delete(action)
        papers = [item.document_id for item in meeting.agenda_items if item.document_id]
        session.flush()
        session.delete(meeting)
        session.flush()
        for document in session.scalars(select(Document).where(Document.id.in_(papers))):
            still_used = session.scalar(
                select(func.count())
                .select_from(AgendaItem)
                .where(AgendaItem.document_id == document.id)
            )
            if not still_used:
                session.delete(document)
        return name
