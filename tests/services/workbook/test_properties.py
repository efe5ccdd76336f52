"""Property: any cell of the exported sample workbook replaced by any value either imports (and
the value comes back in the next export) or is refused with located problems and nothing changed."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from lscb_desktop.services.workbook import ImportFailed, export_workbook, import_workbook, spec
from lscb_desktop.services.workbook.cells import CellError, Kind, Limits, read_field
from lscb_desktop.store import open_database
from tests.services.workbook.book import digest


@dataclass(frozen=True)
class Text:
    """Text written as a text cell even when it starts with "=" (as the export writes it)."""

    value: str


@dataclass(frozen=True)
class Formula:
    value: str


# openpyxl refuses the control characters XML cannot hold, so no workbook can contain them.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\r\n"),
    max_size=40,
)
VALUES = st.one_of(
    st.none(),
    TEXT,
    st.sampled_from(["", "  ", "=1+1", "+1", "-1", "@SUM(A1)", "\tx", "x\r", "Yes", "2pm"]),
    st.builds(Text, st.sampled_from(["=1+1", '=HYPERLINK("http://x","y")', "=", "=cmd|'/C'!A0"])),
    st.builds(Formula, st.sampled_from(["=1+1", "=A1", "=SUM(A1:A3)", "=NOW()", '="a"&"b"'])),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0, 1, 2, 3, 4, 5, 10, 100, 999, 1000, 1441, -1, -5, 45000, 3_000_000]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e300, -1e300, 0.5, 45000.25, 3e6]),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    st.times(),
    st.booleans(),
)


@pytest.fixture(scope="module")
def exported(sample_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exported")
    copy = folder / "sample.sqlite"
    shutil.copyfile(sample_template, copy)
    database = open_database(copy)
    try:
        export_workbook(database, folder / "sample.xlsx")
    finally:
        database.dispose()
    return folder / "sample.xlsx"


@pytest.fixture(scope="module")
def sample_digest(sample_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    copy = tmp_path_factory.mktemp("digest") / "sample.sqlite"
    shutil.copyfile(sample_template, copy)
    database = open_database(copy)
    try:
        return digest(database)
    finally:
        database.dispose()


@pytest.fixture(scope="module")
def book(exported: Path) -> Workbook:
    return load_workbook(exported)


def as_written(value: Any) -> Any:
    return Text(value) if isinstance(value, str) and value.startswith("=") else value


def put(cell: Any, value: Any) -> None:
    if isinstance(value, Text):
        cell.value = value.value
        cell.data_type = "s"
    elif isinstance(value, Formula):
        cell.value = value.value
    else:
        cell.value = value


def read_back(path: Path, sheet: str, row: int, col: int) -> Any:
    """The cell as the import reads it (read-only, values as openpyxl gives them)."""
    ws = load_workbook(path, read_only=True)[sheet]
    for cells in ws.iter_rows(min_row=row, max_row=row, min_col=col, max_col=col):
        return cells[0].value
    return None


def as_read(field: spec.Field, value: Any) -> Any:
    try:
        return read_field(field, value, Limits(earliest_year=1900))
    except CellError:
        return CellError


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_cell_replaced_by_any_value(
    data: st.DataObject,
    book: Workbook,
    sample_template: Path,
    sample_digest: str,
    tmp_path: Path,
) -> None:
    title = data.draw(st.sampled_from(book.sheetnames), label="sheet")
    ws = book[title]
    row = data.draw(st.integers(min_value=2, max_value=ws.max_row), label="row")
    col = data.draw(st.integers(min_value=1, max_value=ws.max_column), label="column")
    # Any value, or another row's value in the same column (a name, a UUID, a date copied over).
    copied = st.integers(min_value=2, max_value=ws.max_row).map(
        lambda other: as_written(ws.cell(row=other, column=col).value)
    )
    value = data.draw(st.one_of(VALUES, copied), label="value")
    header = ws.cell(row=1, column=col).value
    cell = ws.cell(row=row, column=col)
    old = (cell.value, cell.data_type, cell.number_format)
    path = tmp_path / "edited.xlsx"
    try:
        put(cell, value)
        book.save(path)
    finally:
        cell.value, cell.data_type, cell.number_format = old
    db_path = tmp_path / "db.sqlite"
    shutil.copyfile(sample_template, db_path)
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    database = open_database(db_path)
    try:
        try:
            import_workbook(database, path)
        except ImportFailed as failed:
            assert failed.problems
            for problem in failed.problems:  # a sheet, a row and a column, and a reason
                assert problem.sheet in book.sheetnames, problem
                assert problem.row >= 1, problem
                assert problem.column, problem
                assert problem.message, problem
            assert digest(database) == sample_digest
            return
        sheet = spec.sheet_named(title)
        assert sheet is not None
        field = sheet.column(header)
        if field.attr.startswith("@"):
            return  # a reference to another record: its text may name it differently
        again = tmp_path / "again.xlsx"
        export_workbook(database, again)
        rows = [list(r) for r in load_workbook(again, read_only=True)[title].values]
        uuid = ws.cell(row=row, column=ws.max_column).value
        if field.header == "UUID":
            uuid = as_read(field, read_back(path, title, row, col))
            if uuid is None:
                return  # matched by its natural key, keeping its own UUID
        index = rows[0].index("UUID")
        match = [r for r in rows[1:] if r[index] == uuid]
        assert len(match) == 1, uuid
        written = as_read(field, match[0][rows[0].index(header)])
        expected = as_read(field, read_back(path, title, row, col))
        if expected is None and field.kind in (Kind.BOOL, Kind.ENUM):
            # A blank Yes/No or vocabulary cell keeps a value the record must have.
            assert written in (None, as_read(field, old[0])), (written, old[0])
        else:
            assert written == expected
    finally:
        database.dispose()
