"""Issued packs and supplements: what was sent to the members, and what is new since.

Issuing the pack records it (when, by whom, its page count and checksum, and each paper with its
checksum and pages). A paper attached or replaced after that is new since the pack was issued,
and goes out in Supplement 1, 2, …: only those papers, with a cover listing them, stamped
"Supplement N – Item M – page x of y" so that the pack's own page numbers never change. Each
supplement is issued in its turn. Issuing the whole pack again starts afresh from it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lscb_desktop import clock
from lscb_desktop.files import atomic_path
from lscb_desktop.models import PackIssue, PackIssuePaper
from lscb_desktop.reports.inputs import SupplementDoc, SupplementLine
from lscb_desktop.services.agenda import AgendaRow, agenda_rows, read_paper
from lscb_desktop.services.documents import agenda_doc, letterhead, meeting_head, pack_papers
from lscb_desktop.services.files import OutputError
from lscb_desktop.services.pack_state import (
    Change,
    Issue,
    IssuedPaper,
    PackState,
    PaperChange,
    pack_state,
    sent_after,
)
from lscb_desktop.services.progress import Progress
from lscb_desktop.store import Database
from lscb_desktop.store.changelog import current_os_user
from lscb_desktop.words import and_list

if TYPE_CHECKING:  # the builders load ReportLab and pypdf: only when a pack is made
    from lscb_desktop.reports.pack import Converter, PackLayout

__all__ = [
    "Change",
    "Issue",
    "IssuedPaper",
    "PackState",
    "PaperChange",
    "issued_lines",
    "iter_pack_issue",
    "iter_supplement_again",
    "iter_supplement_issue",
    "last_supplement",
    "pack_state",
]


def _add_issue(
    session: Session,
    meeting_id: int,
    supplement: int,
    layout: PackLayout,
    papers: Sequence[tuple[AgendaRow, str, bytes]],
    state: PackState,
    file: Path,
    name: str,
    withdrawn: Sequence[PaperChange] = (),
) -> None:
    """Adds the record of the version just built at ``file`` (to be saved as ``name``), with the
    papers it says are ``withdrawn``, and flushes it: OutputError when someone else has issued a
    version since ``state`` was read (then nothing is recorded)."""
    after = state.latest.sequence if state.latest is not None else 0
    last = session.scalar(
        select(func.max(PackIssue.sequence)).where(PackIssue.meeting_id == meeting_id)
    )
    if (last or 0) != after:
        raise OutputError(
            "Someone else issued a version of this pack while this one was being made, so it "
            "was not issued; look at the meeting's pack and make it again."
        )
    if state.latest is not None:  # the version before now has one resting on it
        previous = session.get_one(PackIssue, state.latest.id)
        previous.followed_by = after + 1
    by_item = {row.id: (row, content) for row, _name, content in papers}
    issue = PackIssue(
        meeting_id=meeting_id,
        sequence=after + 1,
        supplement=supplement,
        # The program's today (fixed for a demonstration), at the time it is now.
        issued_at=dt.datetime.combine(clock.today(), dt.datetime.now().time()).replace(
            microsecond=0
        ),
        issued_by=current_os_user(),
        pages=layout.pages,
        filename=name,
        sha256=hashlib.sha256(file.read_bytes()).hexdigest(),
    )
    for place in layout.papers:
        row, content = by_item[place.item_id]
        issue.papers.append(
            PackIssuePaper(
                agenda_item_id=row.id,
                item_uuid=state.uuids[row.id],
                item_number=row.number,
                item_title=row.title,
                filename=place.name,
                sha256=hashlib.sha256(content).hexdigest(),
                first_page=place.first_page,
                pages=place.pages,
            )
        )
    for change in withdrawn:
        issue.papers.append(
            PackIssuePaper(
                agenda_item_id=change.item_id,
                item_uuid=change.item_uuid,
                item_number=change.number,
                item_title=change.title,
                filename="",
                sha256="",
                first_page=0,
                pages=0,
            )
        )
    session.add(issue)
    try:
        session.flush()
    except IntegrityError as exc:  # two issued at the same moment: the other one was first
        raise OutputError(
            "Someone else issued a version of this pack at the same moment, so this one was not "
            "issued; look at the meeting's pack and make it again."
        ) from exc


#: Builds a document at the path it is given, yielding progress, and returns its layout.
Build = Callable[[Path], Generator[Progress, None, "PackLayout"]]


def _issuing(
    database: Database,
    target: Path,
    build: Build,
    record: Callable[[Session, PackLayout, Path], None],
) -> Generator[Progress, None, PackLayout]:
    """Builds at ``target`` and records the version: the record is written in the same breath as
    the file is put in place, so neither is kept without the other (a file that cannot be saved
    records nothing; a record refused leaves no file)."""
    if Path(target).suffix.lower() != ".pdf":
        raise OutputError(f"{Path(target).name}: a pack is a PDF file; name it .pdf")
    # Leaving the block puts the file in place first (atomic_path, inner), then commits the
    # record (the session, outer); when the file cannot be put in place the record is rolled back.
    with ExitStack() as stack, atomic_path(Path(target)) as partial:
        layout = yield from build(partial)
        session = stack.enter_context(database.session())
        record(session, layout, partial)
    return layout


def iter_pack_issue(
    database: Database,
    meeting_id: int,
    target: Path,
    *,
    issue: bool,
    convert: Converter | None = None,
) -> Iterator[Progress]:
    """Builds the whole pack at ``target``; with ``issue``, records it as the version sent."""
    from lscb_desktop.reports.pack import (  # noqa: PLC0415
        convert_with_libreoffice,
        iter_pack,
        pages_in_words,
    )

    convert = convert or convert_with_libreoffice
    papers = pack_papers(database, meeting_id)
    doc = agenda_doc(database, meeting_id)
    if not issue:
        yield from iter_pack(doc, papers, target, convert)
        return
    state = pack_state(database, meeting_id)
    name = Path(target).name
    layout = yield from _issuing(
        database,
        target,
        lambda partial: iter_pack(doc, papers, partial, convert),
        lambda session, layout, file: _add_issue(
            session, meeting_id, 0, layout, papers, state, file, name
        ),
    )
    again = " again" if state.issued else ""
    yield Progress(1, 1, f"Issued the pack{again}: {pages_in_words(layout.pages)}")


def _supplement_papers(
    database: Database, meeting_id: int, state: PackState
) -> list[tuple[AgendaRow, str, bytes]]:
    wanted = {change.item_id for change in state.to_send}
    return [
        (row, *read_paper(database, row.paper_id))
        for row in agenda_rows(database, meeting_id)
        if row.id in wanted and row.paper_id is not None
    ]


def _follows(issues: Sequence[Issue]) -> str:
    """What the members already have, from the last whole pack on: "the pack issued on
    20/11/2026 and Supplement 1 of 22/11/2026"."""
    last_pack = max((i.sequence for i in issues if i.supplement == 0), default=0)
    return and_list([i.short for i in issues if i.sequence >= last_pack])


