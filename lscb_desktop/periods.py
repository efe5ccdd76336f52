"""Annual periods (April to March by default), named like "2025-26"."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def name(self) -> str:
        if self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.year}-{self.end.year % 100:02d}"

    def __contains__(self, day: object) -> bool:
        if isinstance(day, dt.datetime):
            day = day.date()
        return isinstance(day, dt.date) and self.start <= day <= self.end


def period_starting(year: int, start_month: int = 4) -> Period:
    start = dt.date(year, start_month, 1)
    next_start = dt.date(year + 1, start_month, 1)
    return Period(start, next_start - dt.timedelta(days=1))


def period_containing(day: dt.date, start_month: int = 4) -> Period:
    year = day.year if day.month >= start_month else day.year - 1
    return period_starting(year, start_month)


def parse_period(text: str, start_month: int = 4) -> Period:
    """ "2025-26", "2025/26" or "2025" (the period starting in that year)."""
    match = re.fullmatch(r"\s*(\d{4})(?:\s*[-/]\s*(\d{2}|\d{4}))?\s*", text)
    if not match:
        raise ValueError(f"“{text}” is not a period; write it like 2025-26")
    year = int(match.group(1))
    period = period_starting(year, start_month)
    if match.group(2) and int(match.group(2)) % 100 != period.end.year % 100:
        raise ValueError(f"“{text}” is not a period; the years must follow on, like 2025-26")
    return period
