"""The Record page's details of an attendee (reason, times, notes), and confirming the
attendance with the minutes, after which every change asks first."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from lscb_desktop.models import AttendanceStatus, MeetingStatus
from lscb_desktop.services.attendance import meeting_sheet
from lscb_desktop.services.attendance_recording import mark_all_present, record_attendance
from lscb_desktop.services.settings import load_settings, save_settings
from lscb_desktop.store.changelog import current_os_user
from lscb_desktop.ui.attendance_dialogs import ConfirmDialog, GuestDialog
from tests.ui.attendance_scene import Scene, build_scene
from tests.ui.test_attendance_tab import cell, open_scene, select, statuses

P, A = AttendanceStatus.PRESENT, AttendanceStatus.APOLOGIES


@pytest.fixture
def scene(sample_db) -> Scene:
    return build_scene(sample_db)


def test_a_reason_for_apologies_from_the_list_or_typed_saved_with_enter(window, qtbot, scene):
    save_settings(
        scene.db, dataclasses.replace(load_settings(scene.db), apology_reasons="Illness\nCaring")
    )
    record_attendance(scene.db, scene.meeting, scene.people["bob"], A)
    page = open_scene(window, scene)
    page.refresh()
    select(page, "Bob Baker")
    details = page.details
    reasons = [details.reason.itemText(i) for i in range(details.reason.count())]
    assert reasons == ["", "Illness", "Caring"]
    assert details.reason.isEnabled()
    assert not details.arrived_at.isEnabled()  # times are for someone who was there
    details.reason.setCurrentIndex(1)
    qtbot.keyClick(details.reason.lineEdit(), Qt.Key.Key_Return)
    assert cell(page, "Bob Baker", 5) == "Illness"
    details.reason.setEditText("Court hearing")  # not on the list: typed
    details.notes.setText("Sent a report instead")
    qtbot.keyClick(details.notes, Qt.Key.Key_Return)
    row = next(r for r in meeting_sheet(scene.db, scene.meeting).attendees if r.name == "Bob Baker")
    assert (row.reason, row.notes) == ("Court hearing", "Sent a report instead")
    assert "details saved" in window.statusBar().currentMessage()


def test_times_that_are_wrong_are_said_under_their_field_and_kept(window, qtbot, scene):
    record_attendance(scene.db, scene.meeting, scene.people["ann"], P)
    page = open_scene(window, scene)
    page.refresh()
    select(page, "Ann Able")
    details = page.details
    assert not details.reason.isEnabled()  # a reason is for apologies or an absence
    details.arrived_at.setText("25:00")
    qtbot.keyClick(details.arrived_at, Qt.Key.Key_Return)
    assert details.form.message("arrived_at") == "“25:00” is not a time of day: type it as 10:20."
    assert details.arrived_at.text() == "25:00"
    details.arrived_at.setText("10.20")
    details.left_at.setText("10:05")
    qtbot.keyClick(details.left_at, Qt.Key.Key_Return)
    assert details.form.message("left_at") == "They left before they arrived (10:20)."
    assert details.left_at.text() == "10:05"
    assert cell(page, "Ann Able", 6) == ""  # nothing saved
    details.left_at.setText("12:30")
    details.save_button.click()
    assert details.form.message("left_at") == "The meeting ended at 12:00; record left by then."
    details.left_at.setText("11:05")
    qtbot.keyClick(details.left_at, Qt.Key.Key_Return)
    assert details.form.message("left_at") == ""
    assert cell(page, "Ann Able", 6) == "Arrived 10:20, left 11:05"


def test_someone_not_recorded_has_no_details_yet(window, scene):
    page = open_scene(window, scene)
    select(page, "Cat Cole")
    details = page.details
    assert details.status.text() == "Record whether they came first (P, A, S or X)."
    for field in (details.reason, details.arrived_at, details.left_at, details.notes):
        assert not field.isEnabled()


def test_typing_in_the_details_survives_a_refresh(window, scene):
    record_attendance(scene.db, scene.meeting, scene.people["ann"], P)
    page = open_scene(window, scene)
    page.refresh()
    select(page, "Ann Able")
    page.details.notes.setText("Half typed")
    window.attendance_tab.refresh()  # as when someone else changes a record
    assert page.details.notes.text() == "Half typed"


def test_confirming_with_the_minutes_then_a_change_asks_first(
    window, answer, scene, monkeypatch, message_boxes
):
    page = open_scene(window, scene)
    record_attendance(scene.db, scene.meeting, scene.people["ann"], P)
    page.refresh()
    page.confirm_button.click()  # refused: not everyone is recorded
    assert message_boxes == [
        (
            "information",
            "1 of 5 recorded: record everyone on the list (P, A, S or X) before confirming the "
            "attendance with the minutes.",
        )
    ]
    mark_all_present(scene.db, scene.meeting)
    page.refresh()
    answer(ConfirmDialog, lambda d: d.save())
    page.confirm_button.click()
    assert page.confirmation.text().count(
        f"Confirmed with the minutes on 23/11/2026 by {current_os_user()}"
    )
    assert not page.confirm_button.isEnabled()

    asked: list[str] = []
    reply = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *a, **k: asked.append(text) or reply[0]
    )
    select(page, "Ann Able")
    page.buttons[3].click()  # Absent (X): asks, and on no changes nothing
    assert statuses(page)["Ann Able"] == "Present"
    assert asked[0].startswith(
        "The attendance at this meeting was confirmed with the minutes on 23/11/2026"
    )
    reply[0] = QMessageBox.StandardButton.Yes
    select(page, "Ann Able")
    page.buttons[3].click()
    assert statuses(page)["Ann Able"] == "Absent"

    # The details, a guest: the same question, from the same helper.
    asked.clear()
    select(page, "Bob Baker")
    page.details.arrived_at.setText("10:40")
    page.details.save_button.click()
    assert cell(page, "Bob Baker", 6) == "Arrived 10:40"
    answer(GuestDialog, lambda d: (d.name.setText("Dr Jo Bloggs"), d.save()))
    page.guest_list.new_guest()
    assert [g.name for g in meeting_sheet(scene.db, scene.meeting).guests] == ["Dr Jo Bloggs"]
    assert len(asked) == 2 and all("confirmed with the minutes" in q for q in asked)

    page.unconfirm_button.click()
    assert "Unconfirm the attendance" in asked[-1]
    assert page.confirmation.text() == "Not yet confirmed with the minutes."
    assert meeting_sheet(scene.db, scene.meeting).confirmed_on is None


def test_a_meeting_not_held_cannot_be_confirmed(window, sample_db, message_boxes):
    scene = build_scene(sample_db, status=MeetingStatus.PLANNED)
    page = open_scene(window, scene)
    page.confirm_button.click()
    assert message_boxes == [
        (
            "information",
            "This meeting is planned: only a meeting that was held has attendance to confirm "
            "(mark it held on the Meetings tab).",
        )
    ]
    assert meeting_sheet(scene.db, scene.meeting).confirmed_on is None


def test_the_minutes_date_is_checked_under_its_field(window, answer, scene):
    mark_all_present(scene.db, scene.meeting)
    page = open_scene(window, scene)
    page.refresh()
    said: list[str] = []

    def too_early(dialog):
        dialog.date.setDate(dialog.date.date().addDays(-30))  # before the meeting
        dialog.save()
        said.append(dialog.form.message("confirmed"))

    answer(ConfirmDialog, too_early)
    page.confirm_button.click()
    assert said == ["The minutes cannot be approved before the meeting."]
    assert meeting_sheet(scene.db, scene.meeting).confirmed_on is None


def test_a_reason_too_long_is_refused_under_its_field(window, qtbot, scene):
    record_attendance(scene.db, scene.meeting, scene.people["bob"], A)
    page = open_scene(window, scene)
    page.refresh()
    select(page, "Bob Baker")
    long_reason = "Attending a national conference on safeguarding " * 3
    page.details.reason.setEditText(long_reason)
    qtbot.keyClick(page.details.reason.lineEdit(), Qt.Key.Key_Return)
    assert page.details.form.message("reason") == (
        "A reason is at most 120 characters; say more in notes."
    )
    assert page.details.reason.currentText() == long_reason
    assert cell(page, "Bob Baker", 5) == ""
