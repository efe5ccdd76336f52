"""Planning a year of meetings from a group's frequency, off weekends and bank holidays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

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


def create_meetings(
    database: Database,
    group_id: int,
    starts: Sequence[dt.datetime],
    minutes: int = 120,
    venue: str | None = None,
) -> tuple[int, int]:
    """Adds planned ordinary meetings; those the group already has at that time are skipped.

    Returns (added, skipped). ``venue`` None takes the default venue from the settings. A start
    outside the settings' earliest year to 2100 raises InvalidInput ("starts_at"), adding none.
    """
    if minutes <= 0:
        raise InvalidInput({"minutes": "A meeting must last at least a minute."})
    with database.session() as session:
        settings = read_settings(session)
        problems = Collector()
        for start in sorted(set(starts)):
            problems.check_date("starts_at", start, settings.earliest_year)
            # A meeting starting late on 31/12/2100 would end in 2101.
            end = start + dt.timedelta(minutes=minutes)
            problems.check_date("starts_at", end, settings.earliest_year)
        problems.raise_if_any()
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
