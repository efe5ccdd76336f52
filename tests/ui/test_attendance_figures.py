"""Figures for a period, driven through the window: counts beside rates, percentages optional,
per group and across groups, confirmed meetings only, what a reader must know first, and a
chart that is drawn afresh on every change of the filters."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import shiboken6
from PySide6.QtCharts import QBarCategoryAxis, QHorizontalStackedBarSeries
from PySide6.QtCore import QCoreApplication, QEvent, Qt

from lscb_desktop.models import AttendanceStatus, MeetingStatus, Role
from lscb_desktop.reports.attendance_data import counted
from lscb_desktop.services.agencies import AgencyInput, save_agency
from lscb_desktop.services.attendance_figures import NO_MEMBER, attendance_figures
from lscb_desktop.services.attendance_recording import (
    confirm_attendance,
    mark_all_present,
    record_attendance,
)
from lscb_desktop.services.meetings import MeetingInput, save_meeting
from lscb_desktop.services.members import MembershipInput, add_member
from lscb_desktop.services.people import PersonInput
from lscb_desktop.services.periods import parse_period
from lscb_desktop.services.settings import load_settings, save_settings
from tests.ui.attendance_scene import Scene, build_scene

PERIOD = parse_period("2026-27")


@pytest.fixture
def scene(sample_db) -> Scene:
    return build_scene(sample_db)


def figures_page(window, group: str | None = None):
    window.tabs.setCurrentWidget(window.attendance_tab)
    window.attendance_tab.inner.setCurrentWidget(window.attendance_tab.figures)
    page = window.attendance_tab.figures
    page.period.setCurrentIndex(page.period.findText("2026-27"))
    if group is not None:
        page.group.setCurrentIndex(page.group.findText(group))
    return page


def column(model, header: str) -> list[str]:
    index = next(
        i for i in range(model.columnCount()) if model.headerData(i, Qt.Horizontal) == header
    )
    return [model.index(row, index).data() for row in range(model.rowCount())]


def all_cells(model) -> list[str]:
    return [
        str(model.index(r, c).data())
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    ]


def test_counts_are_shown_beside_rates(window, scene):
    record_attendance(scene.db, scene.meeting, scene.people["ann"], AttendanceStatus.PRESENT)
    mark_all_present(scene.db, scene.meeting)
    record_attendance(scene.db, scene.meeting, scene.people["bob"], AttendanceStatus.APOLOGIES)
    page = figures_page(window, "Test Panel")
    expected = attendance_figures(scene.db, PERIOD, scene.group)
    assert column(page.members_model, "Attended") == [
        counted(r.attended, r.meetings) for r in expected.members
    ]
    assert "Bob Baker" in column(page.members_model, "Member")
    assert column(page.members_model, "Attended")[1] == "0 of 1 (0%)"
    assert column(page.agencies_model, "Represented") == [
        counted(r.represented, r.meetings) for r in expected.agencies
    ]
    assert "Test Business Unit" not in column(page.agencies_model, "Agency")  # never counted
    # Below the threshold in red, and counted in the summary.
    row = column(page.members_model, "Member").index("Bob Baker")
    assert page.members_model.index(row, 3).data(Qt.BackgroundRole) is not None
    assert "below 75%: 1 member(s), 1 agency" in page.summary.text()


def test_without_percentages_only_counts_and_a_chart_of_counts(window, scene):
    save_settings(scene.db, dataclasses.replace(load_settings(scene.db), show_percentages=False))
    mark_all_present(scene.db, scene.meeting)
    page = figures_page(window, "Test Panel")
    page.refresh()
    cells = all_cells(page.members_model) + all_cells(page.agencies_model)
    assert not any("%" in text for text in cells)
    assert "1 of 1" in column(page.members_model, "Attended")
    (series,) = page.chart.series()
    assert isinstance(series, QHorizontalStackedBarSeries)
    assert [bars.label() for bars in series.barSets()] == ["Represented", "Not represented"]
    assert page.chart.title().endswith("(meetings)")
    assert "below the threshold" in page.summary.text()


def test_per_group_and_across_groups(window, scene):
    mark_all_present(scene.db, scene.meeting)
    page = figures_page(window)
    assert page.group.currentText() == "All groups"
    expected = attendance_figures(scene.db, PERIOD)
    page.scope.setCurrentText("Per group")
    assert page.members_model.rows == expected.members
    assert page.agencies_model.rows == expected.agencies
    page.scope.setCurrentText("Across groups")
    assert page.members_model.rows == expected.member_totals
    assert set(column(page.agencies_model, "Group")) == {"All groups"}
    page.group.setCurrentIndex(page.group.findText("Test Panel"))
    assert not page.scope.isEnabled()  # one group: both are the same
    assert set(column(page.members_model, "Group")) == {"Test Panel"}


def test_an_agency_with_no_member_in_the_period_is_shown_with_the_note(window, scene):
    """The Test Panel's members were appointed in April 2026: for 2025-26 its agencies are in
    the table, each with the note, rather than missing from it."""
    page = figures_page(window, "Test Panel")
    page.period.setCurrentIndex(page.period.findText("2025-26"))
    assert page.figures.held == 0
    agencies = column(page.agencies_model, "Agency")
    assert agencies == ["Test Council", "Test Health", "Test Police"]
    assert column(page.agencies_model, "Represented") == ["—"] * 3
    assert column(page.agencies_model, "Note") == [NO_MEMBER] * 3


def test_confirmed_meetings_only_and_the_workbook_follows(window, scene, monkeypatch):
    mark_all_present(scene.db, scene.meeting)
    page = figures_page(window, "Test Panel")
    assert page.figures.held == 1
    assert page.caveats_model.lines[0][0] == "1 of 1 meeting(s) not yet confirmed with the minutes."
    page.confirmed.setChecked(True)
    assert page.figures.held == 0 and page.figures.confirmed_only
    assert "0 confirmed meetings held" in page.summary.text()
    assert page.caveats_model.lines[0][0].startswith(
        "Only attendance confirmed with the minutes is counted: 1 held meeting(s)"
    )
    confirm_attendance(scene.db, scene.meeting, dt.date(2026, 11, 23))
    window.attendance_tab.refresh()
    assert page.confirmed.isChecked()  # kept with the other filters
    assert page.group.currentText() == "Test Panel"
    assert page.figures.held == 1
    assert not page.caveats_box.isVisibleTo(page)  # nothing to say
    made: list[dict[str, object]] = []
    monkeypatch.setattr(
        "lscb_desktop.ui.attendance_figures.attendance_document",
        lambda *args, **kwargs: made.append({"args": args[2:], **kwargs}),
    )
    page.workbook_button.click()
    assert made == [{"args": (PERIOD, scene.group, "Test Panel"), "confirmed_only": True}]


def test_a_partly_recorded_meeting_is_named_and_opens(window, qtbot, scene):
    record_attendance(scene.db, scene.meeting, scene.people["ann"], AttendanceStatus.PRESENT)
    page = figures_page(window, "Test Panel")
    assert page.caveats_box.isVisibleTo(page)
    lines = [text for text, _ in page.caveats_model.lines]
    assert lines[0] == (
        "1 meeting(s) not fully recorded (nothing recorded counts as not attended):"
    )
    assert lines[1].strip() == "Test Panel, 18/11/2026: 1 of 5 recorded — double-click to record it"
    index = page.caveats_model.index(1)
    page.caveats.scrollTo(index)
    double_click(qtbot, page.caveats, index)
    tab = window.attendance_tab
    assert tab.inner.currentWidget() is tab.record
    assert tab.record.meeting.currentData() == scene.meeting
    assert "1 of 5 recorded" in tab.record.recorded.text()


def double_click(qtbot, view, index) -> None:
    """A double-click as the mouse makes it: press and release, then the double-click."""
    where = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=where)
    qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=where)


def categories(page) -> list[str]:
    axes = page.chart.axes()
    (names,) = [a for a in axes if isinstance(a, QBarCategoryAxis)]
    return list(names.categories())


def deleted_later() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_the_chart_is_drawn_afresh_on_every_filter_change(window, scene):
    """Two agencies whose names begin alike, a change of group and back: each time the chart
    has one axis of names with one label per bar, the agencies of the figures shown, and the
    chart before is gone (its labels cannot linger under the new ones)."""
    for name in (
        "Luton Borough Council Children's Services",
        "Luton Borough Council Children's Social Care",
    ):
        agency = save_agency(scene.db, AgencyInput(name=name))
        add_member(
            scene.db,
            scene.group,
            MembershipInput(role=Role.MEMBER, start_date=dt.date(2026, 4, 1)),
            person=PersonInput(name=f"Member of {name[-12:]}", agency_id=agency),
        )
    mark_all_present(scene.db, scene.meeting)
    other = save_meeting(
        scene.db,
        MeetingInput(scene.group, dt.datetime(2026, 10, 7, 10), status=MeetingStatus.HELD),
    )
    record_attendance(scene.db, other, scene.people["ann"], AttendanceStatus.PRESENT)
    page = figures_page(window, "Test Panel")
    before = page.chart
    for group in ("Strategic Board", "Test Panel", "Strategic Board", "Test Panel"):
        page.group.setCurrentIndex(page.group.findText(group))
        deleted_later()
        assert not shiboken6.isValid(before)  # the chart before was deleted, axes and all
        before = page.chart
        figures = attendance_figures(scene.db, PERIOD, page.group.currentData())
        expected = [r for r in figures.agency_totals if r.meetings]
        shown = categories(page)
        assert len(page.chart.axes()) == 2
        (series,) = page.chart.series()
        assert series.barSets()[0].count() == len(shown) == len(set(shown))  # a label a bar
        assert sorted(shown) == sorted(r.agency for r in expected)
    assert "Luton Borough Council Children's Services" in shown
    assert "Luton Borough Council Children's Social Care" in shown
    assert page.chart_view.minimumHeight() >= 26 * len(shown)  # every name has room
