"""The pack sent from the command line: issue it, a late paper, Supplement 1 issued and e-mailed,
and ``list packs`` showing both versions; refusals say why and change nothing."""

from __future__ import annotations

import json
from email import message_from_bytes, policy
from io import BytesIO

from pypdf import PdfReader

from lscb_desktop.cli import main
from tests.services.test_packs import paper
from tests.test_cli_papers import _board_meeting


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def packs(capsys, target: str, meeting_id: int) -> dict:
    code, out, err = run(capsys, "--db", target, "list", "packs", "--meeting", str(meeting_id))
    assert code == 0, err
    code, out, err = run(
        capsys, "--db", target, "list", "packs", "--meeting", str(meeting_id), "--json"
    )
    assert code == 0, err
    return json.loads(out)


def test_a_pack_then_a_supplement_for_a_late_paper_are_issued_sent_and_listed(
    capsys, sample_target, tmp_path
):
    db = ["--db", sample_target]
    meeting_id, _items = _board_meeting(sample_target)
    meeting = str(meeting_id)
    assert packs(capsys, sample_target, meeting_id) == {"issued": [], "new_since": []}

    code, out, err = run(
        capsys, *db, "export", "pack", meeting, str(tmp_path / "pack.pdf"), "--issue"
    )
    assert code == 0, err
    pack_pages = len(PdfReader(tmp_path / "pack.pdf").pages)
    assert f"Issued the pack: {pack_pages} pages" in out

    late = paper(tmp_path / "Late report.pdf", "Late report", 2)
    code, out, err = run(
        capsys, *db, "paper", "attach", "--meeting", meeting, "--item", "2", str(late)
    )
    assert code == 0, err
    listed = packs(capsys, sample_target, meeting_id)
    assert listed["new_since"] == [
        {
            "item": 2,
            "title": listed["new_since"][0]["title"],
            "file": "Late report.pdf",
            "change": "new",
        }
    ]

    code, out, err = run(
        capsys, *db, "export", "email", meeting, str(tmp_path / "s.eml"), "--supplement"
    )
    assert code == 1 and "No supplement has been issued since the pack" in err
    code, out, err = run(capsys, *db, "export", "email", meeting, str(tmp_path / "pack.eml"))
    assert code == 1 and not (tmp_path / "pack.eml").exists()
    assert (
        "1 paper has changed since the pack issued on 23/11/2026, so the pack as it is now" in err
    )

    code, out, err = run(
        capsys, *db, "export", "supplement", meeting, str(tmp_path / "s1.pdf"), "--issue"
    )
    assert code == 0, err
    assert "Issued Supplement 1: 3 pages" in out

    code, out, err = run(
        capsys, *db, "export", "email", meeting, str(tmp_path / "s1.eml"), "--supplement"
    )
    assert code == 0, err
    message = message_from_bytes((tmp_path / "s1.eml").read_bytes(), policy=policy.default)
    assert message["X-Unsent"] == "1"
    assert "Supplement 1 to the papers for 10/06/2026" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "2. " in body and "(paper: Late report.pdf): New paper" in body
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename().startswith("Supplement 1 Strategic Board")
    texts = [p.extract_text() for p in PdfReader(BytesIO(attachment.get_content())).pages]
    assert len(texts) == 3 and "Supplement 1 – Item 2 – page 2 of 2" in texts[2]

    listed = packs(capsys, sample_target, meeting_id)
    assert [v["version"] for v in listed["issued"]] == ["pack", "supplement 1"]
    assert listed["issued"][0]["pages"] == pack_pages
    assert listed["issued"][1]["papers"][0]["file"] == "Late report.pdf"
    assert listed["new_since"] == []


def test_refusals_say_why_and_record_nothing(capsys, sample_target, tmp_path):
    db = ["--db", sample_target]
    meeting_id, _items = _board_meeting(sample_target)
    meeting = str(meeting_id)
    target = tmp_path / "s.pdf"
    code, out, err = run(capsys, *db, "export", "supplement", meeting, str(target))
    assert code == 1 and "The pack has not been issued yet" in err and not target.exists()
    code, out, err = run(capsys, *db, "list", "packs")
    assert code == 2 and "list packs needs --meeting ID" in err
    code, out, err = run(capsys, *db, "list", "packs", "--meeting", "99999")
    assert code == 1 and "there is no meeting 99999" in err
    code, out, err = run(capsys, *db, "export", "pack", meeting, str(tmp_path / "p.pdf"))
    assert code == 0 and "Issued" not in out
    assert packs(capsys, sample_target, meeting_id)["issued"] == []


def test_papers_that_cannot_be_converted_here_are_not_issued(
    capsys, sample_target, tmp_path, monkeypatch
):
    """Without LibreOffice a Word paper would be a page naming it: the command line refuses to
    record it as sent (the window asks)."""
    monkeypatch.setattr("lscb_desktop.services.exports.libreoffice", lambda: None)
    db = ["--db", sample_target]
    meeting_id, _items = _board_meeting(sample_target)
    word = tmp_path / "Report.docx"
    word.write_bytes(b"PK\x03\x04 a Word file")
    code, _out, err = run(
        capsys, *db, "paper", "attach", "--meeting", str(meeting_id), "--item", "2", str(word)
    )
    assert code == 0, err
    target = tmp_path / "pack.pdf"
    code, _out, err = run(capsys, *db, "export", "pack", str(meeting_id), str(target), "--issue")
    assert code == 1 and "Report.docx cannot be put in what is issued" in err
    assert "Nothing was issued." in err and not target.exists()
    assert packs(capsys, sample_target, meeting_id)["issued"] == []
