"""File > Settings: the case reference pattern and the earliest year for dates."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget

from lscb_desktop.models import ReviewType
from lscb_desktop.services.reviews import CaseReviewInput, save_case_review
from lscb_desktop.services.settings import DEFAULT_CASE_REFERENCE_PATTERN, load_settings
from lscb_desktop.ui.review_dialogs import CaseReviewDialog
from lscb_desktop.ui.settings_dialog import SettingsDialog
from tests.conftest import SAMPLE_TODAY


@pytest.fixture
def dialog(qtbot, sample_db):
    shown = SettingsDialog(sample_db)
    qtbot.addWidget(shown)
    return shown


def _retype(qtbot, edit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def test_the_pattern_and_the_earliest_year_are_shown_with_an_explanation(dialog):
    assert dialog.case_reference_pattern.text() == DEFAULT_CASE_REFERENCE_PATTERN
    assert dialog.earliest_year.value() == 1990
    assert (dialog.earliest_year.minimum(), dialog.earliest_year.maximum()) == (
        1900,
        SAMPLE_TODAY.year,
    )
    notes = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "never by a child's name" in notes
    assert "CSPR 2026-03" in notes  # an example
    assert "Dates before this year or after 2100 are refused" in notes


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (
            "[A-Za-z ]+",
            "The pattern accepts “Jayden Smith”, which could be a child's name; a reference "
            "must not be able to identify a child.",
        ),
        (
            r"[A-Z]{2,6} \d{4}-\d+",
            "The pattern accepts “Smith 2026-01”, which could be a child's name; a reference "
            "must not be able to identify a child.",
        ),
        ("[", "Not a valid pattern (unterminated character set at position 0)."),
        ("", "Enter a pattern for case references."),
    ],
)
def test_a_pattern_that_could_take_a_name_is_refused_under_the_field(
    dialog, qtbot, sample_db, pattern, message
):
    _retype(qtbot, dialog.case_reference_pattern, pattern)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.form.message("case_reference_pattern") == message
    assert dialog.case_reference_pattern.text() == pattern  # what was typed is kept
    assert dialog.result() == 0
    assert load_settings(sample_db).case_reference_pattern == DEFAULT_CASE_REFERENCE_PATTERN


def test_a_reference_can_be_tried_against_the_pattern_as_it_is_typed(dialog, qtbot):
    qtbot.keyClicks(dialog.reference_try, "Jayden Smith")
    assert dialog.reference_verdict.text() == "Refused: it does not match the pattern."
    _retype(qtbot, dialog.reference_try, "CSPR 2026-03")
    assert dialog.reference_verdict.text() == "Accepted."
    _retype(qtbot, dialog.case_reference_pattern, r"Child [A-Z]")
    assert dialog.reference_verdict.text() == "Refused: it does not match the pattern."
    _retype(qtbot, dialog.case_reference_pattern, "[")
    assert dialog.reference_verdict.text() == (
        "This pattern cannot be used: not a valid pattern "
        "(unterminated character set at position 0)."
    )
    _retype(qtbot, dialog.case_reference_pattern, "[A-Za-z ]+")
    assert dialog.reference_verdict.text() == (
        "This pattern cannot be used: the pattern accepts “Jayden Smith”, which could be a "
        "child's name; a reference must not be able to identify a child."
    )


def test_an_offices_own_convention_and_older_history_are_saved_and_used(dialog, qtbot, sample_db):
    _retype(qtbot, dialog.case_reference_pattern, r"Child [A-Z]{1,2}|CSPR \d{4}-\d{2}")
    dialog.earliest_year.setValue(1950)
    dialog.save()
    assert dialog.result() == 1
    settings = load_settings(sample_db)
    assert settings.case_reference_pattern == r"Child [A-Z]{1,2}|CSPR \d{4}-\d{2}"
    assert settings.earliest_year == 1950
    assert save_case_review(sample_db, CaseReviewInput("Child K", ReviewType.LOCAL_CSPR))
    review = CaseReviewDialog(sample_db)
    qtbot.addWidget(review)
    assert review.dates["incident_known_on"].edit.minimumDate().year() == 1950
    qtbot.keyClicks(review.reference, "SCR 2015-01")
    review.save()
    assert "is not an anonymised reference" in review.form.message("reference")


def test_the_attendance_settings_are_shown_and_saved(dialog, qtbot, sample_db):
    tabs = dialog.findChild(QTabWidget)

    def page_of(widget) -> str:
        return next(
            tabs.tabText(i) for i in range(tabs.count()) if tabs.widget(i).isAncestorOf(widget)
        )

    for widget in (
        dialog.apology_reasons,
        dialog.lay_members_count_for_quorum,
        dialog.show_percentages,
        dialog.attendance_threshold,
    ):
        assert page_of(widget) == "Atte&ndance"
    before = load_settings(sample_db)
    assert dialog.apology_reasons.toPlainText() == before.apology_reasons
    assert dialog.lay_members_count_for_quorum.text() == "Lay members count towards quorum"
    assert not dialog.lay_members_count_for_quorum.isChecked()
    assert dialog.show_percentages.text() == "Show percentages beside counts"
    assert dialog.show_percentages.isChecked()
    dialog.apology_reasons.setPlainText("Council business\n\n  Illness \nJury service")
    dialog.lay_members_count_for_quorum.setChecked(True)
    dialog.show_percentages.setChecked(False)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 1
    saved = load_settings(sample_db)
    assert saved.reasons == ["Council business", "Illness", "Jury service"]
    assert saved.lay_members_count_for_quorum is True
    assert saved.show_percentages is False


def test_a_reason_over_120_characters_is_refused_under_the_field(dialog, qtbot, sample_db):
    before = load_settings(sample_db)
    typed = "Illness\n" + "Attending a multi-agency strategy meeting " * 4
    dialog.apology_reasons.setPlainText(typed)
    dialog.show_percentages.setChecked(False)
    tabs = dialog.findChild(QTabWidget)
    tabs.setCurrentIndex(0)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    message = dialog.form.message("apology_reasons")
    assert message.startswith("Line 2 (“Attending a multi-agency strategy meetin…”) is 167")
    assert "a reason for apologies is a short phrase of at most 120" in message
    assert dialog.result() == 0
    assert dialog.apology_reasons.toPlainText() == typed  # what was typed is kept
    assert tabs.currentWidget().isAncestorOf(dialog.apology_reasons)  # shown where it is
    assert load_settings(sample_db) == before


def test_the_agreement_page_holds_the_boards_words_and_refuses_what_it_cannot_fill_in(
    dialog, qtbot, sample_db
):
    page = dialog.agreement
    assert page.title.text() == "{short_name} Membership Agreement"
    assert page.area.text() == "Luton"
    assert "within the wider {area} community" in page.agreement_text.toPlainText()
    before = load_settings(sample_db)
    page.agreement_text.setPlainText("To support {chair} in all things")
    page.administrator_email.setText("marie.lowe@")
    dialog.tabs.setCurrentIndex(0)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.tabs.currentWidget() is page  # the page with the wrong field is shown
    assert dialog.form.message("agreement_text").startswith(
        "{chair} is not a name the agreement can fill in; use {name}, {short_name}"
    )
    assert "is not an email address" in dialog.form.message("administrator_email")
    assert load_settings(sample_db) == before
    page.agreement_text.setPlainText("To support the {board} and its chair")
    page.administrator_email.setText("marie.lowe@luton.gcsx.gov.uk")
    page.area.setText("Luton and Dunstable")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = load_settings(sample_db)
    assert (saved.agreement_text, saved.area) == (
        "To support the {board} and its chair",
        "Luton and Dunstable",
    )
