"""Importing what happened at meetings: Attendance, Guests and Declarations.

The import refuses what the window would ask about, since it cannot ask: a substitute on file
from another agency than the member's on the day, and any change to the attendance, guests or
declarations of a meeting whose attendance was confirmed with the minutes before the import
(creating them at a meeting the same import confirms is fine). Each attendance row keeps what
was true on the day: a new row takes the agency, role and seat of the member's membership on the
meeting's date, as the window does, and a blank cell leaves a recorded row's as they were.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from lscb_desktop.models import (
    Agency,
    AgendaItem,
    Attendance,
    Declaration,
    DeclarationAction,
    Guest,
    Meeting,
    Membership,
    Person,
    Role,
)
from lscb_desktop.services.attendance_cells import AWAY, THERE
from lscb_desktop.services.declarations import INTEREST_LENGTH
from lscb_desktop.services.substitutes import other_agency, substitute_problem
from lscb_desktop.services.workbook import spec
from lscb_desktop.services.workbook.identity import Claims, key, pick
from lscb_desktop.services.workbook.reader import Row, SheetData
from lscb_desktop.services.workbook.references import ImporterBase, assign, changes, uuid_of

#: The column that shows each attribute an import may change, beyond the plain ones.
_HEADERS = {
    "agency": "Agency on the day",
    "substitute": "Substitute",
    "substitute_name": "Substitute",
    "meeting": "Meeting date",
    "person": "Name",
    "items": "For items",
    "agenda_item": "Item",
}


def _header(sheet: spec.Sheet, changed: list[str], record: object | None, new: str) -> str:
    """The column to name for a change: ``new`` for a new record, else the first one changed."""
    if record is None:
        return new
    plain = {c.attr: c.header for c in sheet.plain}
    return next((plain.get(a) or _HEADERS.get(a) for a in changed), None) or new


@dataclass
class _Plan:
    """One attendance row, checked, before anything is written."""

    row: Row
    meeting: Meeting
    person: Person
    record: Attendance | None
    values: dict[str, Any]
    changed: list[str]

    def final(self, attr: str, blank: Any = None) -> Any:
        """The attribute as the row leaves it."""
        if attr in self.values:
            return self.values[attr]
        return getattr(self.record, attr) if self.record is not None else blank


class AttendanceSheets(ImporterBase):
    def seat(self, meeting: Meeting, person: Person) -> Membership | None:
        """The person's membership of the meeting's group on its date (the latest begun)."""
        day = meeting.starts_at.date()
        seats = [
            m
            for m in self.index.memberships[meeting.group]
            if m.person is person and m.is_current(day)
        ]
        return max(seats, key=lambda m: m.start_date, default=None)

    # -- Attendance -----------------------------------------------------------------------------

    def attendance(self, data: SheetData) -> None:
        claims = Claims()
        plans = [plan for row in data.rows if (plan := self._plan(row, claims)) is not None]
        self._check_substitutes(plans)
        for plan in plans:
            if plan.row.failed:
                continue
            if plan.record is None:
                record = Attendance(
                    person=plan.person,
                    **{"notes": "", "substitute_name": "", "reason": "", **plan.values},
                )
                plan.meeting.attendance.append(record)
                self.index.add_uuids([record])
                self.count(data.sheet, created=True)
            else:
                self.count(data.sheet, created=False, changed=assign(plan.record, plan.values))

    def _plan(self, row: Row, claims: Claims) -> _Plan | None:
        values = row.plain_values()
        uuid = uuid_of(values)
        meeting = self.meeting(row)
        person = self.person(row, "Name", "Email", agency_header="Agency")
        substitute = self.person(row, "Substitute", "Substitute email", free_text=True)
        on_the_day = self.agency(row, "Agency on the day")[1]
        if row.failed or meeting is None or not isinstance(person, Person):
            return None
        day = meeting.starts_at.date()
        seat = self.seat(meeting, person)
        if seat is None:
            row.fail(
                "Name", f"{person.name} was not a member of {meeting.group.name} on {day:%d/%m/%Y}"
            )
            return None
        what = f"{person.name}'s attendance at that meeting"
        if not claims.key(row, "Name", (meeting, person), what):
            return None
        same = next((a for a in meeting.attendance if a.person is person), None)
        record = self.identify(row, Attendance, uuid, same, "Name", what)
        if not self.claim(row, claims, uuid, record) or row.failed:
            return None
        if row.has("Substitute") or row.has("Substitute email"):
            values["substitute"] = substitute if isinstance(substitute, Person) else None
            values["substitute_name"] = substitute if isinstance(substitute, str) else ""
        _on_the_day(values, record, seat, on_the_day)
        plan = _Plan(row, meeting, person, record, values, [])
        _check_details(plan)
        if record is not None:
            values.update(meeting=meeting, person=person)
        plan.changed = changes(record, values)
        if plan.changed:
            column = _header(row.sheet, plan.changed, record, "Status")
            self.locked(row, column, meeting, record.meeting if record is not None else None)
        return plan

    def _check_substitutes(self, plans: list[_Plan]) -> None:
        """The window's rules for a substitute on file, on each row that records or changes one,
        against the meeting's attendance as the sheet leaves it."""
        by_meeting: dict[Meeting, list[_Plan]] = defaultdict(list)
        for plan in plans:
            by_meeting[plan.meeting].append(plan)
        planned = {id(plan.record) for plan in plans if plan.record is not None}
        for meeting, rows in by_meeting.items():
            day = meeting.starts_at.date()
            on_list = {
                m.person for m in self.index.memberships[meeting.group] if m.is_current(day)
            } | {a.person for a in meeting.attendance}
            substitutes: dict[Person, Person] = {
                a.person: a.substitute
                for a in meeting.attendance
                if id(a) not in planned and a.substitute is not None
            }
            for plan in rows:  # in the sheet's order: a later row is the one refused
                self._check_substitute(plan, on_list, substitutes)
                if isinstance(chosen := plan.final("substitute"), Person):
                    substitutes[plan.person] = chosen

    def _check_substitute(
        self, plan: _Plan, on_list: set[Person], substitutes: dict[Person, Person]
    ) -> None:
        substitute = plan.final("substitute")
        watched = {"substitute", "status", "agency", "person", "meeting"}
        if not isinstance(substitute, Person) or not watched & set(plan.changed):
            return  # as recorded before: the window may have been told yes
        row = plan.row
        column = "Substitute" if row.has("Substitute") else "Substitute email"
        problem = substitute_problem(
            plan.person,
            substitute,
            on_list=on_list,
            substitutes=substitutes,
            name=lambda p: p.display_name,
        )
        if problem is not None:
            row.fail(column, problem)
            return
        theirs: Agency | None = plan.final("agency")
        if other_agency(theirs, substitute.agency):
            assert theirs is not None and substitute.agency is not None
            row.fail(
                column,
                f"{substitute.display_name} is from {substitute.agency.name}, not "
                f"{theirs.name}: a substitute represents the member's agency; record them only "
                "if that is right, in the window",
            )

    # -- Guests ---------------------------------------------------------------------------------

    def guests(self, data: SheetData) -> None:
        claims = Claims()
        for row in data.rows:
            values = row.plain_values()
            uuid = uuid_of(values)
            meeting = self.meeting(row)
            if row.failed or meeting is None:
                continue
            items = self.items(row, "For items", meeting)
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
            if items is not None:
                values["items"] = items
            if guest is not None:
                values["meeting"] = meeting
                if items is None and guest.meeting is not meeting:
                    values["items"] = []  # another meeting's items do not come along
            changed = changes(guest, values)
            column = _header(row.sheet, changed, guest, "Name")
            old = guest.meeting if guest is not None else None
            if changed and self.locked(row, column, meeting, old):
                continue
            if guest is None:
                guest = Guest(**{"organisation": "", "job_title": "", **values})
                meeting.guests.append(guest)
                self.index.add_uuids([guest])
                self.count(data.sheet, created=True)
            else:
                self.count(data.sheet, created=False, changed=assign(guest, values))

    # -- Declarations ---------------------------------------------------------------------------

    def declarations(self, data: SheetData) -> None:
        claims = Claims()
        for row in data.rows:
            values = row.plain_values()
            uuid = uuid_of(values)
            meeting = self.meeting(row)
            person = self.person(row, "Name", "Email")
            number = row.value("Item") if row.has("Item") else None
            interest = values.get("interest") or ""
            if len(interest) > INTEREST_LENGTH:
                row.fail("Interest", f"this is over {INTEREST_LENGTH:,} characters; shorten it")
            if person is None and not row.failed:
                row.fail("Name", "say who declared the interest: a name or an email")
            if row.failed or meeting is None or not isinstance(person, Person):
                continue
            item = self.item(meeting, number) if number is not None else None
            if number is not None and item is None:
                row.fail("Item", f"the meeting has no item {number} (see the Agenda items sheet)")
                continue
            ok, declaration = self._declaration(row, claims, uuid, meeting, item, person)
            if not ok or row.failed:
                continue
            self._save_declaration(data.sheet, row, declaration, values, meeting, item, person)

    def _declaration(
        self,
        row: Row,
        claims: Claims,
        uuid: str | None,
        meeting: Meeting,
        item: AgendaItem | None,
        person: Person,
    ) -> tuple[bool, Declaration | None]:
        """(ok, the declaration the row is, None for a new one); not ok: the row is refused."""
        if uuid:
            declaration = self.index.by_uuid(Declaration, uuid)
        else:
            where = f"item {item.position}" if item is not None else "the whole meeting"
            what = f"{person.name}'s declaration for {where}"
            if not claims.key(row, "Name", (meeting, item, person), what, unique=False):
                return False, None
            same = [d for d in meeting.declarations if d.agenda_item is item and d.person is person]
            declaration = pick(row, "Name", same, "declarations like this at that meeting")[1]
        if row.failed or not self.claim(row, claims, uuid, declaration):
            return False, None
        return True, declaration

    def _save_declaration(
        self,
        sheet: spec.Sheet,
        row: Row,
        declaration: Declaration | None,
        values: dict[str, Any],
        meeting: Meeting,
        item: AgendaItem | None,
        person: Person,
    ) -> None:
        if row.has("Item") or declaration is None:
            values["agenda_item"] = item
        elif declaration.agenda_item is not None and declaration.meeting is not meeting:
            row.fail(
                "Meeting date", "the declaration is for an item of another meeting: give its Item"
            )
            return
        if values.get("action") is None:
            values.pop("action", None)
        values["person"] = person
        if declaration is not None:
            values["meeting"] = meeting
        changed = changes(declaration, values)
        column = _header(sheet, changed, declaration, "Interest")
        old = declaration.meeting if declaration is not None else None
        if changed and self.locked(row, column, meeting, old):
            return
        if declaration is None:
            declaration = Declaration(**{"notes": "", "action": DeclarationAction.STAYED, **values})
            meeting.declarations.append(declaration)
            self.index.add_uuids([declaration])
            self.count(sheet, created=True)
        else:
            self.count(sheet, created=False, changed=assign(declaration, values))


