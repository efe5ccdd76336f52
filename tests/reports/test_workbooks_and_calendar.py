"""The annual attendance workbook and the calendar, read back: cells, number formats,
conditional formatting, print setup, the chart; the .ics parsed back."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from lscb_desktop.services.attendance_figures import attendance_figures
from lscb_desktop.services.exports import (
    export_calendar,
    export_contacts,
    iter_export_attendance,
)
from lscb_desktop.services.groups import group_rows
from lscb_desktop.services.meetings import meeting_rows
from lscb_desktop.services.periods import parse_period

PERIOD = parse_period("2025-26")


@pytest.fixture
def workbook(sample_db, tmp_path):
    target = tmp_path / "attendance.xlsx"
    steps = list(iter_export_attendance(sample_db, PERIOD, target, made=dt.date(2026, 11, 23)))
    assert steps[-1].message == "Saved"
    return load_workbook(target)


def header_row(sheet) -> int:
    """The row of the table's column names (the summary's notes above it vary in number)."""
    return next(row[0].row for row in sheet.iter_rows() if row[0].value in ("Agency", "Member"))


def test_the_summary_equals_the_attendance_tabs_figures(workbook, sample_db):
    summary = workbook["Summary"]
    assert summary["A1"].value == "Luton Safeguarding Children Board: attendance summary"
    assert summary["A2"].value.startswith("2025-26: 01/04/2025 to 31/03/2026. Made 23/11/2026.")
    header = header_row(summary)
    assert [c.value for c in summary[header]] == [
        "Agency",
        "Group",
        "Represented",
        "Expected",
        "Rate",
    ]
    rows = [[c.value for c in row] for row in summary.iter_rows(min_row=header + 1)]
    all_groups = {r[0]: r for r in rows if r[1] == "All groups"}
    figures = attendance_figures(sample_db, PERIOD)
    assert {a.agency: (a.represented, a.meetings) for a in figures.agency_totals} == {
        name: (r[2], r[3]) for name, r in all_groups.items()
    }
    board_id = next(g.id for g in group_rows(sample_db) if g.short_name == "Board")
    board = attendance_figures(sample_db, PERIOD, board_id)
    by_group = {(r[0], r[1]): r for r in rows}
    for rate in board.agencies:
        row = by_group[(rate.agency, "Strategic Board")]
        assert (row[2], row[3]) == (rate.represented, rate.meetings)
        assert row[4] == (rate.note or pytest.approx(rate.rate))
    for row in rows:  # a rate is a number; a row without meetings says why instead
        assert isinstance(row[2], int) and isinstance(row[3], int)
        if row[3]:
            assert isinstance(row[4], int | float)
        else:
            assert row[4] == "No member during the period"
    assert summary.cell(row=header + 1, column=5).number_format == "0%"


def test_low_rates_are_highlighted_by_conditional_formatting(workbook):
    for sheet in workbook.worksheets:
        rules = [
            (str(rng.sqref), rule.operator, rule.formula)
            for rng in sheet.conditional_formatting
            for rule in rng.rules
        ]
        assert len(rules) == 1, sheet.title
        assert rules[0][1:] == ("lessThan", ["0.75"])


def test_a_group_sheet_has_codes_rates_totals_and_a_legend(workbook, sample_db):
    board = workbook["Board"]
    assert board["A1"].value == "Strategic Board: attendance"
    legend = board["A3"].value
    for words in (
        "P present in person",
        "A apologies sent",
        "S substitute sent",
        "X absent without apologies",
        "– nothing recorded (counts as not attended)",
        "blank: not a member",
    ):
        assert words in legend
    header = [c.value for c in board[5]]
    assert header[:2] == ["Member", "Agency"]
    assert header[-3:] == ["Attended", "Expected", "Rate"]
    dates = header[2:-3]
    held = [
        r
        for r in meeting_rows(sample_db, period=PERIOD)
        if r.group == "Strategic Board" and r.status.value == "held"
    ]
    assert sorted(dates, key=lambda d: dt.datetime.strptime(d, "%d/%m/%Y")) == dates
    assert len(dates) == len(held)
    lines = {row[0].value: row for row in board.iter_rows(min_row=6) if row[0].value}
    leaver = lines["Chris Bridgett"]  # left in October 2025
    codes = [c.value for c in leaver[2 : 2 + len(dates)]]
    assert codes[-1] is None  # not a member then
    assert set(codes[:2]) <= {"P", "A", "S", "X"}
    joiner = lines["Vijay Patel"]  # joined in October 2025
    assert joiner[2].value is None
    board_id = next(g.id for g in group_rows(sample_db) if g.short_name == "Board")
    rates = {r.name: r for r in attendance_figures(sample_db, PERIOD, board_id).members}
    vijay = lines["Vijay Patel"]
    assert vijay[-1].value == pytest.approx(rates["Vijay Patel"].rate)
    assert (vijay[-3].value, vijay[-2].value) == (
        rates["Vijay Patel"].attended,
        rates["Vijay Patel"].meetings,
    )
    assert vijay[-1].number_format == "0%"
    present = lines["Present (per meeting)"]
    column = [row[2].value for row in board.iter_rows(min_row=6) if row[0].value in rates]
    assert present[2].value == column.count("P")
    confirmed = [c.value for c in lines["Confirmed with the minutes"][2 : 2 + len(dates)]]
    assert set(confirmed) <= {"Yes", "No"}


def test_every_sheet_is_frozen_filtered_and_set_up_to_print(workbook):
    for sheet in workbook.worksheets:
        header = header_row(sheet)
        assert sheet.freeze_panes == f"B{header + 1}", sheet.title
        assert sheet.auto_filter.ref.startswith(f"A{header}:")
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == f"$1:${header}"
        assert sheet.oddHeader.center.text == "OFFICIAL-SENSITIVE"
        assert sheet.oddHeader.right.text == "Made 23/11/2026"
    assert header_row(workbook["Board"]) == 5


def test_the_summary_has_a_bar_chart_of_agency_representation(workbook):
    charts = workbook["Summary"]._charts
    assert len(charts) == 1
    assert charts[0].type == "bar"


def test_the_contact_workbook(sample_db, tmp_path):
    maag = next(g.id for g in group_rows(sample_db) if g.short_name == "MAAG")
    sheet = load_workbook(export_contacts(sample_db, maag, tmp_path / "c.xlsx"))["Contacts"]
    assert [c.value for c in sheet[2]] == ["Name", "Role", "Agency", "Email", "Phone"]
    emails = [row[3].value for row in sheet.iter_rows(min_row=3)]
    assert "mary.emson@lutonccg.nhs.uk" in emails
    assert len(emails) == 8


def test_the_calendar_parses_back_with_stable_ids(sample_db, tmp_path):
    board = next(g.id for g in group_rows(sample_db) if g.short_name == "Board")
    first = export_calendar(sample_db, tmp_path / "a.ics", group_id=board)
    second = export_calendar(sample_db, tmp_path / "b.ics", group_id=board)
    events = Calendar.from_ical(first.read_bytes()).walk("VEVENT")
    again = Calendar.from_ical(second.read_bytes()).walk("VEVENT")
    meetings = meeting_rows(sample_db, group_id=board)
    assert len(events) == len(meetings)
    assert [str(e["uid"]) for e in events] == [str(e["uid"]) for e in again]
    june = next(e for e in events if e.decoded("dtstart").date() == dt.date(2026, 6, 10))
    assert str(june["summary"]) == "Strategic Board"
    assert str(june["location"]) == "Council Chamber, Town Hall"
    start = june.decoded("dtstart")
    assert (start.hour, start.utcoffset()) == (14, dt.timedelta(hours=1))  # British Summer Time
    assert june.decoded("dtend").hour == 16
    assert Calendar.from_ical(first.read_bytes()).walk("VTIMEZONE")
    period = export_calendar(sample_db, tmp_path / "c.ics", period=parse_period("2026-27"))
    dates = [
        e.decoded("dtstart").date() for e in Calendar.from_ical(period.read_bytes()).walk("VEVENT")
    ]
    assert dates and all(dt.date(2026, 4, 1) <= d <= dt.date(2027, 3, 31) for d in dates)
