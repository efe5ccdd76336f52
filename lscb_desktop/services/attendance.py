"""Who is expected at a meeting, what happened, whether it was quorate, and the year's rates.

The arithmetic (also in the user guide):

- a member's rate = meetings the member attended in person ÷ meetings of that group held while
  they were a member;
- an agency's rate = meetings at which the agency was represented, by a member or a substitute,
  ÷ meetings held at which it had a member;
- cancelled (and still planned) meetings count for neither; a substitute counts for the agency,
  not for the member; apologies are shown but are not attendance.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lscb_desktop.models import (
    Attendance,
    AttendanceStatus,
    Group,
    Guest,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
)
from lscb_desktop.services.attendance_cells import Cell, fill_cells, write_cell
from lscb_desktop.services.concurrency import changed_since_shown
from lscb_desktop.services.periods import Period
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.store import Database


@dataclass(frozen=True)
class AttendeeRow:
    person_id: int
    name: str
    sort_name: str
    agency_id: int | None
    agency: str
    role: str
    status: AttendanceStatus | None
    substitute_id: int | None
    #: Who attended for them: a person on file or a typed name.
    substitute: str
    designated_substitute_id: int | None
    designated_substitute: str
    notes: str

    @property
    def represents_agency(self) -> bool:
        return self.status in (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE)


@dataclass(frozen=True)
class GuestRow:
    id: int
    name: str
    organisation: str
    #: The guest's version as listed: a removal names it (see :func:`remove_guest`).
    version: int


@dataclass(frozen=True)
class Quorum:
    represented: int
    needed: int | None

    @property
    def quorate(self) -> bool | None:
        return None if self.needed is None else self.represented >= self.needed

    @property
    def text(self) -> str:
        agencies = f"{self.represented} agenc{'y' if self.represented == 1 else 'ies'}"
        if self.needed is None:
            return f"{agencies} represented (no quorum rule)"
        verdict = "Quorate" if self.quorate else "Not quorate"
        return f"{verdict}: {agencies} (needs {self.needed})"


def quorum_of(rows: Iterable[AttendeeRow], needed: int | None) -> Quorum:
    """Agencies represented by a member present or by a substitute, against the group's rule."""
    agencies = {row.agency_id for row in rows if row.represents_agency and row.agency_id}
    return Quorum(len(agencies), needed)


@dataclass(frozen=True)
class MeetingSheet:
    """A meeting's attendance as the Attendance tab shows it."""

    meeting_id: int
    group: str
    starts_at: dt.datetime
    status: MeetingStatus
    quorum_rule: int | None
    attendees: list[AttendeeRow]
    guests: list[GuestRow]

    @property
    def quorum(self) -> Quorum:
        return quorum_of(self.attendees, self.quorum_rule)


def meeting_sheet(database: Database, meeting_id: int) -> MeetingSheet:
    """The group's members on the meeting's date (and anyone else recorded), with what happened."""
    with database.session() as session:
        meeting = session.get_one(Meeting, meeting_id)
        day = meeting.starts_at.date()
        memberships = session.scalars(
            select(Membership)
            .where(Membership.group_id == meeting.group_id, Membership.start_date <= day)
            .where((Membership.end_date.is_(None)) | (Membership.end_date >= day))
            .options(
                selectinload(Membership.person).selectinload(Person.agency),
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
                    selectinload(Attendance.substitute),
                )
            )
        }
        people: dict[int, tuple[Person, str, Membership | None]] = {
            m.person_id: (m.person, m.role.label, m) for m in memberships
        }
        for person_id, recorded in records.items():
            people.setdefault(person_id, (recorded.person, "Not a member then", None))
        rows = []
        for person_id, (person, role, membership) in people.items():
            record = records.get(person_id)
            substitute = ""
            if record is not None:
                substitute = (
                    record.substitute.display_name if record.substitute else record.substitute_name
                )
            designated = membership.substitute if membership else None
            rows.append(
                AttendeeRow(
                    person_id=person_id,
                    name=person.display_name,
                    sort_name=person.name,
                    agency_id=person.agency_id,
                    agency=person.agency.name if person.agency else "",
                    role=role,
                    status=record.status if record else None,
                    substitute_id=record.substitute_id if record else None,
                    substitute=substitute,
                    designated_substitute_id=designated.id if designated else None,
                    designated_substitute=designated.display_name if designated else "",
                    notes=record.notes if record else "",
                )
            )
        rows.sort(key=lambda r: r.sort_name.casefold())
        guests = [
            GuestRow(g.id, g.name, g.organisation, g.version)
            for g in sorted(meeting.guests, key=lambda g: g.name.casefold())
        ]
        return MeetingSheet(
            meeting_id=meeting.id,
            group=meeting.group.name,
            starts_at=meeting.starts_at,
            status=meeting.status,
            quorum_rule=meeting.group.quorum_agencies,
            attendees=rows,
            guests=guests,
        )


