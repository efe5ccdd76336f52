"""The forms of the window as a careful tester works them: no child's name in a case review, and
no date outside the years the program accepts (01/01/1900 for a meeting)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateTimeEdit
from sqlalchemy import extract, func, select

from lscb_desktop.models import CaseReview, Meeting
from lscb_desktop.services.anonymity import ANONYMISE
from lscb_desktop.services.groups import group_choices
from lscb_desktop.services.meetings import meeting_periods
from lscb_desktop.services.settings import Settings, save_settings
from lscb_desktop.store import Database
from lscb_desktop.ui.meeting_dialogs import ActionDialog, MeetingDialog, PlanYearDialog
from lscb_desktop.ui.member_dialog import MemberDialog
from lscb_desktop.ui.review_dialogs import AuditDialog, CaseReviewDialog


def _reviews(database: Database) -> list[str]:
    with database.session() as session:
        return sorted(session.scalars(select(CaseReview.reference)))


def _meetings_in(database: Database, year: int) -> int:
    with database.session() as session:
        query = select(func.count()).select_from(Meeting)
        return session.scalar(query.where(extract("year", Meeting.starts_at) == year))


def _type_date(qtbot, edit: QDateTimeEdit, digits: str) -> None:
    """Types into a date field from its first section, as a user does (the field moves on to
    the next part of the date by itself)."""
    edit.setFocus()
    edit.setSelectedSection(QDateTimeEdit.Section.DaySection)
    qtbot.keyClicks(edit, digits)


def test_a_childs_name_typed_as_the_reference_is_refused_under_the_field(
    window, answer, qtbot, sample_db
):
    window.tabs.setCurrentWidget(window.reviews_tab)
    before = _reviews(sample_db)
    seen = {}

    def user(dialog: CaseReviewDialog):
        qtbot.keyClicks(dialog.reference, "Jayden Smith")
        qtbot.keyClicks(dialog.methodology, "Systems methodology")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen["message"] = dialog.form.message("reference")
        seen["shown"] = dialog.form.messages["reference"].isVisibleTo(dialog)
        seen["other messages"] = [k for k in dialog.form.messages if dialog.form.message(k)]
        seen["kept"] = (dialog.reference.text(), dialog.methodology.text())
        seen["focus"] = dialog.focusWidget() is dialog.reference

    answer(CaseReviewDialog, user)
    window.reviews_tab.new_record()
    assert seen["message"] == (
        "“Jayden Smith” is not an anonymised reference (like CSPR 2026-03). A case is known by "
        "its reference, never by a child's name. The accepted form is set under File > Settings."
    )
    assert seen["shown"]
    assert seen["other messages"] == ["reference"]
    assert seen["kept"] == ("Jayden Smith", "Systems methodology")
    assert seen["focus"]
    assert _reviews(sample_db) == before


def test_notes_giving_a_childs_age_are_refused_then_saved_once_anonymised(
    window, answer, qtbot, sample_db
):
    window.tabs.setCurrentWidget(window.reviews_tab)
    before = _reviews(sample_db)
    seen = {}

    def user(dialog: CaseReviewDialog):
        qtbot.keyClicks(dialog.reference, "CSPR 2026-03")
        qtbot.keyClicks(dialog.notes, "Child aged 3, DOB 01/02/2023, of 12 High Street.")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen["message"] = dialog.form.message("notes")
        seen["reference message"] = dialog.form.message("reference")
        seen["kept"] = dialog.notes.toPlainText()
        seen["saved first time"] = dialog.saved_id
        seen["rows after refusal"] = _reviews(sample_db)
        dialog.notes.clear()
        qtbot.keyClicks(dialog.notes, "Pre-school child; neglect and domestic abuse.")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer(CaseReviewDialog, user)
    window.reviews_tab.new_record()
    assert seen["message"] == (
        "This looks like a child's age (“aged 3”), a date of birth (“DOB 01/02/2023”) and a "
        f"house address (“12 High Street”). {ANONYMISE}"
    )
    assert seen["reference message"] == ""
    assert seen["kept"] == "Child aged 3, DOB 01/02/2023, of 12 High Street."
    assert seen["saved first time"] is None
    assert seen["rows after refusal"] == before
    assert _reviews(sample_db) == sorted([*before, "CSPR 2026-03"])
    assert any(r.reference == "CSPR 2026-03" for r in window.reviews_tab.model.rows)


def test_a_meeting_typed_for_01_01_1900_is_refused_under_the_field(
    window, answer, qtbot, sample_db, message_boxes
):
    window.tabs.setCurrentWidget(window.meetings_tab)
    seen = {}

    def user(dialog: MeetingDialog):
        seen["range"] = (dialog.starts_at.minimumDate(), dialog.starts_at.maximumDate())
        dialog.group.setCurrentText("Executive Group")
        _type_date(qtbot, dialog.starts_at, "010119001000")
        seen["typed"] = dialog.starts_at.text()  # the field takes no year before 1990
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen["message"] = dialog.form.message("starts_at")
        seen["saved"] = dialog.saved_id
        seen["in 1900"] = _meetings_in(sample_db, 1900)
        dialog.starts_at.setSelectedSection(QDateTimeEdit.Section.YearSection)
        qtbot.keyClicks(dialog.starts_at, "2027")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer(MeetingDialog, user)
    window.meetings_tab.new_meeting()
    assert seen["range"] == (QDate(1990, 1, 1), QDate(2100, 12, 31))
    assert seen["typed"] == "01/01/19 10:00"
    assert seen["message"] == "“01/01/19 10:00” is not a date from 1990 to 2100: check the year."
    assert seen["saved"] is None
    assert seen["in 1900"] == 0
    meeting = window.meetings_tab.current_meeting()
    assert meeting is not None
    assert (meeting.group, meeting.starts_at) == ("Executive Group", dt.datetime(2027, 1, 1, 10))
    # 01/01/2027 is New Year's Day: saved on the user's yes.
    assert message_boxes == [
        (
            "question",
            "Fri 01/01/2027 is a bank holiday (New Year's Day). Hold the meeting on that day?",
        )
    ]


def test_a_refused_year_is_named_rather_than_saved_as_the_date_the_field_went_back_to(
    qtbot, sample_db, message_boxes
):
    dialog = MeetingDialog(sample_db, group_id=group_choices(sample_db)[0].id)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    _type_date(qtbot, dialog.starts_at, "010119001000")
    # Clicking Save ends the editing: the field puts back its last good date, the day and month
    # typed in the year it had (the new meeting's 21/12/2026) ...
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.starts_at.text() == "01/01/2026 10:00"
    # ... and the form says so instead of saving a date the user did not type.
    assert dialog.saved_id is None
    assert dialog.form.message("starts_at") == (
        "“01/01/19 10:00” is not a date from 1990 to 2100, so the field went back to "
        "01/01/2026 10:00: check the date, then save again."
    )
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_id is not None
    assert _meetings_in(sample_db, 1900) == 0
    assert [text for _, text in message_boxes] == [
        "Thu 01/01/2026 is a bank holiday (New Year's Day). Hold the meeting on that day?"
    ]


def test_a_meeting_already_dated_1900_is_shown_as_it_is_and_cannot_be_saved_so(qtbot, sample_db):
    group_id = group_choices(sample_db)[0].id
    # A record kept from before dates were checked: the meetings service now refuses 1900.
    with sample_db.session() as session:
        meeting = Meeting(
            group_id=group_id,
            starts_at=dt.datetime(1900, 1, 1, 10),
            ends_at=dt.datetime(1900, 1, 1, 12),
        )
        session.add(meeting)
        session.flush()
        meeting_id = meeting.id
    dialog = MeetingDialog(sample_db, meeting_id)
    qtbot.addWidget(dialog)
    assert dialog.starts_at.text() == "01/01/1900 10:00"  # not quietly moved to 1990
    dialog.save()
    assert dialog.result() == 0
    assert dialog.form.message("starts_at") == (
        "01/01/1900 is before 1990, the earliest year for dates: check the year (for older "
        "history, lower the earliest year under File > Settings)."
    )


def test_every_date_field_of_the_window_keeps_to_the_settings_years(qtbot, sample_db):
    save_settings(sample_db, Settings(earliest_year=1950))
    group = group_choices(sample_db)[0]
    review = CaseReviewDialog(sample_db)
    audit = AuditDialog(sample_db, year=2026)
    action = ActionDialog(sample_db)
    member = MemberDialog(sample_db, group.id, group.text)
    meeting = MeetingDialog(sample_db)
    for dialog in (review, audit, action, member, meeting):
        qtbot.addWidget(dialog)
    edits = [
        *(field.edit for field in review.dates.values()),
        audit.escalated.edit,
        audit.letter.edit,
        action.due.edit,
        action.done_date,
        member.start_date,
        meeting.starts_at,
    ]
    for edit in edits:
        assert (edit.minimumDate(), edit.maximumDate()) == (QDate(1950, 1, 1), QDate(2100, 12, 31))
    assert (audit.year.minimum(), audit.year.maximum()) == (1950, 2100)


def test_a_planned_year_with_a_date_out_of_range_is_refused(qtbot, sample_db, monkeypatch):
    periods = meeting_periods(sample_db)
    dialog = PlanYearDialog(sample_db, periods, group_choices(sample_db)[0].id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog._add_row(dt.datetime(2027, 5, 4, 10), "", ticked=True)
    edit = dialog.table.cellWidget(0, 1)
    assert isinstance(edit, QDateTimeEdit)
    assert edit.minimumDate() == QDate(1990, 1, 1)
    _type_date(qtbot, edit, "040519001000")
    created = []
    monkeypatch.setattr(
        "lscb_desktop.ui.plan_year.create_meetings",
        lambda *args: created.append(args) or (1, []),
    )
    dialog.save()
    assert created == []
    assert dialog.message.text() == (
        "Meeting 1: “04/05/19 10:00 (Tue)” is not a date from 1990 to 2100: check the year."
    )


def test_the_case_review_form_fits_the_screen_with_its_messages_and_keeps_save_in_view(
    window, answer, qtbot
):
    """On a 1366 x 768 laptop the form with its messages once pushed Save below the screen."""
    window.tabs.setCurrentWidget(window.reviews_tab)
    seen = {}

    def user(dialog: CaseReviewDialog):
        qtbot.keyClicks(dialog.reference, "Jayden Smith")
        dialog.notes.setPlainText("Child aged 3, DOB 01/02/2023, of 12 High Street.")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        screen = dialog.screen().availableGeometry()
        button = dialog.save_button.mapTo(dialog, dialog.save_button.rect().bottomLeft())
        seen["fits"] = dialog.frameGeometry().height() <= screen.height()
        seen["save in view"] = 0 <= button.y() <= dialog.height()
        seen["messages"] = bool(dialog.form.message("reference") and dialog.form.message("notes"))

    answer(CaseReviewDialog, user)
    window.reviews_tab.new_record()
    assert seen == {"fits": True, "save in view": True, "messages": True}
