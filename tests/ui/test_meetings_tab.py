"""The Meetings tab as a user works it: plan a year, build an agenda, attach papers, add actions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from lscb_desktop.services.agenda import ItemInput, agenda_rows, save_item
from lscb_desktop.services.declarations import DeclarationInput, add_declaration
from lscb_desktop.services.people import person_choices
from lscb_desktop.ui.meeting_dialogs import ActionDialog, ItemDialog, MeetingDialog, PlanYearDialog
from lscb_desktop.ui.tables import select_index, select_where
from tests.conftest import SAMPLE_TODAY


def select_row(table, row: int) -> None:
    """Selects a row as a click does, whatever modifier an earlier test left held down (a
    table's selectRow reads the keyboard, and Ctrl would toggle the row off)."""
    select_index(table, table.model().index(row, 0))


def open_meetings(window):
    window.tabs.setCurrentWidget(window.meetings_tab)
    return window.meetings_tab


def shown(tab) -> list[tuple[str, str]]:
    proxy = tab.proxy
    return [(proxy.index(i, 0).data(), proxy.index(i, 2).data()) for i in range(proxy.rowCount())]


def test_upcoming_meetings_come_first_and_late_papers_are_marked(window):
    tab = open_meetings(window)
    assert shown(tab)[0] == ("01/12/2026", "Executive Group")
    first = tab.model.rows[0]
    assert tab.proxy.index(0, 6).data() == "2 of 3"
    tab.today = dt.date(2026, 11, 26)  # after the deadline: the row turns red
    assert tab.proxy.index(0, 0).data(Qt.ItemDataRole.BackgroundRole).name() == "#fde2e1"
    tab.today = first.papers_due  # the deadline day: amber
    assert tab.proxy.index(0, 0).data(Qt.ItemDataRole.BackgroundRole).name() == "#fff4d6"
    assert "papers due 24/11/2026" in tab.agenda_heading.text()


def test_the_filters_narrow_the_list(window):
    tab = open_meetings(window)
    tab.group_filter.setCurrentIndex(tab.group_filter.findText("Strategic Board"))
    tab.status_filter.setCurrentIndex(tab.status_filter.findText("Cancelled"))
    assert shown(tab) == []
    tab.status_filter.setCurrentIndex(tab.status_filter.findText("Held"))
    tab.period_filter.setCurrentIndex(tab.period_filter.findText("2025-26"))
    assert {group for _, group in shown(tab)} == {"Strategic Board"}
    assert all(date.endswith(("2025", "2026")) for date, _ in shown(tab))
    assert tab.count_label.text() == f"{len(shown(tab))} meetings"


def test_a_year_is_planned_with_dates_moved_off_bank_holidays_and_edited_before_saving(
    window, answer
):
    tab = open_meetings(window)
    seen = {}

    def user(dialog: PlanYearDialog):
        dialog.group.setCurrentText("Young People's Challenge Group")
        dialog.period.setCurrentIndex(dialog.period.findText("2027-28"))
        dialog.frequency.setCurrentText("Monthly")
        dialog.first.setDateTime(
            dialog.first.dateTime().fromString("03/05/2027 16:30", "dd/MM/yyyy HH:mm")
        )
        dialog.propose()
        seen["first"] = dialog.starts()[0]
        seen["note"] = dialog.table.item(0, 2).text()
        seen["message"] = dialog.message.text()
        dialog.table.selectRow(dialog.table.rowCount() - 1)
        dialog.table.setCurrentCell(dialog.table.rowCount() - 1, 1)
        dialog.table.removeRow(dialog.table.currentRow())
        dialog.save()

    answer(PlanYearDialog, user)
    tab.plan_year()
    # 03/05/2027 is the early May bank holiday.
    assert seen["first"] == dt.datetime(2027, 5, 4, 16, 30)
    assert seen["note"] == "moved from 03/05/2027 (a bank holiday)"
    assert seen["message"].startswith("11 meetings proposed")
    assert "Added 10 meetings" in window.statusBar().currentMessage()
    tab.group_filter.setCurrentIndex(tab.group_filter.findText("Young People's Challenge Group"))
    tab.period_filter.setCurrentIndex(tab.period_filter.findText("2027-28"))
    assert len(shown(tab)) == 10
    assert shown(tab)[0][0] == "04/05/2027"


def test_a_new_meeting_clashing_with_another_is_refused_in_the_form(window, answer):
    tab = open_meetings(window)
    seen = {}

    def user(dialog: MeetingDialog):
        dialog.group.setCurrentText("Executive Group")
        dialog.starts_at.setDateTime(
            dialog.starts_at.dateTime().fromString("01/12/2026 10:00", "dd/MM/yyyy HH:mm")
        )
        dialog.save()
        seen["problem"] = dialog.form.message("starts_at")
        dialog.starts_at.setDateTime(
            dialog.starts_at.dateTime().fromString("08/12/2026 10:00", "dd/MM/yyyy HH:mm")
        )
        dialog.kind.setCurrentText("Extraordinary")
        dialog.save()

    answer(MeetingDialog, user)
    tab.new_meeting()
    assert seen["problem"] == "Executive Group already meets at 10:00 on 01/12/2026."
    meeting = tab.current_meeting()
    assert (meeting.group, meeting.date, meeting.kind.label) == (
        "Executive Group",
        dt.date(2026, 12, 8),
        "Extraordinary",
    )


def test_an_agenda_is_built_with_standard_items_an_item_and_a_paper(
    window, answer, monkeypatch, tmp_path, qtbot
):
    tab = open_meetings(window)
    answer(
        MeetingDialog,
        lambda d: (
            d.group.setCurrentText("Multi-Agency Audit Group"),
            d.starts_at.setDateTime(
                d.starts_at.dateTime().fromString("10/03/2027 13:30", "dd/MM/yyyy HH:mm")
            ),
            d.save(),
        ),
    )
    tab.new_meeting()
    tab.add_standard()
    assert [r.title for r in tab.agenda_model.rows] == [
        "Welcome, introductions and apologies",
        "Minutes of the last meeting and matters arising",
        "Action log",
        "Any other business",
        "Date of next meeting",
    ]

    def item(dialog: ItemDialog):
        dialog.title.setText("Neglect audit findings")
        dialog.presenter.setEditText("Head of Service, YOS")
        dialog.purpose.setCurrentText("Assurance")
        dialog.minutes.setValue(25)
        dialog.paper_expected.setChecked(True)
        dialog.save()

    answer(ItemDialog, item)
    tab.new_item()
    rows = tab.agenda_model.rows
    added = rows[3]
    assert (added.title, added.presenter, f"{added.starts_at:%H:%M}") == (
        "Neglect audit findings",
        "Head of Service, YOS",
        "13:55",
    )
    assert tab.agenda_model.index(3, 6).data() == "Waiting for paper"
    assert f"{rows[4].starts_at:%H:%M}" == "14:20"  # any other business after the 25 minutes

    paper = tmp_path / "MAAG neglect audit.pdf"
    content = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF"
    paper.write_bytes(content)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(paper), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    select_row(tab.agenda, 3)
    tab.attach_paper()
    assert tab.agenda_model.index(3, 6).data() == "MAAG neglect audit.pdf (confidential)"
    opened: list[Path] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(Path(url.toLocalFile())) or True
    )
    select_row(tab.agenda, 3)
    tab.open_paper()
    assert opened[0].name == "MAAG neglect audit.pdf"
    assert opened[0].read_bytes() == content
    tab.agenda.setFocus()
    select_row(tab.agenda, 3)
    qtbot.keyClick(tab.agenda, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert tab.agenda_model.rows[2].title == "Neglect audit findings"
    assert tab.current_item().title == "Neglect audit findings"


def test_an_action_from_an_item_appears_in_the_action_log_and_overdue_is_red(window, answer):
    tab = open_meetings(window)
    select_row(tab.agenda, 3)

    def user(dialog: ActionDialog):
        dialog.description.setPlainText("Circulate the budget proposal to partners")
        dialog.owner.setCurrentText(
            dialog.owner.itemText(
                dialog.owner.findText("Vijay Patel", Qt.MatchFlag.MatchStartsWith)
            )
        )
        dialog.due.check.setChecked(True)
        dialog.due.edit.setDate(dialog.due.edit.date().fromString("20/11/2026", "dd/MM/yyyy"))
        dialog.save()

    answer(ActionDialog, user)
    tab.new_action()
    log = tab.actions_page
    tab.inner.setCurrentIndex(1)
    rows = [r for r in log.model.rows if r.description.startswith("Circulate the budget")]
    assert len(rows) == 1
    assert (rows[0].owner, rows[0].item, rows[0].group) == (
        "Vijay Patel",
        "Budget and partner contributions",
        "Executive Group",
    )
    row = log.model.rows.index(rows[0])
    assert log.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole).name() == "#fde2e1"
    log.owner.setCurrentIndex(log.owner.findText("Vijay Patel", Qt.MatchFlag.MatchStartsWith))
    assert all(r.owner == "Vijay Patel" for r in log.model.rows)
    for i in range(log.proxy.rowCount()):
        if log.proxy.index(i, 0).data().startswith("Circulate the budget"):
            select_row(log.table, i)
    log.mark_done()
    assert not [r for r in log.model.rows if r.description.startswith("Circulate the budget")]
    log.state.setCurrentIndex(log.state.findText("Done"))
    done = [r for r in log.model.rows if r.description.startswith("Circulate the budget")]
    assert done[0].done_date == SAMPLE_TODAY


