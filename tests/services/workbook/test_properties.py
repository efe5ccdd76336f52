"""Properties: any cell of the exported sample workbook (and, more often, of the columns issue 12
added) replaced by any value either imports (and the value comes back in the next export) or is
refused with located problems and nothing changed, never an exception; and an import of a
workbook in which a member moved agency never changes last year's attendance figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from sqlalchemy import select

from lscb_desktop.models import Agency, Attendance, Meeting, Membership
from lscb_desktop.services.attendance_figures import attendance_figures, attendance_grids
from lscb_desktop.services.people import person_input, save_person
from lscb_desktop.services.periods import period_containing, period_starting
from lscb_desktop.services.settings import FIELD_TYPES, parse_setting
from lscb_desktop.services.workbook import ImportFailed, export_workbook, import_workbook, spec
from lscb_desktop.services.workbook.cells import CellError, Kind, Limits, read_field
from lscb_desktop.store import Database, open_database
from tests.conftest import SAMPLE_TODAY
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


#: Columns whose blank cell keeps what a record holds (beside every Yes/No and vocabulary).
KEEP_WHEN_BLANK = {("Attendance", "Seat")}


def check_replaced(
    book: Workbook,
    title: str,
    row: int,
    col: int,
    value: Any,
    sample_template: Path,
    sample_digest: str,
    tmp_path: Path,
) -> None:
    """Writes ``value`` into one cell of ``book``, imports it into a copy of the sample and checks
    that it was either refused with located problems and nothing changed, or imported and comes
    back in the next export."""
    ws = book[title]
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
            event(f"{title}, {header}: refused")
            assert failed.problems
            for problem in failed.problems:  # a sheet, a row and a column, and a reason
                assert problem.sheet in book.sheetnames, problem
                assert problem.row >= 1, problem
                assert problem.column, problem
                assert problem.message, problem
            assert digest(database) == sample_digest
            return
        event(f"{title}, {header}: imported")
        sheet = spec.sheet_named(title)
        assert sheet is not None
        field = sheet.column(header)
        again = tmp_path / "again.xlsx"
        if title == "Settings" and header == "Value":
            export_workbook(database, again)
            key = ws.cell(row=row, column=1).value
            values = dict(list(r)[:2] for r in load_workbook(again, read_only=True)[title].values)
            typed = _setting_text(read_back(path, title, row, col))
            assert parse_setting(key, _setting_text(values[key])) == parse_setting(key, typed)
            return
        if field.attr.startswith("@"):
            return  # a reference to another record: its text may name it differently
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
        if expected in (None, "") and (
            field.kind in (Kind.BOOL, Kind.ENUM) or (title, header) in KEEP_WHEN_BLANK
        ):
            # A blank Yes/No or vocabulary cell keeps a value the record must have (and a
            # blank seat keeps what was recorded on the day).
            assert written in (None, "", as_read(field, old[0])), (written, old[0])
        else:
            assert written == expected
    finally:
        database.dispose()


def _setting_text(value: Any) -> str:
    """A yes/no setting's cell as the import reads it (Excel's TRUE and FALSE are yes and no)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None or (isinstance(value, str) and not value.strip()) else str(value)


SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@settings(SETTINGS, max_examples=60)
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
    value = data.draw(st.one_of(VALUES, copied(ws, col)), label="value")
    check_replaced(book, title, row, col, value, sample_template, sample_digest, tmp_path)


def copied(ws: Any, col: int) -> st.SearchStrategy[Any]:
    """Another row's value in the same column (a name, a UUID, a date copied over)."""
    return st.integers(min_value=2, max_value=ws.max_row).map(
        lambda other: as_written(ws.cell(row=other, column=col).value)
    )


#: The columns issue 12 added (and those their rules read), by sheet; every column of the new
#: Declarations sheet.
NEW_COLUMNS = {
    "Settings": ("Value",),
    "Agencies": ("Counts for quorum",),
    "Groups": ("Quorum partners",),
    "Memberships": ("Agency", "Represents"),
    "Meetings": ("Attendance confirmed", "Confirmed by"),
    "Attendance": (
        "Agency on the day",
        "Role on the day",
        "Seat",
        "Status",
        "Reason",
        "Substitute",
        "Substitute email",
        "Arrived",
        "Left",
    ),
    "Guests": ("Job title", "For items"),
    "Declarations": tuple(c.header for c in spec.DECLARATIONS.columns),
}
#: The yes/no settings, whose Value cells the property fills.
YES_NO = sorted(key for key, kind in FIELD_TYPES.items() if kind is bool)
TIMES = st.one_of(
    st.times(),
    st.sampled_from(["10:20", "9am", "11:45", "23:59", "25:00", "noon", 0.4375, 0.99]),
)


