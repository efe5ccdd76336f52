"""The e-mail of the pack: a draft Outlook opens as a new message, to the members with their
PAs in copy, naming the meeting and its papers, the pack attached unless it is too large."""

from __future__ import annotations

import dataclasses
import datetime as dt
from email import message_from_bytes, policy

from lscb_desktop.cli import main
from lscb_desktop.services.members import group_members
from lscb_desktop.services.pack_email import pack_email
from lscb_desktop.services.settings import load_settings, save_settings
from lscb_desktop.store import open_database
from tests.reports.test_pdfs import meeting


def _board(database):
    return meeting(database, "Strategic Board", dt.date(2026, 6, 10))


def test_the_email_is_addressed_written_and_carries_the_pack(sample_db, tmp_path):
    board = _board(sample_db)
    pack = tmp_path / "Agenda pack.pdf"
    pack.write_bytes(b"%PDF-1.7\n" + b"0" * 1000 + b"\n%%EOF")
    mail = pack_email(sample_db, board.id, pack)
    message = mail.message
    assert message["X-Unsent"] == "1"
    assert message["Subject"] == (
        "[OFFICIAL-SENSITIVE] Strategic Board: agenda and papers for 10/06/2026"
    )
    members = group_members(sample_db, board.group_id, on=board.date)
    assert len(mail.to) == len({m.email for m in members if m.email})
    assert all("@" in address for address in mail.to)
    assert mail.cc and "Janet Lewis" in message["Cc"]  # Sally Rowe's PA
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Strategic Board meeting on Wednesday 10/06/2026 at" in body
    assert "are attached." in body
    assert "OFFICIAL-SENSITIVE" in body
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "Agenda pack.pdf"
    assert attachment.get_content() == pack.read_bytes()


def test_a_pack_over_the_limit_is_not_attached_and_the_message_says_so(sample_db, tmp_path):
    save_settings(
        sample_db, dataclasses.replace(load_settings(sample_db), email_attachment_limit_mb=1)
    )
    pack = tmp_path / "Agenda pack.pdf"
    pack.write_bytes(b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024))
    mail = pack_email(sample_db, _board(sample_db).id, pack)
    assert not mail.attached and list(mail.message.iter_attachments()) == []
    assert mail.warning.startswith("The pack (2.0 MB) is larger than the 1 MB the settings allow")
    assert "send the pack separately" in mail.warning
    body = mail.message.get_body(preferencelist=("plain",)).get_content()
    assert "will be sent separately" in body


def test_the_command_line_writes_a_draft_email_with_the_pack(capsys, sample_target, tmp_path):
    database = open_database(sample_target)
    board = _board(database)
    database.dispose()
    target = tmp_path / "pack.eml"
    code = main(["--db", sample_target, "export", "email", str(board.id), str(target)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.startswith(f"Wrote {target}: to ")
    message = message_from_bytes(target.read_bytes(), policy=policy.default)
    assert message["X-Unsent"] == "1"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content().startswith(b"%PDF")
    assert target.stat().st_mode & 0o077 == 0  # readable by its user alone


def test_presenters_of_missing_papers_are_reminded_of_the_deadline(sample_db):
    from lscb_desktop.services.agenda import ItemInput, save_item
    from lscb_desktop.services.pack_email import reminder_email
    from lscb_desktop.services.people import person_choices

    board = _board(sample_db)
    mary = next(c.id for c in person_choices(sample_db) if c.text.startswith("Mary Emson"))
    save_item(
        sample_db,
        board.id,
        ItemInput("Designated professionals' report", presenter_id=mary, paper_expected=True),
    )
    save_item(
        sample_db,
        board.id,
        ItemInput("Youth offending update", presenter_text="Head of YOS", paper_expected=True),
    )
    mail = reminder_email(sample_db, board.id)
    assert mail is not None
    assert mail.message["X-Unsent"] == "1"
    assert any("mary.emson@lutonccg.nhs.uk" in address for address in mail.to)
    assert "Head of YOS" in mail.no_email
    body = mail.message.get_body(preferencelist=("plain",)).get_content()
    assert "are due by" in body and "Designated professionals' report (Mary Emson)" in body
    assert "papers due" in mail.message["Subject"]
