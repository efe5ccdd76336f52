"""Papers and documents on a computer that has no program for them: the window says so (and
where the file is) instead of nothing; a file that cannot be a paper is refused before any
question is asked about it."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from lscb_desktop.services import opening
from lscb_desktop.services.agenda import agenda_rows
from tests.ui.test_meetings_tab import open_meetings, select_row


def _with_paper(window, tmp_path, monkeypatch, message_boxes):
    tab = open_meetings(window)
    select_row(tab.table, 0)
    tab.add_standard()
    paper = tmp_path / "Neglect audit.pdf"
    paper.write_bytes(b"%PDF-1.7\n%%EOF")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(paper), ""))
    select_row(tab.agenda, 0)
    tab.attach_paper()
    message_boxes.clear()
    select_row(tab.agenda, 0)
    return tab


@pytest.mark.parametrize("program, opens", [(None, True), ("evince.desktop", False)])
def test_a_paper_no_program_opens_is_said_so(
    window, tmp_path, monkeypatch, message_boxes, program, opens
):
    tab = _with_paper(window, tmp_path, monkeypatch, message_boxes)
    asked: list[str] = []
    monkeypatch.setattr(opening, "program_for", lambda _path: program)
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: asked.append(url.toLocalFile()) or opens
    )
    tab.open_paper()
    assert len(message_boxes) == 1
    kind, text = message_boxes[0]
    assert kind == "information"
    assert "No program on this computer opens .pdf files" in text
    assert "Neglect audit.pdf" in text and "is saved at" in text
    if program is None:
        assert asked == []  # not handed to a desktop that would drop it silently


def test_open_paper_on_an_item_without_one_says_so(window, message_boxes):
    tab = open_meetings(window)
    select_row(tab.table, 0)
    tab.add_standard()
    select_row(tab.agenda, 0)
    message_boxes.clear()
    tab.open_paper()
    assert message_boxes and "has no paper attached" in message_boxes[0][1]


def test_a_text_file_is_refused_before_being_asked_whether_it_is_confidential(
    window, tmp_path, monkeypatch, message_boxes
):
    tab = open_meetings(window)
    select_row(tab.table, 0)
    tab.add_standard()
    notes = tmp_path / "notes.txt"
    notes.write_text("minutes")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(notes), ""))
    select_row(tab.agenda, 0)
    message_boxes.clear()
    meeting = tab.current_meeting()
    before = agenda_rows(window.database, meeting.id)
    tab.attach_paper()
    assert message_boxes == [
        ("warning", "notes.txt is not a PDF, Word or Excel file, so it cannot be a paper.")
    ]
    assert agenda_rows(window.database, meeting.id) == before