@pytest.fixture(scope="module")
def one_sheet_books(exported: Path) -> dict[str, Workbook]:
    """The sample's export, one workbook per sheet with new columns (the rest of the records are
    in the database already), so each example imports one sheet."""
    books = {}
    for title in NEW_COLUMNS:
        book = load_workbook(exported)
        for other in book.sheetnames:
            if other != title:
                del book[other]
        books[title] = book
    return books


@pytest.fixture(scope="module")
def open_rows(one_sheet_books: dict[str, Workbook], exported: Path) -> dict[str, list[int]]:
    """By sheet, the rows at meetings whose attendance is not confirmed (where most of the
    sample's attendance is locked, these are where the rules of each column are reached)."""
    meetings = load_workbook(exported, read_only=True)["Meetings"]
    rows = [list(r) for r in meetings.values]
    group, day, confirmed = (rows[0].index(h) for h in ("Group", "Date", "Attendance confirmed"))
    unlocked = {(r[group], r[day]) for r in rows[1:] if r[confirmed] is None}
    found = {}
    for title, book in one_sheet_books.items():
        ws = book[title]
        headers = [c.value for c in ws[1]]
        if "Meeting date" not in headers:
            continue
        g, d = headers.index("Group") + 1, headers.index("Meeting date") + 1
        found[title] = [
            r
            for r in range(2, ws.max_row + 1)
            if (ws.cell(row=r, column=g).value, ws.cell(row=r, column=d).value) in unlocked
        ]
    return found


#: Each new column, by sheet and header, so each is drawn as often as any other.
PAIRS = [(title, header) for title, headers in NEW_COLUMNS.items() for header in headers]


@settings(SETTINGS, max_examples=80)
@given(data=st.data())
def test_any_cell_of_the_new_columns_replaced_by_any_value(
    data: st.DataObject,
    one_sheet_books: dict[str, Workbook],
    open_rows: dict[str, list[int]],
    sample_template: Path,
    sample_digest: str,
    tmp_path: Path,
) -> None:
    title, header = data.draw(st.sampled_from(PAIRS), label="column")
    book = one_sheet_books[title]
    ws = book[title]
    col = [c.value for c in ws[1]].index(header) + 1
    if title == "Settings":
        keys = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
        row = keys.index(data.draw(st.sampled_from(YES_NO), label="setting")) + 2
    else:
        rows = st.integers(min_value=2, max_value=ws.max_row)
        if open_rows.get(title):
            rows = st.one_of(rows, st.sampled_from(open_rows[title]))
        row = data.draw(rows, label="row")
    field = spec.sheet_named(title).column(header)  # type: ignore[union-attr]
    extra = TIMES if field.kind is Kind.TIME else st.sampled_from(["Yes", "no", "4; 5", "2; 3"])
    value = data.draw(st.one_of(VALUES, copied(ws, col), extra), label="value")
    check_replaced(book, title, row, col, value, sample_template, sample_digest, tmp_path)


# -- a member who moved agency ------------------------------------------------------------------

#: What a refused import of a move may say: the move changed attendance that is confirmed with
#: the minutes, or left a substitute from the old agency beside a member now of the new one.
ALLOWED_REFUSALS = (
    "unconfirm it in the window first",
    "a substitute represents the member's agency",
)
THIS_YEAR = period_containing(SAMPLE_TODAY)
LAST_YEAR = period_starting(THIS_YEAR.start.year - 1)


