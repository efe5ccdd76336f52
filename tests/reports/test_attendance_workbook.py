"""The annual attendance workbook as the annual report uses it, read back cell by cell: last
year's workbook does not move when a member moves agency; the summary says which meetings are not
fully recorded or confirmed, in the Attendance tab's words; confirmed-only; counts beside rates,
percentages optional; an agency with no member in the period; the members across the groups."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lscb_desktop.models import Agency, Group, Meeting, MeetingStatus, Membership, Person, Role
from lscb_desktop.services.attendance import meeting_sheet
from lscb_desktop.services.attendance_figures import NO_MEMBER, attendance_figures
from lscb_desktop.services.attendance_recording import record_attendance, unconfirm_attendance
from lscb_desktop.services.exports import iter_export_attendance
from lscb_desktop.services.people import person_input, save_person
from lscb_desktop.services.periods import parse_period
from lscb_desktop.services.settings import load_settings, save_settings
from tests.conftest import SAMPLE_TODAY

LAST_YEAR = parse_period("2025-26")
CONFIRMED_ONLY = "Only attendance confirmed with the minutes is counted"


def workbook_of(db, path, period=LAST_YEAR, **options):
    list(iter_export_attendance(db, period, path, made=SAMPLE_TODAY, **options))
    return load_workbook(path)


def every_cell(book) -> dict[str, list[tuple[object, ...]]]:
    """Each sheet's cells: value and number format, row by row; and its merged ranges."""
    return {
        sheet.title: [
            tuple((cell.value, cell.number_format) for cell in row) for row in sheet.iter_rows()
        ]
        + [tuple(sorted(str(r) for r in sheet.merged_cells.ranges))]
        for sheet in book.worksheets
    }


def all_text(sheet) -> str:
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


def table(sheet) -> tuple[list[str], list[list[object]]]:
    """The sheet's column names and its rows below them."""
    header = next(row[0].row for row in sheet.iter_rows() if row[0].value in ("Agency", "Member"))
    names = [c.value for c in sheet[header]]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=header + 1)]
    return names, [r for r in rows if r[0] is not None]


def board_member_who_attended(db):
    """A current Board member who attended Board meetings last year; an agency with a seat on
    no group; and another agency on the Board."""
    with db.session() as session:
        board = session.scalars(select(Group).where(Group.short_name == "Board")).one()
        members = session.scalars(
            select(Membership).where(
                Membership.group_id == board.id,
                Membership.end_date.is_(None),
                Membership.role == Role.MEMBER,
                Membership.start_date < LAST_YEAR.start,
            )
        ).all()
        person = members[0].person
        seated = {m.agency_id for m in session.scalars(select(Membership))}
        elsewhere = next(
            a for a in session.scalars(select(Agency).order_by(Agency.name)) if a.id not in seated
        )
        on_board = next(m.agency_id for m in members if m.agency_id != person.agency_id)
        return person.id, person.display_name, person.agency.name, elsewhere.id, on_board


@pytest.mark.parametrize("to", ["an agency on no group", "an agency already on the Board"])
def test_last_years_workbook_is_identical_after_a_member_moves_agency(sample_db, tmp_path, to):
    person_id, name, old_agency, elsewhere, on_board = board_member_who_attended(sample_db)
    before = workbook_of(sample_db, tmp_path / "before.xlsx")
    board_lines = {r[0]: r for r in table(before["Board"])[1]}
    assert board_lines[name][1] == old_agency  # they are in it, for the agency they were with
    new_agency = elsewhere if to == "an agency on no group" else on_board

    moved = dataclasses.replace(person_input(sample_db, person_id), agency_id=new_agency)
    save_person(sample_db, moved, person_id)  # from today: memberships ended and continued

    with sample_db.session() as session:
        seats = session.scalars(select(Membership).where(Membership.person_id == person_id)).all()
        assert any(m.agency_id == new_agency and m.start_date == SAMPLE_TODAY for m in seats)
    after = workbook_of(sample_db, tmp_path / "after.xlsx")
    assert every_cell(after) == every_cell(before)
    assert after.sheetnames == before.sheetnames


