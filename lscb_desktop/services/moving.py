"""A person who moves to another agency: their memberships that run on past the move are ended
the day before and continued from it for the new agency, so every meeting before the move stays
with the agency they represented then (and every figure with it). No Qt here."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from lscb_desktop.models import CHECKLIST, Attendance, Meeting, Membership, Person

#: A membership's own fields that its continuation keeps.
_KEPT = ("role", "position", "substitute_id", "notes", *(column for column, _ in CHECKLIST))


def move_memberships(
    session: Session,
    person: Person,
    old_agency_id: int | None,
    new_agency_id: int | None,
    on: dt.date,
) -> list[Membership]:
    """Continues the person's memberships for ``new_agency_id`` from ``on``; returns the
    memberships begun. A membership that starts on or after ``on`` just changes agency, and
    attendance already recorded at meetings from ``on`` follows the move."""
    if old_agency_id == new_agency_id:
        return []
    begun = []
    memberships = session.scalars(select(Membership).where(Membership.person_id == person.id)).all()
    for membership in memberships:
        if membership.agency_id != old_agency_id:
            continue  # a seat held for another agency on purpose
        if membership.end_date is not None and membership.end_date < on:
            continue  # over before the move
        if membership.start_date >= on:
            membership.agency_id = new_agency_id
        else:
            follow = Membership(
                person_id=person.id,
                group_id=membership.group_id,
                agency_id=new_agency_id,
                start_date=on,
                end_date=membership.end_date,
                **{key: getattr(membership, key) for key in _KEPT},
            )
            membership.end_date = on - dt.timedelta(days=1)
            session.add(follow)
            begun.append(follow)
        _follow_recorded(session, person.id, membership.group_id, old_agency_id, new_agency_id, on)
    return begun


def _follow_recorded(
    session: Session,
    person_id: int,
    group_id: int,
    old_agency_id: int | None,
    new_agency_id: int | None,
    on: dt.date,
) -> None:
    """Attendance recorded at the group's meetings from ``on`` represents the new agency; attendance
    confirmed with the minutes stays as confirmed."""
    query = (
        select(Attendance)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.person_id == person_id, Meeting.group_id == group_id)
        .where(Meeting.starts_at >= dt.datetime.combine(on, dt.time()))
        .where(Meeting.attendance_confirmed_on.is_(None))
    )
    for record in session.scalars(query):
        if record.agency_id == old_agency_id:
            record.agency_id = new_agency_id
