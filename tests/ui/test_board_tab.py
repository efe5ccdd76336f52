"""The Board tab driven as a user drives it: adding, editing, ending and copying members."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from lscb_desktop.models import Person
from lscb_desktop.ui.member_dialog import MemberDialog
from lscb_desktop.ui.small_dialogs import AgencyDialog, ChecklistDialog, EndMembershipDialog
from lscb_desktop.ui.tables import select_index
from tests.conftest import SAMPLE_TODAY


def select_row(table, row: int) -> None:
    """Selects a row as a click does, whatever modifier an earlier test left held down (a
    table's selectRow reads the keyboard, and Ctrl would toggle a selected row off)."""
    select_index(table, table.model().index(row, 0))


def names(panel) -> list[str]:
    return [panel.proxy.index(row, 0).data() for row in range(panel.proxy.rowCount())]


def select_member(panel, name: str) -> None:
    row = names(panel).index(name)
    select_row(panel.table, row)


def people_count(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Person))


def test_a_bad_email_is_named_under_its_field_and_nothing_is_saved_until_it_is_fixed(
    window, answer, qtbot, sample_db
):
    before = people_count(sample_db)
    seen = {}

    def user(dialog: MemberDialog):
        qtbot.keyClicks(dialog.name, "Jo Bloggs")
        qtbot.keyClicks(dialog.agency.lineEdit(), "Luton Sixth Form College")
        qtbot.keyClicks(dialog.email, "jo.bloggs@@lsfc")
        qtbot.keyClicks(dialog.phone, "01582 877500")
        dialog.save_button.click()
        seen["problems"] = dialog.problems()
        seen["kept"] = (dialog.name.text(), dialog.email.text(), dialog.agency.currentText())
        seen["count"] = people_count(sample_db)
        seen["focus"] = dialog.focusWidget() is dialog.email
        dialog.email.setText("jo.bloggs@lsfc.ac.uk")
        dialog.save_button.click()

    answer(MemberDialog, user)
    qtbot.keyClick(window.board_tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert list(seen["problems"]) == ["email"]
    assert "is not an email address" in seen["problems"]["email"]
    assert seen["kept"] == ("Jo Bloggs", "jo.bloggs@@lsfc", "Luton Sixth Form College")
    assert seen["count"] == before
    assert seen["focus"]
    members = window.board_tab.members
    assert "Jo Bloggs" in names(members)
    row = members.current_row()
    assert (row.name, row.agency, row.email, row.phone) == (
        "Jo Bloggs",
        "Luton Sixth Form College",
        "jo.bloggs@lsfc.ac.uk",
        "01582 877500",
    )
    assert people_count(sample_db) == before + 1
    # The new agency is in the agencies list, and the member counts as its representative.
    agencies = window.board_tab.agencies.model.rows
    college = next(a for a in agencies if a.name == "Luton Sixth Form College")
    assert college.representatives == ("Jo Bloggs",)


def test_editing_a_member_keeps_their_place_and_shows_the_change(window, answer):
    members = window.board_tab.members
    select_member(members, "Alison Harding")

    def user(dialog: MemberDialog):
        assert dialog.name.text() == "Alison Harding"
        dialog.job_title.setText("Head of Public Protection")
        dialog.role.setCurrentText("Vice chair")
        dialog.save_button.click()

    answer(MemberDialog, user)
    window.edit_action.trigger()
    row = members.current_row()
    assert (row.name, row.role, row.job_title) == (
        "Alison Harding",
        "Vice chair",
        "Head of Public Protection",
    )


def test_an_ended_membership_leaves_the_list_but_stays_under_former_members(window, answer):
    members = window.board_tab.members
    select_member(members, "Alison Harding")
    yesterday = SAMPLE_TODAY - dt.timedelta(days=1)

    def user(dialog: EndMembershipDialog):
        dialog.end_date.setDate(yesterday)
        dialog.save()

    answer(EndMembershipDialog, user)
    window.end_action.trigger()
    assert "Alison Harding" not in names(members)
    assert members.count_label.text() == "19 members"
    members.show_former.setChecked(True)
    assert "Alison Harding" in names(members)
    row = members.model.rows[[r.name for r in members.model.rows].index("Alison Harding")]
    assert row.end_date == yesterday
    assert not members.table.isColumnHidden(len(members.model.columns) - 1)


def test_a_membership_with_attendance_cannot_be_deleted(window, message_boxes):
    members = window.board_tab.members
    select_member(members, "Alison Harding")
    window.delete_action.trigger()
    assert message_boxes[0][0] == "question"
    assert "cannot be deleted" in message_boxes[1][1]
    assert "Alison Harding" in names(members)


def test_a_mistaken_membership_is_deleted_after_confirmation(window, answer, message_boxes):
    def user(dialog: MemberDialog):
        dialog.name.setText("Mistaken Entry")
        dialog.save_button.click()

    answer(MemberDialog, user)
    window.new_action.trigger()
    members = window.board_tab.members
    assert members.current_row().name == "Mistaken Entry"
    window.delete_action.trigger()
    assert "Delete Mistaken Entry's membership" in message_boxes[0][1]
    assert "Mistaken Entry" not in names(members)


def test_declining_the_confirmation_deletes_nothing(window, answer, monkeypatch):
    answer(MemberDialog, lambda d: (d.name.setText("Kept Entry"), d.save_button.click()))
    window.new_action.trigger()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    window.delete_action.trigger()
    assert "Kept Entry" in names(window.board_tab.members)


def test_the_checklist_is_ticked_with_dates_and_the_progress_shows(window, answer):
    members = window.board_tab.members
    select_member(members, "Alison Harding")
    done = {
        "welcome_pack_received_on": dt.date(2026, 9, 2),
        "agreement_signed_on": dt.date(2026, 9, 20),
        "met_chair_on": dt.date(2026, 10, 1),
    }

    def user(dialog: ChecklistDialog):
        for column, item in dialog.items.items():
            item.check.setChecked(column in done)
            if column in done:
                item.edit.setDate(done[column])
        dialog.save()

    answer(ChecklistDialog, user)
    members.checklist_button.click()
    row = members.current_row()
    assert (row.name, row.induction, row.agreement_signed) == (
        "Alison Harding",
        "3/8",
        dt.date(2026, 9, 20),
    )
    reopened = answer(ChecklistDialog, lambda dialog: dialog.reject())
    members.checklist_button.click()
    assert {c: i.value() for c, i in reopened[0].items.items() if i.value()} == done


def test_copy_emails_puts_the_selected_or_all_addresses_on_the_clipboard(window):
    members = window.board_tab.members
    members.table.clearSelection()
    members.copy_button.click()
    everyone = QGuiApplication.clipboard().text().split("; ")
    assert len(everyone) == len([r for r in members.model.rows if r.email])
    select_member(members, "Nick Bellingham")
    members.copy_button.click()
    assert QGuiApplication.clipboard().text() == members.current_row().email
    assert "Copied 1 email address" in window.statusBar().currentMessage()


def test_a_statutory_partner_with_no_board_member_is_flagged_in_red(window, answer):
    agencies = window.board_tab.agencies
    flagged = [r.name for r in agencies.model.rows if r.unrepresented]
    assert flagged == ["Further Education Sector"]
    assert "1 statutory partner(s) with no Board member" in agencies.title.text()
    row = [r.name for r in agencies.model.rows].index("Further Education Sector")
    flag = agencies.model.index(row, 6)
    assert flag.data() == "Statutory partner with no Board member"
    assert flag.data(Qt.ItemDataRole.BackgroundRole) is not None
    # Unticking "statutory partner" on the agency clears the flag.
    select_row(
        agencies.table,
        next(
            i
            for i in range(agencies.proxy.rowCount())
            if agencies.proxy.index(i, 0).data() == "Further Education Sector"
        ),
    )

    def user(dialog: AgencyDialog):
        dialog.statutory.setChecked(False)
        dialog.save()

    answer(AgencyDialog, user)
    agencies.edit_button.click()
    assert not [r for r in agencies.model.rows if r.unrepresented]
    assert "no Board member" not in agencies.title.text()


def test_an_agency_that_does_not_count_towards_quorum_says_so_in_the_form_and_the_list(
    window, answer
):
    agencies = window.board_tab.agencies
    headers = [agencies.model.headerData(i, Qt.Orientation.Horizontal) for i in range(7)]
    column = headers.index("Counts for quorum")

    def shown(name: str) -> str:
        row = next(
            i for i in range(agencies.proxy.rowCount()) if agencies.proxy.index(i, 0).data() == name
        )
        return agencies.proxy.index(row, column).data()

    assert shown("Luton Safeguarding Children Board Business Unit") == "No"
    assert shown("NSPCC") == "Yes"
    select_row(
        agencies.table,
        next(
            i
            for i in range(agencies.proxy.rowCount())
            if agencies.proxy.index(i, 0).data() == "NSPCC"
        ),
    )
    seen = {}

    def user(dialog: AgencyDialog):
        box = dialog.counts_for_quorum
        seen["text"], seen["ticked"] = box.text(), box.isChecked()
        seen["tooltip"] = box.toolTip()
        box.setChecked(False)
        dialog.save()

    answer(AgencyDialog, user)
    agencies.edit_button.click()
    assert seen["text"] == "Counts towards quorum"
    assert seen["ticked"]
    assert "business unit" in seen["tooltip"]
    assert shown("NSPCC") == "No"
