"""Meetings > Documents: the draft minutes saved as a Word document, and the confirmed minutes
attached to the next meeting's "Minutes of the last meeting" item, through the window."""

from __future__ import annotations

import datetime as dt

from docx import Document
from PySide6.QtWidgets import QFileDialog, QToolButton

from lscb_desktop.services.agenda import agenda_rows
from lscb_desktop.ui.documents import set_open_after_saving
from lscb_desktop.ui.tables import select_where
from tests.ui.test_documents import save_to
from tests.ui.test_meetings_tab import open_meetings


def _select_board_meeting(window, day: dt.date):
    tab = open_meetings(window)
    tab.period_filter.setCurrentIndex(0)  # all periods
    assert select_where(tab.table, lambda row: row.group == "Strategic Board" and row.date == day)
    return tab


def _menu_action(tab, text: str):
    button = next(b for b in tab.findChildren(QToolButton) if b.text() == "Documents")
    return next(a for a in button.menu().actions() if a.text() == text)


def test_draft_minutes_are_saved_from_the_documents_menu(window, monkeypatch, tmp_path):
    set_open_after_saving(False)
    tab = _select_board_meeting(window, dt.date(2026, 9, 9))
    suggested = save_to(monkeypatch, tmp_path / "minutes.docx")
    _menu_action(tab, "Save the draft &minutes…").trigger()
    assert suggested[0].endswith("Draft minutes Strategic Board 2026-09-09.docx")
    texts = [p.text for p in Document(str(tmp_path / "minutes.docx")).paragraphs]
    assert "Strategic Board — Meeting: draft minutes" in texts


def test_confirmed_minutes_go_to_the_next_meetings_minutes_item(
    window, monkeypatch, tmp_path, message_boxes
):
    tab = _select_board_meeting(window, dt.date(2026, 6, 10))
    minutes = tmp_path / "Minutes 10-06-2026.pdf"
    minutes.write_bytes(b"%PDF-1.7\n%%EOF")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(minutes), ""))
    _menu_action(tab, "Attach the &confirmed minutes…").trigger()
    assert message_boxes == []
    said = window.statusBar().currentMessage()
    assert said.startswith(f"Attached {minutes.name} as the paper of item ")
    assert said.endswith("of the meeting on 09/09/2026")
    next_meeting = next(
        r for r in tab.model.rows if r.group == "Strategic Board" and r.date == dt.date(2026, 9, 9)
    )
    papers = [r.paper for r in agenda_rows(window.database, next_meeting.id)]
    assert minutes.name in papers