def supplement_doc(database: Database, meeting_id: int, state: PackState) -> SupplementDoc:
    """The cover of the next supplement: the papers new or replaced since the last version, and
    those withdrawn."""
    if not state.issued:
        raise OutputError(
            "The pack has not been issued yet, so there is nothing to supplement: issue the pack "
            "first, and every paper goes in it."
        )
    latest = state.latest
    assert latest is not None
    if not state.changes:
        raise OutputError(
            f"No paper has changed since {latest.short}, so there is nothing to put in a "
            "supplement."
        )
    head, marking = meeting_head(database, meeting_id)
    lines = [
        SupplementLine(c.number, c.title, c.filename, c.why, withdrawn=c.change is Change.WITHDRAWN)
        for c in state.changes
    ]
    return SupplementDoc(
        head, letterhead(database, marking), state.next_supplement, _follows(state.issues), lines
    )


def last_supplement(state: PackState) -> Issue:
    """The last supplement issued since the whole pack; OutputError when there is none."""
    last_pack = max((i.sequence for i in state.issues if i.supplement == 0), default=0)
    issued = [i for i in state.issues if i.supplement and i.sequence > last_pack]
    if not issued:
        raise OutputError(
            "No supplement has been issued since the pack, so there is none to send: issue one "
            "first."
        )
    return issued[-1]


