"""Issued packs and supplements: what was sent is recorded (when, by whom, pages, each paper's
checksum and place), papers attached or replaced since are found, and a supplement holds exactly
those papers, stamped so that the pack's page numbers never change."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from lscb_desktop.models import MeetingStatus, PackIssue
from lscb_desktop.services import packs
from lscb_desktop.services.agenda import (
    agenda_rows,
    attach_paper,
    move_item,
    remove_item,
    remove_paper,
)
from lscb_desktop.services.files import OutputError
from lscb_desktop.services.meeting_removal import delete_meeting, what_goes
from lscb_desktop.services.meetings import meeting_rows
from lscb_desktop.services.undo import CannotUndo, undo
from lscb_desktop.store.changelog import current_os_user
from tests.conftest import SAMPLE_TODAY
from tests.reports.test_pdfs import MARKING, meeting, pages


def paper(path: Path, words: str, count: int = 1) -> Path:
    """A PDF of ``count`` pages, each saying ``words`` and its page."""
    pdf = canvas.Canvas(str(path))
    for number in range(1, count + 1):
        pdf.drawString(100, 700, f"{words} p{number}")
        pdf.showPage()
    pdf.save()
    return path


def next_board(database):
    """A Board meeting with papers on some items and none on others."""
    return meeting(database, "Strategic Board", dt.date(2026, 6, 10))


def issue(database, meeting_id, target: Path) -> Path:
    list(packs.iter_pack_issue(database, meeting_id, target, issue=True))
    return target


def supplement(database, meeting_id, target: Path, *, issued: bool = True) -> Path:
    list(packs.iter_supplement_issue(database, meeting_id, target, issue=issued))
    return target


def count_issues(database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(PackIssue)) or 0)


def test_issuing_the_pack_records_what_was_sent(sample_db, tmp_path):
    board = next_board(sample_db)
    before = packs.pack_state(sample_db, board.id)
    assert not before.issued and before.in_words() == "The pack has not been issued yet."
    made = issue(sample_db, board.id, tmp_path / "pack.pdf")
    state = packs.pack_state(sample_db, board.id)
    (version,) = state.issues
    assert version.supplement == 0 and version.name == "The pack"
    assert version.issued_by == current_os_user() and version.filename == "pack.pdf"
    texts = pages(made)
    assert version.pages == len(texts)
    assert version.sha256 == hashlib.sha256(made.read_bytes()).hexdigest()
    rows = [row for row in agenda_rows(sample_db, board.id) if row.paper_id is not None]
    assert [(p.item_id, p.number, p.title) for p in version.papers] == [
        (row.id, row.number, row.title) for row in rows
    ]
    for issued in version.papers:
        first = texts[issued.first_page - 1]
        assert f"Item {issued.number} – page 1 of {issued.pages}" in first
        assert len(issued.sha256) == 64
    assert state.changes == () and "Every paper has been sent." in state.in_words()
    assert [state.item_words(row.id) for row in rows] == ["In the pack"] * len(rows)


def test_a_pack_saved_without_issuing_records_nothing(sample_db, tmp_path):
    board = next_board(sample_db)
    list(packs.iter_pack_issue(sample_db, board.id, tmp_path / "pack.pdf", issue=False))
    assert (tmp_path / "pack.pdf").exists() and count_issues(sample_db) == 0


def test_papers_attached_replaced_or_removed_after_the_issue_are_found(sample_db, tmp_path):
    board = next_board(sample_db)
    issue(sample_db, board.id, tmp_path / "pack.pdf")
    rows = agenda_rows(sample_db, board.id)
    with_paper = [row for row in rows if row.paper_id is not None]
    without = [row for row in rows if row.paper_id is None]
    late = paper(tmp_path / "late.pdf", "Late paper")
    attach_paper(sample_db, without[0].id, late)
    attach_paper(sample_db, with_paper[0].id, paper(tmp_path / "new.pdf", "Second version"))
    remove_paper(sample_db, with_paper[1].id, paper_shown=with_paper[1].paper_id)
    state = packs.pack_state(sample_db, board.id)
    found = {c.item_id: c.change for c in state.changes}
    assert found == {
        without[0].id: packs.Change.NEW,
        with_paper[0].id: packs.Change.REPLACED,
        with_paper[1].id: packs.Change.WITHDRAWN,
    }
    assert state.item_words(without[0].id) == "New since the pack was issued"
    assert state.item_words(with_paper[0].id) == "Replaced since the pack was issued"
    assert state.item_words(with_paper[1].id) == "Withdrawn since the pack was issued"
    assert f"item {without[0].number} ({without[0].title}): new" in state.in_words()
    # Attaching the very same file again is no change.
    attach_paper(sample_db, without[0].id, late)
    assert len(packs.pack_state(sample_db, board.id).changes) == 3


def test_a_supplement_holds_only_the_new_papers_with_a_cover_and_its_own_stamps(
    sample_db, tmp_path
):
    board = next_board(sample_db)
    pack = issue(sample_db, board.id, tmp_path / "pack.pdf")
    pack_pages = pages(pack)
    rows = agenda_rows(sample_db, board.id)
    new_item = next(row for row in rows if row.paper_id is None)
    replaced = next(row for row in rows if row.paper_id is not None)
    attach_paper(sample_db, new_item.id, paper(tmp_path / "late.pdf", "Late paper", 2))
    attach_paper(sample_db, replaced.id, paper(tmp_path / "v2.pdf", "Second version", 3))
    made = supplement(sample_db, board.id, tmp_path / "supplement.pdf")
    texts = pages(made)
    assert len(texts) == 1 + 2 + 3
    cover = " ".join(texts[0].split())
    assert "Supplement 1" in cover and "follows the pack issued on" in cover
    assert "New paper" in cover and "Replaces the paper in the pack issued on" in cover
    assert "late.pdf" in cover and "v2.pdf" in cover
    first, second = sorted([new_item, replaced], key=lambda row: row.number)
    body = texts[1:]
    expected = [("Late paper" if first is new_item else "Second version", first)]
    for text in body:
        assert text.count(MARKING) >= 2
    stamps = [line for text in body for line in text.splitlines() if "Item" in line]
    assert any(f"Supplement 1 – Item {first.number} – page 1 of" in s for s in stamps), stamps
    assert any(f"Supplement 1 – Item {second.number} – page 1 of" in s for s in stamps), stamps
    assert f"Supplement 1 – page {len(texts)} of {len(texts)}" in texts[-1]
    assert f"Supplement 1 – page 1 of {len(texts)}" in texts[0]
    assert expected[0][0] in body[0]
    state = packs.pack_state(sample_db, board.id)
    assert [i.name for i in state.issues] == ["The pack", "Supplement 1"]
    assert {p.item_id for p in state.issues[1].papers} == {new_item.id, replaced.id}
    assert state.changes == ()
    assert state.item_words(new_item.id) == "In Supplement 1"
    # The pack as issued is untouched: its pages and numbers are what members have.
    assert pages(pack) == pack_pages


def test_supplements_are_numbered_in_turn_and_a_new_pack_starts_afresh(sample_db, tmp_path):
    board = next_board(sample_db)
    issue(sample_db, board.id, tmp_path / "pack.pdf")
    empty = [row for row in agenda_rows(sample_db, board.id) if row.paper_id is None]
    attach_paper(sample_db, empty[0].id, paper(tmp_path / "a.pdf", "A"))
    supplement(sample_db, board.id, tmp_path / "s1.pdf")
    attach_paper(sample_db, empty[1].id, paper(tmp_path / "b.pdf", "B"))
    state = packs.pack_state(sample_db, board.id)
    assert state.item_words(empty[1].id) == "New since Supplement 1"
    assert state.next_supplement == 2
    made = supplement(sample_db, board.id, tmp_path / "s2.pdf")
    cover = " ".join(pages(made)[0].split())
    assert "Supplement 2" in cover and "and Supplement 1 of" in cover
    assert "Supplement 2 – Item" in pages(made)[1]
    issue(sample_db, board.id, tmp_path / "again.pdf")
    state = packs.pack_state(sample_db, board.id)
    assert [i.supplement for i in state.issues] == [0, 1, 2, 0]
    assert state.changes == () and state.item_words(empty[1].id) == "In the pack"


def test_a_supplement_is_refused_with_nothing_to_put_in_it(sample_db, tmp_path):
    board = next_board(sample_db)
    target = tmp_path / "supplement.pdf"
    with pytest.raises(OutputError, match="has not been issued yet"):
        supplement(sample_db, board.id, target)
    issue(sample_db, board.id, tmp_path / "pack.pdf")
    with pytest.raises(OutputError, match="No paper has changed since the pack issued"):
        supplement(sample_db, board.id, target)
    assert not target.exists() and count_issues(sample_db) == 1


def test_a_supplement_made_without_issuing_records_nothing(sample_db, tmp_path):
    board = next_board(sample_db)
    issue(sample_db, board.id, tmp_path / "pack.pdf")
    empty = next(row for row in agenda_rows(sample_db, board.id) if row.paper_id is None)
    attach_paper(sample_db, empty.id, paper(tmp_path / "a.pdf", "A"))
    supplement(sample_db, board.id, tmp_path / "draft.pdf", issued=False)
    assert "Supplement 1" in pages(tmp_path / "draft.pdf")[0]
    assert count_issues(sample_db) == 1
    assert packs.pack_state(sample_db, board.id).next_supplement == 1


def test_a_version_issued_by_someone_else_meanwhile_is_not_overwritten(sample_db, tmp_path):
    """Two people issuing at once: the second is told, and neither record nor file is made."""
    board = next_board(sample_db)
    issue(sample_db, board.id, tmp_path / "pack.pdf")
    empty = next(row for row in agenda_rows(sample_db, board.id) if row.paper_id is None)
    attach_paper(sample_db, empty.id, paper(tmp_path / "a.pdf", "A"))
    mine = packs.iter_supplement_issue(sample_db, board.id, tmp_path / "mine.pdf", issue=True)
    next(mine)  # the build has begun
    supplement(sample_db, board.id, tmp_path / "theirs.pdf")
    with pytest.raises(OutputError, match="Someone else issued a version"):
        list(mine)
    assert not (tmp_path / "mine.pdf").exists()
    assert [i.supplement for i in packs.pack_state(sample_db, board.id).issues] == [0, 1]


def test_the_last_supplement_is_made_again_as_it_was_issued(sample_db, tmp_path):
    board = next_board(sample_db)
    issue(sample_db, board.id, tmp_path / "pack.pdf")
    with pytest.raises(OutputError, match="No supplement has been issued"):
        list(packs.iter_supplement_again(sample_db, board.id, tmp_path / "x.pdf"))
    empty = next(row for row in agenda_rows(sample_db, board.id) if row.paper_id is None)
    attach_paper(sample_db, empty.id, paper(tmp_path / "a.pdf", "A", 2))
    issued = supplement(sample_db, board.id, tmp_path / "s1.pdf")
    again = tmp_path / "again.pdf"
    list(packs.iter_supplement_again(sample_db, board.id, again))
    assert pages(again) == pages(issued)
    attach_paper(sample_db, empty.id, paper(tmp_path / "b.pdf", "B"))
    with pytest.raises(OutputError, match="cannot be sent as it was: issue Supplement 2"):
        list(packs.iter_supplement_again(sample_db, board.id, tmp_path / "y.pdf"))


def test_deleting_the_meeting_and_undoing_it_keeps_the_record_of_what_was_sent(
    sample_db, steps, tmp_path
):
    board = next(
        row
        for row in meeting_rows(sample_db, today=SAMPLE_TODAY)
        if row.status is MeetingStatus.PLANNED and row.papers
    )
    issue(sample_db, board.id, tmp_path / "pack.pdf")
    before = packs.pack_state(sample_db, board.id).issues
    assert "1 record of a pack issued" in what_goes(sample_db, board.id).in_words()
    delete_meeting(sample_db, board.id, version=None)
    assert count_issues(sample_db) == 0
    undo(sample_db, steps[-1])
    assert packs.pack_state(sample_db, board.id).issues == before


def test_a_withdrawn_paper_is_named_in_the_next_supplement_once(sample_db, tmp_path):
    board = next_board(sample_db)
    issue(sample_db, board.id, tmp_path / "pack.pdf")
    rows = agenda_rows(sample_db, board.id)
    gone = next(row for row in rows if row.paper_id is not None)
    late = next(row for row in rows if row.paper_id is None)
    remove_paper(sample_db, gone.id, paper_shown=gone.paper_id)
    attach_paper(sample_db, late.id, paper(tmp_path / "late.pdf", "Late"))
    made = supplement(sample_db, board.id, tmp_path / "s1.pdf")
    cover = " ".join(pages(made)[0].split())
    assert "Withdrawn: the paper in the pack issued on" in cover
    assert "holds the one paper new or changed" in cover and len(pages(made)) == 2
    state = packs.pack_state(sample_db, board.id)
    assert state.changes == () and state.item_words(gone.id) == ""
    lines = packs.issued_lines(state, state.issues[-1])
    assert [(line.number, line.withdrawn) for line in lines] == sorted(
        [(gone.number, True), (late.number, False)]
    )
    again = tmp_path / "again.pdf"
    list(packs.iter_supplement_again(sample_db, board.id, again))
    assert pages(again) == pages(made)


def test_a_withdrawal_alone_goes_out_as_a_supplement_of_its_cover(sample_db, tmp_path):
    board = next_board(sample_db)
    issue(sample_db, board.id, tmp_path / "pack.pdf")
    gone = next(row for row in agenda_rows(sample_db, board.id) if row.paper_id is not None)
    remove_paper(sample_db, gone.id, paper_shown=gone.paper_id)
    made = supplement(sample_db, board.id, tmp_path / "s1.pdf")
    (cover,) = pages(made)
    words = " ".join(cover.split())
    assert "Withdrawn: the paper in the pack issued on" in words
    assert "It holds no papers: it names the papers withdrawn since then." in words
    assert packs.pack_state(sample_db, board.id).changes == ()


def test_an_item_removed_after_the_issue_withdraws_its_paper_and_undo_puts_it_back(
    sample_db, steps, tmp_path
):
    """The item is known by its uuid: removed, its paper is withdrawn; put back by Undo, it is
    the one members have again, not a new paper to send twice."""
    board = next_board(sample_db)
    issue(sample_db, board.id, tmp_path / "pack.pdf")
    item = next(row for row in agenda_rows(sample_db, board.id) if row.paper_id is not None)
    remove_item(sample_db, item.id, version=item.version)
    state = packs.pack_state(sample_db, board.id)
    (change,) = state.changes
    assert change.change is packs.Change.WITHDRAWN and change.item_id is None
    assert change.in_words() == f"“{item.title}”, an item since removed: withdrawn"
    assert change.why.startswith(f"Withdrawn with its item, which was item {item.number} in the")
    undo(sample_db, steps[-1])
    state = packs.pack_state(sample_db, board.id)
    assert state.changes == () and state.item_words(item.id) == "In the pack"


def test_a_replaced_paper_names_the_item_it_was_in_the_pack(sample_db, tmp_path):
    board = next_board(sample_db)
    issue(sample_db, board.id, tmp_path / "pack.pdf")
    rows = agenda_rows(sample_db, board.id)
    moved = [row for row in rows if row.paper_id is not None][-1]
    for _ in range(moved.number - 1):
        move_item(sample_db, moved.id, -1)
    attach_paper(sample_db, moved.id, paper(tmp_path / "v2.pdf", "Second version"))
    cover = " ".join(pages(supplement(sample_db, board.id, tmp_path / "s1.pdf"))[0].split())
    assert f"Replaces the paper in the pack issued on 23/11/2026 (item {moved.number} there)" in (
        cover
    )


@pytest.mark.parametrize("where", ["a folder", "a file that cannot be replaced"])
def test_a_version_whose_file_cannot_be_saved_is_not_recorded(
    sample_db, tmp_path, monkeypatch, where
):
    board = next_board(sample_db)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "pack.pdf"
    if where == "a folder":
        target.mkdir()
    else:

        def refuse(self, other):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(OutputError, match="Cannot save") as caught:
        issue(sample_db, board.id, target)
    assert ".pack.pdf-" not in str(caught.value)  # no temporary name in the message
    assert count_issues(sample_db) == 0
    assert [p.name for p in out.iterdir()] == ["pack.pdf"] * (where == "a folder")


def test_only_a_pdf_is_issued(sample_db, tmp_path):
    with pytest.raises(OutputError, match=r"a pack is a PDF file; name it \.pdf"):
        issue(sample_db, next_board(sample_db).id, tmp_path / "pack.txt")
    assert count_issues(sample_db) == 0 and not (tmp_path / "pack.txt").exists()


def test_the_pack_cannot_be_undone_from_under_a_supplement_issued_on_it(sample_db, steps, tmp_path):
    """A supplement rests on the pack before it: undoing the pack alone is refused, saying so,
    and undoing the supplement first puts both back in turn."""
    board = next_board(sample_db)
    issue(sample_db, board.id, tmp_path / "pack.pdf")
    pack_step = steps[-1]
    empty = next(row for row in agenda_rows(sample_db, board.id) if row.paper_id is None)
    attach_paper(sample_db, empty.id, paper(tmp_path / "a.pdf", "A"))
    supplement(sample_db, board.id, tmp_path / "s1.pdf")
    with pytest.raises(CannotUndo):
        undo(sample_db, pack_step)
    assert [i.supplement for i in packs.pack_state(sample_db, board.id).issues] == [0, 1]
    undo(sample_db, steps[-1])  # the supplement
    undo(sample_db, pack_step)
    assert packs.pack_state(sample_db, board.id).issues == ()


def test_the_pack_is_e_mailed_only_while_it_is_the_version_members_have(sample_db, tmp_path):
    board = next_board(sample_db)
    issue(sample_db, board.id, tmp_path / "pack.pdf")
    assert packs.pack_state(sample_db, board.id).pack_email_refusal() == ""
    rows = agenda_rows(sample_db, board.id)
    moved = [row for row in rows if row.paper_id is not None][-1]
    move_item(sample_db, moved.id, -1)
    state = packs.pack_state(sample_db, board.id)
    assert state.pack_email_refusal().startswith("The agenda has been renumbered since the pack")
    assert state.item_words(moved.id) == f"In the pack (as item {moved.number})"
    move_item(sample_db, moved.id, 1)
    empty = next(row for row in rows if row.paper_id is None)
    attach_paper(sample_db, empty.id, paper(tmp_path / "a.pdf", "A"))
    assert (
        packs.pack_state(sample_db, board.id)
        .pack_email_refusal()
        .startswith("1 paper has changed since the pack issued on")
    )
    supplement(sample_db, board.id, tmp_path / "s1.pdf")
    assert (
        packs.pack_state(sample_db, board.id)
        .pack_email_refusal()
        .startswith("Supplement 1 was issued after the pack")
    )
    issue(sample_db, board.id, tmp_path / "again.pdf")
    assert packs.pack_state(sample_db, board.id).pack_email_refusal() == ""