def record_attendance(
    database: Database,
    meeting_id: int,
    person_id: int,
    status: AttendanceStatus | None,
    *,
    substitute_id: int | None = None,
    substitute_name: str = "",
) -> None:
    """Records what happened for one expected attendee (None clears it).

    A substitute is a person on file or a typed name; other statuses clear the substitute. Two
    people recording the same cell at once never meet an error: the later one's choice stands
    (see :mod:`lscb_desktop.services.attendance_cells`).
    """
    if status is AttendanceStatus.SUBSTITUTE and substitute_id == person_id:
        raise InvalidInput({"substitute": "A member cannot substitute for themselves."})
    cell = None
    if status is AttendanceStatus.SUBSTITUTE:
        name = "" if substitute_id else substitute_name.strip()
        cell = Cell(status, substitute_id, name)
    elif status is not None:
        cell = Cell(status)
    with database.session() as session:
        write_cell(session, meeting_id, person_id, cell)


def mark_all_present(database: Database, meeting_id: int) -> int:
    """Marks everyone expected and not yet recorded as present; returns how many. A cell that
    someone else records meanwhile keeps what they recorded."""
    sheet = meeting_sheet(database, meeting_id)
    missing = [row.person_id for row in sheet.attendees if row.status is None]
    with database.session() as session:
        return fill_cells(session, meeting_id, missing, AttendanceStatus.PRESENT)


def add_guest(database: Database, meeting_id: int, name: str, organisation: str = "") -> int:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput({"guest": "Enter the guest's name."})
    with database.session() as session:
        guest = Guest(meeting_id=meeting_id, name=name, organisation=organisation.strip())
        session.add(guest)
        session.flush()
        return guest.id


def remove_guest(database: Database, guest_id: int, *, version: int | None) -> None:
    """Removes a guest; ``version`` is the one the list showed (None: no list, not checked): a
    guest someone else changed since raises ChangedSinceShown, removing nothing."""
    with database.session() as session:
        guest = session.get_one(Guest, guest_id)
        if version is not None and guest.version != version:
            what = f"The guest “{guest.name}” was changed"
            raise changed_since_shown(session, "guest", guest.id, what, "nothing was removed")
        session.delete(guest)


# -- the year's figures -----------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRate:
    person_id: int
    name: str
    sort_name: str
    agency: str
    group: str
    meetings: int
    attended: int
    apologies: int
    substitutes: int

    @property
    def rate(self) -> float | None:
        return self.attended / self.meetings if self.meetings else None


@dataclass(frozen=True)
class AgencyRate:
    agency_id: int
    agency: str
    group: str
    meetings: int
    represented: int

    @property
    def rate(self) -> float | None:
        return self.represented / self.meetings if self.meetings else None


@dataclass(frozen=True)
class Figures:
    period: Period
    group: str
    held: int
    members: list[MemberRate]
    agencies: list[AgencyRate]


ALL_GROUPS = "All groups"


def attendance_figures(database: Database, period: Period, group_id: int | None = None) -> Figures:
    """Each member's and each agency's rate over the meetings held in ``period``.

    For one group, an agency's row counts that group's meetings; for all groups, it counts every
    held meeting of every group at which the agency had a member.
    """
    start = dt.datetime.combine(period.start, dt.time())
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time())
    query = (
        select(Meeting)
        .where(Meeting.status == MeetingStatus.HELD)
        .where(Meeting.starts_at >= start, Meeting.starts_at < end)
        .options(selectinload(Meeting.attendance), selectinload(Meeting.group))
        .order_by(Meeting.starts_at)
    )
    if group_id is not None:
        query = query.where(Meeting.group_id == group_id)
    with database.session() as session:
        meetings = session.scalars(query).all()
        group_ids = {m.group_id for m in meetings}
        # Only the memberships that overlap the period: the rest cannot count.
        memberships = session.scalars(
            select(Membership)
            .where(Membership.group_id.in_(group_ids))
            .where(Membership.start_date <= period.end)
            .where((Membership.end_date.is_(None)) | (Membership.end_date >= period.start))
            .options(selectinload(Membership.person).selectinload(Person.agency))
        ).all()
        by_group: dict[int, list[Membership]] = defaultdict(list)
        for membership in memberships:
            by_group[membership.group_id].append(membership)

        member_counts: dict[tuple[int, int], list[int]] = {}
        member_info: dict[tuple[int, int], tuple[Person, str]] = {}
        agency_counts: dict[tuple[int, str], list[int]] = {}
        agency_names: dict[int, str] = {}
        for meeting in meetings:
            day = meeting.starts_at.date()
            records = {a.person_id: a for a in meeting.attendance}
            agencies_with_member: set[int] = set()
            agencies_represented: set[int] = set()
            for membership in by_group[meeting.group_id]:
                if not membership.is_current(day):
                    continue
                person = membership.person
                key = (person.id, meeting.group_id)
                counts = member_counts.setdefault(key, [0, 0, 0, 0])
                member_info[key] = (person, meeting.group.name)
                record = records.get(person.id)
                status = record.status if record else None
                counts[0] += 1
                counts[1] += status is AttendanceStatus.PRESENT
                counts[2] += status is AttendanceStatus.APOLOGIES
                counts[3] += status is AttendanceStatus.SUBSTITUTE
                if person.agency_id is not None:
                    agency_names[person.agency_id] = person.agency.name if person.agency else ""
                    agencies_with_member.add(person.agency_id)
                    if status in (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE):
                        agencies_represented.add(person.agency_id)
            group_label = meeting.group.name if group_id is not None else ALL_GROUPS
            for agency_id in agencies_with_member:
                counts = agency_counts.setdefault((agency_id, group_label), [0, 0])
                counts[0] += 1
                counts[1] += agency_id in agencies_represented

        members = sorted(
            (
                MemberRate(
                    person_id=person.id,
                    name=person.display_name,
                    sort_name=person.name,
                    agency=person.agency.name if person.agency else "",
                    group=group_name,
                    meetings=c[0],
                    attended=c[1],
                    apologies=c[2],
                    substitutes=c[3],
                )
                for key, c in member_counts.items()
                for person, group_name in [member_info[key]]
            ),
            key=lambda r: (r.group, r.sort_name.casefold()),
        )
        agencies = sorted(
            (
                AgencyRate(agency_id, agency_names[agency_id], group_label, c[0], c[1])
                for (agency_id, group_label), c in agency_counts.items()
            ),
            key=lambda r: (r.group, r.agency.casefold()),
        )
        label = session.get_one(Group, group_id).name if group_id is not None else ALL_GROUPS
        return Figures(period, label, len(meetings), members, agencies)