def issued_lines(state: PackState, issue: Issue) -> list[SupplementLine]:
    """The papers of an issued supplement, in agenda order, as its cover lists them."""
    sent = sent_after([i for i in state.issues if i.sequence < issue.sequence])
    lines = []
    for paper in sorted(issue.papers, key=lambda p: p.number):
        had = sent.get(paper.item_uuid)
        change = PaperChange(
            paper.item_id,
            paper.item_uuid,
            paper.number,
            paper.title,
            paper.filename,
            Change.WITHDRAWN if paper.withdrawn else Change.REPLACED if had else Change.NEW,
            had[1] if had else None,
            had[0].number if had else None,
        )
        lines.append(
            SupplementLine(
                paper.number, paper.title, paper.filename, change.why, withdrawn=paper.withdrawn
            )
        )
    return lines


def iter_supplement_again(
    database: Database,
    meeting_id: int,
    target: Path,
    convert: Converter | None = None,
) -> Iterator[Progress]:
    """Makes the last supplement issued again, as it was issued (its papers, numbered and
    titled as then), to send it; OutputError when there is none since the pack, or one of its
    papers has been replaced since (then it cannot be sent as it was)."""
    from lscb_desktop.reports.pack import convert_with_libreoffice  # noqa: PLC0415
    from lscb_desktop.reports.supplement import iter_supplement  # noqa: PLC0415

    convert = convert or convert_with_libreoffice
    state = pack_state(database, meeting_id)
    issue = last_supplement(state)
    now = {row.id: row for row in agenda_rows(database, meeting_id)}
    by_uuid = {uuid: now[item_id] for item_id, uuid in state.uuids.items() if item_id in now}
    changed = {c.item_uuid for c in state.changes}
    papers = []
    for paper in sorted(issue.papers, key=lambda p: p.first_page):
        if paper.withdrawn:
            continue
        row = by_uuid.get(paper.item_uuid)
        if row is None or row.paper_id is None or paper.item_uuid in changed:
            raise OutputError(
                f"The paper of item {paper.number} has been replaced or removed since Supplement "
                f"{issue.supplement} was issued, so that supplement cannot be sent as it was: "
                f"issue Supplement {state.next_supplement} instead."
            )
        then = dataclasses.replace(row, number=paper.number, title=paper.title)
        papers.append((then, *read_paper(database, row.paper_id)))
    head, marking = meeting_head(database, meeting_id)
    before = [i for i in state.issues if i.sequence < issue.sequence]
    doc = SupplementDoc(
        head,
        letterhead(database, marking),
        issue.supplement,
        _follows(before),
        issued_lines(state, issue),
    )
    yield from iter_supplement(doc, papers, target, convert)


def iter_supplement_issue(
    database: Database,
    meeting_id: int,
    target: Path,
    *,
    issue: bool,
    convert: Converter | None = None,
) -> Iterator[Progress]:
    """Builds the next supplement at ``target``; with ``issue``, records it as sent. Raises
    OutputError when the pack is not issued or no paper has changed since the last version."""
    from lscb_desktop.reports.pack import convert_with_libreoffice, pages_in_words  # noqa: PLC0415
    from lscb_desktop.reports.supplement import iter_supplement  # noqa: PLC0415

    convert = convert or convert_with_libreoffice
    state = pack_state(database, meeting_id)
    doc = supplement_doc(database, meeting_id, state)
    papers = _supplement_papers(database, meeting_id, state)
    if not issue:
        yield from iter_supplement(doc, papers, target, convert)
        return
    name = Path(target).name
    gone = [c for c in state.changes if c.change is Change.WITHDRAWN]
    layout = yield from _issuing(
        database,
        target,
        lambda partial: iter_supplement(doc, papers, partial, convert),
        lambda session, layout, file: _add_issue(
            session, meeting_id, doc.number, layout, papers, state, file, name, gone
        ),
    )
    yield Progress(1, 1, f"Issued Supplement {doc.number}: {pages_in_words(layout.pages)}")
