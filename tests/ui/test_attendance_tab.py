"""The Attendance tab's Record page, driven as a user would: the keys, the substitute dialog,
Backspace and Delete, how much is recorded, the quorum and who it counts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from lscb_desktop.models import AttendanceStatus
from lscb_desktop.services.attendance import meeting_sheet
from lscb_desktop.services.attendance_recording import record_attendance
from lscb_desktop.ui.attendance_dialogs import NO_ONE_YET
from lscb_desktop.ui.tables import select_index
from tests.ui.attendance_scene import Scene, build_scene, while_open

P, A, S, X = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.APOLOGIES,
    AttendanceStatus.SUBSTITUTE,
    AttendanceStatus.ABSENT,
)


@pytest.fixture
def scene(sample_db) -> Scene:
    return build_scene(sample_db)


def open_scene(window, scene: Scene):
    window.tabs.setCurrentWidget(window.attendance_tab)
    page = window.attendance_tab.record
    page.select_meeting(scene.meeting)
    assert page.meeting.currentData() == scene.meeting
    return page


def statuses(page) -> dict[str, str]:
    return {
        page.model.index(i, 0).data(): page.model.index(i, 3).data()
        for i in range(page.model.rowCount())
    }


def cell(page, name: str, column: int) -> str:
    row = next(i for i in range(page.model.rowCount()) if page.model.index(i, 0).data() == name)
    return page.model.index(row, column).data()


def select(page, name: str) -> None:
    """Selects a row as a click does, whatever modifier an earlier test's key press left held
    (selectRow reads the keyboard, and Ctrl would toggle the row off)."""
    row = next(i for i in range(page.model.rowCount()) if page.model.index(i, 0).data() == name)
    page.table.setFocus()
    select_index(page.table, page.table.model().index(row, 0))


def test_a_meeting_is_recorded_from_the_keyboard_and_the_quorum_follows(window, qtbot, scene):
    page = open_scene(window, scene)
    assert list(statuses(page)) == ["Ann Able", "Bob Baker", "Cat Cole", "Dee Dunn", "Eve Evans"]
    assert set(statuses(page).values()) == {"—"}
    assert "0 of 5 recorded" in page.recorded.text()
    assert "Not quorate: 0 agencies (needs 2)" in page.quorum.text()
    select(page, "Ann Able")
    typed = while_open(
        lambda d: (d.field.setEditText("Stand-in from the Council"), d.ok_button.click())
    )
    for key in (Qt.Key.Key_P, Qt.Key.Key_A, Qt.Key.Key_S, Qt.Key.Key_X, Qt.Key.Key_P):
        qtbot.keyClick(page.table, key)
    assert typed == []
    assert list(statuses(page).values()) == [
        "Present",
        "Apologies",
        "Substitute",
        "Absent",
        "Present",
    ]
    assert cell(page, "Cat Cole", 4) == "Stand-in from the Council"
    assert "5 of 5 recorded" in page.recorded.text()
    # Ann (police) and Cat's substitute (council) count; Eve is an adviser, Dee the business unit.
    assert "Quorate: 2 agencies (needs 2)" in page.quorum.text()
    assert page.counted.text() == "Counted: Test Council, Test Police."
    assert "Present" in window.statusBar().currentMessage()


def test_s_then_enter_records_no_one(window, qtbot, scene):
    """The substitute field starts empty, and Enter on it records nobody: it says what to do."""
    page = open_scene(window, scene)
    select(page, "Bob Baker")
    seen: dict[str, object] = {}

    def press_enter(dialog):
        field = QApplication.focusWidget()  # where the keyboard types as the dialog opens
        seen["typed"] = field.currentText()
        qtbot.keyClick(field, Qt.Key.Key_Return)
        seen["still open"] = dialog.isVisible()
        seen["says"] = dialog.form.message("substitute")

    problems = while_open(press_enter)
    qtbot.keyClick(page.table, Qt.Key.Key_S)
    assert seen.get("typed") == ""  # the field starts empty, not with the first person on file
    assert seen.get("still open") is True  # Enter chose nobody
    assert statuses(page)["Bob Baker"] == "—"
    assert meeting_sheet(scene.db, scene.meeting).recorded == 0
    assert problems == []
    assert seen["says"] == NO_ONE_YET


def test_the_designated_substitute_comes_first_and_people_on_the_list_are_not_offered(
    window, qtbot, scene
):
    page = open_scene(window, scene)
    select(page, "Ann Able")
    seen: dict[str, object] = {}

    def look(dialog):
        seen["entries"] = [dialog.field.itemText(i) for i in range(dialog.field.count())]
        seen["field"] = dialog.field.currentText()
        dialog.designated_button.click()

    problems = while_open(look)
    qtbot.keyClick(page.table, Qt.Key.Key_S)
    assert problems == []
    entries = seen["entries"]
    assert entries[0] == "Designated: Sue Stand-in (Test Police)"
    assert seen["field"] == ""
    for member in ("Ann Able", "Bob Baker", "Cat Cole", "Dee Dunn", "Eve Evans"):
        assert not any(entry.startswith(member) for entry in entries), member
    assert "Oscar Other (Test Health)" in entries
    assert statuses(page)["Ann Able"] == "Substitute"
    assert cell(page, "Ann Able", 4) == "Sue Stand-in"


def test_a_substitute_from_another_agency_is_asked_about(window, qtbot, scene, monkeypatch):
    """Oscar is on file with Test Health: standing in for Ann (Test Police) needs a yes; on no,
    nothing is recorded and the meeting is no more quorate than it was."""
    page = open_scene(window, scene)
    asked: list[str] = []
    reply = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *a, **k: asked.append(text) or reply[0]
    )

    def pick_oscar(dialog):
        field = QApplication.focusWidget()
        field.setEditText("Oscar Other (Test Health)")
        qtbot.keyClick(field, Qt.Key.Key_Return)
        said.append(dialog.form.message("substitute"))

    said: list[str] = []
    select(page, "Ann Able")
    problems = while_open(pick_oscar)
    qtbot.keyClick(page.table, Qt.Key.Key_S)
    assert asked == [
        "Oscar Other is from Test Health, not Test Police. Record them as the substitute for "
        "Ann Able, representing Test Police?"
    ]
    assert statuses(page)["Ann Able"] == "—"
    assert "0 agencies" in page.quorum.text()
    assert problems == []
    assert said == ["Not recorded: pick someone else, or Cancel."]

    reply[0] = QMessageBox.StandardButton.Yes
    select(page, "Ann Able")
    problems = while_open(pick_oscar)
    qtbot.keyClick(page.table, Qt.Key.Key_S)
    assert problems == []
    assert statuses(page)["Ann Able"] == "Substitute"
    assert cell(page, "Ann Able", 4) == "Oscar Other (from Test Health)"
    assert page.counted.text() == "Counted: Test Police."  # the seat's agency, not Oscar's


def test_someone_on_the_list_cannot_be_typed_in_as_a_substitute(window, qtbot, scene):
    page = open_scene(window, scene)
    select(page, "Ann Able")
    said: list[str] = []

    def type_bob(dialog):
        dialog.field.setEditText("bob baker")
        dialog.ok_button.click()
        said.append(dialog.form.message("substitute"))

    problems = while_open(type_bob)
    qtbot.keyClick(page.table, Qt.Key.Key_S)
    assert problems == []
    assert said == [
        "Bob Baker is on this meeting's list already (in their own right or for someone else), "
        "so cannot also attend for this member."
    ]
    assert statuses(page)["Ann Able"] == "—"


def test_backspace_and_delete_clear_the_selected_row(window, qtbot, scene):
    """The keys the tooltip promises, pressed on the table: each clears the selected row and
    moves on. The table takes them itself, so the window's Edit > Delete… (whose shortcut is
    Delete) never acts instead."""
    for key in ("ann", "bob", "cat"):
        record_attendance(scene.db, scene.meeting, scene.people[key], P)
    page = open_scene(window, scene)
    page.refresh()
    menu_deletes: list[bool] = []
    window.delete_action.triggered.connect(lambda *_: menu_deletes.append(True))
    select(page, "Ann Able")
    qtbot.keyClick(page.table, Qt.Key.Key_Backspace)
    assert statuses(page)["Ann Able"] == "—"
    assert page.current_attendee().name == "Bob Baker"
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert statuses(page)["Bob Baker"] == "—"
    assert statuses(page)["Cat Cole"] == "Present"
    assert menu_deletes == []
    assert "cleared" in window.statusBar().currentMessage()
    assert "Backspace or Delete to clear" in page.table.toolTip()


def test_rows_that_do_not_count_towards_quorum_are_marked(window, scene):
    page = open_scene(window, scene)
    page.buttons[-1].click()  # All present
    assert "Quorate: 3 agencies (needs 2)" in page.quorum.text()
    assert page.counted.text() == "Counted: Test Council, Test Health, Test Police."
    for name, why in (
        ("Dee Dunn", "Test Business Unit does not count towards the quorum"),
        ("Eve Evans", "Advisers support a meeting"),
    ):
        row = next(i for i in range(page.model.rowCount()) if page.model.index(i, 0).data() == name)
        assert page.model.index(row, 7).data() == "No"
        assert page.model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole).name() == "#777777"
        assert why in page.model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert cell(page, "Ann Able", 7) == "Yes"
    assert page.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "Marked 5 present" in window.statusBar().currentMessage()


def test_a_partly_recorded_meeting_says_so(window, scene):
    record_attendance(scene.db, scene.meeting, scene.people["ann"], P)
    page = open_scene(window, scene)
    assert "1 of 5 recorded — the rest count as not attended" in page.recorded.text()
    assert "#8a1c14" in page.recorded.text()  # in red
    for key in ("bob", "cat", "dee", "eve"):
        record_attendance(scene.db, scene.meeting, scene.people[key], A)
    page.refresh()
    assert "5 of 5 recorded" in page.recorded.text()
    assert "not attended" not in page.recorded.text()


def test_enter_on_the_table_goes_to_the_details(window, qtbot, scene):
    record_attendance(scene.db, scene.meeting, scene.people["bob"], A)
    page = open_scene(window, scene)
    page.refresh()
    with qtbot.waitActive(window):
        window.activateWindow()
    select(page, "Bob Baker")
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert QApplication.focusWidget() in (page.details.reason, page.details.reason.lineEdit())