# -- the grid behind the annual workbook ------------------------------------------------------

CODES = {
    AttendanceStatus.PRESENT: "P",
    AttendanceStatus.APOLOGIES: "A",
    AttendanceStatus.SUBSTITUTE: "S",
    AttendanceStatus.ABSENT: "X",
}


@dataclass(frozen=True)
class GridLine:
    name: str
    sort_name: str
    agency: str
    #: One code per meeting: P, A, S, X; "–" for a member with nothing recorded (not
    #: attendance); None when they were not a member on that date.
    cells: list[str | None]
    rate: MemberRate


@dataclass(frozen=True)
class GroupGrid:
    group_id: int
    group: str
    short_name: str
    meetings: list[dt.datetime]
    lines: list[GridLine]
    agencies: list[AgencyRate]


def attendance_grids(
    database: Database, period: Period, group_ids: list[int] | None = None
) -> list[GroupGrid]:
    """For each group with meetings held in ``period``: members down, meetings across, a code
    per cell, and the same rates :func:`attendance_figures` gives for that group."""
    start = dt.datetime.combine(period.start, dt.time())
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time())
    with database.session() as session:
        query = (
            select(Meeting.group_id)
            .where(Meeting.status == MeetingStatus.HELD)
            .where(Meeting.starts_at >= start, Meeting.starts_at < end)
            .distinct()
        )
        held_groups = set(session.scalars(query))
        groups = session.scalars(select(Group).where(Group.id.in_(held_groups))).all()
        wanted = sorted(
            (g for g in groups if group_ids is None or g.id in group_ids),
            key=lambda g: g.name.casefold(),
        )
        names = {g.id: (g.name, g.short_name or g.name) for g in wanted}
    grids = []
    for group_id, (name, short) in names.items():
        figures = attendance_figures(database, period, group_id)
        rates = {(r.person_id): r for r in figures.members}
        with database.session() as session:
            meetings = session.scalars(
                select(Meeting)
                .where(Meeting.group_id == group_id, Meeting.status == MeetingStatus.HELD)
                .where(Meeting.starts_at >= start, Meeting.starts_at < end)
                .options(selectinload(Meeting.attendance))
                .order_by(Meeting.starts_at)
            ).all()
            memberships = session.scalars(
                select(Membership)
                .where(Membership.group_id == group_id, Membership.person_id.in_(rates))
                .where(Membership.start_date <= period.end)
                .where((Membership.end_date.is_(None)) | (Membership.end_date >= period.start))
            ).all()
            spells: dict[int, list[Membership]] = defaultdict(list)
            for membership in memberships:
                spells[membership.person_id].append(membership)
            lines = []
            for person_id, rate in rates.items():
                cells: list[str | None] = []
                for meeting in meetings:
                    day = meeting.starts_at.date()
                    if not any(m.is_current(day) for m in spells[person_id]):
                        cells.append(None)
                        continue
                    record = next((a for a in meeting.attendance if a.person_id == person_id), None)
                    cells.append(CODES[record.status] if record else "–")
                lines.append(GridLine(rate.name, rate.sort_name, rate.agency, cells, rate))
            lines.sort(key=lambda line: line.sort_name.casefold())
            grids.append(
                GroupGrid(
                    group_id, name, short, [m.starts_at for m in meetings], lines, figures.agencies
                )
            )
    return grids