def test_a_member_who_moved_during_the_year_has_a_line_per_agency(sample_db, tmp_path):
    person_id, name, old_agency, elsewhere, _ = board_member_who_attended(sample_db)
    with sample_db.session() as session:
        new_name = session.get_one(Agency, elsewhere).name
        # The sample confirms last year's meetings with the minutes, and confirmed attendance
        # stays as confirmed through a move: this office had not confirmed the autumn's yet.
        for meeting in session.scalars(
            select(Meeting).where(Meeting.starts_at >= dt.datetime(2025, 10, 1))
        ):
            meeting.attendance_confirmed_on = None
    moved = dataclasses.replace(
        person_input(sample_db, person_id), agency_id=elsewhere, moved_on=dt.date(2025, 10, 1)
    )
    save_person(sample_db, moved, person_id)
    book = workbook_of(sample_db, tmp_path / "moved.xlsx")
    names, rows = table(book["Members"])
    theirs = {row[1]: dict(zip(names, row, strict=True)) for row in rows if row[0] == name}
    assert set(theirs) == {old_agency, new_name}
    board = [row for row in table(book["Board"])[1] if row[0] == name]
    assert {row[1] for row in board} == {old_agency, new_name}
    totals = {
        (r.name, r.agency): (r.attended, r.meetings)
        for r in attendance_figures(sample_db, LAST_YEAR).member_totals
    }
    for agency, line in theirs.items():
        assert (line["Attended"], line["Expected"]) == totals[(name, agency)]


def test_the_members_sheet_equals_the_attendance_tabs_totals(sample_db, tmp_path):
    book = workbook_of(sample_db, tmp_path / "members.xlsx")
    names, rows = table(book["Members"])
    assert names == [
        "Member",
        "Agency",
        "Groups",
        "Attended",
        "Apologies",
        "Substitute sent",
        "Absent",
        "Not recorded",
        "Expected",
        "Rate",
    ]
    figures = attendance_figures(sample_db, LAST_YEAR)
    shown = {(r[0], r[1]): (r[3], r[4], r[5], r[6], r[7], r[8], pytest.approx(r[9])) for r in rows}
    assert shown == {
        (m.name, m.agency): (
            m.attended,
            m.apologies,
            m.substitutes,
            m.absent,
            m.unrecorded,
            m.meetings,
            m.rate,
        )
        for m in figures.member_totals
    }


def first_held(db, group: str, period=LAST_YEAR) -> int:
    with db.session() as session:
        return session.scalars(
            select(Meeting.id)
            .join(Group, Group.id == Meeting.group_id)
            .where(Group.name == group, Meeting.status == MeetingStatus.HELD)
            .where(Meeting.starts_at >= dt.datetime.combine(period.start, dt.time()))
            .order_by(Meeting.starts_at)
        ).first()


def test_the_summary_names_meetings_not_fully_recorded_in_the_tabs_words(sample_db, tmp_path):
    meeting_id = first_held(sample_db, "Strategic Board")
    someone = next(r for r in meeting_sheet(sample_db, meeting_id).attendees if r.status)
    record_attendance(sample_db, meeting_id, someone.person_id, None, after_confirmation=True)
    book = workbook_of(sample_db, tmp_path / "partial.xlsx")
    figures = attendance_figures(sample_db, LAST_YEAR)
    assert figures.incomplete  # the meeting is now one of them
    summary = [c.value for row in book["Summary"].iter_rows(max_row=10) for c in row if c.value]
    for caveat in figures.caveats:
        assert caveat in summary
    assert any("Strategic Board" in c and "not fully recorded" in c for c in figures.caveats)
    board = all_text(book["Board"])
    assert "Not recorded (per meeting)" in board
    assert "not fully recorded (nothing recorded counts as not attended)" in board


