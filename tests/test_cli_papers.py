"""``lscb-desktop paper attach`` puts a paper on an agenda item through the same checks as the
window, says what it did, and names what is wrong (the meeting, the item or the file)."""

from __future__ import annotations

import datetime as dt

import pytest

from lscb_desktop.cli import main
from lscb_desktop.services.agenda import agenda_rows, read_paper
from lscb_desktop.services.meetings import meeting_rows
from lscb_desktop.store import open_database

PDF = b"%PDF-1.4\n% a paper\n%%EOF\n"


def _board_meeting(target: str) -> tuple[int, int]:
    database = open_database(target)
    try:
        row = next(
            r
            for r in meeting_rows(database)
            if r.group == "Strategic Board" and r.date == dt.date(2026, 6, 10)
        )
        return row.id, len(agenda_rows(database, row.id))
    finally:
        database.dispose()


def _paper_of(target: str, meeting_id: int, number: int) -> tuple[str, bytes, bool]:
    database = open_database(target)
    try:
        item = next(r for r in agenda_rows(database, meeting_id) if r.number == number)
        assert item.paper_id is not None
        name, content = read_paper(database, item.paper_id)
        return name, content, item.confidential
    finally:
        database.dispose()


@pytest.mark.parametrize("confidential", [True, False])
def test_a_paper_is_attached_to_the_item_numbered(capsys, sample_target, tmp_path, confidential):
    meeting_id, _items = _board_meeting(sample_target)
    paper = tmp_path / "Annual report 2025-26.pdf"
    paper.write_bytes(PDF)
    extra = [] if confidential else ["--not-confidential"]
    where = ["--meeting", str(meeting_id), "--item", "3"]
    code = main(["--db", sample_target, "paper", "attach", *where, *extra, str(paper)])
    out, err = capsys.readouterr()
    assert code == 0, err
    kind = "confidential" if confidential else "not confidential"
    assert out.startswith(f"Attached Annual report 2025-26.pdf ({kind}) to item 3, ")
    assert "of Strategic Board 10/06/2026" in out
    assert _paper_of(sample_target, meeting_id, 3) == (
        "Annual report 2025-26.pdf",
        PDF,
        confidential,
    )


def test_what_is_wrong_is_named_and_nothing_is_attached(capsys, sample_target, tmp_path):
    meeting_id, items = _board_meeting(sample_target)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a paper")
    paper = tmp_path / "Report.pdf"
    paper.write_bytes(PDF)
    cases = [
        (["--meeting", "999999", "--item", "1", str(paper)], "there is no meeting 999999"),
        (
            ["--meeting", str(meeting_id), "--item", "99", str(paper)],
            f"has no item 99: its items are 1 to {items}.",
        ),
        (
            ["--meeting", str(meeting_id), "--item", "1", str(notes)],
            "notes.txt is not a PDF, Word or Excel file, so it cannot be a paper.",
        ),
        (
            ["--meeting", str(meeting_id), "--item", "1", str(tmp_path / "gone.pdf")],
            "gone.pdf cannot be read: No such file or directory.",
        ),
    ]
    database = open_database(sample_target)
    before = [(r.number, r.paper_id) for r in agenda_rows(database, meeting_id)]
    database.dispose()
    for argv, message in cases:
        code = main(["--db", sample_target, "paper", "attach", *argv])
        _out, err = capsys.readouterr()
        assert code == 1
        assert message in err
        assert "Traceback" not in err
    database = open_database(sample_target)
    assert [(r.number, r.paper_id) for r in agenda_rows(database, meeting_id)] == before
    database.dispose()
