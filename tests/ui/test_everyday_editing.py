"""What a new user hit on an ordinary day (issue 13), driven through the real window: a year
planned twice, a Saturday meeting, papers due on a bank holiday, a half-typed form, the person
pickers, ending a membership today, and the small things (the phone example, the form's width,
Tab from a search box)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from lscb_desktop.models import Meeting
from lscb_desktop.services.groups import group_choices
from lscb_desktop.ui.meeting_dialogs import MeetingDialog, PlanYearDialog
from lscb_desktop.ui.member_dialog import MemberDialog
from lscb_desktop.ui.settings_dialog import SettingsDialog
from lscb_desktop.ui.small_dialogs import EndMembershipDialog
from lscb_desktop.ui.table_model import SORT_ROLE
from lscb_desktop.ui.tables import RecordTable, select_where
from tests.conftest import SAMPLE_TODAY

SCRUTINY = "Scrutiny and Assurance Group"


def _meetings_of(database, name: str) -> list[dt.datetime]:
    group_id = next(c.id for c in group_choices(database) if c.text == name)
    with database.session() as session:
        return sorted(
            m.starts_at for m in session.query(Meeting).filter(Meeting.group_id == group_id)
        )


def _rows(dialog: PlanYearDialog) -> list[tuple[bool, str, str]]:
    """(ticked, date as shown, note) for each proposed meeting."""
    table = dialog.table
    return [
        (
            table.item(row, 0).checkState() == Qt.CheckState.Checked,
            table.cellWidget(row, 1).text(),
            table.item(row, 2).text(),
        )
        for row in range(table.rowCount())
    ]


def _plan(window, answer, fill) -> dict:
    window.tabs.setCurrentWidget(window.meetings_tab)
    seen: dict = {}

    def user(dialog: PlanYearDialog) -> None:
        dialog.group.setCurrentText(SCRUTINY)
        fill(dialog, seen)

    answer(PlanYearDialog, user)
    window.meetings_tab.plan_year()
    return seen


def test_plan_a_year_opens_on_what_is_still_to_plan_with_weekdays(window, answer, sample_db):
    before = _meetings_of(sample_db, SCRUTINY)

    def keep_the_defaults(dialog: PlanYearDialog, seen: dict) -> None:
        seen["period"] = dialog.period.currentText()
        seen["first"] = dialog.first.text()
        dialog.propose()
        seen["rows"] = _rows(dialog)
        seen["message"] = dialog.message.text()
        dialog.save()

    seen = _plan(window, answer, keep_the_defaults)
    # The group's 2026-27 is planned to its last meeting (04/02/2027): the next period opens,
    # counted on from that meeting, at the time the group meets.
    assert seen["period"] == "2027-28"
    assert seen["first"] == "04/05/2027 09:30 (Tue)"
    assert seen["rows"] == [
        (True, "04/05/2027 09:30 (Tue)", ""),
        (True, "04/08/2027 09:30 (Wed)", ""),
        (True, "04/11/2027 09:30 (Thu)", ""),
        (True, "04/02/2028 09:30 (Fri)", ""),
    ]
    assert seen["message"].startswith("4 meetings proposed.")
    assert window.statusBar().currentMessage() == "Added 4 meetings"
    assert len(_meetings_of(sample_db, SCRUTINY)) == len(before) + 4
    # One step on Edit > Undo takes the whole plan away again.
    assert window.undo.undo_action.text() == f"&Undo plan 4 meetings of {SCRUTINY}"
    window.undo.undo_action.trigger()
    assert _meetings_of(sample_db, SCRUTINY) == before


def test_plan_a_year_twice_adds_nothing_twice_and_nothing_past(window, answer, sample_db):
    """The issue's steps: 2026-27 from 01/04/2026 once gave three past meetings and clashes."""
    before = _meetings_of(sample_db, SCRUTINY)

    def as_reported(dialog: PlanYearDialog, seen: dict) -> None:
        dialog.period.setCurrentIndex(dialog.period.findText("2026-27"))
        dialog.first.setDateTime(
            dialog.first.dateTime().fromString("01/04/2026 10:00", "dd/MM/yyyy HH:mm")
        )
        dialog.propose()
        seen["rows"] = _rows(dialog)
        seen["message"] = dialog.message.text()
        # Each date typed by hand is explained again: here, a day the group already meets.
        dialog.table.cellWidget(0, 1).setDateTime(
            dialog.first.dateTime().fromString("04/02/2027 09:30", "dd/MM/yyyy HH:mm")
        )
        seen["typed"] = _rows(dialog)[0]
        dialog.table.item(0, 0).setCheckState(Qt.CheckState.Unchecked)
        dialog.save()
        seen["nothing ticked"] = dialog.message.text()

    seen = _plan(window, answer, as_reported)
    # 01/04, 01/07 and 01/10/2026 are past; 01/01/2027 is New Year's Day.
    # 01/01/2027 is New Year's Day; Monday 04/01 is a month before the quarterly group's
    # 04/02/2027, the same meeting planned twice.
    assert seen["rows"] == [
        (
            False,
            "04/01/2027 10:00 (Mon)",
            "the group already meets 31 days later: Thu 04/02/2027 09:30 (not added unless ticked)",
        ),
    ]
    assert seen["message"] == (
        "0 meetings proposed; 1 left unticked: the group already meets near them; 3 on or "
        "before today left out. Change any date before saving."
    )
    assert seen["typed"] == (
        False,
        "04/02/2027 09:30 (Thu)",
        "changed by hand; the group already meets that day: Thu 04/02/2027 09:30",
    )
    assert seen["nothing ticked"] == "Propose the dates (or add them), and tick those to add."
    assert _meetings_of(sample_db, SCRUTINY) == before

    def the_same_year_again(dialog: PlanYearDialog, seen: dict) -> None:
        dialog.period.setCurrentIndex(dialog.period.findText("2026-27"))
        dialog.first.setDateTime(
            dialog.first.dateTime().fromString("07/05/2026 09:30", "dd/MM/yyyy HH:mm")
        )
        dialog.propose()
        seen["rows"] = _rows(dialog)
        seen["message"] = dialog.message.text()

    seen = _plan(window, answer, the_same_year_again)
    assert seen["rows"] == [
        (
            False,
            "08/02/2027 09:30 (Mon)",
            "the group already meets 4 days earlier: Thu 04/02/2027 09:30 (not added unless "
            "ticked)",
        )
    ]
    assert "1 left unticked: the group already meets near them" in seen["message"]
    assert "3 on or before today left out" in seen["message"]


