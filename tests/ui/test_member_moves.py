"""A member who moves to another agency, through the window: the form asks from which date they
represent the new one, the Board tab shows the ended and the continued membership, and last
year's figures stay exactly as they were."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateTimeEdit

from lscb_desktop.services.attendance_figures import attendance_figures, attendance_grids
from lscb_desktop.services.members import board_group_id, group_members
from lscb_desktop.services.periods import parse_period
from lscb_desktop.ui.member_dialog import MemberDialog
from lscb_desktop.ui.small_dialogs import MoveDateDialog
from lscb_desktop.ui.tables import select_index
from tests.conftest import SAMPLE_TODAY

LAST_YEAR = parse_period("2025-26")
PROBATION = "National Probation Service and BeNCH CRC"


def select_row(table, row: int) -> None:
    """Selects a row as a click does, whatever modifier an earlier test left held down (a
    table's selectRow reads the keyboard, and Ctrl would toggle a selected row off)."""
    select_index(table, table.model().index(row, 0))


def names(panel) -> list[str]:
    return [panel.proxy.index(row, 0).data() for row in range(panel.proxy.rowCount())]


def select_member(panel, name: str) -> None:
    select_row(panel.table, names(panel).index(name))


def pick_agency(dialog: MemberDialog, name: str) -> None:
    dialog.agency.setCurrentIndex(dialog.agency.findText(name, Qt.MatchFlag.MatchExactly))


def test_a_member_who_moves_agency_is_asked_from_when_and_past_figures_stay(
    window, answer, message_boxes, sample_db
):
    board = board_group_id(sample_db)
    before = attendance_figures(sample_db, LAST_YEAR)
    board_before = attendance_figures(sample_db, LAST_YEAR, board)
    grids = attendance_grids(sample_db, LAST_YEAR)
    members = window.board_tab.members
    select_member(members, "Carol Pennington")
    asked = {}

    def when(dialog: MoveDateDialog):
        asked["question"] = dialog.question.text()
        asked["explanation"] = dialog.explanation.text()
        asked["default"] = dialog.date.date()
        dialog.date.setDate(QDate(2026, 11, 1))
        dialog.save()

    def user(dialog: MemberDialog):
        assert dialog.agency.currentText() == "CAFCASS"
        pick_agency(dialog, PROBATION)
        dialog.save_button.click()

    answer(MoveDateDialog, when)
    answer(MemberDialog, user)
    window.edit_action.trigger()

    assert (
        asked["question"] == f"<b>From which date does Carol Pennington represent {PROBATION}?</b>"
    )
    assert (
        "memberships (Serious Case Review Group and Strategic Board) represent CAFCASS"
        in (asked["explanation"])
    )
    assert asked["default"] == QDate(SAMPLE_TODAY.year, SAMPLE_TODAY.month, SAMPLE_TODAY.day)
    [(kind, told)] = message_boxes
    assert kind == "information"
    assert told.startswith(f"Carol Pennington represents {PROBATION} from 01/11/2026: ")
    assert "ended on 31/10/2026 for CAFCASS and continued from 01/11/2026" in told
    assert "Meetings before 01/11/2026 stay with CAFCASS." in told
    assert told in window.statusBar().currentMessage()
    # The Board tab: the continued membership is current and selected; under former members,
    # the ended one with the agency she represented then.
    row = members.current_row()
    assert (row.name, row.agency, row.end_date) == ("Carol Pennington", PROBATION, None)
    members.show_former.setChecked(True)
    carol = [
        (r.agency, r.start_date, r.end_date)
        for r in members.model.rows
        if r.name == "Carol Pennington"
    ]
    assert sorted(carol, key=lambda r: r[1]) == [
        ("CAFCASS", dt.date(2023, 4, 1), dt.date(2026, 10, 31)),
        (PROBATION, dt.date(2026, 11, 1), None),
    ]
    agencies = {r.name: r for r in window.board_tab.agencies.model.rows}
    assert "Carol Pennington" in agencies[PROBATION].representatives
    assert "Carol Pennington" not in agencies["CAFCASS"].representatives
    # Her other group moved with her; last year's figures are exactly as they were.
    assert attendance_figures(sample_db, LAST_YEAR) == before
    assert attendance_figures(sample_db, LAST_YEAR, board) == board_before
    assert attendance_grids(sample_db, LAST_YEAR) == grids
    cafcass = next(a for a in board_before.agencies if a.agency == "CAFCASS")
    assert cafcass.meetings > 0


def test_not_saying_from_when_saves_nothing_and_keeps_the_form(window, answer, sample_db):
    board = board_group_id(sample_db)
    members = window.board_tab.members
    select_member(members, "Carol Pennington")
    job_title = members.current_row().job_title
    seen = {}

    def when(dialog: MoveDateDialog):
        dialog.reject()

    def user(dialog: MemberDialog):
        pick_agency(dialog, PROBATION)
        dialog.job_title.setText("Head of Service")
        dialog.save_button.click()
        seen["open"] = dialog.result() == 0
        seen["kept"] = (dialog.agency.currentText(), dialog.job_title.text())
        dialog.reject()

    answer(MoveDateDialog, when)
    answer(MemberDialog, user)
    window.edit_action.trigger()
    assert seen == {"open": True, "kept": (PROBATION, "Head of Service")}
    carol = [
        r for r in group_members(sample_db, board, include_former=True) if "Pennington" in r.name
    ]
    assert [(r.agency, r.end_date, r.job_title) for r in carol] == [("CAFCASS", None, job_title)]


def test_a_date_the_program_does_not_take_is_named_and_nothing_is_saved_until_it_is_right(
    window, answer, message_boxes, qtbot, sample_db
):
    board = board_group_id(sample_db)
    members = window.board_tab.members
    select_member(members, "Carol Pennington")
    seen = {}

    def when(dialog: MoveDateDialog):
        dialog.date.setFocus()
        dialog.date.setSelectedSection(QDateTimeEdit.Section.DaySection)
        qtbot.keyClicks(dialog.date, "01111850")  # the field takes no year before 1990
        dialog.save()
        seen["message"] = dialog.form.message("moved_on")
        seen["open"] = dialog.result() == 0
        seen["saved before the date was right"] = len(
            [
                r
                for r in group_members(sample_db, board, include_former=True)
                if "Pennington" in r.name
            ]
        )
        dialog.date.setDate(QDate(2026, 11, 1))
        dialog.save()

    def user(dialog: MemberDialog):
        pick_agency(dialog, PROBATION)
        dialog.save_button.click()

    answer(MoveDateDialog, when)
    answer(MemberDialog, user)
    window.edit_action.trigger()
    assert seen["message"] == "“01/11/1” is not a date from 1990 to 2100: check the year."
    assert seen["saved before the date was right"] == 1
    assert seen["open"]
    carol = [
        r for r in group_members(sample_db, board, include_former=True) if "Pennington" in r.name
    ]
    assert sorted((r.agency, r.end_date) for r in carol) == [
        ("CAFCASS", dt.date(2026, 10, 31)),
        (PROBATION, None),
    ]


def test_a_person_on_file_added_to_a_group_with_a_new_agency_is_asked_too(
    window, answer, message_boxes, sample_db
):
    tab = window.subgroups_tab
    window.tabs.setCurrentWidget(tab)
    groups = [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())]
    select_row(tab.table, groups.index("Multi-Agency Audit Group"))
    asked = []

    def when(dialog: MoveDateDialog):
        asked.append(dialog.moving.question)
        dialog.save()  # from today

    def user(dialog: MemberDialog):
        picker = dialog.person_picker
        picker.setCurrentIndex(
            picker.findText("Carol Pennington", flags=Qt.MatchFlag.MatchStartsWith)
        )
        pick_agency(dialog, PROBATION)
        dialog.save_button.click()

    answer(MoveDateDialog, when)
    answer(MemberDialog, user)
    tab.members.add_button.click()
    assert asked == [f"From which date does Carol Pennington represent {PROBATION}?"]
    assert tab.members.current_row().agency == PROBATION
    board = board_group_id(sample_db)
    carol = [r for r in group_members(sample_db, board) if "Pennington" in r.name]
    assert [r.agency for r in carol] == [PROBATION]
    assert "Added a member to Multi-Agency Audit Group." in window.statusBar().currentMessage()


def test_a_save_refused_for_another_field_keeps_the_date_and_does_not_ask_again(
    window, answer, message_boxes, sample_db
):
    members = window.board_tab.members
    select_member(members, "Carol Pennington")
    asked = []
    seen = {}

    def when(dialog: MoveDateDialog):
        asked.append(dialog.moving.question)
        dialog.date.setDate(QDate(2026, 11, 1))
        dialog.save()

    def user(dialog: MemberDialog):
        pick_agency(dialog, PROBATION)
        dialog.email.setText("carol@@cafcass")
        dialog.save_button.click()
        seen["problems"] = dialog.problems()
        seen["agency"] = dialog.agency.currentText()
        dialog.email.setText("carol.pennington@justice.gov.uk")
        dialog.save_button.click()

    answer(MoveDateDialog, when)
    answer(MemberDialog, user)
    window.edit_action.trigger()
    assert list(seen["problems"]) == ["email"]
    assert seen["agency"] == PROBATION
    assert len(asked) == 1
    row = members.current_row()
    assert (row.agency, row.email, row.start_date) == (
        PROBATION,
        "carol.pennington@justice.gov.uk",
        dt.date(2026, 11, 1),
    )
