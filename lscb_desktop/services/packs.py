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
import enum
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from lscb_desktop import clock
from lscb_desktop.files import atomic_path
from lscb_desktop.models import AgendaItem, Document, PackIssue, PackIssuePaper
from lscb_desktop.reports.inputs import SupplementDoc, SupplementLine
from lscb_desktop.services.agenda import AgendaRow, agenda_rows, read_paper
from lscb_desktop.services.documents import agenda_doc, letterhead, meeting_head, pack_papers
from lscb_desktop.services.files import OutputError
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


@dataclass(frozen=True)
class IssuedPaper:
    item_id: int | None
    number: int
    title: str
    filename: str
    sha256: str
    first_page: int
    pages: int

    @property
    def withdrawn(self) -> bool:
        """A supplement's note that the paper sent before is withdrawn (no file of its own)."""
        return not self.sha256


@dataclass(frozen=True)
class Issue:
    id: int
    sequence: int
    #: 0 for the pack, N for Supplement N.
    supplement: int
    issued_at: dt.datetime
    issued_by: str
    pages: int
    filename: str
    sha256: str
    papers: tuple[IssuedPaper, ...]

    @property
    def name(self) -> str:
        return f"Supplement {self.supplement}" if self.supplement else "The pack"

    @property
    def short(self) -> str:
        """ "the pack issued on 20/11/2026", "Supplement 1 of 22/11/2026"."""
        if self.supplement:
            return f"Supplement {self.supplement} of {self.issued_at:%d/%m/%Y}"
        return f"the pack issued on {self.issued_at:%d/%m/%Y}"


class Change(enum.Enum):
    NEW = "new"
    REPLACED = "replaced"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class PaperChange:
    item_id: int
    number: int
    title: str
    filename: str
    change: Change
    #: When the paper it replaces (or that was withdrawn) was sent.
    sent: str = ""
    #: Where that paper was sent: 0 for the pack, N for Supplement N.
    was_in: int = 0

    def in_words(self) -> str:
        """ "item 5 (Budget): replaced" for the meeting's summary."""
        return f"item {self.number} ({self.title}): {self.change.value}"

    @property
    def why(self) -> str:
        """Why the paper is in a supplement, as its cover says."""
        if self.change is Change.NEW:
            return "New paper"
        if self.change is Change.WITHDRAWN:
            return f"Withdrawn: the paper in {self.sent} is no longer for this meeting"
        return f"Replaces the paper in {self.sent}"


@dataclass(frozen=True)
class PackState:
    issues: tuple[Issue, ...]
    #: The papers new, replaced or withdrawn since the last version issued (none before the pack
    #: is issued: then every paper is simply in the pack).
    changes: tuple[PaperChange, ...]

    @property
    def issued(self) -> bool:
        return bool(self.issues)

    @property
    def latest(self) -> Issue | None:
        return self.issues[-1] if self.issues else None

    @property
    def next_supplement(self) -> int:
        return max((issue.supplement for issue in self.issues), default=0) + 1

    @property
    def to_send(self) -> tuple[PaperChange, ...]:
        """The changes a supplement would carry (a withdrawn paper has nothing to send)."""
        return tuple(c for c in self.changes if c.change is not Change.WITHDRAWN)

    def still_to_send(self) -> str:
        """ "1 paper is new since the pack issued on 20/11/2026: issue Supplement 1 for it." once
        something is waiting for a supplement; "" otherwise."""
        if self.latest is None or not self.to_send:
            return ""
        count = len(self.to_send)
        return (
            f"{count} paper{' is' if count == 1 else 's are'} new since {self.latest.short}: "
            f"issue Supplement {self.next_supplement} for {'it' if count == 1 else 'them'}."
        )

    def change_of(self, item_id: int) -> PaperChange | None:
        return next((c for c in self.changes if c.item_id == item_id), None)

    def item_words(self, item_id: int) -> str:
        """Where the item's paper stands, for the agenda's list: "In the pack", "In Supplement
        1", "New since the pack was issued", "Replaced since Supplement 1"; "" before the pack
        is issued, or for an item with no paper sent or to send."""
        latest = self.latest
        if latest is None:
            return ""
        change = self.change_of(item_id)
        if change is not None:
            was_in = latest.supplement if change.change is Change.NEW else change.was_in
            since = f"Supplement {was_in}" if was_in else "the pack was issued"
            verb = {Change.NEW: "New", Change.REPLACED: "Replaced", Change.WITHDRAWN: "Removed"}
            return f"{verb[change.change]} since {since}"
        sent = _sent(self.issues).get(item_id)
        if sent is None:
            return ""
        return f"In Supplement {sent[1].supplement}" if sent[1].supplement else "In the pack"

    def in_words(self) -> str:
        """The meeting's pack in a sentence or two, for the window and ``list packs``."""
        if not self.issues:
            return "The pack has not been issued yet."
        latest = self.issues[-1]
        pack = next(i for i in reversed(self.issues) if i.supplement == 0)
        words = f"Pack issued {pack.issued_at:%d/%m/%Y} by {pack.issued_by} ({pack.pages} pages)"
        later = [i for i in self.issues if i.sequence > pack.sequence]
        if later:
            words += "; " + ", ".join(
                f"Supplement {i.supplement} issued {i.issued_at:%d/%m/%Y}" for i in later
            )
        words += "."
        if self.changes:
            since = "the pack was issued" if latest is pack else f"Supplement {latest.supplement}"
            words += f" New since {since}: {and_list([c.in_words() for c in self.changes])}."
        else:
            words += " Every paper has been sent."
        return words


