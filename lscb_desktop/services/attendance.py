"""Who is expected at a meeting, what happened, and whether it was quorate; recording it.

Each attendance row keeps what was true on the day: the agency and seat the member represented
(from their membership of the group on the meeting's date), so a later move to another agency
leaves past meetings and figures as they were. Attendance confirmed with the minutes is locked:
a change after that asks first (:class:`NeedsConfirmation`) and is logged against the meeting.
The year's figures are in :mod:`lscb_desktop.services.attendance_figures`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lscb_desktop.models import (
    Agency,
    Attendance,
    AttendanceStatus,
    Group,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    Role,
)
from lscb_desktop.services.agenda import agenda_rows
from lscb_desktop.services.declarations import DeclarationRow, declaration_rows
from lscb_desktop.services.quorum import Quorum, QuorumRule, quorum_of, role_counts
from lscb_desktop.services.settings import read_settings
from lscb_desktop.store import Database

NOT_A_MEMBER = "Not a member then"


@dataclass(frozen=True)
class AttendeeRow:
    person_id: int
    name: str
    sort_name: str
    #: The agency represented at this meeting (as recorded, or the membership's on the day).
    agency_id: int | None
    agency: str
    role: str
    #: What the group's table calls the seat ("Designated Nurse").
    seat: str
    #: A member of the group on the day (else recorded though not a member then).
    expected: bool
    #: Whether they (or their substitute) make the meeting more quorate: role and agency count.
    counts: bool
    status: AttendanceStatus | None
    substitute_id: int | None
    #: Who attended for them: a person on file or a typed name.
    substitute: str
    #: The agency of the substitute on file ("" when typed or the same as the member's).
    substitute_agency: str
    designated_substitute_id: int | None
    designated_substitute: str
    reason: str
    notes: str
    arrived_at: dt.time | None
    left_at: dt.time | None

    @property
    def represents_agency(self) -> bool:
        return self.status in (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE)

    @property
    def timing(self) -> str:
        """ "Arrived 10:20", "Left 11:05", both, or ""."""
        parts = []
        if self.arrived_at is not None:
            parts.append(f"arrived {self.arrived_at:%H:%M}")
        if self.left_at is not None:
            parts.append(f"left {self.left_at:%H:%M}")
        return ", ".join(parts).capitalize()


@dataclass(frozen=True)
class GuestRow:
    id: int
    name: str
    organisation: str
    #: The guest's version as listed: a removal names it (see :func:`remove_guest`).
    version: int
    job_title: str = ""
    #: The items they attended for: (item id, number, title); none for the whole meeting.
    items: tuple[tuple[int, int, str], ...] = ()

    @property
    def attending_for(self) -> str:
        """ "Items 4 and 5", "Item 4", or "Whole meeting"."""
        if not self.items:
            return "Whole meeting"
        numbers = [str(number) for _, number, _ in self.items]
        word = "Item" if len(numbers) == 1 else "Items"
        return (
            f"{word} {', '.join(numbers[:-1]) + ' and ' if len(numbers) > 1 else ''}{numbers[-1]}"
        )


@dataclass(frozen=True)
class MeetingSheet:
    """A meeting's attendance as the Attendance tab shows it."""

    meeting_id: int
    group_id: int
    group: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    status: MeetingStatus
    rule: QuorumRule
    attendees: list[AttendeeRow]
    guests: list[GuestRow]
    declarations: list[DeclarationRow]
    confirmed_on: dt.date | None
    confirmed_by: str

    @property
    def quorum_rule(self) -> int | None:
        return self.rule.agencies

    @property
    def quorum(self) -> Quorum:
        return quorum_of(self.attendees, self.rule)

    @property
    def expected(self) -> int:
        return sum(1 for row in self.attendees if row.expected)

    @property
    def recorded(self) -> int:
        return sum(1 for row in self.attendees if row.expected and row.status is not None)

    @property
    def complete(self) -> bool:
        return self.recorded == self.expected

    @property
    def confirm_problem(self) -> str | None:
        """Why the attendance cannot be confirmed with the minutes yet, or None."""
        if self.status is not MeetingStatus.HELD:
            return (
                f"This meeting is {self.status.label.lower()}: only a meeting that was held has "
                "attendance to confirm (mark it held on the Meetings tab)."
            )
        if not self.complete:
            return (
                f"{self.recorded_text}: record everyone on the list (P, A, S or X) before "
                "confirming the attendance with the minutes."
            )
        return None

    @property
    def recorded_text(self) -> str:
        """ "12 of 27 recorded"."""
        return f"{self.recorded} of {self.expected} recorded"


def quorum_rule_of(group: Group) -> QuorumRule:
    return QuorumRule(group.quorum_agencies, tuple((a.id, a.name) for a in group.quorum_partners))


