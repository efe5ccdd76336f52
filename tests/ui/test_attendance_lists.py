"""Below the attendees: guests and officers in attendance for items, declarations of interest,
and the quorum item by item."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from lscb_desktop.models import AttendanceStatus, DeclarationAction
from lscb_desktop.services.attendance import meeting_sheet
from lscb_desktop.services.attendance_recording import (
    mark_all_present,
    record_attendance,
    record_details,
)
from lscb_desktop.services.declarations import (
    DeclarationInput,
    add_declaration,
    update_declaration,
)
from lscb_desktop.services.guests import add_guest, update_guest
from lscb_desktop.ui.attendance_dialogs import DeclarationDialog, GuestDialog
from lscb_desktop.ui.tables import select_where
from tests.ui.attendance_scene import Scene, build_scene
from tests.ui.test_attendance_tab import open_scene


@pytest.fixture
def scene(sample_db) -> Scene:
    return build_scene(sample_db)


def texts(table, column: int) -> list[str]:
    model = table.model()
    return [model.index(i, column).data() for i in range(model.rowCount())]


def tick(dialog, row: int) -> None:
    model = dialog.items_model
    model.setData(model.index(row), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)


def test_an_officer_in_attendance_for_an_item(window, answer, scene):
    page = open_scene(window, scene)
    answer(
        GuestDialog,
        lambda d: (
            d.name.setText("Dr Jo Bloggs"),
            d.organisation.setText("University of Bedfordshire"),
            d.job_title.setText("Researcher"),
            tick(d, 1),
            d.save(),
        ),
    )
    page.guest_list.buttons[0].click()  # Add guest or officer…
    assert texts(page.guests, 0) == ["Dr Jo Bloggs"]
    assert texts(page.guests, 2) == ["Researcher"]
    assert texts(page.guests, 3) == ["Item 2"]
    assert page.lists.tabText(0) == "Guests and officers (1)"

    answer(
        GuestDialog,
        lambda d: (
            d.items_model.setData(
                d.items_model.index(1), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole
            ),
            tick(d, 2),
            tick(d, 0),
            d.save(),
        ),
    )
    assert select_where(page.guests, lambda r: r.name == "Dr Jo Bloggs")
    page.guest_list.buttons[1].click()  # Edit guest…
    assert texts(page.guests, 3) == ["Items 1 and 3"]


def test_a_guest_form_keeps_what_was_typed_when_refused(window, answer, scene):
    page = open_scene(window, scene)
    said: list[str] = []
    answer(
        GuestDialog,
        lambda d: (
            d.organisation.setText("NSPCC"),
            d.save(),
            said.append(d.form.message("guest")),
            said.append(d.organisation.text()),
        ),
    )
    page.guest_list.new_guest()
    assert said == ["Enter the guest's name.", "NSPCC"]
    assert meeting_sheet(scene.db, scene.meeting).guests == []


def test_removing_a_guest_someone_else_changed_since_is_refused(window, scene, message_boxes):
    guest_id = add_guest(scene.db, scene.meeting, "Dr Jo Bloggs")
    page = open_scene(window, scene)
    page.refresh()
    assert select_where(page.guests, lambda r: r.id == guest_id)
    update_guest(scene.db, guest_id, "Dr Jo Bloggs", "NSPCC", version=None)  # someone else
    page.guest_list.drop_guest()
    ((kind, words),) = message_boxes
    assert kind == "warning" and "was changed" in words and "nothing was removed" in words
    assert [g.id for g in meeting_sheet(scene.db, scene.meeting).guests] == [guest_id]
    page.refresh()
    assert select_where(page.guests, lambda r: r.id == guest_id)
    page.guests.setFocus()
    window.delete_action.trigger()  # Edit > Delete… acts on the list with focus
    assert meeting_sheet(scene.db, scene.meeting).guests == []


def test_declarations_of_interest_are_added_edited_and_removed(window, answer, scene):
    mark_all_present(scene.db, scene.meeting)
    page = open_scene(window, scene)
    page.refresh()

    def declare(dialog):
        people = [dialog.person.itemText(i) for i in range(dialog.person.count())]
        assert people[:5] == [
            "Ann Able (Test Police)",
            "Bob Baker (Test Health)",
            "Cat Cole (Test Council)",
            "Dee Dunn (Test Business Unit)",
            "Eve Evans (Test Police)",
        ]
        dialog.person.setCurrentIndex(1)
        dialog.item.setCurrentIndex(dialog.item.findText("Item 2: Neglect strategy"))
        dialog.interest.setPlainText("Her sister chairs the provider's board")
        dialog.action.setCurrentIndex(dialog.action.findData(DeclarationAction.TOOK_NO_PART))
        dialog.save()

    answer(DeclarationDialog, declare)
    page.declaration_list.buttons[0].click()  # Add declaration…
    assert texts(page.declarations, 0) == ["Item 2: Neglect strategy"]
    assert texts(page.declarations, 1) == ["Bob Baker"]
    assert texts(page.declarations, 3) == ["Took no part"]
    assert page.lists.tabText(1) == "Declarations of interest (1)"
    # Bob took no part in item 2: Test Health is left out of its quorum.
    assert page.lists.tabText(2) == "Quorum item by item (1 differ)"
    assert texts(page.item_quorum.table, 0) == ["Item 2: Neglect strategy"]
    assert texts(page.item_quorum.table, 3) == ["Bob Baker"]
    assert texts(page.item_quorum.table, 4) == ["Test Council, Test Police"]
    assert "differs for 1 item" in page.quorum.text()

    answer(
        DeclarationDialog,
        lambda d: (d.action.setCurrentIndex(d.action.findData(DeclarationAction.STAYED)), d.save()),
    )
    assert select_where(page.declarations, lambda r: r.name == "Bob Baker")
    page.declaration_list.buttons[1].click()  # Edit declaration…
    assert texts(page.declarations, 3) == ["Stayed and took part"]
    assert page.lists.tabText(2) == "Quorum item by item"
    assert texts(page.item_quorum.table, 0) == []

    assert select_where(page.declarations, lambda r: r.name == "Bob Baker")
    page.declarations.setFocus()
    window.delete_action.trigger()
    assert meeting_sheet(scene.db, scene.meeting).declarations == []
    assert statuses_kept(scene) == 5  # the attendees' rows are untouched


def statuses_kept(scene: Scene) -> int:
    return meeting_sheet(scene.db, scene.meeting).recorded


def test_a_declaration_form_says_what_is_missing_under_the_field(window, answer, scene):
    page = open_scene(window, scene)
    said: list[str] = []

    def half(dialog):
        dialog.person.setCurrentIndex(0)
        dialog.save()
        said.append(dialog.form.message("interest"))
        said.append(dialog.person.currentText())

    answer(DeclarationDialog, half)
    page.declaration_list.new_declaration()
    assert said == ["Say what the interest is.", "Ann Able (Test Police)"]
    assert meeting_sheet(scene.db, scene.meeting).declarations == []


def test_removing_a_declaration_someone_else_changed_is_refused(window, scene, message_boxes):
    data = DeclarationInput(scene.people["bob"], "A grant from the council")
    declaration_id = add_declaration(scene.db, scene.meeting, data)
    page = open_scene(window, scene)
    page.refresh()
    assert select_where(page.declarations, lambda r: r.id == declaration_id)
    changed = DeclarationInput(scene.people["bob"], "A grant from the council, since repaid")
    update_declaration(scene.db, declaration_id, changed, version=None)
    page.declaration_list.buttons[2].click()  # Remove declaration
    ((kind, words),) = message_boxes
    assert kind == "warning" and "nothing was removed" in words
    assert len(meeting_sheet(scene.db, scene.meeting).declarations) == 1


def test_a_late_arrival_changes_the_quorum_of_the_items_before(window, scene):
    for key in ("ann", "bob"):
        record_attendance(scene.db, scene.meeting, scene.people[key], AttendanceStatus.PRESENT)
    record_details(scene.db, scene.meeting, scene.people["bob"], arrived_at=dt.time(10, 45))
    page = open_scene(window, scene)
    page.refresh()
    # Items start at 10:00, 10:30 and 11:00: Bob (Test Health) was there for the third only.
    assert texts(page.item_quorum.table, 0) == ["Item 1: Welcome", "Item 2: Neglect strategy"]
    assert texts(page.item_quorum.table, 2) == ["Not quorate: 1 agency (needs 2)"] * 2
    assert "Quorate: 2 agencies (needs 2)" in page.quorum.text()
    assert "differs for 2 items" in page.quorum.text()