def _on_the_day(
    values: dict[str, Any],
    record: Attendance | None,
    seat: Membership,
    agency: Agency | None,
) -> None:
    """The agency, role and seat represented on the day: as given; else, for a new row, the
    membership's on the meeting's date (as the window fills them); else as recorded."""
    if agency is not None:
        values["agency"] = agency
    elif record is None:
        values["agency"] = seat.agency
    if values.get("role") is None:
        values.pop("role", None)
        if record is None:
            values["role"] = seat.role or Role.MEMBER
    if not values.get("seat"):
        values.pop("seat", None)
        if record is None:
            values["seat"] = seat.position or ""


def _check_details(plan: _Plan) -> None:
    """A reason goes with apologies or an absence, and times with someone who was there, as in
    the window; a status that takes neither clears them when their column is left out."""
    row, values = plan.row, plan.values
    status = plan.final("status")
    if status not in AWAY and "reason" not in values and plan.final("reason", ""):
        values["reason"] = ""
    for attr in ("arrived_at", "left_at"):
        if status not in THERE and attr not in values and plan.final(attr) is not None:
            values[attr] = None
    reason = plan.final("reason", "") or ""
    arrived, left = plan.final("arrived_at"), plan.final("left_at")
    if reason and status not in AWAY:
        row.fail(
            "Reason",
            f"a reason is for apologies or an absence, not {status.label.lower()}; "
            "clear it or change the Status",
        )
    for attr, column in (("arrived_at", "Arrived"), ("left_at", "Left")):
        if plan.final(attr) is not None and status not in THERE:
            row.fail(
                column,
                "arrival and departure times are for someone who was there (Present, or a "
                "Substitute), not for "
                f"{status.label.lower()}",
            )
    if arrived is not None and left is not None and left < arrived and status in THERE:
        row.fail("Left", f"they left ({left:%H:%M}) before they arrived ({arrived:%H:%M})")
