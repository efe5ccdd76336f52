"""Meetings > Documents: the pack issued, a late paper marked new since, Supplement 1 issued
and e-mailed, and the meeting showing both versions, through the window."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from lscb_desktop.services import packs
from lscb_desktop.services.agenda import agenda_rows, attach_paper
from lscb_desktop.ui.documents import set_open_after_saving
from tests.conftest import SAMPLE_TODAY
from tests.services.test_packs import paper
from tests.ui.test_documents import save_to
from tests.ui.test_email_window import _opened
from tests.ui.test_main_window import trigger
from tests.ui.test_minutes_window import _menu_action, _select_board_meeting

DAY = dt.date(2026, 6, 10)


def answer_no(monkeypatch) -> list[str]:
    """Every question is answered No; the texts asked, in order."""
    asked: list[str] = []

    def no(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", no)
    return asked


def sent_column(tab) -> dict[int, str]:
    """The agenda's Sent column, by item number, as the user reads it."""
    model = tab.agenda.model()
    heads = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = heads.index("Sent")
    return {
        int(model.index(row, 0).data()): model.index(row, column).data() or ""
        for row in range(model.rowCount())
    }


def test_the_pack_and_a_supplement_are_issued_and_sent_from_the_window(
    window, monkeypatch, tmp_path, message_boxes
):
    set_open_after_saving(False)
    tab = _select_board_meeting(window, DAY)
    meeting = tab.current_meeting()
    assert "The pack has not been issued yet." in tab.agenda_heading.text()
    assert set(sent_column(tab).values()) == {""}

    suggested = save_to(monkeypatch, tmp_path / "pack.pdf")
    _menu_action(tab, "&Issue the pack…").trigger()
    assert suggested[0].endswith("Agenda pack Strategic Board 2026-06-10.pdf")
    pages = len(PdfReader(tmp_path / "pack.pdf").pages)
    assert (
        window.statusBar()
        .currentMessage()
        .startswith(f"Issued the pack of Strategic Board 10/06/2026 ({pages} pages)")
    )
    assert f"Pack issued {SAMPLE_TODAY:%d/%m/%Y}" in tab.agenda_heading.text()
    rows = agenda_rows(window.database, meeting.id)
    with_paper = {row.number for row in rows if row.paper_id is not None}
    assert {n for n, words in sent_column(tab).items() if words == "In the pack"} == with_paper

    # Nothing new yet: a supplement is refused, saying why.
    _menu_action(tab, "Issue a &supplement…").trigger()
    assert message_boxes[-1][1].startswith("No paper has changed since the pack issued")

    late = next(row for row in rows if row.paper_id is None)
    attach_paper(window.database, late.id, paper(tmp_path / "Late.pdf", "Late", 2))
    tab._after_agenda_change(late.id)
    assert sent_column(tab)[late.number] == "New since the pack was issued"
    assert f"item {late.number} ({late.title}): new" in tab.agenda_heading.text()
    # The pack as it is now is not what members were sent: it is not e-mailed.
    _menu_action(tab, "E-mail the pac&k…").trigger()
    assert message_boxes[-1][1].startswith("1 paper has changed since the pack issued on")

    suggested = save_to(monkeypatch, tmp_path / "supplement.pdf")
    _menu_action(tab, "Issue a &supplement…").trigger()
    assert suggested[-1].endswith("Supplement 1 Strategic Board 2026-06-10.pdf")
    texts = [p.extract_text() for p in PdfReader(tmp_path / "supplement.pdf").pages]
    assert len(texts) == 3 and f"Supplement 1 – Item {late.number} – page 1 of 2" in texts[1]
    assert sent_column(tab)[late.number] == "In Supplement 1"
    assert "Supplement 1 issued" in tab.agenda_heading.text()

    opened = _opened(monkeypatch)
    _menu_action(tab, "E-mail the suppl&ement…").trigger()
    (draft,) = opened
    assert draft.stat().st_mode & 0o077 == 0
    message = message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert message["X-Unsent"] == "1" and "Supplement 1 to the papers" in message["Subject"]
    (attachment,) = list(message.iter_attachments())
    attached = [p.extract_text() for p in PdfReader(BytesIO(attachment.get_content())).pages]
    assert attached == texts
    assert window.statusBar().currentMessage().startswith("Drafted the e-mail of Supplement 1")
    state = packs.pack_state(window.database, meeting.id)
    assert [i.name for i in state.issues] == ["The pack", "Supplement 1"]