def _new_meeting(window, answer, when: str, reply: QMessageBox.StandardButton, monkeypatch):
    asked: list[str] = []

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return reply

    monkeypatch.setattr(QMessageBox, "question", question)
    window.tabs.setCurrentWidget(window.meetings_tab)
    seen: dict = {}

    def user(dialog: MeetingDialog) -> None:
        dialog.group.setCurrentText("Executive Group")
        dialog.starts_at.setDateTime(
            dialog.starts_at.dateTime().fromString(when, "dd/MM/yyyy HH:mm")
        )
        dialog.save_button.click()
        seen["result"] = dialog.result()
        seen["focus"] = dialog.focusWidget() is dialog.starts_at

    answer(MeetingDialog, user)
    window.meetings_tab.new_meeting()
    return asked, seen


@pytest.mark.parametrize(
    ("when", "question"),
    [
        ("05/12/2026 10:00", "Sat 05/12/2026 is a Saturday. Hold the meeting on that day?"),
        (
            "28/12/2026 10:00",
            "Mon 28/12/2026 is a bank holiday (Boxing Day (observed)). Hold the meeting "
            "on that day?",
        ),
    ],
)
def test_a_meeting_on_a_weekend_or_bank_holiday_is_asked_about_first(
    window, answer, sample_db, monkeypatch, when, question
):
    before = len(_meetings_of(sample_db, "Executive Group"))
    asked, seen = _new_meeting(window, answer, when, QMessageBox.StandardButton.No, monkeypatch)
    assert asked == [question]
    assert seen == {"result": 0, "focus": True}  # the form stays open on the date
    assert len(_meetings_of(sample_db, "Executive Group")) == before
    asked, seen = _new_meeting(window, answer, when, QMessageBox.StandardButton.Yes, monkeypatch)
    assert seen["result"] == 1
    assert dt.datetime.strptime(when, "%d/%m/%Y %H:%M") in _meetings_of(
        sample_db, "Executive Group"
    )


