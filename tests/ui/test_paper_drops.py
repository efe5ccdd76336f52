"""A paper dropped from Explorer onto an agenda item is attached to that item, through the same
checks and question as Attach paper…; a drop that cannot be a paper attaches nothing and says
why."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from lscb_desktop.services.agenda import agenda_rows, read_paper
from tests.ui.test_meetings_tab import open_meetings, select_row


def _agenda(window):
    tab = open_meetings(window)
    select_row(tab.table, 0)
    tab.add_standard()
    return tab


def _drop(table, row: int | None, *paths: Path) -> None:
    """Drops the files on ``row`` of the table (None: below the last row), as a mouse does."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    if row is None:
        point = QPointF(10, table.viewport().height() - 2)
    else:
        point = QPointF(table.visualRect(table.model().index(row, 2)).center())
    press = (Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton)
    plain = Qt.KeyboardModifier.NoModifier
    # A drop comes after the drag entered the list, as the file manager's drag does.
    QApplication.sendEvent(table.viewport(), QDragEnterEvent(point.toPoint(), *press, plain))
    QApplication.sendEvent(table.viewport(), QDropEvent(point, *press, plain))


def test_a_paper_dropped_on_an_item_is_attached_to_it(window, tmp_path, message_boxes):
    tab = _agenda(window)
    paper = tmp_path / "Neglect audit.pdf"
    paper.write_bytes(b"%PDF-1.7\n%%EOF")
    meeting = tab.current_meeting()
    before = agenda_rows(window.database, meeting.id)
    _drop(tab.agenda, 1, paper)
    assert [kind for kind, _text in message_boxes] == ["question"]  # is it confidential?
    rows = agenda_rows(window.database, meeting.id)
    assert rows[1].paper == "Neglect audit.pdf" and rows[1].confidential
    assert [r for i, r in enumerate(rows) if i != 1] == [r for i, r in enumerate(before) if i != 1]
    assert read_paper(window.database, rows[1].paper_id)[1] == b"%PDF-1.7\n%%EOF"
    assert window.statusBar().currentMessage() == "Attached a paper to item 2"
    assert window.undo.undo_action.text().startswith("&Undo ")


def test_a_drop_that_cannot_be_a_paper_attaches_nothing_and_says_why(
    window, tmp_path, message_boxes
):
    tab = _agenda(window)
    meeting = tab.current_meeting()
    before = agenda_rows(window.database, meeting.id)
    notes = tmp_path / "notes.txt"
    notes.write_text("minutes")
    one, two = tmp_path / "One.pdf", tmp_path / "Two.pdf"
    for path in (one, two):
        path.write_bytes(b"%PDF-1.7\n%%EOF")
    _drop(tab.agenda, 0, notes)
    assert message_boxes == [
        ("warning", "notes.txt is not a PDF, Word or Excel file, so it cannot be a paper.")
    ]
    _drop(tab.agenda, 0, one, two)
    said = window.statusBar().currentMessage()
    assert said == "2 files were dropped: drop one paper at a time, onto its item."
    _drop(tab.agenda, None, one)
    assert window.statusBar().currentMessage() == "Drop One.pdf onto the agenda item it belongs to."
    assert agenda_rows(window.database, meeting.id) == before