@pytest.fixture(scope="module")
def movers(sample_template: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    """(person, agencies they could move to) for each member whose membership runs into this
    year."""
    copy = tmp_path_factory.mktemp("movers") / "sample.sqlite"
    shutil.copyfile(sample_template, copy)
    database = open_database(copy)
    try:
        with database.session() as session:
            agencies = sorted(session.scalars(select(Agency.id)))
            people = sorted(
                {
                    (m.person_id, m.person.agency_id)
                    for m in session.scalars(select(Membership))
                    if m.end_date is None or m.end_date >= THIS_YEAR.start
                },
                key=lambda p: p[0],
            )
        return [(person, [a for a in agencies if a != own]) for person, own in people]
    finally:
        database.dispose()


def copy_of(template: Path, path: Path) -> Database:
    shutil.copyfile(template, path)
    return open_database(path)


def spells(database: Database, person_id: int) -> list[tuple[Any, ...]]:
    with database.session() as session:
        return sorted(
            (m.group_id, m.start_date, m.end_date, m.agency_id, m.role)
            for m in session.scalars(select(Membership).where(Membership.person_id == person_id))
        )


def on_the_day(database: Database, person_id: int) -> list[tuple[Any, ...]]:
    with database.session() as session:
        return sorted(
            (a.meeting_id, a.agency_id, a.role, a.seat)
            for a in session.scalars(select(Attendance).where(Attendance.person_id == person_id))
        )


def last_year(database: Database) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """What was true on the day at last year's meetings, and the memberships of last year (with
    the agency each represented), row by row."""
    start = dt.datetime.combine(LAST_YEAR.start, dt.time())
    end = dt.datetime.combine(THIS_YEAR.start, dt.time())
    with database.session() as session:
        attendance = session.execute(
            select(Attendance.id, Attendance.agency_id, Attendance.role, Attendance.seat)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Meeting.starts_at >= start, Meeting.starts_at < end)
            .order_by(Attendance.id)
        ).all()
        memberships = session.execute(
            select(Membership.id, Membership.agency_id, Membership.start_date)
            .where(Membership.start_date <= LAST_YEAR.end)
            .order_by(Membership.id)
        ).all()
    return [tuple(r) for r in attendance], [tuple(r) for r in memberships]


def edit_column(book: Workbook, title: str, header: str, how: str) -> None:
    """Leaves a column as exported, blanks every cell of it, or takes it out of the sheet."""
    if title not in book.sheetnames or how == "as exported":
        return
    ws = book[title]
    col = [c.value for c in ws[1]].index(header) + 1
    if how == "left out":
        ws.delete_cols(col)
        return
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=col).value = None


@settings(SETTINGS, max_examples=10)
@given(data=st.data())
def test_an_import_in_which_a_member_moved_agency_never_changes_last_years_figures(
    data: st.DataObject, movers: list[Any], sample_template: Path, tmp_path: Path
) -> None:
    person_id, agencies = data.draw(st.sampled_from(movers), label="member")
    agency_id = data.draw(st.sampled_from(agencies), label="new agency")
    moved_on = data.draw(
        st.dates(min_value=THIS_YEAR.start, max_value=SAMPLE_TODAY + dt.timedelta(days=90)),
        label="moved on",
    )
    sheets = {"People", *data.draw(st.sets(st.sampled_from(["Memberships", "Attendance"])))}
    agency_on_the_day = data.draw(st.sampled_from(["as exported", "blank", "left out"]))
    represents = data.draw(st.sampled_from(["as exported", "blank", "left out"]))
    ours, theirs = (copy_of(sample_template, tmp_path / f"{n}.sqlite") for n in ("a", "b"))
    try:
        figures = attendance_figures(ours, LAST_YEAR)
        grids = attendance_grids(ours, LAST_YEAR)
        records = last_year(ours)
        # Someone moves the member in their copy (as the window does), and exports it.
        person = person_input(theirs, person_id)
        save_person(
            theirs, dataclasses.replace(person, agency_id=agency_id, moved_on=moved_on), person_id
        )
        path = tmp_path / "moved.xlsx"
        export_workbook(theirs, path)
        book = load_workbook(path)
        for title in book.sheetnames:
            if title not in sheets:
                del book[title]
        edit_column(book, "Attendance", "Agency on the day", agency_on_the_day)
        edit_column(book, "Memberships", "Represents", represents)
        book.save(path)
        try:
            import_workbook(ours, path)
        except ImportFailed as failed:
            event("refused")
            for problem in failed.problems:
                assert any(words in problem.message for words in ALLOWED_REFUSALS), problem
        else:
            event("imported")
            if "Memberships" in sheets and represents == "as exported":
                assert spells(ours, person_id) == spells(theirs, person_id)
            if "Attendance" in sheets and agency_on_the_day == "as exported":
                assert on_the_day(ours, person_id) == on_the_day(theirs, person_id)
        assert last_year(ours) == records
        assert attendance_figures(ours, LAST_YEAR) == figures
        assert attendance_grids(ours, LAST_YEAR) == grids
        # The mover's own copy says the same of last year.
        assert attendance_figures(theirs, LAST_YEAR) == figures
    finally:
        ours.dispose()
        theirs.dispose()