def test_confirmed_only_counts_confirmed_meetings_and_says_so_on_every_sheet(sample_db, tmp_path):
    meeting_id = first_held(sample_db, "Strategic Board")
    unconfirm_attendance(sample_db, meeting_id)
    with sample_db.session() as session:
        left_out = f"{session.get_one(Meeting, meeting_id).starts_at:%d/%m/%Y}"
    everything = workbook_of(sample_db, tmp_path / "all.xlsx")
    assert left_out in [c.value for c in everything["Board"][5]]
    assert CONFIRMED_ONLY not in all_text(everything["Summary"])
    book = workbook_of(sample_db, tmp_path / "confirmed.xlsx", confirmed_only=True)
    for sheet in book.worksheets:
        assert CONFIRMED_ONLY in all_text(sheet), sheet.title
    assert left_out not in [c.value for c in book["Board"][5]]
    figures = attendance_figures(sample_db, LAST_YEAR, confirmed_only=True)
    summary = all_text(book["Summary"])
    for caveat in figures.caveats:
        assert caveat in summary
    assert "held meeting(s) not yet confirmed are left out" in summary
    _, rows = table(book["Summary"])
    totals = {r[0]: (r[2], r[3]) for r in rows if r[1] == "All groups"}
    assert totals == {a.agency: (a.represented, a.meetings) for a in figures.agency_totals}


def test_without_percentages_the_workbook_gives_counts_only(sample_db, tmp_path):
    save_settings(sample_db, dataclasses.replace(load_settings(sample_db), show_percentages=False))
    book = workbook_of(sample_db, tmp_path / "counts.xlsx")
    figures = attendance_figures(sample_db, LAST_YEAR)
    for sheet in book.worksheets:
        names, rows = table(sheet)
        assert "Rate" not in names, sheet.title
        assert "%" not in all_text(sheet), sheet.title
        assert not list(sheet.conditional_formatting), sheet.title
        assert all(c.number_format != "0%" for row in sheet.iter_rows() for c in row)
    names, rows = table(book["Summary"])
    assert names[:4] == ["Agency", "Group", "Represented", "Expected"]
    totals = {r[0]: (r[2], r[3]) for r in rows if r[1] == "All groups"}
    assert totals == {a.agency: (a.represented, a.meetings) for a in figures.agency_totals}
    assert book["Summary"]._charts  # a chart of the counts instead


def test_an_agency_with_no_member_in_the_period_shows_the_note_not_a_rate(sample_db, tmp_path):
    agency = "Barnfield College"
    with sample_db.session() as session:
        board = session.scalars(select(Group).where(Group.short_name == "Board")).one()
        person = Person(name="Dana Okafor", agency=Agency(name=agency, sector="Education"))
        session.add(  # appointed after the period: the agency is on the Board now
            Membership(person=person, group=board, role=Role.MEMBER, start_date=dt.date(2026, 6, 1))
        )
    book = workbook_of(sample_db, tmp_path / "noted.xlsx")
    _, rows = table(book["Summary"])
    noted = [r for r in rows if r[0] == agency]
    assert {r[1] for r in noted} == {"All groups", "Strategic Board"}
    for row in noted:
        assert (row[2], row[3], row[4]) == (0, 0, NO_MEMBER)
    figures = attendance_figures(sample_db, LAST_YEAR)
    assert any(a.agency == agency and a.note == NO_MEMBER for a in figures.agency_totals)
    assert rows.index(noted[0]) > max(  # after the agencies with figures, out of the chart
        i for i, r in enumerate(rows) if r[1] == "All groups" and r[3]
    )


def test_counts_sit_beside_rates_on_every_sheet(sample_db, tmp_path):
    book = workbook_of(sample_db, tmp_path / "counts-and-rates.xlsx")
    for sheet in book.worksheets:
        names, rows = table(sheet)
        assert "Expected" in names and "Rate" in names, sheet.title
        expected, rate = names.index("Expected"), names.index("Rate")
        counted = "Represented" if "Represented" in names else "Attended"
        done = names.index(counted)
        for row in rows:
            if isinstance(row[rate], float | int) and isinstance(row[expected], int):
                assert row[rate] == pytest.approx(row[done] / row[expected]), sheet.title


def test_the_person_counted_is_present_in_the_codes(sample_db, tmp_path):
    """A code per meeting on the group sheet adds up to the member's Attended."""
    book = workbook_of(sample_db, tmp_path / "codes.xlsx")
    names, rows = table(book["Board"])
    dates = names[2 : names.index("Attended")]
    for row in rows:
        if "(per meeting)" in str(row[0]) or row[0] == "Confirmed with the minutes":
            continue
        codes = row[2 : 2 + len(dates)]
        assert codes.count("P") == row[names.index("Attended")]
