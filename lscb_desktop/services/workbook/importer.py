"""Imports a workbook all or nothing: every bad row is reported and the database is left unchanged.

Records are matched so that importing the same workbook twice creates nothing twice: agencies and
groups by name, people by email (else by name and agency), memberships by person, group and start
date, meetings by group and date, and everything else by its meeting or reference.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from lscb_desktop.models import (
    Action,
    Agency,
    AgendaItem,
    Attendance,
    Audit,
    CaseReview,
    Group,
    GroupKind,
    Guest,
    Meeting,
    Membership,
    Person,
)
from lscb_desktop.services.periods import parse_period
from lscb_desktop.services.progress import Progress
from lscb_desktop.services.settings import parse_setting, read_settings, write_settings
from lscb_desktop.services.workbook import spec
from lscb_desktop.services.workbook.reader import (
    ImportFailed,
    Problem,
    Problems,
    Row,
    SheetData,
    read_workbook,
)
from lscb_desktop.store import Database


def _key(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


@dataclass
class ImportResult:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        sheets = sorted(set(self.created) | set(self.updated), key=_sheet_order)
        if not sheets:
            return "Nothing to change: every record was already in the database."
        parts = [
            f"{name}: {self.created[name]} new, {self.updated[name]} updated" for name in sheets
        ]
        return "; ".join(parts)


def _sheet_order(name: str) -> int:
    return [s.name for s in spec.SHEETS].index(name)


def _assign(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for attr, value in values.items():
        if getattr(obj, attr) != value:
            setattr(obj, attr, value)
            changed = True
    return changed


class _Index:
    """The existing records, looked up by their natural keys without querying row by row."""

    def __init__(self, session: Session) -> None:
        self.agencies: dict[str, Agency] = {}
        self.agency_short: dict[str, list[Agency]] = defaultdict(list)
        for agency in session.scalars(select(Agency)):
            self.add_agency(agency)
        self.by_email: dict[str, Person] = {}
        self.by_name: dict[str, list[Person]] = defaultdict(list)
        for person in session.scalars(select(Person)):
            self.add_person(person)
        self.groups: dict[str, Group] = {}
        for group in session.scalars(select(Group)):
            self.groups[_key(group.name)] = group
        self.memberships: dict[Group, list[Membership]] = defaultdict(list)
        for membership in session.scalars(select(Membership)):
            self.memberships[membership.group].append(membership)
        self.meetings: dict[tuple[Group, dt.date], list[Meeting]] = defaultdict(list)
        query = select(Meeting).options(
            selectinload(Meeting.agenda_items),
            selectinload(Meeting.attendance),
            selectinload(Meeting.guests),
        )
        for meeting in session.scalars(query):
            self.meetings[(meeting.group, meeting.starts_at.date())].append(meeting)
        self.audits = {
            (_key(a.title), a.period_start_year): a
            for a in session.scalars(select(Audit).options(selectinload(Audit.agencies)))
        }
        self.reviews = {_key(r.reference): r for r in session.scalars(select(CaseReview))}
        self.actions = {self.action_key(a): a for a in session.scalars(select(Action))}

    @staticmethod
    def action_key(action: Action) -> tuple[Any, ...]:
        return (_key(action.description), action.meeting, action.audit, action.case_review)

    def add_agency(self, agency: Agency) -> None:
        self.agencies[_key(agency.name)] = agency
        if agency.short_name:
            self.agency_short[_key(agency.short_name)].append(agency)

    def add_person(self, person: Person) -> None:
        if person.email:
            self.by_email[person.email] = person
        same_name = self.by_name[_key(person.name)]
        if person not in same_name:
            same_name.append(person)

    def agency(self, text: str) -> Agency | None:
        found = self.agencies.get(_key(text))
        if found is None and len(self.agency_short.get(_key(text), [])) == 1:
            found = self.agency_short[_key(text)][0]
        return found


class _Importer:
    def __init__(self, session: Session, problems: Problems, result: ImportResult) -> None:
        self.session = session
        self.problems = problems
        self.result = result
        self.index = _Index(session)

    def count(self, sheet: spec.Sheet, created: bool, changed: bool = True) -> None:
        if created:
            self.result.created[sheet.name] += 1
        elif changed:
            self.result.updated[sheet.name] += 1

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
        text = row.value(header)
        if not text:
            return None
        group = self.index.groups.get(_key(text))
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
        candidates = self.index.by_name.get(_key(name), [])
        if agency_header and row.has(agency_header) and row.raw(agency_header):
            agency = self.index.agency(str(row.raw(agency_header)))
            candidates = [p for p in candidates if p.agency is agency]
        if len(candidates) == 1:
            return candidates[0]
        if free_text:
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

    # -- sheets, in import order --------------------------------------------------------------

    def settings(self, data: SheetData) -> None:
        current = dataclasses.asdict(read_settings(self.session))
        changed: dict[str, Any] = {}
        rows: dict[str, Row] = {}
        for row in data.rows:
            key = str(row.value("Setting") or "").strip()
            try:
                changed[key] = parse_setting(key, row.raw("Value") if row.has("Value") else "")
                rows[key] = row
            except ValueError as exc:
                row.fail("Setting" if key not in current else "Value", str(exc))
        merged = {**current, **changed}
        try:
            settings = type(read_settings(self.session))(**merged).validated()
        except ValueError as exc:
            key = str(exc).split(":")[0]
            bad = rows.get(key) or (data.rows[0] if data.rows else None)
            if bad is not None:
                bad.fail("Value", str(exc))
            return
        if not self.problems.items:
            write_settings(self.session, settings)
        for key, value in changed.items():
            if value != current.get(key):
                self.result.updated[data.sheet.name] += 1

    def agencies(self, data: SheetData) -> None:
        seen: dict[str, int] = {}
        for row in data.rows:
            values = row.plain_values()
            name = values.get("name")
            if not name:
                continue
            if _key(name) in seen:
                row.fail("Name", f"duplicate agency (also on row {seen[_key(name)]})")
                continue
            seen[_key(name)] = row.number
            agency = self.index.agencies.get(_key(name))
            if row.failed:
                continue
            if agency is None:
                agency = Agency(
                    **{
                        "short_name": "",
                        "sector": "",
                        "notes": "",
                        "statutory_partner": False,
                        **values,
                    }
                )
                if agency.statutory_partner is None:
                    agency.statutory_partner = False
                self.session.add(agency)
                self.index.add_agency(agency)
                self.count(data.sheet, created=True)
            else:
                if values.get("statutory_partner") is None:
                    values.pop("statutory_partner", None)
                self.count(data.sheet, created=False, changed=_assign(agency, values))

    def people(self, data: SheetData) -> None:
        emails: dict[str, int] = {}
        for row in data.rows:
            values = row.plain_values()
            has_agency, agency = self.agency(row, "Agency")
            if has_agency:
                values["agency"] = agency
            email = values.get("email")
            if email:
                if email in emails:
                    row.fail("Email", f"duplicate email {email} (also on row {emails[email]})")
                emails[email] = row.number
            if row.failed or not values.get("name"):
                continue
            person = self.index.by_email.get(email) if email else None
            if person is None:
                same = [
                    p
                    for p in self.index.by_name.get(_key(values["name"]), [])
                    if not has_agency or p.agency is agency
                ]
                if len(same) == 1 and (not email or same[0].email in (None, email)):
                    person = same[0]
            if person is None:
                person = Person(**{**_PERSON_DEFAULTS, **values})
                self.session.add(person)
                self.index.add_person(person)
                self.count(data.sheet, created=True)
            else:
                self.count(data.sheet, created=False, changed=_assign(person, values))
                self.index.add_person(person)

    def groups(self, data: SheetData) -> None:
        seen: dict[str, int] = {}
        pending: list[tuple[Row, Group]] = []
        for row in data.rows:
            values = row.plain_values()
            name = values.get("name")
            if not name or row.failed:
                continue
            if _key(name) in seen:
                row.fail("Name", f"duplicate group (also on row {seen[_key(name)]})")
                continue
            seen[_key(name)] = row.number
            group = self.index.groups.get(_key(name))
            if group is None:
                values["kind"] = values.get("kind") or GroupKind.SUBGROUP
                group = Group(**{**_GROUP_DEFAULTS, **values})
                self.session.add(group)
                self.index.groups[_key(name)] = group
                self.count(data.sheet, created=True)
            else:
                if values.get("kind") is None:
                    values.pop("kind", None)
                self.count(data.sheet, created=False, changed=_assign(group, values))
            pending.append((row, group))
        for row, group in pending:  # every group exists now, so any may be named
            if row.has("Accountable to"):
                parent = self.group(row, "Accountable to") if row.raw("Accountable to") else None
                if parent is group:
                    row.fail("Accountable to", "a group cannot be accountable to itself")
                elif not row.failed and group.accountable_to is not parent:
                    group.accountable_to = parent

    def memberships(self, data: SheetData) -> None:
        for row in data.rows:
            values = row.plain_values()
            group = self.group(row)
            person = self.person(row, "Name", "Email", agency_header="Agency")
            substitute = self.person(row, "Substitute", "Substitute email")
            if row.has("Agency"):
                self.agency(row, "Agency")
            start, end = values.get("start_date"), values.get("end_date")
            if start and end and end < start:
                row.fail("End date", "the membership ends before it starts")
            if isinstance(substitute, Person) and substitute is person:
                row.fail("Substitute", "a member cannot be their own substitute")
            if row.failed or not isinstance(person, Person) or group is None:
                continue
            if row.has("Substitute") or row.has("Substitute email"):
                values["substitute"] = substitute
            if values.get("role") is None:
                values.pop("role", None)
            existing = next(
                (
                    m
                    for m in self.index.memberships[group]
                    if m.person is person and m.start_date == start
                ),
                None,
            )
            if existing is None:
                membership = Membership(
                    person=person, group=group, **{"position": "", "notes": "", **values}
                )
                self.session.add(membership)
                self.index.memberships[group].append(membership)
                self.count(data.sheet, created=True)
            else:
                self.count(data.sheet, created=False, changed=_assign(existing, values))

    def meetings(self, data: SheetData) -> None:
        seen: dict[tuple[Group, dt.date], int] = {}
        marking = read_settings(self.session).protective_marking
        for row in data.rows:
            values = row.plain_values()
            group = self.group(row)
            day = row.value("Date")
            start = row.value("Start") if row.has("Start") else None
            end = row.value("End") if row.has("End") else None
            if start and end and end < start:
                row.fail("End", "the meeting ends before it starts")
            if group is None or day is None or row.failed:
                continue
            if (group, day) in seen:
                row.fail(
                    "Date",
                    f"duplicate meeting of {group.name} on {day:%d/%m/%Y} "
                    f"(also on row {seen[(group, day)]})",
                )
                continue
            seen[(group, day)] = row.number
            existing = self.index.meetings.get((group, day), [])
            meeting = existing[0] if existing else None
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
                self.index.meetings[(group, day)].append(meeting)
                self.count(data.sheet, created=True)
            else:
                self.count(data.sheet, created=False, changed=_assign(meeting, values))

    def agenda_items(self, data: SheetData) -> None:
        for row in data.rows:
            values = row.plain_values()
            meeting = self.meeting(row)
            presenter = self.person(row, "Presenter", "Presenter email", free_text=True)
            if row.failed or meeting is None:
                continue
            if row.has("Presenter") or row.has("Presenter email"):
                values["presenter"] = presenter if isinstance(presenter, Person) else None
                values["presenter_text"] = presenter if isinstance(presenter, str) else ""
            if values.get("paper_expected") is None:
                values.pop("paper_expected", None)
            item = next((i for i in meeting.agenda_items if i.position == values["position"]), None)
            if item is None:
                meeting.agenda_items.append(
                    AgendaItem(**{"notes": "", "presenter_text": "", **values})
                )
                self.count(data.sheet, created=True)
            else:
                self.count(data.sheet, created=False, changed=_assign(item, values))

    def attendance(self, data: SheetData) -> None:
        for row in data.rows:
            values = row.plain_values()
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
            if row.has("Substitute") or row.has("Substitute email"):
                values["substitute"] = substitute if isinstance(substitute, Person) else None
                values["substitute_name"] = substitute if isinstance(substitute, str) else ""
            record = next((a for a in meeting.attendance if a.person is person), None)
            if record is None:
                meeting.attendance.append(
                    Attendance(person=person, **{"notes": "", "substitute_name": "", **values})
                )
                self.count(data.sheet, created=True)
            else:
                self.count(data.sheet, created=False, changed=_assign(record, values))

    def guests(self, data: SheetData) -> None:
        for row in data.rows:
            values = row.plain_values()
            meeting = self.meeting(row)
            if row.failed or meeting is None:
                continue
            guest = next((g for g in meeting.guests if _key(g.name) == _key(values["name"])), None)
            if guest is None:
                meeting.guests.append(Guest(**{"organisation": "", **values}))
                self.count(data.sheet, created=True)
            else:
                self.count(data.sheet, created=False, changed=_assign(guest, values))

    def audits(self, data: SheetData, start_month: int) -> None:
        for row in data.rows:
            values = row.plain_values()
            year = None
            period_text = row.value("Period")
            if period_text:
                try:
                    year = parse_period(period_text, start_month).start.year
                except ValueError as exc:
                    row.fail("Period", str(exc))
            lead = self.person(row, "Lead", "Lead email")
            agencies: list[Agency] = []
            for name in str(row.raw("Agencies") or "").split(";"):
                if name.strip():
                    agency = self.index.agency(name)
                    if agency is None:
                        row.fail("Agencies", f"unknown agency “{name.strip()}”")
                    else:
                        agencies.append(agency)
            if row.failed or year is None or not values.get("title"):
                continue
            if row.has("Lead") or row.has("Lead email"):
                values["lead"] = lead if isinstance(lead, Person) else None
            if row.has("Agencies"):
                values["agencies"] = agencies
            for attr in ("status", "core"):
                if values.get(attr) is None:
                    values.pop(attr, None)
            audit = self.index.audits.get((_key(values["title"]), year))
            if audit is None:
                audit = Audit(
                    period_start_year=year,
                    **{
                        "theme": "",
                        "priority": "",
                        "findings": "",
                        "compliance": "",
                        "notes": "",
                        **values,
                    },
                )
                self.session.add(audit)
                self.index.audits[(_key(audit.title), year)] = audit
                self.count(data.sheet, created=True)
            else:
                self.count(data.sheet, created=False, changed=_assign(audit, values))

    def case_reviews(self, data: SheetData) -> None:
        for row in data.rows:
            values = row.plain_values()
            has_agency, agency = self.agency(row, "Referring agency")
            if has_agency:
                values["referring_agency"] = agency
            if row.failed or not values.get("reference"):
                continue
            review = self.index.reviews.get(_key(values["reference"]))
            if review is None:
                review = CaseReview(**{"reviewer": "", "methodology": "", "notes": "", **values})
                self.session.add(review)
                self.index.reviews[_key(review.reference)] = review
                self.count(data.sheet, created=True)
            else:
                self.count(data.sheet, created=False, changed=_assign(review, values))

    def actions(self, data: SheetData, start_month: int) -> None:
        for row in data.rows:
            values = row.plain_values()
            meeting = self.meeting(row) if row.raw("Group") or row.raw("Meeting date") else None
            item = None
            position = row.value("Agenda item") if row.has("Agenda item") else None
            if meeting is not None and position is not None:
                item = next((i for i in meeting.agenda_items if i.position == position), None)
                if item is None:
                    row.fail("Agenda item", f"the meeting has no item {position}")
            audit = self._action_audit(row, start_month)
            review = None
            if row.raw("Case review"):
                review = self.index.reviews.get(_key(str(row.raw("Case review"))))
                if review is None:
                    row.fail("Case review", f"unknown case review “{row.raw('Case review')}”")
            owner = self.person(row, "Owner", "Owner email", free_text=True)
            if row.failed or not values.get("description"):
                continue
            values.update(meeting=meeting, agenda_item=item, audit=audit, case_review=review)
            if row.has("Owner") or row.has("Owner email"):
                values["owner"] = owner if isinstance(owner, Person) else None
                values["owner_text"] = owner if isinstance(owner, str) else ""
            if values.get("status") is None:
                values.pop("status", None)
            key = (_key(values["description"]), meeting, audit, review)
            action = self.index.actions.get(key)
            if action is None:
                action = Action(**{"notes": "", "owner_text": "", **values})
                self.session.add(action)
                self.index.actions[key] = action
                self.count(data.sheet, created=True)
            else:
                self.count(data.sheet, created=False, changed=_assign(action, values))

    def _action_audit(self, row: Row, start_month: int) -> Audit | None:
        title = row.raw("Audit")
        if not title:
            return None
        period_text = row.value("Audit period") if row.has("Audit period") else None
        if not period_text:
            row.fail("Audit period", "needed to say which year's audit")
            return None
        try:
            year = parse_period(period_text, start_month).start.year
        except ValueError as exc:
            row.fail("Audit period", str(exc))
            return None
        audit = self.index.audits.get((_key(str(title)), year))
        if audit is None:
            row.fail("Audit", f"unknown audit “{title}” in {period_text}")
        return audit


_PERSON_DEFAULTS: dict[str, Any] = dict.fromkeys(
    (
        "title",
        "job_title",
        "secure_email",
        "phone",
        "address",
        "pa_name",
        "pa_email",
        "pa_phone",
        "notes",
    ),
    "",
)
_GROUP_DEFAULTS: dict[str, Any] = dict.fromkeys(
    ("short_name", "purpose", "aims", "reporting", "notes"), ""
)


def import_workbook(
    database: Database, path: Path, progress: Callable[[Progress], None] | None = None
) -> ImportResult:
    """Import ``path``; raises ImportFailed (with every problem) and changes nothing if any row
    is bad.

    ``progress`` is called after each sheet; an exception it raises (the window's Cancel) rolls
    the whole import back.
    """
    problems = Problems()
    result = ImportResult()
    with database.session() as session:
        importer = _Importer(session, problems, result)
        start_month = read_settings(session).annual_period_start_month
        handlers: dict[str, Callable[[SheetData], None]] = {
            spec.SETTINGS.name: importer.settings,
            spec.AGENCIES.name: importer.agencies,
            spec.PEOPLE.name: importer.people,
            spec.GROUPS.name: importer.groups,
            spec.MEMBERSHIPS.name: importer.memberships,
            spec.MEETINGS.name: importer.meetings,
            spec.AGENDA_ITEMS.name: importer.agenda_items,
            spec.ATTENDANCE.name: importer.attendance,
            spec.GUESTS.name: importer.guests,
            spec.AUDITS.name: lambda d: importer.audits(d, start_month),
            spec.CASE_REVIEWS.name: importer.case_reviews,
            spec.ACTIONS.name: lambda d: importer.actions(d, start_month),
        }
        with session.no_autoflush:
            total = len(handlers) + 1
            for done, data in enumerate(read_workbook(Path(path), problems, result.warnings), 1):
                handlers[data.sheet.name](data)
                if progress is not None:
                    progress(Progress(done, total, f"Read {data.sheet.name}"))
        if problems.items:
            raise ImportFailed(problems.items)
        try:
            session.flush()
        except IntegrityError as exc:
            raise ImportFailed([_integrity_problem(exc)]) from exc
    return result


def _integrity_problem(exc: IntegrityError) -> Problem:
    return Problem("(workbook)", 0, "", f"the records conflict with each other: {exc.orig}")
