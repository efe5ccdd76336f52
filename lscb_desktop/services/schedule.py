"""Planning a year of meetings from a group's frequency, off weekends and bank holidays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from lscb_desktop import clock
from lscb_desktop.models import Frequency, Group, Meeting, MeetingKind, MeetingStatus
from lscb_desktop.services.periods import Period
from lscb_desktop.services.settings import read_settings
from lscb_desktop.services.validation import Collector, InvalidInput
from lscb_desktop.services.workdays import is_bank_holiday, next_working_day
from lscb_desktop.store import Database

#: How far apart meetings of each frequency fall.
STEPS: dict[Frequency, relativedelta] = {
    Frequency.MONTHLY: relativedelta(months=1),
    Frequency.SIX_WEEKLY: relativedelta(weeks=6),
    Frequency.EIGHT_WEEKLY: relativedelta(weeks=8),
    Frequency.QUARTERLY: relativedelta(months=3),
    Frequency.TERMLY: relativedelta(months=4),
    Frequency.ANNUALLY: relativedelta(years=1),
}


@dataclass(frozen=True)
class ProposedMeeting:
    starts_at: dt.datetime
    #: The date the rule gave, when the meeting was moved off a weekend or bank holiday.
    moved_from: dt.date | None = None

    @property
    def reason(self) -> str:
        if self.moved_from is None:
            return ""
        why = "a bank holiday" if is_bank_holiday(self.moved_from) else "a weekend"
        return f"moved from {self.moved_from:%d/%m/%Y} ({why})"


def _working(day: dt.date, at: dt.time) -> ProposedMeeting:
    moved = next_working_day(day)
    return ProposedMeeting(dt.datetime.combine(moved, at), None if moved == day else day)


def propose_meetings(
    period: Period,
    first: dt.datetime,
    frequency: Frequency | None = None,
    dates: Sequence[dt.date] = (),
) -> list[ProposedMeeting]:
    """The meetings of ``period`` from ``first`` at the given frequency, or on the given dates.

    Each date that falls on a Saturday, Sunday or England and Wales bank holiday moves to the next
    working day; the rule keeps counting from the dates it gave, so one move does not shift the
    rest of the year.
    """
    at = first.time()
    if dates:
        return [_working(day, at) for day in sorted(set(dates)) if day in period]
    if frequency is None or frequency not in STEPS:
        raise ValueError("choose a regular frequency (monthly, six-weekly, ...) or give the dates")
    proposals = []
    step = 0
    while True:
        day = first.date() + STEPS[frequency] * step
        if day > period.end:
            break
        if day >= period.start:
            proposal = _working(day, at)
            if proposal.starts_at.date() in period:
                proposals.append(proposal)
        step += 1
    return proposals


#: Meetings of the same group closer than this are taken for the same meeting planned twice;
#: for a group meeting less often, closer than half the time between its meetings.
NEAR = dt.timedelta(days=7)


def near_enough(frequency: Frequency | None) -> dt.timedelta:
    """How close a proposed date may come to the group's meeting before it is the same one."""
    step = STEPS.get(frequency) if frequency is not None else None
    if step is None:
        return NEAR
    base = dt.date(2001, 1, 1)
    later: dt.date = base + step
    return max(NEAR, (later - base) // 2)


@dataclass(frozen=True)
class PlannedDate:
    """A proposed meeting, and the group's meeting already on file within a week of it."""

    proposal: ProposedMeeting
    near: dt.datetime | None = None

    @property
    def starts_at(self) -> dt.datetime:
        return self.proposal.starts_at

    @property
    def note(self) -> str:
        if self.near is not None:
            return f"{near_words(self.near, self.starts_at)} (not added unless ticked)"
        return self.proposal.reason


@dataclass(frozen=True)
class YearPlan:
    dates: list[PlannedDate]
    #: Dates the rule gave on or before today, left out.
    past: int = 0

    @property
    def clashing(self) -> int:
        return sum(1 for d in self.dates if d.near is not None)

    def in_words(self) -> str:
        """ "4 meetings proposed; 1 moved off a weekend or bank holiday; ..." for the dialog."""
        moved = sum(1 for d in self.dates if d.proposal.moved_from and d.near is None)
        proposed = len(self.dates) - self.clashing
        parts = [f"{proposed} meeting{'' if proposed == 1 else 's'} proposed"]
        if moved:
            parts.append(f"{moved} moved off a weekend or bank holiday")
        if self.clashing:
            parts.append(f"{self.clashing} left unticked: the group already meets near them")
        if self.past:
            parts.append(f"{self.past} on or before today left out")
        return "; ".join(parts) + ". Change any date before saving."


def group_meetings(database: Database, group_id: int) -> list[dt.datetime]:
    """When the group meets, as on file (cancelled meetings left out), earliest first."""
    with database.session() as session:
        return sorted(
            session.scalars(
                select(Meeting.starts_at).where(
                    Meeting.group_id == group_id, Meeting.status != MeetingStatus.CANCELLED
                )
            )
        )


def near_meeting(
    existing: Sequence[dt.datetime], start: dt.datetime, within: dt.timedelta = NEAR
) -> dt.datetime | None:
    """The group's meeting on file closer to ``start`` than ``within`` (the closest), or None."""
    close = [m for m in existing if abs(m.date() - start.date()) < within]
    return min(close, key=lambda m: abs(m - start), default=None)


def near_words(near: dt.datetime, start: dt.datetime) -> str:
    """ "already meets that day: Thu 04/02/2027 09:30", or "... 4 days before: ..."."""
    days = (start.date() - near.date()).days
    if days == 0:
        when = "that day"
    else:
        when = (
            f"{abs(days)} day{'' if abs(days) == 1 else 's'} {'earlier' if days > 0 else 'later'}"
        )
    return f"the group already meets {when}: {near:%a %d/%m/%Y %H:%M}"


def plan_year(
    database: Database,
    group_id: int,
    period: Period,
    first: dt.datetime,
    frequency: Frequency | None,
    today: dt.date | None = None,
) -> YearPlan:
    """The meetings to add to ``period``: only dates after today, each marked when the group
    already has a meeting within a week of it."""
    today = today or clock.today()
    proposals = propose_meetings(period, first, frequency)
    existing = group_meetings(database, group_id)
    ahead = [p for p in proposals if p.starts_at.date() > today]
    within = near_enough(frequency)
    return YearPlan(
        [PlannedDate(p, near_meeting(existing, p.starts_at, within)) for p in ahead],
        past=len(proposals) - len(ahead),
    )


def _next_by_rule(
    existing: Sequence[dt.datetime],
    period: Period,
    step: relativedelta,
    today: dt.date,
    at: dt.time,
) -> dt.datetime:
    """The first date the rule gives for ``period`` after today: counted on from the group's
    last meeting up to the period's end, or the period's first working day."""
    start = dt.datetime.combine(next_working_day(max(period.start, today + dt.timedelta(1))), at)
    before = [m for m in existing if m.date() <= period.end]
    if before:
        following = before[-1] + step
        while following.date() <= today:
            following += step
        start = max(start, following)
    return start


def plan_defaults(
    database: Database,
    group_id: int,
    periods: Sequence[Period],
    frequency: Frequency | None,
    today: dt.date | None = None,
) -> tuple[Period, dt.datetime]:
    """The period whose meetings are still to plan, and its first meeting.

    That is the earliest of ``periods`` in which the rule, counted on from the group's last
    meeting (or from the period's start), gives a date after today that the group does not
    already have; its first such date is the first meeting, at the time the group last met.
    When every period is planned, the last, from the rule's next date (which is after it, so
    nothing is proposed twice).
    """
    today = today or clock.today()
    existing = group_meetings(database, group_id)
    at = existing[-1].time() if existing else dt.time(10)
    ordered = sorted(periods, key=lambda p: p.start)
    if not ordered:
        raise ValueError("no period to plan")
    step = STEPS.get(frequency) if frequency is not None else None
    if step is None:  # as required: the dates are the user's to give
        first = ordered[0]
        tomorrow = today + dt.timedelta(days=1)
        return first, dt.datetime.combine(next_working_day(max(first.start, tomorrow)), at)
    for period in ordered:
        start = _next_by_rule(existing, period, step, today, at)
        if start.date() > period.end:
            continue
        plan = plan_year(database, group_id, period, start, frequency, today)
        if any(d.near is None for d in plan.dates):
            return period, start
    return ordered[-1], _next_by_rule(existing, ordered[-1], step, today, at)


def create_meetings(
    database: Database,
    group_id: int,
    starts: Sequence[dt.datetime],
    minutes: int = 120,
    venue: str | None = None,
    today: dt.date | None = None,
) -> tuple[int, int]:
    """Adds planned ordinary meetings; those the group already has at that time are skipped.

    Returns (added, skipped). ``venue`` None takes the default venue from the settings. A start
    on or before today, or outside the settings' earliest year to 2100, raises InvalidInput
    ("starts_at"), adding none: a plan is of meetings to come.
    """
    if minutes <= 0:
        raise InvalidInput({"minutes": "A meeting must last at least a minute."})
    today = today or clock.today()
    with database.session() as session:
        settings = read_settings(session)
        problems = Collector()
        for start in sorted(set(starts)):
            problems.check_date("starts_at", start, settings.earliest_year)
            # A meeting starting late on 31/12/2100 would end in 2101.
            end = start + dt.timedelta(minutes=minutes)
            problems.check_date("starts_at", end, settings.earliest_year)
        problems.raise_if_any()
        past = [start for start in sorted(set(starts)) if start.date() <= today]
        if past:
            raise InvalidInput(
                {
                    "starts_at": f"{past[0]:%a %d/%m/%Y} is not after today: a plan adds"
                    " meetings to come (record a past meeting with New meeting)."
                }
            )
        venue = settings.default_venue if venue is None else venue
        session.get_one(Group, group_id)  # a group deleted meanwhile fails here, adding nothing
        existing = set(
            session.scalars(select(Meeting.starts_at).where(Meeting.group_id == group_id))
        )
        added = 0
        for start in sorted(set(starts)):
            if start in existing:
                continue
            session.add(
                Meeting(
                    group_id=group_id,
                    starts_at=start,
                    ends_at=start + dt.timedelta(minutes=minutes),
                    venue=venue,
                    kind=MeetingKind.ORDINARY,
                    status=MeetingStatus.PLANNED,
                    protective_marking=settings.protective_marking,
                )
            )
            added += 1
        return added, len(set(starts)) - added
