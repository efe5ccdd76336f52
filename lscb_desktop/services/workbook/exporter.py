"""Writes every record to one workbook, a sheet per kind, ordered by natural keys."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lscb_desktop.models import (
    Action,
    AgendaItem,
    Attendance,
    Audit,
    CaseReview,
    Declaration,
    Group,
    Guest,
    Meeting,
    Membership,
    Person,
)
from lscb_desktop.models import Agency as AgencyModel
from lscb_desktop.services.files import OutputError, atomic_path
from lscb_desktop.services.periods import period_starting
from lscb_desktop.services.progress import Progress
from lscb_desktop.services.settings import load_settings
from lscb_desktop.services.workbook import spec
from lscb_desktop.services.workbook.cells import Field, Kind, write_field
from lscb_desktop.store import Database

Row = dict[str, Any]

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
DATE_FORMAT = "DD/MM/YYYY"
TIME_FORMAT = "HH:MM"


def _plain(sheet: spec.Sheet, obj: Any) -> Row:
    return {f.header: write_field(f, getattr(obj, f.attr)) for f in sheet.plain}


def _agency_name(person: Person | None) -> str | None:
    return person.agency.name if person is not None and person.agency is not None else None


def _name_of(agency: AgencyModel | None) -> str | None:
    return agency.name if agency is not None else None


def _names(agencies: Iterable[AgencyModel]) -> str | None:
    """Agencies as one cell, separated by "; " (the import reads them back)."""
    return "; ".join(a.name for a in agencies) or None


def _person_cells(prefix: str, person: Person | None, text: str = "") -> Row:
    name = prefix or "Name"
    email = f"{prefix} email" if prefix else "Email"
    if person is None:
        return {name: text or None, email: None}
    return {name: person.name, email: person.email}


def _meeting_cells(meeting: Meeting | None) -> Row:
    if meeting is None:
        return {}
    return {"Group": meeting.group.name, "Meeting date": meeting.starts_at.date()}


def settings_rows(session: Session, database: Database) -> Iterable[Row]:
    del session
    settings = load_settings(database)
    for key, value in dataclasses.asdict(settings).items():
        # A yes/no setting as the words the import reads back, not an Excel TRUE or FALSE.
        yield {
            "Setting": key,
            "Value": ("yes" if value else "no")
            if value in (True, False) and isinstance(value, bool)
            else value,
        }


def agency_rows(session: Session) -> Iterable[Row]:
    for agency in session.scalars(select(AgencyModel).order_by(AgencyModel.name)):
        yield _plain(spec.AGENCIES, agency)


def people_rows(session: Session) -> Iterable[Row]:
    query = (
        select(Person)
        .options(selectinload(Person.agency))
        .order_by(Person.name, Person.email, Person.uuid)
    )
    for person in session.scalars(query):
        yield {**_plain(spec.PEOPLE, person), "Agency": _agency_name(person)}


def group_rows(session: Session) -> Iterable[Row]:
    query = select(Group).options(selectinload(Group.quorum_partners)).order_by(Group.name)
    for group in session.scalars(query):
        accountable = group.accountable_to.name if group.accountable_to else None
        yield {
            **_plain(spec.GROUPS, group),
            "Accountable to": accountable,
            "Quorum partners": _names(group.quorum_partners),
        }


def membership_rows(session: Session) -> Iterable[Row]:
    query = (
        select(Membership)
        .join(Membership.group)
        .join(Membership.person)
        .options(
            selectinload(Membership.person).selectinload(Person.agency),
            selectinload(Membership.agency),
            selectinload(Membership.substitute),
        )
        .order_by(Group.name, Person.name, Membership.start_date, Membership.uuid)
    )
    for membership in session.scalars(query):
        yield {
            **_plain(spec.MEMBERSHIPS, membership),
            "Group": membership.group.name,
            **_person_cells("", membership.person),
            # The person's agency now (it helps find them by name); the seat's own agency,
            # which stays the old one for a spell before a move, is in Represents.
            "Agency": _agency_name(membership.person),
            "Represents": _name_of(membership.agency),
            **_person_cells("Substitute", membership.substitute),
        }


def meeting_rows(session: Session) -> Iterable[Row]:
    query = select(Meeting).join(Meeting.group).order_by(Group.name, Meeting.starts_at)
    for meeting in session.scalars(query):
        yield {
            **_plain(spec.MEETINGS, meeting),
            "Group": meeting.group.name,
            "Date": meeting.starts_at.date(),
            "Start": meeting.starts_at.time(),
            "End": meeting.ends_at.time() if meeting.ends_at else None,
        }


def agenda_rows(session: Session) -> Iterable[Row]:
    query = (
        select(AgendaItem)
        .join(AgendaItem.meeting)
        .join(Meeting.group)
        .options(selectinload(AgendaItem.presenter), selectinload(AgendaItem.meeting))
        .order_by(Group.name, Meeting.starts_at, AgendaItem.position, AgendaItem.uuid)
    )
    for item in session.scalars(query):
        yield {
            **_plain(spec.AGENDA_ITEMS, item),
            **_meeting_cells(item.meeting),
            **_person_cells("Presenter", item.presenter, item.presenter_text),
        }


def attendance_rows(session: Session) -> Iterable[Row]:
    query = (
        select(Attendance)
        .join(Attendance.meeting)
        .join(Meeting.group)
        .join(Attendance.person)
        .options(
            selectinload(Attendance.person).selectinload(Person.agency),
            selectinload(Attendance.agency),
            selectinload(Attendance.substitute),
            selectinload(Attendance.meeting),
        )
        .order_by(Group.name, Meeting.starts_at, Person.name, Person.email, Attendance.uuid)
    )
    for record in session.scalars(query):
        yield {
            **_plain(spec.ATTENDANCE, record),
            **_meeting_cells(record.meeting),
            **_person_cells("", record.person),
            "Agency": _agency_name(record.person),
            "Agency on the day": _name_of(record.agency),
            **_person_cells("Substitute", record.substitute, record.substitute_name),
        }


def guest_rows(session: Session) -> Iterable[Row]:
    query = (
        select(Guest)
        .join(Guest.meeting)
        .join(Meeting.group)
        .options(selectinload(Guest.items))
        .order_by(Group.name, Meeting.starts_at, Guest.name, Guest.uuid)
    )
    for guest in session.scalars(query):
        yield {
            **_plain(spec.GUESTS, guest),
            **_meeting_cells(guest.meeting),
            "For items": "; ".join(str(item.position) for item in guest.items) or None,
        }


def declaration_rows(session: Session) -> Iterable[Row]:
    query = (
        select(Declaration)
        .join(Declaration.meeting)
        .join(Meeting.group)
        .join(Declaration.person)
        .outerjoin(Declaration.agenda_item)
        .options(
            selectinload(Declaration.meeting),
            selectinload(Declaration.agenda_item),
            selectinload(Declaration.person),
        )
        .order_by(
            Group.name,
            Meeting.starts_at,
            func.coalesce(AgendaItem.position, 0),  # the whole meeting first
            Person.name,
            Person.email,
            Declaration.uuid,
        )
    )
    for declaration in session.scalars(query):
        item = declaration.agenda_item
        yield {
            **_plain(spec.DECLARATIONS, declaration),
            **_meeting_cells(declaration.meeting),
            "Item": item.position if item is not None else None,
            **_person_cells("", declaration.person),
        }


def audit_rows(session: Session, start_month: int) -> Iterable[Row]:
    query = (
        select(Audit)
        .options(selectinload(Audit.agencies), selectinload(Audit.lead))
        .order_by(Audit.period_start_year, Audit.quarter, Audit.title, Audit.uuid)
    )
    for audit in session.scalars(query):
        yield {
            **_plain(spec.AUDITS, audit),
            "Period": period_starting(audit.period_start_year, start_month).name,
            **_person_cells("Lead", audit.lead),
            "Agencies": _names(audit.agencies),
        }


def case_review_rows(session: Session) -> Iterable[Row]:
    for review in session.scalars(select(CaseReview).order_by(CaseReview.reference)):
        agency = review.referring_agency.name if review.referring_agency else None
        yield {**_plain(spec.CASE_REVIEWS, review), "Referring agency": agency}


def action_rows(session: Session, start_month: int) -> Iterable[Row]:
    query = select(Action).options(
        selectinload(Action.owner),
        selectinload(Action.meeting).selectinload(Meeting.group),
        selectinload(Action.agenda_item),
        selectinload(Action.audit),
        selectinload(Action.case_review),
    )
    rows = []
    for action in session.scalars(query):
        row = {
            **_plain(spec.ACTIONS, action),
            **_meeting_cells(action.meeting),
            "Agenda item": action.agenda_item.position if action.agenda_item else None,
            **_person_cells("Owner", action.owner, action.owner_text),
        }
        if action.audit is not None:
            row["Audit"] = action.audit.title
            row["Audit period"] = period_starting(action.audit.period_start_year, start_month).name
        if action.case_review is not None:
            row["Case review"] = action.case_review.reference
        rows.append(row)
    key_order = (
        "Group",
        "Meeting date",
        "Audit period",
        "Audit",
        "Case review",
        "Description",
        "UUID",
    )
    rows.sort(key=lambda r: tuple(_sort_key(r.get(k)) for k in key_order))
    return rows


def _sort_key(value: Any) -> tuple[int, str]:
    return (
        (0, "")
        if value is None
        else (1, value.isoformat() if hasattr(value, "isoformat") else str(value))
    )


#: Excel's limit: a sheet holds at most this many rows, its header included.
MAX_SHEET_ROWS = 1_048_576


def _write_sheet(book: Workbook, sheet: spec.Sheet, rows: Iterable[Row]) -> int:
    ws: WriteOnlyWorksheet = book.create_sheet(sheet.name)
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top")
        header.append(cell)
    ws.append(header)
    count = 0
    for row in rows:
        if count + 1 >= MAX_SHEET_ROWS:
            # Stop rather than write a file Excel cannot open; nothing is saved (atomic write).
            raise OutputError(
                f"The {sheet.name} sheet would need more than {MAX_SHEET_ROWS - 1:,} rows, "
                "more than Excel allows in one sheet, so no workbook was written. "
                "Back the database up instead (File > Backup now…)."
            )
        ws.append([_cell(ws, column, row.get(column.header)) for column in sheet.columns])
        count += 1
    return count


def _cell(ws: WriteOnlyWorksheet, column: Field, value: Any) -> Any:
    if value is None:
        return None
    if column.kind is Kind.DATE and isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if column.kind is Kind.TIME and isinstance(value, dt.time):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = TIME_FORMAT
        return cell
    if isinstance(value, str) and value.startswith("="):
        return text_cell(ws, value)
    return value


def text_cell(ws: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    """A cell that holds ``value`` as text: openpyxl would make a formula of text starting with
    "=" (a name such as "=HYPERLINK(...)" would become a live link in Excel). Other text, including
    text starting with +, - or @, is always written as a text cell."""
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 - small helper, kept local

    return str(get_column_letter(index))


def iter_export(database: Database, path: Path) -> Iterator[Progress]:
    """Write the whole database to ``path``, yielding progress after each sheet."""
    start_month = load_settings(database).annual_period_start_month
    producers: list[tuple[spec.Sheet, Callable[[Session], Iterable[Row]]]] = [
        (spec.SETTINGS, lambda s: settings_rows(s, database)),
        (spec.AGENCIES, agency_rows),
        (spec.PEOPLE, people_rows),
        (spec.GROUPS, group_rows),
        (spec.MEMBERSHIPS, membership_rows),
        (spec.MEETINGS, meeting_rows),
        (spec.AGENDA_ITEMS, agenda_rows),
        (spec.ATTENDANCE, attendance_rows),
        (spec.GUESTS, guest_rows),
        (spec.DECLARATIONS, declaration_rows),
        (spec.AUDITS, lambda s: audit_rows(s, start_month)),
        (spec.CASE_REVIEWS, case_review_rows),
        (spec.ACTIONS, lambda s: action_rows(s, start_month)),
    ]
    total = len(producers)
    # The temporary file is made first, so an unwritable folder fails before any work is done.
    with atomic_path(Path(path)) as partial:
        book = Workbook(write_only=True)
        saved = False
        try:
            with database.session() as session:
                for done, (sheet, produce) in enumerate(producers, start=1):
                    count = _write_sheet(book, sheet, produce(session))
                    yield Progress(done, total + 1, f"{sheet.name}: {count} rows")
            book.save(partial)
            saved = True
        finally:
            if not saved:  # abandoned or failed: finish the sheets' own temporary files
                for ws in book.worksheets:
                    if not ws.closed:
                        ws.close()
    yield Progress(total + 1, total + 1, f"Saved {Path(path).name}")


def export_workbook(database: Database, path: Path) -> None:
    for _ in iter_export(database, path):
        pass