def _issues(database: Database, meeting_id: int) -> tuple[Issue, ...]:
    with database.session() as session:
        rows = session.scalars(
            select(PackIssue)
            .where(PackIssue.meeting_id == meeting_id)
            .order_by(PackIssue.sequence)
            .options(selectinload(PackIssue.papers))
        ).all()
        return tuple(
            Issue(
                row.id,
                row.sequence,
                row.supplement,
                row.issued_at,
                row.issued_by,
                row.pages,
                row.filename,
                row.sha256,
                tuple(
                    IssuedPaper(
                        p.agenda_item_id,
                        p.item_number,
                        p.item_title,
                        p.filename,
                        p.sha256,
                        p.first_page,
                        p.pages,
                    )
                    for p in row.papers
                ),
            )
            for row in rows
        )


def _sent(issues: Sequence[Issue]) -> dict[int, tuple[str, Issue]]:
    """Each item's paper as the members have it after ``issues``: (checksum, the issue)."""
    sent: dict[int, tuple[str, Issue]] = {}
    for issue in issues:
        if issue.supplement == 0:
            sent = {}
        for paper in issue.papers:
            if paper.item_id is not None and paper.withdrawn:
                sent.pop(paper.item_id, None)
            elif paper.item_id is not None:
                sent[paper.item_id] = (paper.sha256, issue)
    return sent


def _checksums(database: Database, meeting_id: int) -> dict[int, str]:
    with database.session() as session:
        rows = session.execute(
            select(AgendaItem.id, Document.sha256)
            .join(Document, Document.id == AgendaItem.document_id)
            .where(AgendaItem.meeting_id == meeting_id)
        ).all()
        return {int(item_id): str(digest) for item_id, digest in rows}


def _changes(
    rows: Sequence[AgendaRow], checksums: dict[int, str], issues: Sequence[Issue]
) -> tuple[PaperChange, ...]:
    if not issues:
        return ()
    sent = _sent(issues)
    changes = []
    for row in rows:
        had = sent.get(row.id)
        digest = checksums.get(row.id)
        if digest is not None and had is None:
            changes.append(PaperChange(row.id, row.number, row.title, row.paper, Change.NEW))
        elif digest is not None and had is not None and digest != had[0]:
            changes.append(
                PaperChange(
                    row.id,
                    row.number,
                    row.title,
                    row.paper,
                    Change.REPLACED,
                    had[1].short,
                    had[1].supplement,
                )
            )
        elif digest is None and had is not None:
            changes.append(
                PaperChange(
                    row.id,
                    row.number,
                    row.title,
                    "",
                    Change.WITHDRAWN,
                    had[1].short,
                    had[1].supplement,
                )
            )
    return tuple(changes)


def pack_state(
    database: Database, meeting_id: int, rows: Sequence[AgendaRow] | None = None
) -> PackState:
    """The versions issued and what has changed since; ``rows`` is the agenda, when the caller
    has just read it."""
    issues = _issues(database, meeting_id)
    rows = agenda_rows(database, meeting_id) if rows is None else rows
    return PackState(issues, _changes(rows, _checksums(database, meeting_id), issues))