def remove_button(tab):
    return next(b for b in tab.findChildren(QPushButton) if b.text() == "Remove item")


def test_an_item_with_a_declaration_of_interest_is_not_removed(window, sample_db, monkeypatch):
    tab = open_meetings(window)
    select_row(tab.table, 0)
    meeting = tab.current_meeting()
    item = save_item(sample_db, meeting.id, ItemInput("Commissioning of early help"))
    tab.refresh()
    assert tab.select_meeting(meeting.id)
    people = {c.text.split(" (")[0]: c.id for c in person_choices(sample_db)}
    add_declaration(
        sample_db,
        meeting.id,
        DeclarationInput(people["Mary Emson"], "Her employer bids for it", agenda_item_id=item),
    )
    shown: list[tuple[str, str]] = []

    def information(_parent, title, text, *args, **kwargs):
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    def question(*_args, **_kwargs):
        raise AssertionError("asked to remove an item that cannot be removed")

    monkeypatch.setattr(QMessageBox, "information", information)
    monkeypatch.setattr(QMessageBox, "question", question)
    assert select_where(tab.agenda, lambda row: row.id == item)
    remove_button(tab).click()
    assert shown == [
        (
            "Remove item",
            "Mary Emson declared an interest in this item: remove the declaration first.",
        )
    ]
    assert item in [row.id for row in tab.agenda_model.rows]
    assert item in [row.id for row in agenda_rows(sample_db, meeting.id)]


def test_a_declaration_made_while_the_user_was_asked_stops_the_removal_too(
    window, sample_db, monkeypatch
):
    tab = open_meetings(window)
    select_row(tab.table, 0)
    meeting = tab.current_meeting()
    item = save_item(sample_db, meeting.id, ItemInput("Commissioning of early help"))
    tab.refresh()
    assert tab.select_meeting(meeting.id)
    people = {c.text.split(" (")[0]: c.id for c in person_choices(sample_db)}
    shown: list[str] = []

    def question(*_args, **_kwargs):  # someone else records a declaration meanwhile
        add_declaration(
            sample_db,
            meeting.id,
            DeclarationInput(people["Liz Mead"], "A governor of the provider", agenda_item_id=item),
        )
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(
        QMessageBox, "information", lambda _p, _t, text, *a, **k: shown.append(text)
    )
    assert select_where(tab.agenda, lambda row: row.id == item)
    remove_button(tab).click()
    assert shown == ["Liz Mead declared an interest in this item: remove the declaration first."]
    assert item in [row.id for row in agenda_rows(sample_db, meeting.id)]
