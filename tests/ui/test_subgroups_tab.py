"""The Sub-groups tab: the groups, adding a person to one, terms of reference, new and archived."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from lscb_desktop.models import Agency
from lscb_desktop.services.agencies import AgencyInput, agency_rows, save_agency
from lscb_desktop.services.groups import group_input, group_rows
from lscb_desktop.ui.member_dialog import MemberDialog
from lscb_desktop.ui.subgroups_tab import NewGroupDialog
from lscb_desktop.ui.table_model import ROW_ROLE
from lscb_desktop.ui.tables import select_index


def select_row(table, row: int) -> None:
    """Selects a row as a click does, whatever modifier an earlier test left held down (a
    table's selectRow reads the keyboard, and Ctrl would toggle a selected row off)."""
    select_index(table, table.model().index(row, 0))


def group_names(tab) -> list[str]:
    return [tab.proxy.index(row, 0).data() for row in range(tab.proxy.rowCount())]


def member_names(tab) -> list[str]:
    proxy = tab.members.proxy
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def open_group(window, name: str):
    window.tabs.setCurrentWidget(window.subgroups_tab)
    tab = window.subgroups_tab
    select_row(tab.table, group_names(tab).index(name))
    return tab


def test_the_groups_are_listed_with_their_chairs_and_rules(window):
    tab = open_group(window, "Multi-Agency Audit Group")
    assert group_names(tab)[:2] == ["Strategic Board", "Executive Group"]
    assert len(group_names(tab)) == 8
    row = group_names(tab).index("Scrutiny and Assurance Group")
    shown = [tab.proxy.index(row, column).data() for column in (3, 5, 6, 7, 8)]
    assert shown == ["Glen Denham", "Quarterly", "3 agencies", "Executive Group", "21"]
    assert tab.heading.text() == "<b>Multi-Agency Audit Group</b>"
    assert len(member_names(tab)) == 8


def test_a_person_on_file_is_added_to_a_sub_group(window, answer):
    tab = open_group(window, "Multi-Agency Audit Group")
    assert "Nick Bellingham" not in member_names(tab)

    def user(dialog: MemberDialog):
        picker = dialog.person_picker
        picker.setCurrentIndex(
            picker.findText("Nick Bellingham", flags=Qt.MatchFlag.MatchStartsWith)
        )
        assert dialog.name.text() == "Nick Bellingham"  # their details are filled in
        assert dialog.agency.currentText() == "Bedfordshire Police"
        dialog.position.setText("Police representative")
        dialog.save_button.click()

    answer(MemberDialog, user)
    window.new_action.trigger()
    assert "Nick Bellingham" in member_names(tab)
    assert tab.members.current_row().position == "Police representative"
    # The count in the groups list follows, and he is still on the Board.
    row = group_names(tab).index("Multi-Agency Audit Group")
    assert tab.proxy.index(row, 8).data() == "9"
    board = [r.name for r in window.board_tab.members.model.rows]
    assert "Nick Bellingham" in board


def test_a_person_cannot_join_a_group_twice(window, answer):
    tab = open_group(window, "Multi-Agency Audit Group")
    seen = {}

    def user(dialog: MemberDialog):
        picker = dialog.person_picker
        picker.setCurrentIndex(picker.findText("Mary Emson", flags=Qt.MatchFlag.MatchStartsWith))
        dialog.save_button.click()
        seen.update(dialog.problems())
        dialog.reject()

    answer(MemberDialog, user)
    tab.members.add_button.click()
    assert "already a member of the group" in seen["person"]
    assert member_names(tab).count("Mary Emson") == 1


def test_terms_of_reference_are_edited_and_saved(window):
    tab = open_group(window, "Multi-Agency Audit Group")
    tab.details.setCurrentIndex(1)
    tab.terms.purpose.setPlainText("To audit multi-agency practice four times a year.")
    tab.terms.quorum.setValue(4)
    tab.save_terms_button.click()
    row = group_names(tab).index("Multi-Agency Audit Group")
    assert tab.proxy.index(row, 6).data() == "4 agencies"
    select_row(tab.table, 0)
    select_row(tab.table, group_names(tab).index("Multi-Agency Audit Group"))
    assert tab.terms.purpose.toPlainText() == "To audit multi-agency practice four times a year."
    assert "Saved the terms of reference" in window.statusBar().currentMessage()


def test_a_name_already_taken_is_refused_and_the_form_keeps_what_was_typed(window):
    tab = open_group(window, "Multi-Agency Audit Group")
    tab.terms.name.setText("Strategic Board")
    tab.terms.purpose.setPlainText("Changed")
    tab.save_terms_button.click()
    assert tab.terms.form.message("name") == "There is already a group called “Strategic Board”."
    assert tab.terms.purpose.toPlainText() == "Changed"
    assert "Multi-Agency Audit Group" in group_names(tab)


def test_leaving_a_group_with_unsaved_terms_asks_first(window, message_boxes, monkeypatch):
    tab = open_group(window, "Multi-Agency Audit Group")
    tab.terms.reporting.setText("Monthly to the Board")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    select_row(tab.table, 0)
    assert tab.current_group().name == "Multi-Agency Audit Group"
    assert tab.terms.reporting.text() == "Monthly to the Board"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    select_row(tab.table, 0)
    assert tab.current_group().name == "Strategic Board"
    select_row(tab.table, group_names(tab).index("Multi-Agency Audit Group"))
    assert tab.terms.reporting.text() == "Monthly to the Board"


def test_a_new_group_is_added_then_archived_and_restored(window, answer, message_boxes):
    tab = open_group(window, "Strategic Board")

    def user(dialog: NewGroupDialog):
        dialog.form.name.setText("Neglect Task and Finish Group")
        dialog.form.kind.setCurrentText("Task and finish")
        dialog.form.accountable_to.setCurrentText("Executive Group")
        dialog.form.quorum.setValue(2)
        dialog.save()

    answer(NewGroupDialog, user)
    tab.new_button.click()
    assert tab.current_group().name == "Neglect Task and Finish Group"
    assert tab.current_group().accountable_to == "Executive Group"
    tab.archive_button.click()
    assert "Archive Neglect Task and Finish Group?" in message_boxes[0][1]
    assert "Neglect Task and Finish Group" not in group_names(tab)
    tab.show_archived.setChecked(True)
    assert "Neglect Task and Finish Group" in group_names(tab)
    select_row(tab.table, group_names(tab).index("Neglect Task and Finish Group"))
    assert tab.archive_button.text() == "Rest&ore group…"
    tab.archive_button.click()
    tab.show_archived.setChecked(False)
    assert "Neglect Task and Finish Group" in group_names(tab)


def partner_names(tab) -> list[str]:
    model = tab.terms.partners.list_model
    return [model.index(row).data() for row in range(model.rowCount())]


def tick(qtbot, tab, name: str) -> None:
    """Ticks (or unticks) an agency as a user does: select it, press the space bar."""
    view = tab.terms.partners
    view.setFocus()
    view.setCurrentIndex(view.list_model.index(partner_names(tab).index(name)))
    qtbot.keyClick(view, Qt.Key.Key_Space)


def ticked(tab) -> list[str]:
    model = tab.terms.partners.list_model
    return [
        model.index(row).data()
        for row in range(model.rowCount())
        if model.index(row).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    ]


def test_the_partners_a_quorum_requires_are_ticked_and_saved(window, qtbot, sample_db):
    tab = open_group(window, "Scrutiny and Assurance Group")
    tab.details.setCurrentIndex(1)
    assert ticked(tab) == []
    assert tab.terms.rule_text.text() == "Quorate with at least 3 agencies represented."
    tick(qtbot, tab, "Bedfordshire Police")
    tick(qtbot, tab, "Luton Clinical Commissioning Group")
    assert ticked(tab) == ["Bedfordshire Police", "Luton Clinical Commissioning Group"]
    assert tab.terms.rule_text.text() == (
        "Quorate with at least 3 agencies represented, including Bedfordshire Police and "
        "Luton Clinical Commissioning Group."
    )
    tab.save_terms_button.click()
    row = group_names(tab).index("Scrutiny and Assurance Group")
    assert tab.proxy.index(row, 6).data() == "3 agencies, with Beds Police and Luton CCG"
    # Away and back: the ticks are as saved; the quick button ticks every statutory partner.
    select_row(tab.table, 0)
    select_row(tab.table, group_names(tab).index("Scrutiny and Assurance Group"))
    assert ticked(tab) == ["Bedfordshire Police", "Luton Clinical Commissioning Group"]
    tab.terms.statutory_button.click()
    statutory = sorted(r.name for r in agency_rows(sample_db) if r.statutory_partner)
    assert sorted(ticked(tab)) == statutory
    tick(qtbot, tab, "Lay Members")  # a statutory partner in the sample, but not for this
    tab.terms.quorum.setValue(0)
    tab.save_terms_button.click()
    saved = next(r for r in group_rows(sample_db) if r.name == "Scrutiny and Assurance Group")
    assert sorted(name for _, name in saved.quorum_partners) == [
        name for name in statutory if name != "Lay Members"
    ]
    assert tab.proxy.index(row, 6).data().startswith("With ")
    tab.terms.clear_partners_button.click()
    assert ticked(tab) == []
    assert tab.terms.rule_text.text().startswith("No quorum rule")


def test_a_partner_removed_meanwhile_is_refused_under_the_field_and_the_ticks_are_kept(
    window, qtbot, sample_db
):
    merged = save_agency(sample_db, AgencyInput(name="Merged Trust"))
    tab = open_group(window, "Multi-Agency Audit Group")
    select_row(tab.table, 0)  # the form reads the agencies as it shows a group
    select_row(tab.table, group_names(tab).index("Multi-Agency Audit Group"))
    tab.details.setCurrentIndex(1)
    before = group_input(sample_db, tab.terms.group_id)
    tick(qtbot, tab, "Merged Trust")
    tab.terms.purpose.setPlainText("Changed")
    with sample_db.session() as session:  # someone else removes the agency meanwhile
        session.delete(session.get_one(Agency, merged))
    tab.save_terms_button.click()
    assert "no longer on file" in tab.terms.form.message("quorum_partners")
    assert ticked(tab) == ["Merged Trust"]
    assert tab.terms.purpose.toPlainText() == "Changed"
    assert group_input(sample_db, tab.terms.group_id) == before


def test_a_new_group_is_given_its_required_partners(window, answer, qtbot, sample_db):
    tab = open_group(window, "Strategic Board")

    def user(dialog: NewGroupDialog):
        dialog.form.name.setText("Safeguarding Partners Executive")
        dialog.form.partners.setFocus()
        dialog.form.statutory_button.click()
        dialog.save()

    answer(NewGroupDialog, user)
    tab.new_button.click()
    group = tab.current_group()
    assert group.name == "Safeguarding Partners Executive"
    statutory = sorted(r.name for r in agency_rows(sample_db) if r.statutory_partner)
    assert sorted(name for _, name in group.quorum_partners) == statutory


def test_the_groups_sort_by_their_quorum_number_then_partners(window, qtbot, sample_db):
    tab = open_group(window, "Scrutiny and Assurance Group")
    tab.details.setCurrentIndex(1)
    tick(qtbot, tab, "Bedfordshire Police")
    tab.save_terms_button.click()
    tab.table.sortByColumn(6, Qt.SortOrder.AscendingOrder)
    rows = [tab.proxy.index(row, 0).data(ROW_ROLE) for row in range(tab.proxy.rowCount())]
    keys = [(r.quorum_agencies or 0, len(r.quorum_partners)) for r in rows]
    assert keys == sorted(keys)
    sag = [r.name for r in rows].index("Scrutiny and Assurance Group")
    assert keys[sag] == (3, 1)
    assert tab.proxy.index(sag, 6).data() == "3 agencies, with Beds Police"