def _record(
    database: Database,
    meeting_id: int,
    supplement: int,
    layout: PackLayout,
    papers: Sequence[tuple[AgendaRow, str, bytes]],
    file: Path,
    name: str,
    after: int,
    withdrawn: Sequence[PaperChange] = (),
) -> None:
    """Records the version just built at ``file`` (to be saved as ``name``), with the papers it
    says are ``withdrawn``; ``after`` is the sequence of the last version issued when the build
    began: when someone else has issued one since, nothing is recorded."""
    by_item = {row.id: (row, content) for row, _name, content in papers}
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    try:
        with database.session() as session:
            last = session.scalar(
                select(func.max(PackIssue.sequence)).where(PackIssue.meeting_id == meeting_id)
            )
            if (last or 0) != after:
                raise OutputError(
                    "Someone else issued a version of this pack while this one was being made, "
                    "so it was not issued; look at the meeting's pack and make it again."
                )
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
                sha256=digest,
            )
            for place in layout.papers:
                row, content = by_item[place.item_id]
                issue.papers.append(
                    PackIssuePaper(
                        agenda_item_id=row.id,
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
                        item_number=change.number,
                        item_title=change.title,
                        filename="",
                        sha256="",
                        first_page=0,
                        pages=0,
                    )
                )
            session.add(issue)
    except IntegrityError as exc:  # two issued at the same moment: the other one was first
        raise OutputError(
            "Someone else issued a version of this pack at the same moment, so this one was not "
            "issued; look at the meeting's pack and make it again."
        ) from exc


def iter_pack_issue(
    database: Database,
    meeting_id: int,
    target: Path,
    *,
    issue: bool,
    convert: Converter | None = None,
) -> Iterator[Progress]:
    """Builds the whole pack at ``target``; with ``issue``, records it as the version sent."""
    from lscb_desktop.reports.pack import convert_with_libreoffice, iter_pack  # noqa: PLC0415

    convert = convert or convert_with_libreoffice
    after = _issues(database, meeting_id)
    papers = pack_papers(database, meeting_id)
    doc = agenda_doc(database, meeting_id)
    if not issue:
        yield from iter_pack(doc, papers, target, convert)
        return
    with atomic_path(Path(target)) as partial:
        layout = yield from iter_pack(doc, papers, partial, convert)
        last = after[-1].sequence if after else 0
        _record(database, meeting_id, 0, layout, papers, partial, Path(target).name, last)
    again = " again" if after else ""
    yield Progress(1, 1, f"Issued the pack{again}: {layout.pages} pages")


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
    last_pack = max(i.sequence for i in issues if i.supplement == 0)
    return and_list([i.short for i in issues if i.sequence >= last_pack])


def supplement_doc(database: Database, meeting_id: int, state: PackState) -> SupplementDoc:
    """The cover of the next supplement: the papers new or replaced since the last version (and
    any withdrawn)."""
    if not state.issued:
        raise OutputError(
            "The pack has not been issued yet, so there is nothing to supplement: issue the pack "
            "first, and every paper goes in it."
        )
    latest = state.latest
    assert latest is not None
    if not state.to_send:
        raise OutputError(
            f"No paper is new or replaced since {latest.short}, so there is nothing to put in a "
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
    """The papers of an issued supplement, as its cover lists them."""
    sent = _sent([i for i in state.issues if i.sequence < issue.sequence])
    lines = []
    for paper in sorted(issue.papers, key=lambda p: p.number):  # in agenda order, as made
        had = sent.get(paper.item_id) if paper.item_id is not None else None
        if paper.withdrawn:
            was = f"the paper in {had[1].short}" if had else "the paper sent"
            why = f"Withdrawn: {was} is no longer for this meeting"
        else:
            why = f"Replaces the paper in {had[1].short}" if had else "New paper"
        lines.append(
            SupplementLine(
                paper.number, paper.title, paper.filename, why, withdrawn=paper.withdrawn
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
    current = _checksums(database, meeting_id)
    rows = {row.id: row for row in agenda_rows(database, meeting_id)}
    papers = []
    for paper in issue.papers:
        if paper.withdrawn:
            continue
        row = rows.get(paper.item_id) if paper.item_id is not None else None
        if row is None or row.paper_id is None or current.get(row.id) != paper.sha256:
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
    OutputError when the pack is not issued or no paper is new since the last version."""
    from lscb_desktop.reports.pack import convert_with_libreoffice  # noqa: PLC0415
    from lscb_desktop.reports.supplement import iter_supplement  # noqa: PLC0415

    convert = convert or convert_with_libreoffice
    state = pack_state(database, meeting_id)
    doc = supplement_doc(database, meeting_id, state)
    papers = _supplement_papers(database, meeting_id, state)
    if not issue:
        yield from iter_supplement(doc, papers, target, convert)
        return
    latest = state.latest
    assert latest is not None
    with atomic_path(Path(target)) as partial:
        layout = yield from iter_supplement(doc, papers, partial, convert)
        gone = [c for c in state.changes if c.change is Change.WITHDRAWN]
        _record(
            database,
            meeting_id,
            doc.number,
            layout,
            papers,
            partial,
            Path(target).name,
            latest.sequence,
            gone,
        )
    yield Progress(1, 1, f"Issued Supplement {doc.number}: {layout.pages} pages")