def test_papers_due_on_a_bank_holiday_move_to_the_working_day_before(window, answer, monkeypatch):
    # 04/01/2027 less the seven days of the settings is 28/12/2026, Boxing Day's substitute.
    asked, _ = _new_meeting(
        window, answer, "04/01/2027 10:00", QMessageBox.StandardButton.No, monkeypatch
    )
    assert asked == []  # a Monday: nothing to ask
    tab = window.meetings_tab
    row = tab.current_meeting()
    assert row is not None and row.starts_at == dt.datetime(2027, 1, 4, 10)
    index = tab.table.currentIndex()
    assert tab.proxy.index(index.row(), 5).data() == "24/12/2026"
    assert "papers due 24/12/2026" in tab.agenda_heading.text()


# -- forms never lose what was typed ---------------------------------------------------------


def _member_form(window, answer, qtbot, fill) -> dict:
    seen: dict = {}

    def user(dialog: MemberDialog) -> None:
        dialog.show()  # as exec shows it: what the fields hold now is the form unchanged
        fill(dialog, seen)

    answer(MemberDialog, user)
    qtbot.keyClick(window.board_tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    return seen


def test_esc_on_a_half_filled_member_form_asks_and_keeps_it(window, answer, qtbot, monkeypatch):
    replies = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    asked: list[str] = []

    def question(_parent, title, _text, *_args):
        asked.append(title)
        return replies.pop(0)

    def fill(dialog: MemberDialog, seen: dict) -> None:
        qtbot.keyClicks(dialog.name, "Jo Bloggs")
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        seen["kept"] = (dialog.isVisible(), dialog.name.text())
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        seen["closed"] = not dialog.isVisible()

    monkeypatch.setattr(QMessageBox, "question", question)
    seen = _member_form(window, answer, qtbot, fill)
    assert asked == ["Discard changes?", "Discard changes?"]
    assert seen == {"kept": (True, "Jo Bloggs"), "closed": True}


def test_esc_on_an_untouched_form_closes_it_without_asking(window, answer, qtbot):
    def fill(dialog: MemberDialog, seen: dict) -> None:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # a question would fail the test
        seen["closed"] = not dialog.isVisible()

    assert _member_form(window, answer, qtbot, fill) == {"closed": True}


def test_an_error_on_a_hidden_settings_page_shows_that_page(window, answer, qtbot):
    seen: dict = {}

    def user(dialog: SettingsDialog) -> None:
        dialog.show()
        dialog.email.setText("office@")
        dialog.tabs.setCurrentIndex(1)  # Words and rules
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen["page"] = dialog.tabs.tabText(dialog.tabs.currentIndex())
        seen["focus"] = dialog.focusWidget() is dialog.email
        seen["message"] = dialog.form.message("email")
        seen["result"] = dialog.result()

    answer(SettingsDialog, user)
    window.settings_action.trigger()
    assert seen["page"] == "&Organisation"
    assert seen["focus"]
    assert "is not an email address" in seen["message"]
    assert seen["result"] == 0


def test_the_person_pickers_filter_as_typed_under_a_real_placeholder(window, answer, qtbot):
    def fill(dialog: MemberDialog, seen: dict) -> None:
        seen["placeholders"] = (
            dialog.substitute.lineEdit().placeholderText(),
            dialog.person_picker.lineEdit().placeholderText(),
        )
        qtbot.keyClicks(dialog.substitute.lineEdit(), "Pat")
        seen["typed"] = dialog.substitute.currentText()
        completer = dialog.substitute.completer()
        seen["suggestions"] = [
            completer.completionModel().index(row, 0).data()
            for row in range(completer.completionCount())
        ]

    seen = _member_form(window, answer, qtbot, fill)
    assert seen["placeholders"] == ("(none)", "Find someone on file, or type a new person's name")
    assert seen["typed"] == "Pat"
    assert seen["suggestions"] and all("pat" in s.casefold() for s in seen["suggestions"])


def test_a_new_persons_name_typed_in_who_is_taken_as_their_name(window, answer, qtbot, sample_db):
    def fill(dialog: MemberDialog, seen: dict) -> None:
        seen["focus"] = dialog.focusWidget() in (
            dialog.person_picker,
            dialog.person_picker.lineEdit(),
        )
        qtbot.keyClicks(dialog.person_picker.lineEdit(), "Liz Newcombe")
        qtbot.keyClicks(dialog.phone, "07700 900123")  # the example the phone check gives
        dialog.save_button.click()
        seen["problems"] = dialog.problems()
        seen["result"] = dialog.result()

    seen = _member_form(window, answer, qtbot, fill)
    assert seen["focus"]  # Ctrl+N starts in Who
    assert seen == {"focus": True, "problems": {}, "result": 1}
    row = window.board_tab.members.current_row()
    assert (row.name, row.phone) == ("Liz Newcombe", "07700 900123")


def test_the_add_member_form_fits_a_1280_pixel_screen(window, answer, qtbot):
    def fill(dialog: MemberDialog, seen: dict) -> None:
        seen["width"] = dialog.width()
        seen["least"] = dialog.minimumSizeHint().width()

    seen = _member_form(window, answer, qtbot, fill)
    assert seen["width"] <= 1280 - 40
    assert seen["least"] <= 1280 - 40


# -- ending a membership today, and Tab from a search box ----------------------------------


def test_ending_a_membership_today_takes_her_off_the_list_and_flags_her_agency(window, answer):
    members = window.board_tab.members
    assert select_where(members.table, lambda row: row.name == "Alison Harding")

    def user(dialog: EndMembershipDialog) -> None:
        seen["default"] = dialog.end_date.date().toPython()
        dialog.save()

    seen: dict = {}
    answer(EndMembershipDialog, user)
    window.end_action.trigger()
    assert seen["default"] == SAMPLE_TODAY  # the last day offered is today
    assert "Alison Harding" not in [row.name for row in members.model.rows]
    agencies = window.board_tab.agencies.model.rows
    probation = next(r for r in agencies if r.name.startswith("National Probation Service"))
    assert probation.unrepresented
    assert probation.representatives == ()


@pytest.mark.parametrize("tab_name", ["board_tab", "subgroups_tab", "meetings_tab", "reviews_tab"])
def test_tab_from_a_search_box_goes_to_its_list(window, qtbot, tab_name):
    tab = getattr(window, tab_name)
    window.tabs.setCurrentWidget(tab)
    tab.focus_search()
    search = QApplication.focusWidget()
    assert search is not None and search.accessibleName().startswith("Search")
    qtbot.keyClick(search, Qt.Key.Key_Tab)
    table = QApplication.focusWidget()
    assert table is not None and table.metaObject().className() == "RecordTable"
    assert table.isVisible()


def test_no_list_shows_a_sort_arrow_its_rows_do_not_follow(window, qtbot):
    """The action log once opened with ▼ on its first column; a list either opens in the order
    it names with its arrow, or in the service's order with no arrow."""
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
    window.meetings_tab.inner.setCurrentIndex(1)  # the action log
    for table in window.findChildren(RecordTable):
        header = table.horizontalHeader()
        column = header.sortIndicatorSection()
        model = table.model()
        if column < 0 or model is None or column >= model.columnCount():
            continue
        keys = [model.index(row, column).data(SORT_ROLE) for row in range(model.rowCount())]
        ordered = sorted(keys, key=_sortable, reverse=header.sortIndicatorOrder().value == 1)
        assert [_sortable(k) for k in keys] == [_sortable(k) for k in ordered], table.objectName()


def _sortable(value: object) -> tuple[int, object]:
    if value is None:
        return (1, "")
    if isinstance(value, str):
        return (0, value.casefold())
    return (0, value)
