"""Working days in England and Wales: weekends and bank holidays (from the holidays library)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    # England and Wales share their bank holidays; "ENG" is the holidays library's code for them.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: dt.date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def next_working_day(day: dt.date) -> dt.date:
    """The day itself if it is a working day, otherwise the next one."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def previous_working_day(day: dt.date) -> dt.date:
    """The day itself if it is a working day, otherwise the last one before it."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def papers_deadline(meeting_day: dt.date, days_before: int) -> dt.date:
    """The day papers are due: ``days_before`` the meeting, or the working day before that when
    it falls on a weekend or bank holiday (04/01/2027 less 7 days is Monday 28/12/2026, a bank
    holiday, so papers are due on Thursday 24/12/2026)."""
    return previous_working_day(meeting_day - dt.timedelta(days=days_before))


def why_not_working(day: dt.date) -> str:
    """ "a Saturday", "a Sunday" or "a bank holiday (Christmas Day)"; "" for a working day."""
    name = holidays.country_holidays("GB", subdiv="ENG", years=day.year).get(day)
    if name:
        return f"a bank holiday ({name})"
    if day.weekday() >= 5:
        return f"a {day:%A}"
    return ""


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The date ``count`` working days after ``day`` (before it when ``count`` is negative)."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day
