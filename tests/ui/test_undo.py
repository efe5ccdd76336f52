"""Edit > Undo and Redo through the real window: the menu names the step, Ctrl+Z puts back
exactly what was there, Ctrl+Y makes it again, and someone else's change clears the stack with a
note instead of undoing over it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from lscb_desktop.models import Attendance, Group, Meeting
from lscb_desktop.services.meeting_removal import what_goes
from lscb_desktop.store.watch import Changes
from tests.services.test_undo import _fullest_meeting, snapshot
from tests.ui.attendance_scene import build_scene
from tests.ui.test_attendance_tab import cell, open_scene
from tests.ui.test_attendance_tab import select as select_person
from tests.ui.test_meetings_tab import open_meetings


def _menu_texts(window) -> list[str]:
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    return [action.text() for action in edit.actions()]


def _select_meeting(window, meeting_id: int):
    tab = open_meetings(window)
    tab.clear_filters()
    assert tab.select_meeting(meeting_id)
    tab.table.setFocus()
    return tab


def _shown_ids(tab) -> set[int]:
    from lscb_desktop.ui.table_model import ROW_ROLE

    return {tab.proxy.index(i, 0).data(ROW_ROLE).id for i in range(tab.proxy.rowCount())}


def test_a_meeting_deleted_with_del_is_put_back_by_ctrl_z_and_deleted_again_by_ctrl_y(
    window, qtbot, sample_db, message_boxes
) -> None:
    meeting_id = _fullest_meeting(sample_db)
    goes = what_goes(sample_db, meeting_id)
    before = snapshot(sample_db)
    tab = _select_meeting(window, meeting_id)
    date = tab.current_meeting().starts_at
    assert "&Undo" in _menu_texts(window) and not window.undo.undo_action.isEnabled()

    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    kind, question = message_boxes[0]
    assert kind == "question"
    assert goes.name in question
    assert f"its agenda ({goes.agenda_items} items)" in question
    assert f"{goes.attendance} attendance records" in question
    assert meeting_id not in _shown_ids(tab)
    assert window.undo.undo_action.text() == f"&Undo delete meeting {date:%d/%m/%Y}"
    assert f"&Undo delete meeting {date:%d/%m/%Y}" in _menu_texts(window)

    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert snapshot(sample_db) == before
    assert meeting_id in _shown_ids(tab)
    assert "Undone: delete meeting" in window.statusBar().currentMessage()
    assert window.undo.redo_action.text() == f"&Redo delete meeting {date:%d/%m/%Y}"

    qtbot.keyClick(tab.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert meeting_id not in _shown_ids(tab)
    window.undo.undo_action.trigger()
    assert snapshot(sample_db) == before
    window.undo.redo_action.trigger()  # Ctrl+Shift+Z is the same action
    assert "Ctrl+Shift+Z" in [s.toString() for s in window.undo.redo_action.shortcuts()]
    assert meeting_id not in _shown_ids(tab)


def test_a_meeting_whose_attendance_is_confirmed_is_not_deleted(
    window, qtbot, sample_db, message_boxes
) -> None:
    with sample_db.session() as session:
        meeting_id = session.scalars(
            select(Meeting.id).where(Meeting.attendance_confirmed_on.is_not(None))
        ).first()
    tab = _select_meeting(window, meeting_id)
    before = snapshot(sample_db)
    window.delete_action.trigger()
    assert message_boxes and "cannot be deleted" in message_boxes[0][1]
    assert snapshot(sample_db) == before
    assert meeting_id in _shown_ids(tab)


def test_delete_with_no_meeting_selected_says_so(window, message_boxes) -> None:
    tab = open_meetings(window)
    tab.table.clearSelection()
    tab.table.setCurrentIndex(tab.proxy.index(-1, -1))
    tab.table.setFocus()
    window.delete_action.trigger()
    assert message_boxes == [("information", "Select the meeting to delete.")]


def test_attendance_recorded_by_key_is_undone_cell_by_cell(window, qtbot, sample_db) -> None:
    scene = build_scene(sample_db)
    page = open_scene(window, scene)
    select_person(page, "Ann Able")
    qtbot.keyClick(page.table, Qt.Key.Key_P)  # records and moves to the next person
    select_person(page, "Ann Able")
    qtbot.keyClick(page.table, Qt.Key.Key_X)
    assert cell(page, "Ann Able", 3) == "Absent"
    assert window.undo.undo_action.text().startswith("&Undo ")
    window.undo.undo_action.trigger()
    assert cell(page, "Ann Able", 3) == "Present"
    window.undo.undo_action.trigger()
    assert cell(page, "Ann Able", 3) == "—"
    with sample_db.session() as session:
        assert not session.scalars(
            select(Attendance).where(Attendance.meeting_id == scene.meeting)
        ).all()


def test_someone_elses_change_clears_the_stack_with_a_note(window, sample_db) -> None:
    with sample_db.session() as session:
        group = session.scalars(select(Group).order_by(Group.id)).first()
        group_id = group.id
        group.purpose = "Mine"
    assert window.undo.undo_action.isEnabled()
    sample_db.journal.recording = False  # as another user's program would change it
    with sample_db.session() as session:
        session.get_one(Group, group_id).purpose = "Theirs"
    sample_db.journal.recording = True
    window.show_changes(Changes(tables=frozenset({"board_group"})))
    assert not window.undo.undo_action.isEnabled()
    assert "Undo cleared: someone else has changed" in window.statusBar().currentMessage()


def test_an_undo_someone_else_has_overtaken_changes_nothing_and_says_why(
    window, sample_db, monkeypatch
) -> None:
    with sample_db.session() as session:
        group = session.scalars(select(Group).order_by(Group.id)).first()
        group_id = group.id
        group.purpose = "Mine"
    sample_db.journal.recording = False
    with sample_db.session() as session:
        session.get_one(Group, group_id).purpose = "Theirs"
    sample_db.journal.recording = True
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: told.append(text))
    window.undo.undo_action.trigger()
    assert told and "changed by someone else" in told[0]
    with sample_db.session() as session:
        assert session.get_one(Group, group_id).purpose == "Theirs"
    assert not window.undo.undo_action.isEnabled()


@pytest.mark.parametrize("read_only", [True])
def test_nothing_is_recorded_for_a_read_only_database(read_only, window, sample_db) -> None:
    sample_db.read_only = read_only
    window.undo.watch(sample_db)
    assert not sample_db.journal.recording
