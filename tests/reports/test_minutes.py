"""Draft minutes as a Word document: the meeting, who was there (apologies with reasons,
substitutes, in attendance), declarations, each item with room for the discussion, and the
actions; read back with python-docx, and opened in LibreOffice where it is installed. Confirmed
minutes become the paper of the next meeting's "Minutes of the last meeting" item."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from docx import Document
from pypdf import PdfReader

from lscb_desktop.cli import main
from lscb_desktop.models import AttendanceStatus, DeclarationAction
from lscb_desktop.services.agenda import ItemInput, agenda_rows, read_paper, save_item
from lscb_desktop.services.attendance import meeting_sheet
from lscb_desktop.services.declarations import DeclarationInput, add_declaration
from lscb_desktop.services.meetings import meeting_rows
from lscb_desktop.services.minutes import attach_confirmed_minutes, export_minutes
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.store import open_database
from tests.conftest import SAMPLE_TODAY


def _held_board(database):
    return next(
        r
        for r in meeting_rows(database, today=SAMPLE_TODAY)
        if r.group == "Strategic Board" and r.date == dt.date(2026, 9, 9)
    )


def _texts(path) -> list[str]:
    document = Document(str(path))
    return [p.text for p in document.paragraphs]


def test_the_draft_minutes_say_who_was_there_and_leave_room_for_each_item(sample_db, tmp_path):
    board = _held_board(sample_db)
    present_one = next(
        r
        for r in meeting_sheet(sample_db, board.id).attendees
        if r.status is AttendanceStatus.PRESENT
    )
    add_declaration(
        sample_db,
        board.id,
        DeclarationInput(
            present_one.person_id, "Trustee of a local charity", DeclarationAction.LEFT_ROOM
        ),
        after_confirmation=True,
    )
    sheet = meeting_sheet(sample_db, board.id)
    target = export_minutes(sample_db, board.id, tmp_path / "minutes.docx")
    texts = _texts(target)
    assert texts[1] == "Strategic Board — Meeting: draft minutes"
    assert texts[2].startswith("Wednesday 09/09/2026, 14:00")
    sections = {
        name: texts.index(name) for name in ("Present", "Apologies", "Declarations of interest")
    }
    present = texts[sections["Present"] + 1 : sections["Apologies"]]
    there = [r for r in sheet.attendees if r.status is AttendanceStatus.PRESENT]
    assert len(present) == len(there)
    assert any(line.startswith("Mary Emson, Designated Nurse, Luton Clinical") for line in present)
    apologies = [r for r in sheet.attendees if r.status is AttendanceStatus.APOLOGIES]
    with_reason = next(r for r in apologies if r.reason)
    assert f"{with_reason.name} ({with_reason.reason[0].lower()}{with_reason.reason[1:]})" in texts
    for item in agenda_rows(sample_db, board.id):
        heading = texts.index(f"{item.number}. {item.title}")
        assert "Discussion:" in texts[heading : heading + 4]
    declared = " ".join(texts[sections["Declarations of interest"] :])
    assert sheet.declarations
    for row in sheet.declarations:
        assert (
            f"{row.name}, " in declared
            and row.interest in declared
            and row.action.label in declared
        )
    document = Document(str(target))
    header = document.sections[0].header.paragraphs[0].text
    footer = document.sections[0].footer.paragraphs[0].text
    assert header == "OFFICIAL-SENSITIVE" and footer == "OFFICIAL-SENSITIVE — DRAFT MINUTES"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    actions = document.tables[-1]
    assert [c.text for c in actions.rows[0].cells] == ["Action", "Owner", "Due", "Raised", "Status"]
    assert len(actions.rows) > 1


def test_the_command_line_writes_them_and_refuses_another_kind_of_file(
    capsys, sample_target, tmp_path
):
    database = open_database(sample_target)
    board = _held_board(database)
    database.dispose()
    target = tmp_path / "minutes.docx"
    assert main(["--db", sample_target, "export", "minutes", str(board.id), str(target)]) == 0
    assert "Present" in _texts(target)
    wrong = tmp_path / "minutes.pdf"
    assert main(["--db", sample_target, "export", "minutes", str(board.id), str(wrong)]) == 1
    assert "the draft minutes are a Word document; name it .docx" in capsys.readouterr().err
    assert not wrong.exists()


def test_libreoffice_opens_them(sample_db, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed here")
    board = _held_board(sample_db)
    target = export_minutes(sample_db, board.id, tmp_path / "minutes.docx")
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    if "source file could not be loaded" in result.stderr + result.stdout:
        pytest.skip("LibreOffice here has no Writer (Debian's libreoffice-writer-nogui)")
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "minutes.pdf").pages)
    assert "Strategic Board — Meeting: draft minutes" in text
    assert "OFFICIAL-SENSITIVE" in text


def test_confirmed_minutes_become_the_next_meetings_minutes_paper(sample_db, tmp_path):
    board = _held_board(sample_db)
    minutes = tmp_path / "Minutes 09-09-2026 confirmed.pdf"
    minutes.write_bytes(b"%PDF-1.7\n%%EOF")
    placed = attach_confirmed_minutes(sample_db, board.id, minutes)
    assert placed.starts_at.date() > board.date
    item = next(r for r in agenda_rows(sample_db, placed.meeting_id) if r.id == placed.item_id)
    assert "minutes" in item.title.casefold()
    assert read_paper(sample_db, item.paper_id) == (minutes.name, minutes.read_bytes())
    assert placed.in_words(minutes.name).startswith(
        f"Attached {minutes.name} as the paper of item {item.number} of the meeting on "
    )


def test_confirmed_minutes_with_nowhere_to_go_are_refused_in_words(sample_db, tmp_path):
    minutes = tmp_path / "Minutes.pdf"
    minutes.write_bytes(b"%PDF-1.7\n%%EOF")
    last = max(
        (r for r in meeting_rows(sample_db) if r.group == "Strategic Board"),
        key=lambda r: r.starts_at,
    )
    with pytest.raises(InvalidInput, match="No later meeting of Strategic Board"):
        attach_confirmed_minutes(sample_db, last.id, minutes)
    before_last = sorted(
        (r for r in meeting_rows(sample_db) if r.group == "Strategic Board"),
        key=lambda r: r.starts_at,
    )[-2]
    for row in agenda_rows(sample_db, last.id):
        if "minutes" in row.title.casefold():
            save_item(sample_db, last.id, ItemInput("Notes of the away day"), row.id)
    with pytest.raises(InvalidInput, match="has no “Minutes of the last meeting” item"):
        attach_confirmed_minutes(sample_db, before_last.id, minutes)
