"""What a second new user found after the first round of issue 13's fixes, through the window:
planning twice with the defaults, a changed group after proposing, a group that meets as
required, a tab switched in Settings, a name on file typed in Who, a typed owner in the action
log, a last day still to come, a default date on a bank holiday."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from lscb_desktop.clock import TODAY_ENV
from lscb_desktop.models import Person
from lscb_desktop.ui.meeting_dialogs import MeetingDialog, PlanYearDialog
from lscb_desktop.ui.member_dialog import MemberDialog
from lscb_desktop.ui.settings_dialog import SettingsDialog
from lscb_desktop.ui.small_dialogs import EndMembershipDialog
from lscb_desktop.ui.tables import select_where
from tests.conftest import SAMPLE_TODAY
from tests.ui.test_everyday_editing import SCRUTINY, _meetings_of, _rows


def _plan(window, answer, fill, group: str = SCRUTINY) -> dict:
    window.tabs.setCurrentWidget(window.meetings_tab)
    seen: dict = {}

    def user(dialog: PlanYearDialog) -> None:
        dialog.group.setCurrentText(group)
        fill(dialog, seen)

    answer(PlanYearDialog, user)
    window.meetings_tab.plan_year()
    return seen


def _propose_and_save(dialog: PlanYearDialog, seen: dict) -> None:
    seen["period"] = dialog.period.currentText()
    dialog.propose()
    seen["rows"] = _rows(dialog)
    dialog.save()


def test_planning_twice_with_the_defaults_goes_on_to_the_next_year(window, answer, sample_db):
    _plan(window, answer, _propose_and_save)
    first = _meetings_of(sample_db, SCRUTINY)
    seen = _plan(window, answer, _propose_and_save)
    assert seen["period"] == "2028-29"
    assert [row[1] for row in seen["rows"]][:1] == ["04/05/2028 09:30 (Thu)"]
    added = sorted(set(_meetings_of(sample_db, SCRUTINY)) - set(first))
    assert added and all(day >= dt.datetime(2028, 4, 1) for day in added)


def test_a_year_already_planned_chosen_by_hand_proposes_nothing_new(window, answer):
    _plan(window, answer, _propose_and_save)

    def again(dialog: PlanYearDialog, seen: dict) -> None:
        dialog.period.setCurrentIndex(dialog.period.findText("2027-28"))
        seen["first"] = dialog.first.text()
        dialog.propose()
        seen["rows"] = _rows(dialog)
        seen["message"] = dialog.message.text()

    seen = _plan(window, answer, again)
    assert not any(ticked for ticked, _when, _note in seen["rows"])
    assert seen["message"].startswith("No dates to propose in 2027-28")


def test_changing_the_group_after_proposing_forgets_the_dates(window, answer, sample_db):
    before = _meetings_of(sample_db, "Strategic Board")

    def switch(dialog: PlanYearDialog, seen: dict) -> None:
        dialog.propose()
        seen["proposed"] = dialog.table.rowCount()
        dialog.group.setCurrentText("Strategic Board")
        seen["after"] = dialog.table.rowCount()
        seen["message"] = dialog.message.text()
        dialog.save()

    seen = _plan(window, answer, switch)
    assert seen["proposed"] > 0 and seen["after"] == 0
    assert seen["message"] == "Propose the dates again for what you changed."
    assert _meetings_of(sample_db, "Strategic Board") == before


def test_a_group_that_meets_as_required_is_planned_date_by_date(window, answer):
    def as_required(dialog: PlanYearDialog, seen: dict) -> None:
        seen["meets"] = dialog.frequency.currentText()
        dialog.propose()
        seen["rows"] = dialog.table.rowCount()
        seen["message"] = dialog.message.text()

    seen = _plan(window, answer, as_required, group="Child Death Overview Panel")
    assert seen["meets"] == "As required (add each date)"
    assert seen["rows"] == 0
    assert seen["message"].startswith("The group meets as required: add each date")


def test_esc_after_only_looking_at_another_settings_page_asks_nothing(window, answer, qtbot):
    seen: dict = {}

    def user(dialog: SettingsDialog) -> None:
        dialog.show()
        dialog.tabs.setCurrentIndex(1)
        dialog.tabs.setCurrentIndex(4)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # a question would fail the test
        seen["closed"] = not dialog.isVisible()

    answer(SettingsDialog, user)
    window.settings_action.trigger()
    assert seen == {"closed": True}


def _people(database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(Person)) or 0)


def _member_form(window, answer, qtbot, fill) -> dict:
    seen: dict = {}

    def user(dialog: MemberDialog) -> None:
        dialog.show()
        fill(dialog, seen)

    answer(MemberDialog, user)
    window.tabs.setCurrentWidget(window.subgroups_tab)
    assert select_where(window.subgroups_tab.table, lambda r: r.name == "Executive Group")
    window.subgroups_tab.members.new_record()
    return seen


def test_a_name_on_file_typed_in_who_picks_that_person(window, answer, qtbot, sample_db):
    people = _people(sample_db)

    def fill(dialog: MemberDialog, seen: dict) -> None:
        qtbot.keyClicks(dialog.person_picker.lineEdit(), "alison harding")
        dialog.person_picker.settle()  # as leaving the field does
        seen["who"] = dialog.person_picker.currentText()
        seen["name"] = dialog.name.text()
        dialog.save_button.click()
        seen["result"] = dialog.result()

    seen = _member_form(window, answer, qtbot, fill)
    assert seen["who"].startswith("Alison Harding (")
    assert seen["name"] == "Alison Harding"  # her record, filled in from file
    assert seen["result"] == 1
    assert _people(sample_db) == people  # no second Alison Harding


def test_a_new_person_with_a_name_on_file_is_asked_about(
    window, answer, qtbot, sample_db, monkeypatch
):
    people = _people(sample_db)
    asked: list[str] = []

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)

    def fill(dialog: MemberDialog, seen: dict) -> None:
        qtbot.keyClicks(dialog.name, "Alison Harding")
        dialog.save_button.click()
        seen["result"] = dialog.result()

    seen = _member_form(window, answer, qtbot, fill)
    assert seen["result"] == 0
    assert len(asked) == 1 and asked[0].startswith("Alison Harding (")
    assert "Add another person called “Alison Harding”?" in asked[0]
    assert _people(sample_db) == people


def test_the_action_log_filters_by_an_owner_typed_in_full(window, qtbot):
    tab = window.meetings_tab
    window.tabs.setCurrentWidget(tab)
    tab.inner.setCurrentIndex(1)
    log = tab.actions_page
    log.state.setCurrentIndex(0)  # any status
    everyone = log.model.rowCount()
    owner = next(r.owner for r in log.model.rows if r.owner)
    qtbot.keyClicks(log.owner.lineEdit(), owner)
    log.owner.settle()
    assert 0 < log.model.rowCount() < everyone
    assert all(r.owner == owner for r in log.model.rows)
    # The meetings' own search and filters are not shown over the action log.
    assert not tab.search.isVisible() and not tab.period_filter.isVisible()
    tab.inner.setCurrentIndex(0)
    assert tab.search.isVisible()


def test_a_last_day_still_to_come_can_be_brought_forward_to_today(window, answer):
    members = window.board_tab.members
    assert select_where(members.table, lambda row: row.name == "Alison Harding")
    days: list[dt.date] = []

    def user(dialog: EndMembershipDialog, day: dt.date) -> None:
        days.append(dialog.end_date.date().toPython())
        dialog.end_date.setDate(day)
        dialog.save()

    answer(EndMembershipDialog, lambda d: user(d, SAMPLE_TODAY + dt.timedelta(days=30)))
    window.end_action.trigger()
    assert "Alison Harding" in [row.name for row in members.model.rows]  # still a member
    assert select_where(members.table, lambda row: row.name == "Alison Harding")
    answer(EndMembershipDialog, lambda d: user(d, SAMPLE_TODAY))
    window.end_action.trigger()
    assert days == [SAMPLE_TODAY, SAMPLE_TODAY + dt.timedelta(days=30)]
    assert "Alison Harding" not in [row.name for row in members.model.rows]
    assert window.undo.undo_action.text() == "&Undo end Alison Harding's membership"


def test_a_new_meeting_never_starts_on_a_bank_holiday_and_asks_once(window, answer, monkeypatch):
    monkeypatch.setenv(TODAY_ENV, "2026-12-04")  # four weeks on is New Year's Day
    asked: list[str] = []

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    seen: dict = {}

    def user(dialog: MeetingDialog) -> None:
        seen["default"] = dialog.starts_at.text()
        dialog.starts_at.setDateTime(
            dialog.starts_at.dateTime().fromString("09/01/2027 10:00", "dd/MM/yyyy HH:mm")
        )
        dialog.save_button.click()  # no group yet: refused under the field
        seen["group"] = dialog.form.message("group")
        dialog.group.setCurrentText("Executive Group")
        dialog.save_button.click()
        seen["result"] = dialog.result()

    answer(MeetingDialog, user)
    window.tabs.setCurrentWidget(window.meetings_tab)
    window.meetings_tab.new_meeting()
    assert seen["default"] == "04/01/2027 10:00"
    assert seen["group"]
    assert seen["result"] == 1
    assert asked == ["Sat 09/01/2027 is a Saturday. Hold the meeting on that day?"]
