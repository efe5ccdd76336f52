"""The History view: Edit > History… (Ctrl+H) shows who changed the selected record, when, and
each field from what to what."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from sqlalchemy import select

from lscb_desktop.models import CaseReview, ChangeLogEntry
from lscb_desktop.services.history import WITHHELD, subject
from lscb_desktop.services.people import person_input, save_person
from lscb_desktop.ui.history_dialog import FIELD, FROM, TO, WHAT, HistoryDialog
from lscb_desktop.ui.member_dialog import MemberDialog
from lscb_desktop.ui.table_model import ROW_ROLE


def select_member(panel, name: str) -> None:
    names = [panel.proxy.index(row, 0).data() for row in range(panel.proxy.rowCount())]
    panel.table.selectRow(names.index(name))


def shown(dialog: HistoryDialog) -> list[tuple[str, str, str, str]]:
    """The rows as the user reads them: what, field, from, to."""
    proxy = dialog.proxy
    return [
        tuple(proxy.index(row, column).data() for column in (WHAT, FIELD, FROM, TO))
        for row in range(proxy.rowCount())
    ]


def open_history(window, answer, qtbot) -> HistoryDialog:
    opened = answer(HistoryDialog, lambda dialog: None)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1
    dialog = opened[0]
    assert isinstance(dialog, HistoryDialog)
    return dialog


def test_a_member_edited_in_the_form_shows_the_field_old_and_new(window, answer, qtbot):
    board = window.board_tab
    select_member(board.members, "Mary Emson")
    row = board.members.current_row()
    old = person_input(window.database, row.person_id).job_title

    def user(dialog: MemberDialog) -> None:
        dialog.job_title.clear()
        qtbot.keyClicks(dialog.job_title, "LSCB Administrator")
        dialog.save_button.click()

    answer(MemberDialog, user)
    board.members.edit_record()
    select_member(board.members, "Mary Emson")
    board.table.setFocus()

    dialog = open_history(window, answer, qtbot)
    assert "Mary Emson" in dialog.windowTitle()
    rows = shown(dialog)
    assert rows[0] == ("Changed", "Job title", old, "LSCB Administrator")  # newest first
    # her person and her membership were both created by the sample
    records = {r.entry.table for r in dialog.rows()}
    assert records == {"person", "membership"}
    assert ("Created", "Name", "", "Mary Emson") in rows


def test_a_change_made_through_the_service_shows_too_and_the_search_finds_it(window, answer, qtbot):
    board = window.board_tab
    select_member(board.members, "Mary Emson")
    pid = board.members.current_row().person_id
    data = person_input(window.database, pid)
    save_person(window.database, dataclasses.replace(data, phone="01582 546000"), pid)

    dialog = open_history(window, answer, qtbot)
    assert shown(dialog)[0] == (
        "Changed",
        "Phone",
        "(blank)" if not data.phone else data.phone,
        "01582 546000",
    )
    total = dialog.proxy.rowCount()
    qtbot.keyClicks(dialog.search, "phone")
    assert 0 < dialog.proxy.rowCount() < total
    assert all("Phone" in row[1] or "phone" in "".join(row).lower() for row in shown(dialog))
    assert "rows match" in dialog.count_label.text()
    dialog.search.clear()
    assert dialog.proxy.rowCount() == total


def test_with_nothing_selected_the_user_is_told_what_to_do(window, message_boxes, qtbot):
    window.board_tab.table.clearSelection()
    window.board_tab.table.setCurrentIndex(window.board_tab.proxy.index(-1, -1))
    window.board_tab.agencies.table.clearSelection()
    window.history_action.trigger()
    [(kind, text)] = message_boxes
    assert kind == "information"
    assert text.startswith("Select a record first")


def test_the_menu_item_and_its_keys(window, qtbot, sample_db):
    assert window.history_action.text() == "&History…"
    assert window.history_action.shortcut() == QKeySequence("Ctrl+H")
    dialog = HistoryDialog(sample_db, subject("Strategic Board", ("board_group", 1)), window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.isVisible()
    assert dialog.table.isSortingEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_sorting_by_a_column(window, qtbot, sample_db):
    dialog = HistoryDialog(sample_db, subject("Strategic Board", ("board_group", 1)), window)
    qtbot.addWidget(dialog)
    dialog.table.sortByColumn(FIELD, Qt.SortOrder.AscendingOrder)
    fields = [row[1] for row in shown(dialog)]
    assert fields == sorted(fields, key=str.casefold)
    assert len(fields) > 3


def test_each_tab_offers_its_selected_record(window):
    groups = window.subgroups_tab
    window.tabs.setCurrentWidget(groups)
    chosen = groups.selected_record()
    assert chosen is not None
    assert chosen.records[0].table == "board_group"
    assert chosen.title == groups.current_group().name

    meetings = window.meetings_tab
    window.tabs.setCurrentWidget(meetings)
    meetings.table.selectRow(0)
    chosen = meetings.selected_record()
    assert chosen is not None
    assert [r.table for r in chosen.records] == ["meeting"]
    assert chosen.records[0].record_id == str(meetings.current_meeting().id)

    audits = window.audits_tab
    window.tabs.setCurrentWidget(audits)
    audits.table.selectRow(0)
    assert [r.table for r in audits.selected_record().records] == ["audit"]

    reviews = window.reviews_tab
    window.tabs.setCurrentWidget(reviews)
    reviews.table.selectRow(0)
    chosen = reviews.selected_record()
    assert [r.table for r in chosen.records] == ["case_review"]
    assert chosen.title.startswith("Case review ")

    meetings.inner.setCurrentIndex(1)  # the action log
    meetings.actions_page.shown()
    meetings.actions_page.table.selectRow(0)
    chosen = meetings.selected_record()
    assert [r.table for r in chosen.records] == ["action"]

    attendance = window.attendance_tab
    window.tabs.setCurrentWidget(attendance)
    attendance.record.table.selectRow(0)
    chosen = attendance.selected_record()
    assert chosen is not None
    assert chosen.records[0].table in {"attendance", "meeting"}


def test_the_history_of_an_audit_opens_from_its_tab(window, answer, qtbot):
    audits = window.audits_tab
    window.tabs.setCurrentWidget(audits)
    audits.table.selectRow(0)
    dialog = open_history(window, answer, qtbot)
    assert dialog.windowTitle().startswith("History — Audit: ")
    assert shown(dialog)[0][0] == "Created"
    assert ("Created", "Title", "", dialog.subject.title.removeprefix("Audit: ")) in shown(dialog)


def test_what_could_identify_a_child_is_not_in_the_dialog(window, qtbot, sample_db):
    """A case review an older version saved with a child's name as its reference and "aged 3" in
    its notes, then corrected, and one saved with a name and deleted: the log still holds them,
    and nothing in the dialog's model shows them."""
    now = dt.datetime.now().replace(microsecond=0)
    with sample_db.session() as session:
        review = session.scalars(select(CaseReview).order_by(CaseReview.id)).first()
        assert review is not None
        logged = [
            ("insert", 9001, {"reference": [None, "Jayden Smith"], "notes": [None, "aged 3"]}),
            ("delete", 9001, {"reference": ["Jayden Smith", None], "notes": ["aged 3", None]}),
            (
                "update",
                review.id,
                {
                    "reference": ["Jayden Smith", "CSPR 2026-09"],
                    "notes": ["aged 3", ""],
                    "methodology": ["Rapid review", "Local review"],
                },
            ),
        ]
        for operation, ident, changes in logged:
            session.add(
                ChangeLogEntry(
                    at=now,
                    os_user="olduser",
                    operation=operation,
                    table_name="case_review",
                    record_id=str(ident),
                    changes=json.dumps(changes),
                )
            )
        review_id = review.id
    title = f"Case review {review_id}"
    dialog = HistoryDialog(
        sample_db, subject(title, ("case_review", review_id), ("case_review", 9001)), window
    )
    qtbot.addWidget(dialog)
    rows = shown(dialog)
    assert rows[0] == ("Changed", "Reference", WITHHELD, "CSPR 2026-09")
    assert ("Changed", "Notes", WITHHELD, "(blank)") in rows
    assert ("Changed", "Methodology", "Rapid review", "Local review") in rows
    assert ("Deleted", "Reference", WITHHELD, "") in rows
    model = dialog.model
    everything = [
        str(model.index(row, column).data(role))
        for row in range(model.rowCount())
        for column in range(model.columnCount())
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, ROW_ROLE)
    ]
    everything += [json.dumps(row.entry.as_plain()) for row in dialog.rows()]
    assert f"Case review 9001 {WITHHELD}, deleted" in everything
    for text in everything:
        assert "Jayden" not in text
        assert "aged 3" not in text
    qtbot.keyClicks(dialog.search, "Jayden")  # the search finds nothing either
    assert dialog.proxy.rowCount() == 0


def test_the_user_guide_explains_the_history():
    from lscb_desktop.ui.guide import guide_text

    text = guide_text()
    assert "## History of changes" in text
    assert "**Edit > History…** (**Ctrl+H**)" in text
    assert "lscb-desktop history --record person:12 --since 23/11/2026" in text
