"""The integrity check's rules for what a meeting records on the day: every attendance row keeps
the agency its membership represented (the figures read it), and declarations and guests point
only at items of their own meeting. Each finding is a sentence for the user. No Qt here."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased, selectinload

from lscb_desktop.models import (
    AgendaItem,
    Attendance,
    Declaration,
    Guest,
    Membership,
    guest_item,
)
from lscb_desktop.store import Database


def _short(value: object, limit: int = 40) -> str:
    words = " ".join(str(value or "").split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


def attendance_without_agency(database: Database) -> list[str]:
    """Attendance rows with no agency although the membership on the day had one: the figures
    would leave that meeting out of the agency's rate."""
    problems = []
    with database.session() as session:
        query = (
            select(Attendance)
            .where(Attendance.agency_id.is_(None))
            .options(selectinload(Attendance.meeting), selectinload(Attendance.person))
        )
        records = [r for r in session.scalars(query) if r.meeting is not None and r.person]
        if not records:
            return []
        people = {record.person_id for record in records}
        spells: dict[tuple[int, int], list[Membership]] = {}
        memberships = session.scalars(
            select(Membership)
            .where(Membership.person_id.in_(people), Membership.agency_id.is_not(None))
            .options(selectinload(Membership.agency))
        )
        for membership in memberships:
            spells.setdefault((membership.group_id, membership.person_id), []).append(membership)
        for record in sorted(records, key=lambda r: (r.meeting.starts_at, r.person.name)):
            day = record.meeting.starts_at.date()
            held = [
                m
                for m in spells.get((record.meeting.group_id, record.person_id), [])
                if m.is_current(day)
            ]
            if held and held[0].agency is not None:
                problems.append(
                    f"attendance for {record.person.name} at meeting {record.meeting_id} "
                    f"({day:%d/%m/%Y}) has no agency, but their membership then represented "
                    f"{held[0].agency.name}: the figures leave the meeting out of its rate"
                )
    return problems


def declarations_on_other_meetings(database: Database) -> list[str]:
    """Declarations of interest whose agenda item is another meeting's."""
    item = aliased(AgendaItem)
    with database.session() as session:
        rows = session.execute(
            select(Declaration, item.meeting_id, item.title)
            .join(item, item.id == Declaration.agenda_item_id)
            .where(item.meeting_id != Declaration.meeting_id)
            .options(selectinload(Declaration.person))
            .order_by(Declaration.id)
        ).all()
        return [
            f"declaration of interest {declaration.id} ({declaration.person.name}) is for "
            f"meeting {declaration.meeting_id} but points at an agenda item of meeting "
            f"{item_meeting} (“{_short(title)}”)"
            for declaration, item_meeting, title in rows
        ]


def guests_on_other_meetings(database: Database) -> list[str]:
    """Guests in attendance for an agenda item of another meeting."""
    with database.session() as session:
        rows = session.execute(
            select(Guest.id, Guest.name, Guest.meeting_id, AgendaItem.meeting_id, AgendaItem.title)
            .join(guest_item, guest_item.c.guest_id == Guest.id)
            .join(AgendaItem, AgendaItem.id == guest_item.c.agenda_item_id)
            .where(AgendaItem.meeting_id != Guest.meeting_id)
            .order_by(Guest.id, AgendaItem.id)
        ).all()
        return [
            f"guest {guest_id} ({_short(name)}) of meeting {meeting_id} is in attendance for an "
            f"agenda item of meeting {item_meeting} (“{_short(title)}”)"
            for guest_id, name, meeting_id, item_meeting, title in rows
        ]
