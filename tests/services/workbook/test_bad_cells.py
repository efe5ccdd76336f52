"""Every bad cell is named by sheet, row and column, and nothing changes; never a traceback."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from lscb_desktop.services.workbook import ImportFailed, export_workbook, import_workbook, reader
from tests.services.workbook.book import digest


def make_book(path: Path, data: dict[str, list[list[Any]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in data.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def refused(database, path: Path) -> list[str]:
    """The problems, as the user reads them; the database must be unchanged."""
    before = digest(database)
    with pytest.raises(ImportFailed) as failed:
        import_workbook(database, path)
    assert digest(database) == before
    return [str(p) for p in failed.value.problems]


def test_a_formula_is_refused_by_its_cell_not_read_as_a_blank(sample_db, tmp_path):
    path = tmp_path / "out.xlsx"
    export_workbook(sample_db, path)
    book = load_workbook(path)
    ws = book["Audits"]
    theme = [c.value for c in ws[1]].index("Theme") + 1
    ws.cell(row=4, column=theme).value = "=1+1"
    book.save(path)
    letter = get_column_letter(theme)
    assert refused(sample_db, path) == [
        f"Audits, row 4, Theme: cell {letter}4 holds a formula (=1+1); paste values instead"
    ]


def test_an_error_value_is_refused(sample_db, tmp_path):
    path = make_book(
        tmp_path / "bad.xlsx", {"People": [["Name", "Job title"], ["Ann Other", "#N/A"]]}
    )
    assert refused(sample_db, path) == [
        "People, row 2, Job title: cell B2 holds an error value (#N/A), or a date Excel cannot "
        "show; correct it or clear the cell"
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            {
                "Memberships": [
                    ["Group", "Name", "Email", "Role", "Start date"],
                    ["Strategic Board", "", "", "Member", "01/04/2026"],
                ]
            },
            "Memberships, row 2, Name: say who the member is: a name or an email",
            id="membership with no person",
        ),
        pytest.param(
            {"People": [["Title", "Name", "Job title"], ["Dr", None, "Designated Doctor"]]},
            "People, row 2, Name: is required",
            id="person with no name",
        ),
        pytest.param(
            {"Meetings": [["Group", "Date"], ["Strategic Board", "01/01/1900"]]},
            "Meetings, row 2, Date: 01/01/1900 is outside the years 1990 to 2100 (a typing "
            "mistake?); for older history lower the earliest year in Settings",
            id="meeting in 1900",
        ),
        pytest.param(
            {"Meetings": [["Group", "Date"], ["Strategic Board", "01/01/2101"]]},
            "Meetings, row 2, Date: 01/01/2101 is outside the years 1990 to 2100 (a typing "
            "mistake?); for older history lower the earliest year in Settings",
            id="meeting in 2101",
        ),
        pytest.param(
            {"Meetings": [["Group", "Date"], ["Strategic Board", -5]]},
            "Meetings, row 2, Date: -5 is not a date (write it like 23/11/2026)",
            id="date serial -5",
        ),
        pytest.param(
            {"Meetings": [["Group", "Date"], ["Strategic Board", 3e6]]},
            "Meetings, row 2, Date: 3,000,000 is not a date (write it like 23/11/2026)",
            id="date serial 3e6",
        ),
        pytest.param(
            {"People": [["Name"], [dt.datetime(2026, 2, 1, 10, 30)]]},
            "People, row 2, Name: holds a date (01/02/2026 10:30) where text belongs; "
            "type it as text",
            id="date-time in a name",
        ),
        pytest.param(
            {"People": [["Name", "Notes"], ["Ann Other", True]]},
            "People, row 2, Notes: holds TRUE (a Yes/No value) where text belongs",
            id="TRUE in a text column",
        ),
        pytest.param(
            {"Groups": [["Name", "Quorum (agencies)"], ["Finance Group", 10**20]]},
            "Groups, row 2, Quorum (agencies): 1e+20 is not a whole number from 1 to 100",
            id="quorum of 10^20",
        ),
        pytest.param(
            {
                "Agenda items": [
                    ["Group", "Meeting date", "Order", "Title"],
                    ["Strategic Board", "10/06/2026", 1e300, "Welcome"],
                ]
            },
            "Agenda items, row 2, Order: 1e+300 is not a whole number from 1 to 999",
            id="order of 1e300",
        ),
        pytest.param(
            {
                "Agenda items": [
                    ["Group", "Meeting date", "Order", "Title", "Minutes"],
                    ["Strategic Board", "10/06/2026", 1, "Welcome", True],
                ]
            },
            "Agenda items, row 2, Minutes: holds TRUE (a Yes/No value) where a number belongs",
            id="TRUE where a number belongs",
        ),
        pytest.param(
            {"People": [["Name"], ["N" * 201]]},
            "People, row 2, Name: holds 201 characters; at most 200 are kept here",
            id="a name longer than the database keeps",
        ),
        pytest.param(
            {
                "Agenda items": [
                    ["Group", "Meeting date", "Order", "Title", "Presenter"],
                    ["Strategic Board", "10/06/2026", 1, "Welcome", "P" * 201],
                ]
            },
            "Agenda items, row 2, Presenter: holds 201 characters; at most 200 are kept for a "
            "name not on file",
            id="a presenter not on file longer than the database keeps",
        ),
        pytest.param(
            {"Audits": [["Title", "Period", "Quarter"], ["Neglect", "2025-26", 5]]},
            "Audits, row 2, Quarter: 5 is not a whole number from 1 to 4",
            id="quarter 5",
        ),
    ],
)
def test_bad_cells_are_named_and_change_nothing(sample_db, tmp_path, data, expected):
    path = make_book(tmp_path / "bad.xlsx", {"Agencies": [["Name"], ["Luton Airport"]], **data})
    assert refused(sample_db, path) == [expected]


def test_a_date_cell_past_excels_last_date_is_refused(sample_db, tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "Meetings"
    ws.append(["Group", "Date"])
    ws.append(["Strategic Board", 3e6])
    ws["B2"].number_format = "DD/MM/YYYY"
    path = tmp_path / "bad.xlsx"
    book.save(path)
    assert refused(sample_db, path) == [
        "Meetings, row 2, Date: cell B2 holds an error value (#VALUE!), or a date Excel cannot "
        "show; correct it or clear the cell"
    ]


def test_the_earliest_year_is_a_setting(sample_db, tmp_path):
    path = make_book(
        tmp_path / "history.xlsx",
        {
            "Settings": [["Setting", "Value"], ["earliest_year", 1950]],
            "Meetings": [["Group", "Date"], ["Strategic Board", "12/05/1965"]],
        },
    )
    result = import_workbook(sample_db, path)
    assert result.created["Meetings"] == 1


def test_a_file_that_is_not_a_workbook_says_so(empty_db, tmp_path):
    path = tmp_path / "minutes.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert refused(empty_db, path) == [
        "minutes.xlsx: this file cannot be read as an Excel workbook (.xlsx): it is another kind "
        "of file or it is damaged; open it in Excel and save it as an .xlsx workbook"
    ]


def rewrite(path: Path, member: str, content: bytes) -> Path:
    """The workbook at ``path`` with one of its XML parts replaced."""
    out = path.with_name("edited-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = content if item.filename == member else source.read(item.filename)
            target.writestr(item, data)
    return out


def test_a_damaged_sheet_is_reported_where_reading_stopped(empty_db, tmp_path):
    path = make_book(tmp_path / "ok.xlsx", {"People": [["Name"], ["Ann Other"], ["Bob Other"]]})
    with zipfile.ZipFile(path) as book:
        xml = book.read("xl/worksheets/sheet1.xml")
    damaged = rewrite(path, "xl/worksheets/sheet1.xml", xml[: xml.index(b"Bob") + 2])
    problems = refused(empty_db, damaged)
    assert len(problems) == 1
    assert problems[0].startswith("People, row ")
    assert problems[0].endswith(
        "the sheet cannot be read from this row on (the file is damaged); "
        "open it in Excel and save it again"
    )


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>&lol3;</t></is></c></row>
</sheetData></worksheet>"""


