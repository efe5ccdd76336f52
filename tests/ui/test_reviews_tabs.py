"""The Audits, Case reviews and Home tabs as a user works them."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from lscb_desktop.ui.meeting_dialogs import ActionDialog
from lscb_desktop.ui.review_dialogs import AuditDialog, CaseReviewDialog


def test_the_audit_programme_flags_a_period_short_of_core_audits(window, answer):
    window.tabs.setCurrentWidget(window.audits_tab)
    tab = window.audits_tab
    assert tab.year.currentText() == "2026-27"
    assert tab.model.rowCount() == 5
    assert tab.warning.isHidden()
    tab.year.setCurrentIndex(tab.year.findText("2027-28"))
    assert tab.warning.text() == "Only 0 of the 4 core audits are planned for 2027-28."

    def user(dialog: AuditDialog):
        dialog.title.setText("Neglect: re-audit")
        dialog.quarter.setValue(1)
        dialog.agencies.item(0).setCheckState(Qt.CheckState.Checked)
        dialog.save()

    answer(AuditDialog, user)
    tab.new_record()
    assert tab.warning.text() == "Only 1 of the 4 core audits are planned for 2027-28."
    row = tab.model.rows[0]
    assert (row.title, row.quarter, len(row.agencies)) == ("Neglect: re-audit", 1, 1)


def test_an_audit_gets_an_action_plan_and_a_letter_of_authority(
    window, answer, monkeypatch, tmp_path
):
    window.tabs.setCurrentWidget(window.audits_tab)
    tab = window.audits_tab
    tab.table.selectRow(0)
    audit = tab.model.rows[0] if tab.proxy.rowCount() else None
    assert audit is not None

    def user(dialog: ActionDialog):
        dialog.description.setPlainText("Agencies to send the audit tool to their teams")
        dialog.save()

    answer(ActionDialog, user)
    tab.plan.new_action()
    assert [r.description for r in tab.plan.model.rows] == [
        "Agencies to send the audit tool to their teams"
    ]
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "letter.pdf"), "")
    )
    tab.letter()
    assert "Letter of authority" in PdfReader(tmp_path / "letter.pdf").pages[0].extract_text()


def test_the_case_review_register_makes_due_steps_impossible_to_miss(window, answer):
    window.tabs.setCurrentWidget(window.reviews_tab)
    tab = window.reviews_tab
    assert "Referrals and child safeguarding practice reviews" in tab.heading.text()
    assert tab.model.rows[0].reference == "CSPR 2026-02"
    assert tab.proxy.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "due within two working days" in tab.alert.text()
    assert tab.select_review(tab.model.rows[0].id)
    states = {r.label: r.state.value for r in tab.steps_model.rows}
    assert states["National Panel notified"] == "due soon"

    def user(dialog: CaseReviewDialog):
        assert not hasattr(dialog, "child_name")  # the form has no field for a name
        dialog.reference.setText("CSPR 2026-03")
        dialog.review_type.setCurrentText("Rapid review only")
        dialog.dates["incident_known_on"].set_value(tab.model.rows[0].steps[0].done)
        dialog.save()

    answer(CaseReviewDialog, user)
    tab.new_record()
    assert tab.model.rows and any(r.reference == "CSPR 2026-03" for r in tab.model.rows)
    tab.state_filter.setCurrentIndex(tab.state_filter.findText("A step overdue"))
    assert all(any(s.state.value == "overdue" for s in r.steps) for r in tab.model.rows)


def test_home_lines_open_the_record_they_are_about(window):
    window.tabs.setCurrentWidget(window.home_tab)
    home = window.home_tab
    steps = home.lines("review_steps")
    assert steps and steps[0].startswith("CSPR 2026-02:")
    assert home.lines("next_meetings")
    home.open_line("review_steps", 0)
    assert window.tabs.currentWidget() is window.reviews_tab
    assert window.reviews_tab.steps_model.rows  # the review is selected, its steps shown
    home.open_line("next_meetings", 0)
    assert window.tabs.currentWidget() is window.meetings_tab
    assert window.meetings_tab.current_meeting().group == "Executive Group"
    home.open_line("audits", 0)
    assert window.tabs.currentWidget() is window.audits_tab
    assert window.audits_tab.table.selectionModel().selectedRows()
