"""Importing the meeting sheets: Meetings, Agenda items, Attendance and Guests."""

from __future__ import annotations

import datetime as dt

from lscb_desktop.models import AgendaItem, Attendance, Guest, Meeting, Person
from lscb_desktop.services.workbook.identity import Claims, key, pick
from lscb_desktop.services.workbook.reader import SheetData
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

    def attendance(self, data: SheetData) -> None:
        claims = Claims()
        for row in data.rows:
            values = row.plain_values()
            uuid = uuid_of(values)
            meeting = self.meeting(row)
            person = self.person(row, "Name", "Email", agency_header="Agency")
            substitute = self.person(row, "Substitute", "Substitute email", free_text=True)
            if row.failed or meeting is None or not isinstance(person, Person):
                continue
            day = meeting.starts_at.date()
            if not any(
                m.person is person and m.is_current(day)
                for m in self.index.memberships[meeting.group]
            ):
                row.fail(
                    "Name",
                    f"{person.name} was not a member of {meeting.group.name} on {day:%d/%m/%Y}",
                )
                continue
            what = f"{person.name}'s attendance at that meeting"
            if not claims.key(row, "Name", (meeting, person), what):
                continue
            same = next((a for a in meeting.attendance if a.person is person), None)
            record = self.identify(row, Attendance, uuid, same, "Name", what)
            if not self.claim(row, claims, uuid, record) or row.failed:
                continue
            if row.has("Substitute") or row.has("Substitute email"):
                values["substitute"] = substitute if isinstance(substitute, Person) else None
                values["substitute_name"] = substitute if isinstance(substitute, str) else ""
            if record is None:
                record = Attendance(person=person, **{"notes": "", "substitute_name": "", **values})
                meeting.attendance.append(record)
                self.index.add_uuids([record])
                self.count(data.sheet, created=True)
            else:
                values.update(meeting=meeting, person=person)
                self.count(data.sheet, created=False, changed=assign(record, values))

    def guests(self, data: SheetData) -> None:
        claims = Claims()
        for row in data.rows:
            values = row.plain_values()
            uuid = uuid_of(values)
            meeting = self.meeting(row)
            if row.failed or meeting is None:
                continue
            name = values["name"]
            if uuid:
                guest = self.index.by_uuid(Guest, uuid)
            else:
                if not claims.key(
                    row, "Name", (meeting, key(name)), f"the guest “{name}”", unique=False
                ):
                    continue
                same = [g for g in meeting.guests if key(g.name) == key(name)]
                guest = pick(row, "Name", same, f"guests called “{name}” at that meeting")[1]
            if row.failed or not self.claim(row, claims, uuid, guest):
                continue
            if guest is None:
                guest = Guest(**{"organisation": "", **values})
                meeting.guests.append(guest)
                self.index.add_uuids([guest])
                self.count(data.sheet, created=True)
            else:
                values["meeting"] = meeting
                self.count(data.sheet, created=False, changed=assign(guest, values))