def test_an_xml_bomb_is_refused_by_defusedxml(empty_db, tmp_path):
    assert openpyxl.DEFUSEDXML  # openpyxl parses every part with defusedxml
    path = make_book(tmp_path / "ok.xlsx", {"People": [["Name"], ["Ann Other"]]})
    bomb = rewrite(path, "xl/worksheets/sheet1.xml", BOMB)
    assert refused(empty_db, bomb) == [
        "edited-ok.xlsx: the workbook holds XML that is refused for safety (a document type or "
        "entity declarations, as in an XML bomb); open it in Excel and save it again"
    ]


def test_a_sheet_past_the_size_limit_is_refused(empty_db, tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 5)
    rows = [["Name"], *([f"Person {n}"] for n in range(7))]
    path = make_book(tmp_path / "big.xlsx", {"People": rows})
    assert refused(empty_db, path) == [
        "People, row 7: the sheet has more than 5 rows of data, more than an import takes; "
        "split it into several workbooks"
    ]


def test_the_size_limit_is_two_hundred_thousand_rows():
    assert reader.MAX_ROWS == 200_000


def test_an_oversized_sheet_is_refused_before_its_rows_are_read(empty_db, tmp_path, monkeypatch):
    """A sheet of 300,000 rows used to take minutes before it was refused."""
    monkeypatch.setattr(reader, "MAX_ROWS", 5)
    path = make_book(
        tmp_path / "big.xlsx", {"People": [["Name"], *([f"Person {n}"] for n in range(7))]}
    )

    def no_row_reading(*_args, **_kwargs):
        raise AssertionError("rows were read")

    monkeypatch.setattr(reader, "_row", no_row_reading)
    assert refused(empty_db, path) == [
        "People, row 7: the sheet has more than 5 rows of data, more than an import takes; "
        "split it into several workbooks"
    ]


def test_a_sheet_that_declares_no_size_is_counted(empty_db, tmp_path, monkeypatch):
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    monkeypatch.setattr(reader, "MAX_ROWS", 5)
    monkeypatch.setattr(ReadOnlyWorksheet, "max_row", property(lambda _self: None))
    path = make_book(
        tmp_path / "big.xlsx", {"People": [["Name"], *([f"Person {n}"] for n in range(7))]}
    )
    assert refused(empty_db, path) == [
        "People, row 7: the sheet has more than 5 rows of data, more than an import takes; "
        "split it into several workbooks"
    ]
