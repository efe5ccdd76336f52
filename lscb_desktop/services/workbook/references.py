"""What the sheet importers share: the session, the index, and reading references to records
(an agency by name, a group, a person by email or name, a meeting by group and date)."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from lscb_desktop.models import Agency, AgendaItem, Group, Meeting, Person
from lscb_desktop.services.workbook import spec
from lscb_desktop.services.workbook.identity import Claims, ImportResult, Index, key
from lscb_desktop.services.workbook.reader import Problems, Row


def assign(obj: Any, values: dict[str, Any]) -> bool:
    """Sets each attribute that differs; whether anything changed."""
    changed = False
    for attr, value in values.items():
        if getattr(obj, attr) != value:
            setattr(obj, attr, value)
            changed = True
    return changed


T = TypeVar("T")
#: The most characters of a person named as text (a substitute, presenter or owner not on file).
FREE_TEXT_NAME = 200


def uuid_of(values: dict[str, Any]) -> str | None:
    """The row's UUID, taken out of ``values`` when blank so that a record keeps its own."""
    uuid = values.get("uuid")
    if uuid is None:
        values.pop("uuid", None)
    return uuid if isinstance(uuid, str) else None


def changes(record: object | None, values: dict[str, Any]) -> list[str]:
    """The attributes ``values`` would change on ``record`` (all of them for a new record)."""
    if record is None:
        return list(values)
    return [attr for attr, value in values.items() if getattr(record, attr) != value]


def taken(row: Row, column: str, what: str) -> None:
    row.fail(
        column,
        f"the database already holds {what} with another UUID: two records cannot share it "
        "(correct the UUID, or change this row)",
    )


class ImporterBase:
    def __init__(self, session: Session, problems: Problems, result: ImportResult) -> None:
        self.session = session
        self.problems = problems
        self.result = result
        self.index = Index(session)

    def count(self, sheet: spec.Sheet, created: bool, changed: bool = True) -> None:
        if created:
            self.result.created[sheet.name] += 1
        elif changed:
            self.result.updated[sheet.name] += 1

    def identify(
        self, row: Row, model: type[T], uuid: str | None, same: T | None, column: str, what: str
    ) -> T | None:
        """The record a row stands for: by its UUID when it has one, else ``same`` (the record
        its natural key finds); a UUID that differs from the record of the same key is a clash,
        reported under ``column``."""
        found = self.index.by_uuid(model, uuid) if uuid else same
        if uuid and same is not None and same is not found:
            taken(row, column, what)
        return found

    def claim(self, row: Row, claims: Claims, uuid: str | None, record: object | None) -> bool:
        """Whether this row may take ``record`` (None: a new record); reports a clash if not."""
        column = "UUID" if uuid else row.sheet.columns[0].header
        return claims.uuid(row, uuid) and claims.record(row, column, record)

    # -- references ------------------------------------------------------------------------

    def agency(self, row: Row, header: str) -> tuple[bool, Agency | None]:
        """(present, agency): present is False when the column is absent from the sheet."""
        if not row.has(header):
            return False, None
        text = row.value(header)
        if not text:
            return True, None
        agency = self.index.agency(text)
        if agency is None:
            row.fail(header, f"unknown agency “{text}” (add it on the Agencies sheet)")
        return True, agency

    def group(self, row: Row, header: str = "Group") -> Group | None:
        text = row.value(header) if row.has(header) or row.sheet.column(header).required else None
        if not text:
            return None
        group = self.index.groups.get(key(text))
        if group is None:
            row.fail(header, f"unknown group “{text}” (add it on the Groups sheet)")
        return group

    def person(
        self,
        row: Row,
        name_header: str,
        email_header: str,
        *,
        agency_header: str | None = None,
        free_text: bool = False,
    ) -> Person | str | None:
        """The person a row names; with ``free_text``, an unknown name comes back as text."""
        email = row.value(email_header) if row.has(email_header) else None
        name = row.value(name_header) if row.has(name_header) else None
        if email:
            person = self.index.by_email.get(email)
            if person is None:
                row.fail(
                    email_header, f"no person has the email {email} (add them on the People sheet)"
                )
            return person
        if not name:
            return None
        candidates = self.index.by_name.get(key(name), [])
        if agency_header and row.has(agency_header) and row.value(agency_header):
            agency = self.index.agency(str(row.value(agency_header)))
            candidates = [p for p in candidates if p.agency is agency]
        if len(candidates) == 1:
            return candidates[0]
        if free_text:
            if len(str(name)) > FREE_TEXT_NAME:
                row.fail(
                    name_header,
                    f"holds {len(str(name)):,} characters; at most {FREE_TEXT_NAME} are kept "
                    "for a name not on file",
                )
                return None
            return str(name)
        if not candidates:
            row.fail(name_header, f"unknown person “{name}” (add them on the People sheet)")
        else:
            row.fail(name_header, f"several people are called “{name}”; give their email")
        return None

    def meeting(self, row: Row) -> Meeting | None:
        group = self.group(row)
        day = row.value("Meeting date")
        if group is None or day is None:
            return None
        found = self.index.meetings.get((group, day), [])
        if not found:
            row.fail(
                "Meeting date",
                f"{group.name} has no meeting on {day:%d/%m/%Y} (add it on the Meetings sheet)",
            )
            return None
        return found[0]

    def agency_list(self, row: Row, header: str) -> list[Agency] | None:
        """Agencies named in one cell, separated by semicolons (None: the column is absent);
        each unknown one is reported."""
        if not row.has(header):
            return None
        agencies: list[Agency] = []
        for name in str(row.value(header) or "").split(";"):
            if not name.strip():
                continue
            agency = self.index.agency(name)
            if agency is None:
                row.fail(header, f"unknown agency “{name.strip()}” (add it on the Agencies sheet)")
            elif agency not in agencies:
                agencies.append(agency)
        return agencies

    def items(self, row: Row, header: str, meeting: Meeting) -> list[AgendaItem] | None:
        """The meeting's agenda items named by their numbers in one cell ("4; 5"), in agenda
        order (None: the column is absent); a number the meeting does not have is reported."""
        if not row.has(header):
            return None
        found: list[AgendaItem] = []
        for part in re.split(r"[;,]", str(row.value(header) or "")):
            text = part.strip()
            if not text:
                continue
            if not re.fullmatch(r"\d{1,3}", text):
                row.fail(header, f"“{text[:40]}” is not an item number (write them like 4; 5)")
                continue
            item = self.item(meeting, int(text))
            if item is None:
                row.fail(
                    header, f"the meeting has no item {int(text)} (see the Agenda items sheet)"
                )
            elif item not in found:
                found.append(item)
        return sorted(found, key=lambda i: i.position)

    @staticmethod
    def item(meeting: Meeting, number: int) -> AgendaItem | None:
        return next((i for i in meeting.agenda_items if i.position == number), None)

    def locked(self, row: Row, column: str, *meetings: Meeting | None) -> bool:
        """True (and the row fails under ``column``) when the attendance at one of ``meetings``
        was confirmed with the minutes before this import: only the window changes it then,
        asking first and logging the change."""
        for meeting in meetings:
            confirmed = self.index.confirmed.get(meeting) if meeting is not None else None
            if meeting is None or confirmed is None:
                continue
            on, by = confirmed
            who = f" by {by}" if by else ""
            row.fail(
                column,
                f"the attendance at {meeting.group.name} on {meeting.starts_at:%d/%m/%Y} was "
                f"confirmed with the minutes on {on:%d/%m/%Y}{who}, so the import does not change "
                "it: unconfirm it in the window first (Attendance tab), then import again",
            )
            return True
        return False
