"""The Attendance tab: recording a meeting from the keyboard, the live quorum, the figures."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from lscb_desktop.services.attendance_figures import attendance_figures
from lscb_desktop.services.meetings import meeting_rows
from lscb_desktop.services.periods import parse_period
from lscb_desktop.ui.meeting_dialogs import MeetingDialog


def statuses(page) -> dict[str, str]:
    return {
        page.model.index(i, 0).data(): page.model.index(i, 3).data()
        for i in range(page.model.rowCount())
    }


def test_a_meeting_is_recorded_from_the_keyboard_and_the_quorum_follows(
    window, answer, qtbot, monkeypatch
):
    # A new SAG meeting (quorum: three agencies), recorded row by row with P, A, S and X.
    window.tabs.setCurrentWidget(window.meetings_tab)
    answer(
        MeetingDialog,
        lambda d: (
            d.group.setCurrentText("Scrutiny and Assurance Group"),
            d.starts_at.setDateTime(
                d.starts_at.dateTime().fromString("18/11/2026 09:30", "dd/MM/yyyy HH:mm")
            ),
            d.status.setCurrentText("Held"),
            d.save(),
        ),
    )
    window.meetings_tab.new_meeting()
    meeting = window.meetings_tab.current_meeting()
    window.tabs.setCurrentWidget(window.attendance_tab)
    page = window.attendance_tab.record
    page.select_meeting(meeting.id)
    assert (
        page.meeting.currentText() == "Wed 18/11/2026 09:30 — Scrutiny and Assurance Group (held)"
    )
    assert set(statuses(page).values()) == {"—"}
    assert page.quorum.text().endswith("Not quorate: 0 agencies (needs 3)</span>")
    names = list(statuses(page))
    page.table.setFocus()
    page.table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Stand-in from the NSPCC", True))
    for key in (Qt.Key.Key_P, Qt.Key.Key_A, Qt.Key.Key_S, Qt.Key.Key_X, Qt.Key.Key_P):
        qtbot.keyClick(page.table, key)
    recorded = statuses(page)
    assert [recorded[n] for n in names[:5]] == [
        "Present",
        "Apologies",
        "Substitute",
        "Absent",
        "Present",
    ]
    assert page.model.index(2, 4).data() == "Stand-in from the NSPCC"
    assert page.table.currentIndex().row() == 5  # ready for the next person
    sheet = page.sheet
    represented = {r.agency for r in sheet.attendees if r.represents_agency}
    assert f"{len(represented)} agenc" in page.quorum.text()
    page.buttons[-3].click()  # All present
    assert list(statuses(page).values()).count("—") == 0
    assert "Quorate" in page.quorum.text()
    assert "Marked" in window.statusBar().currentMessage()


def test_a_substitute_on_file_is_chosen_from_the_list(window, monkeypatch, qtbot):
    window.tabs.setCurrentWidget(window.attendance_tab)
    page = window.attendance_tab.record
    page.table.setFocus()
    page.table.selectRow(0)
    name = page.model.index(0, 0).data()
    monkeypatch.setattr(
        QInputDialog, "getItem", lambda _p, _t, _l, options, *a, **k: (options[-1], True)
    )
    qtbot.keyClick(page.table, Qt.Key.Key_S)
    row = next(r for r in page.sheet.attendees if r.name == name)
    assert row.substitute_id is not None
    assert row.status.label == "Substitute"


def test_the_figures_equal_the_services_for_the_period(window):
    window.tabs.setCurrentWidget(window.attendance_tab)
    figures_page = window.attendance_tab.figures
    window.attendance_tab.inner.setCurrentIndex(1)
    assert figures_page.period.currentText() == "2026-27"
    figures_page.group.setCurrentIndex(figures_page.group.findText("Strategic Board"))
    board = next(r.group_id for r in meeting_rows(window.database) if r.group == "Strategic Board")
    expected = attendance_figures(window.database, parse_period("2026-27"), board)
    shown = {
        figures_page.members_model.index(i, 0).data(): figures_page.members_model.index(i, 7).data()
        for i in range(figures_page.members_model.rowCount())
    }
    assert shown == {r.name: f"{r.rate:.0%}" for r in expected.members}
    low = [r for r in expected.agencies if r.rate is not None and r.rate < 0.75]
    assert f"{len(low)} agenc" in figures_page.summary.text()
    for i, row in enumerate(figures_page.agencies_model.rows):
        colour = figures_page.agencies_model.index(i, 4).data(Qt.ItemDataRole.BackgroundRole)
        assert (colour is not None) == (row in low)
    assert figures_page.chart.series()[0].count() == 1
    assert figures_page.chart.series()[0].barSets()[0].count() == len(expected.agencies)