def test_issuing_the_pack_again_asks_first_and_no_keeps_one_version(window, monkeypatch, tmp_path):
    set_open_after_saving(False)
    tab = _select_board_meeting(window, DAY)
    save_to(monkeypatch, tmp_path / "pack.pdf")
    _menu_action(tab, "&Issue the pack…").trigger()
    asked = answer_no(monkeypatch)
    save_to(monkeypatch, tmp_path / "again.pdf")
    _menu_action(tab, "&Issue the pack…").trigger()
    assert asked and "Issue the whole pack again?" in asked[0]
    assert not Path(tmp_path / "again.pdf").exists()
    assert len(packs.pack_state(window.database, tab.current_meeting().id).issues) == 1


def test_e_mailing_a_supplement_before_one_is_issued_says_so(window, message_boxes):
    tab = _select_board_meeting(window, DAY)
    _menu_action(tab, "E-mail the suppl&ement…").trigger()
    assert message_boxes == [
        (
            "information",
            "No supplement has been issued since the pack, so there is none to send: issue one "
            "first. (Documents > Issue a supplement…)",
        )
    ]


def test_an_issue_made_by_mistake_is_undone_with_edit_undo(window, monkeypatch, tmp_path):
    """The record is written while the pack is built off the window's thread; Undo still has it."""
    set_open_after_saving(False)
    tab = _select_board_meeting(window, DAY)
    save_to(monkeypatch, tmp_path / "pack.pdf")
    _menu_action(tab, "&Issue the pack…").trigger()
    meeting_id = tab.current_meeting().id
    assert len(packs.pack_state(window.database, meeting_id).issues) == 1
    assert window.undo.stack.undoText() == "issue the pack of Strategic Board 10/06/2026"
    window.undo.undo_action.trigger()
    assert packs.pack_state(window.database, meeting_id).issues == ()
    assert window.statusBar().currentMessage() == (
        "Undone: issue the pack of Strategic Board 10/06/2026"
    )
    assert "The pack has not been issued yet." in tab.agenda_heading.text()


def test_the_window_s_documents_menu_issues_the_selected_meeting_s_pack(
    window, monkeypatch, tmp_path
):
    set_open_after_saving(False)
    tab = _select_board_meeting(window, DAY)
    window.tabs.setCurrentWidget(window.board_tab)  # the menu bar acts from any tab
    save_to(monkeypatch, tmp_path / "pack.pdf")
    trigger(window, "Issue the pack…")
    assert [i.name for i in packs.pack_state(window.database, tab.current_meeting().id).issues] == [
        "The pack"
    ]


def test_papers_that_would_be_a_page_naming_them_are_asked_about_first(
    window, monkeypatch, tmp_path
):
    """Without LibreOffice a Word paper is only named on a page: members would not have it."""
    set_open_after_saving(False)
    monkeypatch.setattr("lscb_desktop.services.exports.libreoffice", lambda: None)
    tab = _select_board_meeting(window, DAY)
    item = next(row for row in agenda_rows(window.database, tab.current_meeting().id))
    word = tmp_path / "Report.docx"
    word.write_bytes(b"PK\x03\x04 not really")
    attach_paper(window.database, item.id, word)
    asked = answer_no(monkeypatch)
    save_to(monkeypatch, tmp_path / "pack.pdf")
    _menu_action(tab, "&Issue the pack…").trigger()
    assert asked and "Report.docx" in asked[0] and asked[0].endswith("Issue it anyway?")
    assert packs.pack_state(window.database, tab.current_meeting().id).issues == ()
    assert not (tmp_path / "pack.pdf").exists()


def test_the_pack_of_a_cancelled_meeting_is_asked_about_first(window, monkeypatch, tmp_path):
    from lscb_desktop.models import MeetingStatus
    from lscb_desktop.ui.tables import select_where
    from tests.ui.test_meetings_tab import open_meetings

    tab = open_meetings(window)
    tab.period_filter.setCurrentIndex(0)
    tab.status_filter.setCurrentIndex(0)
    assert select_where(tab.table, lambda row: row.status is MeetingStatus.CANCELLED)
    asked = answer_no(monkeypatch)
    save_to(monkeypatch, tmp_path / "pack.pdf")
    _menu_action(tab, "&Issue the pack…").trigger()
    assert asked and asked[0].endswith("is cancelled. Issue its pack anyway?")
    assert packs.pack_state(window.database, tab.current_meeting().id).issues == ()
