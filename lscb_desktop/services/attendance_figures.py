"""The year's attendance figures, as the annual report gives them.

The arithmetic (also in the user guide):

- a member's rate = meetings the member attended in person ÷ meetings of that group held while
  they were a member (for the agency they represented then: a member who moved agency has a
  line for each);
- an agency's rate = meetings at which the agency was represented, by a member or a substitute,
  ÷ meetings held at which it had a member;
- the agency of each attendee is the one recorded with their attendance (what was true on the
  day), so a later move to another agency changes no past figure;
- agencies and roles that do not count towards a quorum (the business unit; advisers, the
  business manager and administrators; lay members unless the settings say so) are left out of
  the agencies' rates, though each member's own rate is shown;
- cancelled (and still planned) meetings count for neither; a substitute counts for the agency,
  not for the member; apologies are shown but are not attendance; a member with nothing
  recorded counts as not attended, and the figures list such meetings;
- with ``confirmed_only``, only meetings whose attendance is confirmed with the minutes count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lscb_desktop import clock
from lscb_desktop.models import (
    Agency,
    Attendance,
    AttendanceStatus,
    Group,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
)
from lscb_desktop.reports.attendance_data import (
    ALL_GROUPS,
    AgencyRate,
    Figures,
    GridLine,
    GroupGrid,
    IncompleteMeeting,
    MemberRate,
)
from lscb_desktop.services.periods import Period
from lscb_desktop.services.quorum import role_counts
from lscb_desktop.services.settings import read_settings
from lscb_desktop.store import Database

CODES = {
    AttendanceStatus.PRESENT: "P",
    AttendanceStatus.APOLOGIES: "A",
    AttendanceStatus.SUBSTITUTE: "S",
    AttendanceStatus.ABSENT: "X",
}
NOT_RECORDED = "–"
NO_MEMBER = "No member during the period"


@dataclass(frozen=True)
class _Cell:
    """One expected member at one held meeting, as it was on the day."""

    person: Person
    agency: Agency | None
    status: AttendanceStatus | None
    #: Whether the agency and the role count towards a quorum (and so for the agency's rate).
    counts: bool


@dataclass(frozen=True)
class _Held:
    meeting: Meeting
    cells: list[_Cell]

    @property
    def recorded(self) -> int:
        return sum(1 for cell in self.cells if cell.status is not None)


def _window(period: Period) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(period.start, dt.time()),
        dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time()),
    )


def _held(
    session: Session, period: Period, group_ids: Iterable[int] | None, confirmed_only: bool
) -> tuple[list[_Held], int, list[Membership]]:
    """The meetings counted with their expected members; how many held meetings are not
    confirmed; and the memberships that overlap the period."""
    lay_count = read_settings(session).lay_members_count_for_quorum
    start, end = _window(period)
    query = (
        select(Meeting)
        .where(Meeting.status == MeetingStatus.HELD)
        .where(Meeting.starts_at >= start, Meeting.starts_at < end)
        .options(
            selectinload(Meeting.attendance).selectinload(Attendance.agency),
            selectinload(Meeting.group),
        )
        .order_by(Meeting.starts_at)
    )
    if group_ids is not None:
        query = query.where(Meeting.group_id.in_(list(group_ids)))
    meetings = session.scalars(query).all()
    unconfirmed = sum(1 for m in meetings if m.attendance_confirmed_on is None)
    if confirmed_only:
        meetings = [m for m in meetings if m.attendance_confirmed_on is not None]
    memberships = session.scalars(
        select(Membership)
        .where(Membership.group_id.in_({m.group_id for m in meetings}))
        .where(Membership.start_date <= period.end)
        .where((Membership.end_date.is_(None)) | (Membership.end_date >= period.start))
        .options(selectinload(Membership.person), selectinload(Membership.agency))
    ).all()
    by_group: dict[int, list[Membership]] = defaultdict(list)
    for membership in memberships:
        by_group[membership.group_id].append(membership)
    held = []
    for meeting in meetings:
        day = meeting.starts_at.date()
        records = {a.person_id: a for a in meeting.attendance}
        cells = []
        for membership in by_group[meeting.group_id]:
            if not membership.is_current(day):
                continue
            record = records.get(membership.person_id)
            agency, role = membership.agency, membership.role
            if record is not None and (record.agency_id is not None or record.role is not None):
                agency = record.agency
                role = record.role or role
            counts = (
                role_counts(role, lay_count) and agency is not None and agency.counts_for_quorum
            )
            status = record.status if record is not None else None
            cells.append(_Cell(membership.person, agency, status, counts))
        held.append(_Held(meeting, cells))
    return held, unconfirmed, list(memberships)


def _member_rates(held: list[_Held], group_label: str | None) -> list[MemberRate]:
    """A line per member and agency, per group (``group_label`` None) or across groups."""
    counts: dict[tuple[int, object, int | None], list[int]] = {}
    info: dict[tuple[int, object, int | None], tuple[Person, Agency | None, str]] = {}
    for each in held:
        group = group_label or each.meeting.group.name
        for cell in each.cells:
            agency_id = cell.agency.id if cell.agency else None
            key: tuple[int, object, int | None] = (cell.person.id, group, agency_id)
            tally = counts.setdefault(key, [0, 0, 0, 0, 0, 0])
            info[key] = (cell.person, cell.agency, group)
            tally[0] += 1
            tally[1] += cell.status is AttendanceStatus.PRESENT
            tally[2] += cell.status is AttendanceStatus.APOLOGIES
            tally[3] += cell.status is AttendanceStatus.SUBSTITUTE
            tally[4] += cell.status is AttendanceStatus.ABSENT
            tally[5] += cell.status is None
    rows = []
    for key, (meetings, attended, apologies, substitutes, absent, unrecorded) in counts.items():
        person, agency, group = info[key]
        rows.append(
            MemberRate(
                person_id=person.id,
                name=person.display_name,
                sort_name=person.name,
                agency=agency.name if agency else "",
                group=group,
                meetings=meetings,
                attended=attended,
                apologies=apologies,
                substitutes=substitutes,
                agency_id=agency.id if agency else None,
                absent=absent,
                unrecorded=unrecorded,
            )
        )
    return sorted(rows, key=lambda r: (r.group, r.sort_name.casefold(), r.agency.casefold()))


def _agency_rates(held: list[_Held], group_label: str | None) -> list[AgencyRate]:
    """A line per agency that counts towards quorum, per group or across groups."""
    counts: dict[tuple[int, str], list[int]] = {}
    names: dict[int, str] = {}
    for each in held:
        group = group_label or each.meeting.group.name
        with_member: set[int] = set()
        represented: set[int] = set()
        for cell in each.cells:
            if not cell.counts or cell.agency is None:
                continue
            names[cell.agency.id] = cell.agency.name
            with_member.add(cell.agency.id)
            if cell.status in (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE):
                represented.add(cell.agency.id)
        for agency_id in with_member:
            tally = counts.setdefault((agency_id, group), [0, 0])
            tally[0] += 1
            tally[1] += agency_id in represented
    return [
        AgencyRate(agency_id, names[agency_id], group, meetings, represented)
        for (agency_id, group), (meetings, represented) in counts.items()
    ]


def _absent_agencies(
    session: Session,
    rates: list[AgencyRate],
    group_ids: set[int],
    group_label: str | None,
    held: list[_Held],
    period: Period,
) -> list[AgencyRate]:
    """Rows for agencies that sit on a group now but had no member at its meetings in the period
    (a member appointed after them), so that an agency is not simply missing from the table.

    A seat is judged by the agency it represented at the end of the period: a seat continued for
    another agency since (a move: ended one day, continued the next) is followed back, so a move
    changes nothing in a past period's figures. Someone on the list of one of the period's
    meetings is in the figures already and adds no row."""
    if not group_ids:
        return []
    today = clock.today()
    lay_count = read_settings(session).lay_members_count_for_quorum
    current = session.scalars(
        select(Membership.person_id).where(
            Membership.group_id.in_(group_ids), Membership.listed_on(today)
        )
    ).all()
    spells: dict[tuple[int, int], list[Membership]] = defaultdict(list)
    for membership in session.scalars(
        select(Membership)
        .where(Membership.group_id.in_(group_ids), Membership.person_id.in_(set(current)))
        .order_by(Membership.start_date)
        .options(selectinload(Membership.agency), selectinload(Membership.group))
    ):
        spells[(membership.person_id, membership.group_id)].append(membership)
    listed = {(c.person.id, each.meeting.group_id) for each in held for c in each.cells}
    shown = {(r.agency_id, r.group) for r in rates}
    extra: dict[tuple[int, str], AgencyRate] = {}
    for key, chain in spells.items():
        if key in listed or (chain[-1].end_date is not None and chain[-1].end_date <= today):
            continue
        seat = _seat_at_end(chain, period.end)
        agency = seat.agency
        if agency is None or not agency.counts_for_quorum or not role_counts(seat.role, lay_count):
            continue
        group = group_label or seat.group.name
        if (agency.id, group) not in shown:
            extra[(agency.id, group)] = AgencyRate(agency.id, agency.name, group, 0, 0, NO_MEMBER)
    return list(extra.values())


def _seat_at_end(chain: list[Membership], end: dt.date) -> Membership:
    """Of a person's spells in a group (by start), the current one followed back through the
    spells it continues (each begun the day after the one before ended) to the one that held the
    seat on ``end``, or the first of them when the seat began after it."""
    seat = chain[-1]
    for earlier in reversed(chain[:-1]):
        if seat.start_date <= end:
            break
        if earlier.end_date != seat.start_date - dt.timedelta(days=1):
            break
        seat = earlier
    return seat


def _sorted(rates: list[AgencyRate]) -> list[AgencyRate]:
    return sorted(rates, key=lambda r: (r.group, r.agency.casefold()))


def _incomplete(held: list[_Held]) -> list[IncompleteMeeting]:
    return [
        IncompleteMeeting(
            each.meeting.id,
            each.meeting.group.name,
            each.meeting.starts_at,
            each.recorded,
            len(each.cells),
        )
        for each in held
        if each.recorded < len(each.cells)
    ]


def attendance_figures(
    database: Database,
    period: Period,
    group_id: int | None = None,
    *,
    confirmed_only: bool = False,
) -> Figures:
    """Each member's and each agency's attendance over the meetings held in ``period``, per
    group and across the groups (one group, or all)."""
    with database.session() as session:
        held, unconfirmed, _ = _held(
            session, period, None if group_id is None else [group_id], confirmed_only
        )
        label = session.get_one(Group, group_id).name if group_id is not None else ALL_GROUPS
        groups = {group_id} if group_id is not None else _groups_held(session, period)
        agencies = _agency_rates(held, None)
        agencies += _absent_agencies(session, agencies, groups, None, held, period)
        totals = _agency_rates(held, label)
        totals += _absent_agencies(session, totals, groups, label, held, period)
        return Figures(
            period=period,
            group=label,
            held=len(held),
            members=_member_rates(held, None),
            agencies=_sorted(agencies),
            member_totals=_member_rates(held, label),
            agency_totals=_sorted(totals),
            incomplete=_incomplete(held),
            unconfirmed=unconfirmed,
            confirmed_only=confirmed_only,
        )


def incomplete_meetings(
    database: Database, since: dt.date, until: dt.date
) -> list[IncompleteMeeting]:
    """The meetings held from ``since`` to ``until`` whose attendance is not recorded for
    everyone on their list, newest first (the Home tab's "attendance still to record")."""
    with database.session() as session:
        held, _, _ = _held(session, Period(since, until), None, False)
        return sorted(_incomplete(held), key=lambda m: m.starts_at, reverse=True)


def _groups_held(session: Session, period: Period) -> set[int]:
    start, end = _window(period)
    return set(
        session.scalars(
            select(Meeting.group_id)
            .where(Meeting.status == MeetingStatus.HELD)
            .where(Meeting.starts_at >= start, Meeting.starts_at < end)
            .distinct()
        )
    )


# -- the grid behind the annual workbook ------------------------------------------------------


def attendance_grids(
    database: Database,
    period: Period,
    group_ids: list[int] | None = None,
    *,
    confirmed_only: bool = False,
) -> list[GroupGrid]:
    """For each group with meetings counted in ``period``: members down (a line per agency they
    represented), meetings across, a code per cell, and the same rates as
    :func:`attendance_figures` gives for that group."""
    with database.session() as session:
        held, _, _ = _held(session, period, group_ids, confirmed_only)
        by_group: dict[int, list[_Held]] = defaultdict(list)
        for each in held:
            by_group[each.meeting.group_id].append(each)
        groups = sorted(
            (meetings[0].meeting.group for meetings in by_group.values()),
            key=lambda g: g.name.casefold(),
        )
        grids = []
        for group in groups:
            meetings = by_group[group.id]
            rates = {(r.person_id, r.agency_id): r for r in _member_rates(meetings, None)}
            codes = [
                {
                    (c.person.id, c.agency.id if c.agency else None): (
                        CODES[c.status] if c.status else NOT_RECORDED
                    )
                    for c in each.cells
                }
                for each in meetings
            ]
            lines = [
                GridLine(rate.name, rate.sort_name, rate.agency, [m.get(key) for m in codes], rate)
                for key, rate in rates.items()
            ]
            lines.sort(key=lambda line: (line.sort_name.casefold(), line.agency.casefold()))
            agencies = _agency_rates(meetings, None)
            agencies += _absent_agencies(session, agencies, {group.id}, None, meetings, period)
            grids.append(
                GroupGrid(
                    group.id,
                    group.name,
                    group.short_name or group.name,
                    [each.meeting.starts_at for each in meetings],
                    lines,
                    _sorted(agencies),
                    [each.meeting.attendance_confirmed_on is not None for each in meetings],
                    _incomplete(meetings),
                )
            )
        return grids
