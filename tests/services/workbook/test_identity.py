"""Import identity: a row is its record by UUID, so records that look alike are never merged."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from lscb_desktop.models import Action, Agency, Meeting, Person
from lscb_desktop.services.workbook import ImportFailed, export_workbook, import_workbook
from lscb_desktop.store import Database
from tests.services.workbook.book import column, digest, exported, sheets


def add_lookalikes(database: Database) -> None:
    """Two identical actions at one meeting, and two people with the same name and no email."""
    with database.session() as session:
        meeting = session.scalars(select(Meeting).order_by(Meeting.starts_at)).first()
        assert meeting is not None
        for _ in range(2):
            session.add(Action(meeting=meeting, description="Circulate the minutes"))
            session.add(Person(name="Sam Lee", job_title="Lay member"))


def count(database: Database, model: type) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def drop_column(path: Path, sheet: str, header: str) -> Path:
    book = load_workbook(path)
    ws = book[sheet]
    index = [c.value for c in ws[1]].index(header) + 1
    ws.delete_cols(index)
    book.save(path)
    return path


def test_export_import_export_keeps_records_that_look_alike(sample_db, empty_db, tmp_path):
    add_lookalikes(sample_db)
    first = exported(sample_db, tmp_path / "first.xlsx")
    result = import_workbook(empty_db, tmp_path / "first.xlsx")
    second = exported(empty_db, tmp_path / "second.xlsx")
    assert list(first) == list(second)
    for name in first:
        assert first[name] == second[name], name
    assert count(empty_db, Action) == count(sample_db, Action)
    assert count(empty_db, Person) == count(sample_db, Person) == 67
    assert result.created["People"] == 67
    names = column(second["People"], "Name")
    assert names.count("Sam Lee") == 2
    descriptions = column(second["Actions"], "Description")
    assert descriptions.count("Circulate the minutes") >= 2


def test_every_sheet_but_settings_carries_each_records_uuid(sample_db, tmp_path):
    book = exported(sample_db, tmp_path / "out.xlsx")
    with sample_db.session() as session:
        agency_uuids = set(session.scalars(select(Agency.uuid)))
    for name, rows in book.items():
        if name == "Settings":
            assert "UUID" not in rows[0]
            continue
        assert rows[0][-1] == "UUID", name
        uuids = column(rows, "UUID")
        assert all(isinstance(u, str) and len(u) == 36 for u in uuids), name
        assert len(set(uuids)) == len(uuids), name
    assert set(column(book["Agencies"], "UUID")) == agency_uuids


def test_a_new_record_takes_the_workbooks_uuid_and_a_renamed_one_stays_itself(sample_db, tmp_path):
    path = tmp_path / "out.xlsx"
    export_workbook(sample_db, path)
    book = load_workbook(path)
    for other in book.sheetnames:
        if other != "Agencies":  # the other sheets name agencies by their old names
            del book[other]
    ws = book["Agencies"]
    header = [c.value for c in ws[1]]
    name_col, uuid_col = header.index("Name") + 1, header.index("UUID") + 1
    old_name = ws.cell(row=2, column=name_col).value
    kept_uuid = ws.cell(row=2, column=uuid_col).value
    ws.cell(row=2, column=name_col).value = "Renamed Agency"
    ws.append(
        ["Luton Airport", *[None] * (len(header) - 2), "0b5c6d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e"]
    )
    book.save(path)
    result = import_workbook(sample_db, path)
    assert result.created["Agencies"] == 1
    assert result.updated["Agencies"] == 1
    with sample_db.session() as session:
        renamed = session.scalars(select(Agency).where(Agency.uuid == kept_uuid)).one()
        assert renamed.name == "Renamed Agency"
        assert session.scalars(select(Agency).where(Agency.name == old_name)).first() is None
        airport = session.scalars(select(Agency).where(Agency.name == "Luton Airport")).one()
        assert airport.uuid == "0b5c6d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e"


def test_two_rows_with_the_same_uuid_are_a_clash_naming_both(sample_db, tmp_path):
    path = tmp_path / "out.xlsx"
    export_workbook(sample_db, path)
    book = load_workbook(path)
    ws = book["Actions"]
    ws.append([c.value for c in ws[2]])  # a copied row, UUID and all
    last = ws.max_row
    book.save(path)
    before = digest(sample_db)
    with pytest.raises(ImportFailed) as failed:
        import_workbook(sample_db, path)
    assert [str(p) for p in failed.value.problems] == [
        f"Actions, row {last}, UUID: the same UUID as row 2: two rows cannot be one record "
        "(a copied row? clear its UUID to make it a new record)"
    ]
    assert digest(sample_db) == before


def test_without_uuids_two_identical_actions_are_a_clash_not_a_merge(sample_db, tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "Actions"
    ws.append(["Description", "Group", "Meeting date"])
    ws.append(["Book the room", "Strategic Board", "10/06/2026"])
    ws.append(["Book the room", "Strategic Board", "10/06/2026"])
    path = tmp_path / "actions.xlsx"
    book.save(path)
    with pytest.raises(ImportFailed) as failed:
        import_workbook(sample_db, path)
    assert [str(p) for p in failed.value.problems] == [
        "Actions, row 3, Description: the same action is also on row 2: two rows cannot be one "
        "record (give each row its UUID, or remove one)"
    ]


def test_without_uuids_two_people_with_one_name_and_no_email_are_a_clash(empty_db, tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "People"
    ws.append(["Name", "Job title"])
    ws.append(["Sam Lee", "Lay member"])
    ws.append(["Sam Lee", "Lay member"])
    path = tmp_path / "people.xlsx"
    book.save(path)
    with pytest.raises(ImportFailed) as failed:
        import_workbook(empty_db, path)
    assert [str(p) for p in failed.value.problems] == [
        "People, row 3, Name: “Sam Lee” with no email is also on row 2: two rows cannot be one "
        "record (give each row its UUID, or remove one)"
    ]
    assert count(empty_db, Person) == 0


def test_a_row_without_uuid_that_matches_two_records_is_refused(sample_db, tmp_path):
    add_lookalikes(sample_db)
    export_workbook(sample_db, tmp_path / "out.xlsx")
    path = drop_column(tmp_path / "out.xlsx", "People", "UUID")
    before = digest(sample_db)
    with pytest.raises(ImportFailed) as failed:
        import_workbook(sample_db, path)
    messages = {(p.sheet, p.column, p.message) for p in failed.value.problems}
    assert (
        "People",
        "Name",
        "matches 2 people called “Sam Lee” in the database; add the UUID column "
        "(export the database to get it) to say which",
    ) in messages
    assert digest(sample_db) == before


def test_a_workbook_without_uuids_still_matches_by_natural_keys(sample_db, tmp_path):
    path = tmp_path / "out.xlsx"
    export_workbook(sample_db, path)
    book = load_workbook(path)
    for ws in book.worksheets:
        header = [c.value for c in ws[1]]
        if "UUID" in header:
            ws.delete_cols(header.index("UUID") + 1)
    book.save(path)
    before = digest(sample_db)
    result = import_workbook(sample_db, path)
    assert sum(result.created.values()) == 0
    assert sum(result.updated.values()) == 0
    assert digest(sample_db) == before


def test_a_new_uuid_with_a_name_already_held_is_refused(sample_db, tmp_path):
    path = tmp_path / "out.xlsx"
    export_workbook(sample_db, path)
    book = load_workbook(path)
    ws = book["Groups"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("UUID") + 1).value = "0b5c6d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e"
    name = ws.cell(row=2, column=header.index("Name") + 1).value
    book.save(path)
    before = digest(sample_db)
    with pytest.raises(ImportFailed) as failed:
        import_workbook(sample_db, path)
    assert str(failed.value.problems[0]) == (
        f"Groups, row 2, Name: the database already holds a group called “{name}” with another "
        "UUID: two records cannot share it (correct the UUID, or change this row)"
    )
    assert digest(sample_db) == before


def test_a_uuid_that_is_not_one_is_refused(sample_db, tmp_path):
    path = tmp_path / "out.xlsx"
    export_workbook(sample_db, path)
    book = load_workbook(path)
    ws = book["Guests"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("UUID") + 1).value = "guest-1"
    book.save(path)
    with pytest.raises(ImportFailed) as failed:
        import_workbook(sample_db, path)
    assert [str(p) for p in failed.value.problems] == [
        "Guests, row 2, UUID: “guest-1” is not a UUID (leave the cell blank for a new record)"
    ]
    assert sheets(path)["Guests"][1][-1] == "guest-1"