def meeting_sheet(database: Database, meeting_id: int) -> MeetingSheet:
    """The group's members on the meeting's date (and anyone else recorded), with what happened."""
    with database.session() as session:
        lay_count = read_settings(session).lay_members_count_for_quorum
        meeting = session.get_one(Meeting, meeting_id)
        day = meeting.starts_at.date()
        memberships = session.scalars(
            select(Membership)
            .where(Membership.group_id == meeting.group_id, Membership.start_date <= day)
            .where((Membership.end_date.is_(None)) | (Membership.end_date >= day))
            .options(
                selectinload(Membership.person),
                selectinload(Membership.agency),
                selectinload(Membership.substitute),
            )
        ).all()
        records = {
            a.person_id: a
            for a in session.scalars(
                select(Attendance)
                .where(Attendance.meeting_id == meeting_id)
                .options(
                    selectinload(Attendance.person).selectinload(Person.agency),
                    selectinload(Attendance.agency),
                    selectinload(Attendance.substitute).selectinload(Person.agency),
                )
            )
        }
        seats: dict[int, tuple[Person, Membership | None]] = {
            m.person_id: (m.person, m) for m in memberships
        }
        for person_id, recorded in records.items():
            seats.setdefault(person_id, (recorded.person, None))
        rows = [
            _attendee(person, membership, records.get(person.id), lay_count)
            for person, membership in seats.values()
        ]
        rows.sort(key=lambda r: r.sort_name.casefold())
        guests = [
            GuestRow(
                g.id,
                g.name,
                g.organisation,
                g.version,
                g.job_title,
                tuple((i.id, i.position, i.title) for i in g.items),
            )
            for g in sorted(meeting.guests, key=lambda g: g.name.casefold())
        ]
        group: Group = meeting.group
        return MeetingSheet(
            meeting_id=meeting.id,
            group_id=group.id,
            group=group.name,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            status=meeting.status,
            rule=quorum_rule_of(group),
            attendees=rows,
            guests=guests,
            declarations=declaration_rows(session, meeting_id=meeting_id),
            confirmed_on=meeting.attendance_confirmed_on,
            confirmed_by=meeting.attendance_confirmed_by,
        )


def _attendee(
    person: Person, membership: Membership | None, record: Attendance | None, lay_count: bool
) -> AttendeeRow:
    agency: Agency | None
    if record is not None and (record.agency_id is not None or record.role is not None):
        agency = record.agency
    elif membership is not None:
        agency = membership.agency
    else:
        agency = person.agency
    role: Role | None = membership.role if membership is not None else None
    if record is not None and record.role is not None:
        role = record.role
    substitute = ""
    substitute_agency = ""
    if record is not None:
        if record.substitute is not None:
            substitute = record.substitute.display_name
            other = record.substitute.agency
            if other is not None and (agency is None or other.id != agency.id):
                substitute_agency = other.name
        else:
            substitute = record.substitute_name
    designated = membership.substitute if membership else None
    seat = record.seat if record is not None and record.seat else ""
    if not seat and membership is not None:
        seat = membership.position
    return AttendeeRow(
        person_id=person.id,
        name=person.display_name,
        sort_name=person.name,
        agency_id=agency.id if agency else None,
        agency=agency.name if agency else "",
        role=role.label if membership is not None and role else NOT_A_MEMBER,
        seat=seat,
        expected=membership is not None,
        counts=role_counts(role, lay_count) and agency is not None and agency.counts_for_quorum,
        status=record.status if record else None,
        substitute_id=record.substitute_id if record else None,
        substitute=substitute,
        substitute_agency=substitute_agency,
        designated_substitute_id=designated.id if designated else None,
        designated_substitute=designated.display_name if designated else "",
        reason=record.reason if record else "",
        notes=record.notes if record else "",
        arrived_at=record.arrived_at if record else None,
        left_at=record.left_at if record else None,
    )


@dataclass(frozen=True)
class ItemQuorum:
    """Whether the meeting was quorate for one agenda item: those who declared an interest and
    took no part, and those not in the room when it began, are left out."""

    item_id: int
    number: int
    title: str
    starts_at: dt.datetime
    quorum: Quorum
    #: Who declared an interest in it (or the whole meeting) and took no part, by name.
    left_out: tuple[str, ...]


def item_quorums(
    database: Database, meeting_id: int, sheet: MeetingSheet | None = None
) -> list[ItemQuorum]:
    """The quorum item by item, at each item's running start time."""
    sheet = sheet or meeting_sheet(database, meeting_id)
    result = []
    for item in agenda_rows(database, meeting_id):
        declared = [
            d for d in sheet.declarations if d.action.excludes and d.item_id in (None, item.id)
        ]
        left_out = frozenset(d.person_id for d in declared)
        quorum = quorum_of(sheet.attendees, sheet.rule, at=item.starts_at.time(), left_out=left_out)
        names = tuple(sorted({d.name for d in declared}, key=str.casefold))
        result.append(ItemQuorum(item.id, item.number, item.title, item.starts_at, quorum, names))
    return result
