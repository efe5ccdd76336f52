"""An iCalendar file of meetings that Outlook imports: one event each, with a stable UID, so
importing a newer file updates the events rather than adding them twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from lscb_desktop.files import atomic_path
from lscb_desktop.models import MeetingKind, MeetingStatus
from lscb_desktop.reports.inputs import CalendarMeeting

#: Meetings are held in England; times are stored as local wall-clock times.
LONDON = ZoneInfo("Europe/London")


def meeting_uid(row: CalendarMeeting, organisation_key: str) -> str:
    """Stable across exports: the meeting's id in this database, and the organisation."""
    return f"meeting-{row.id}@{organisation_key}.lscb-desktop"


def build_calendar(
    rows: Sequence[CalendarMeeting], organisation: str, organisation_key: str, target: Path
) -> Path:
    calendar = Calendar()
    calendar.add("prodid", "-//LSCB Desktop//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{organisation} meetings")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for row in rows:
        event = Event()
        kind = " (extraordinary)" if row.kind is MeetingKind.EXTRAORDINARY else ""
        cancelled = row.status is MeetingStatus.CANCELLED
        event.add("uid", meeting_uid(row, organisation_key))
        event.add("summary", ("CANCELLED: " if cancelled else "") + f"{row.group}{kind}")
        event.add("dtstart", row.starts_at.replace(tzinfo=LONDON))
        end = row.ends_at or row.starts_at + dt.timedelta(hours=2)
        event.add("dtend", end.replace(tzinfo=LONDON))
        event.add("dtstamp", stamp)
        if row.venue:
            event.add("location", row.venue)
        event.add("description", f"{row.group} meeting. Papers due {row.papers_due:%d/%m/%Y}.")
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()  # a VTIMEZONE for Europe/London, which Outlook needs
    with atomic_path(Path(target)) as partial:
        partial.write_bytes(calendar.to_ical())
    return Path(target)
