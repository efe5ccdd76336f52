"""Importing the meeting sheets: Meetings and Agenda items (Attendance, Guests and Declarations
are in import_attendance.py)."""

from __future__ import annotations

import datetime as dt

from lscb_desktop.models import AgendaItem, Meeting, Person
from lscb_desktop.services.workbook.identity import Claims
from lscb_desktop.services.workbook.reader import Row, SheetData
from lscb_desktop.services.workbook.references import ImporterBase, assign, uuid_of


class MeetingSheets(ImporterBase):
    def meetings(self, data: SheetData, marking: str) -> None:
        claims = Claims()
        for row in data.rows:
            values = row.plain_values()
            uuid = uuid_of(values)
            group = self.group(row)
            day = row.value("Date")
            start = row.value("Start") if row.has("Start") else None
            end = row.value("End") if row.has("End") else None
            if start and end and end < start:
                row.fail("End", "the meeting ends before it starts")
            if group is None or day is None or row.failed:
                continue
            what = f"a meeting of {group.name} on {day:%d/%m/%Y}"
            if not claims.key(row, "Date", (group, day), what):
                continue
            same = self.index.meetings.get((group, day), [])
            meeting = self.identify(row, Meeting, uuid, same[0] if same else None, "Date", what)
            if not self.claim(row, claims, uuid, meeting) or row.failed:
                continue
            _check_confirmation(row, values, day, meeting)
            if row.failed:
                continue
            starts_at = dt.datetime.combine(
                day, start or (meeting.starts_at.time() if meeting else dt.time(0, 0))
            )
            values["starts_at"] = starts_at
            if row.has("End"):
                values["ends_at"] = dt.datetime.combine(day, end) if end else None
            for attr in ("kind", "status"):
                if values.get(attr) is None:
                    values.pop(attr, None)
            if meeting is None:
                meeting = Meeting(
                    group=group,
                    **{"venue": "", "notes": "", "protective_marking": marking, **values},
                )
                self.session.add(meeting)
                self.index.add_meeting(meeting)
                self.count(data.sheet, created=True)
            else:
                self.index.forget_meeting(meeting)
                values["group"] = group
                self.count(data.sheet, created=False, changed=assign(meeting, values))
                self.index.add_meeting(meeting)

    def agenda_items(self, data: SheetData) -> None:
        claims = Claims()
        for row in data.rows:
            values = row.plain_values()
            uuid = uuid_of(values)
            meeting = self.meeting(row)
            presenter = self.person(row, "Presenter", "Presenter email", free_text=True)
            if row.failed or meeting is None:
                continue
            position = values["position"]
            what = f"item {position} of that meeting"
            if not claims.key(row, "Order", (meeting, position), what):
                continue
            same = next((i for i in meeting.agenda_items if i.position == position), None)
            item = self.identify(row, AgendaItem, uuid, same, "Order", what)
            if not self.claim(row, claims, uuid, item) or row.failed:
                continue
            if row.has("Presenter") or row.has("Presenter email"):
                values["presenter"] = presenter if isinstance(presenter, Person) else None
                values["presenter_text"] = presenter if isinstance(presenter, str) else ""
            if values.get("paper_expected") is None:
                values.pop("paper_expected", None)
            if item is None:
                item = AgendaItem(**{"notes": "", "presenter_text": "", **values})
                meeting.agenda_items.append(item)
                self.index.add_uuids([item])
                self.count(data.sheet, created=True)
            else:
                values["meeting"] = meeting
                self.count(data.sheet, created=False, changed=assign(item, values))


def _check_confirmation(
    row: Row, values: dict[str, object], day: dt.date, meeting: Meeting | None
) -> None:
    """Attendance is confirmed with the minutes on or after the meeting's day, and whoever
    confirmed it goes with the date."""
    on = values.get("attendance_confirmed_on", meeting.attendance_confirmed_on if meeting else None)
    by = values.get("attendance_confirmed_by", meeting.attendance_confirmed_by if meeting else "")
    if isinstance(on, dt.date) and on < day:
        row.fail(
            "Attendance confirmed",
            f"the minutes cannot be approved before the meeting ({day:%d/%m/%Y})",
        )
    if by and on is None:
        row.fail(
            "Confirmed by",
            "say when the attendance was confirmed (Attendance confirmed), or clear this cell",
        )
