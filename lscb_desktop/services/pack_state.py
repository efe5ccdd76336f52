"""What members have been sent of a meeting's papers, and what has changed since.

Each version issued (:mod:`lscb_desktop.services.packs` records them) lists its papers by agenda
item. What members have is the last whole pack with every supplement since applied in turn; an
item is known by its identifier (uuid), which outlives the item's removal and comes back with an
undo, so a removed item's paper is found withdrawn and an item put back is found as sent.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lscb_desktop.models import AgendaItem, Document, PackIssue
from lscb_desktop.services.agenda import AgendaRow, agenda_rows
from lscb_desktop.store import Database
from lscb_desktop.words import and_list


@dataclass(frozen=True)
class IssuedPaper:
    item_id: int | None
    item_uuid: str
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
    #: A whole pack issued after another.
    again: bool = False

    @property
    def name(self) -> str:
        if self.supplement:
            return f"Supplement {self.supplement}"
        return "The pack, issued again" if self.again else "The pack"

    @property
    def short(self) -> str:
        """ "the pack issued on 20/11/2026", "Supplement 1 of 22/11/2026"."""
        if self.supplement:
            return f"Supplement {self.supplement} of {self.issued_at:%d/%m/%Y}"
        again = " again" if self.again else ""
        return f"the pack issued{again} on {self.issued_at:%d/%m/%Y}"

    @property
    def sent_papers(self) -> int:
        return sum(not paper.withdrawn for paper in self.papers)


class Change(enum.Enum):
    NEW = "new"
    REPLACED = "replaced"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class PaperChange:
    #: The item now (None: the item itself has been removed).
    item_id: int | None
    item_uuid: str
    number: int
    title: str
    filename: str
    change: Change
    #: The version that sent the paper it replaces or withdraws.
    sent_in: Issue | None = None
    #: The item's number in that version, when the agenda has been renumbered since.
    was_number: int | None = None

    def in_words(self) -> str:
        """ "item 5 (Budget): replaced" for the meeting's summary; a removed item by its title
        alone, its old number belonging to another item now."""
        if self.item_id is None:
            return f"“{self.title}”, an item since removed: withdrawn"
        return f"item {self.number} ({self.title}): {self.change.value}"

    @property
    def why(self) -> str:
        """Why the paper is in a supplement, as its cover says."""
        if self.change is Change.NEW or self.sent_in is None:
            return "New paper"
        where = self.sent_in.short
        if self.item_id is None and self.change is Change.WITHDRAWN:
            return f"Withdrawn with its item, which was item {self.was_number} in {where}"
        if self.was_number is not None and self.was_number != self.number:
            where = f"{where} (item {self.was_number} there)"
        if self.change is Change.WITHDRAWN:
            return f"Withdrawn: the paper in {where} is no longer for this meeting"
        return f"Replaces the paper in {where}"


@dataclass(frozen=True)
class PackState:
    issues: tuple[Issue, ...]
    #: The papers new, replaced or withdrawn since the last version issued (none before the pack
    #: is issued: then every paper is simply in the pack).
    changes: tuple[PaperChange, ...]
    #: Each current item's identifier, by its id.
    uuids: dict[int, str] = field(default_factory=dict)
    #: Each current item's number on the agenda, by its id.
    numbers: dict[int, int] = field(default_factory=dict)

    @property
    def issued(self) -> bool:
        """Whether a whole pack has been issued (a supplement follows one)."""
        return any(issue.supplement == 0 for issue in self.issues)

    @property
    def latest(self) -> Issue | None:
        return self.issues[-1] if self.issues else None

    @property
    def next_supplement(self) -> int:
        return max((issue.supplement for issue in self.issues), default=0) + 1

    @property
    def to_send(self) -> tuple[PaperChange, ...]:
        """The papers a supplement would carry (a withdrawn one is only named on its cover)."""
        return tuple(c for c in self.changes if c.change is not Change.WITHDRAWN)

    def renumbered(self) -> list[str]:
        """The papers sent whose item has a new number since ("item 3, now item 4")."""
        sent = sent_after(self.issues)
        moved = []
        for item_id, uuid in self.uuids.items():
            had = sent.get(uuid)
            now = self.numbers.get(item_id)
            if had is not None and now is not None and had[0].number != now:
                moved.append((now, f"item {had[0].number}, now item {now}"))
        return [words for _now, words in sorted(moved)]

    def pack_email_refusal(self) -> str:
        """Why the pack as it is now must not be e-mailed ("" when it may): once a pack is
        issued, only the last pack issued, unchanged since, goes as the pack; anything since goes
        in a supplement, or the whole pack is issued again, so that what members are sent is
        always a version on record, with the pages they were sent."""
        latest = self.latest
        if latest is None or not self.issued:
            return ""
        if self.changes:
            count = len(self.changes)
            return (
                f"{count} paper{' has' if count == 1 else 's have'} changed since "
                f"{latest.short}, so the pack as it is now is not a version members were sent: "
                f"issue Supplement {self.next_supplement} for {'it' if count == 1 else 'them'} "
                "and e-mail that, or issue the whole pack again."
            )
        if latest.supplement:
            return (
                f"Supplement {latest.supplement} was issued after the pack, so the pack as it is "
                "now is not a version members were sent: e-mail that supplement, or issue the "
                "whole pack again and e-mail that."
            )
        moved = self.renumbered()
        if moved:
            return (
                f"The agenda has been renumbered since {latest.short} ({and_list(moved)}), so "
                "the pack as it is now would not have the pages members were sent: issue the "
                "whole pack again and e-mail that."
            )
        return ""

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
            was_in = latest if change.change is Change.NEW else change.sent_in
            since = (
                f"Supplement {was_in.supplement}"
                if was_in is not None and was_in.supplement
                else "the pack was issued"
            )
            return f"{change.change.value.capitalize()} since {since}"
        sent = sent_after(self.issues).get(self.uuids.get(item_id, ""))
        if sent is None:
            return ""
        words = f"In Supplement {sent[1].supplement}" if sent[1].supplement else "In the pack"
        number = self.numbers.get(item_id)
        if number is not None and number != sent[0].number:
            words += f" (as item {sent[0].number})"
        return words

    def in_words(self) -> str:
        """The meeting's pack in a sentence or two, for the window and ``list packs``: every
        version issued, and what has changed since the last."""
        if not self.issues:
            return "The pack has not been issued yet."
        parts = []
        for issue in self.issues:
            day = f"{issue.issued_at:%d/%m/%Y}"
            if issue.supplement:
                parts.append(f"Supplement {issue.supplement} issued {day}")
            else:
                again = " again" if issue.again else ""
                parts.append(
                    f"{'Pack' if not parts else 'pack'} issued{again} {day} by {issue.issued_by} "
                    f"({issue.pages} pages)"
                )
        words = "; ".join(parts) + "."
        latest = self.issues[-1]
        since = latest.short if latest.supplement else "the pack was issued"
        if self.changes:
            words += f" Changed since {since}: {and_list([c.in_words() for c in self.changes])}."
        elif not sent_after(self.issues):
            words += " It held no papers."
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
        issues = []
        packs_before = 0
        for row in rows:
            papers = tuple(
                IssuedPaper(
                    p.agenda_item_id,
                    p.item_uuid,
                    p.item_number,
                    p.item_title,
                    p.filename,
                    p.sha256,
                    p.first_page,
                    p.pages,
                )
                for p in row.papers
            )
            issue = Issue(
                row.id,
                row.sequence,
                row.supplement,
                row.issued_at,
                row.issued_by,
                row.pages,
                row.filename,
                row.sha256,
                papers,
                again=row.supplement == 0 and packs_before > 0,
            )
            packs_before += row.supplement == 0
            issues.append(issue)
        return tuple(issues)


def sent_after(issues: Sequence[Issue]) -> dict[str, tuple[IssuedPaper, Issue]]:
    """Each item's paper as members have it after ``issues``, by the item's uuid: (the paper as
    issued, the version that sent it)."""
    sent: dict[str, tuple[IssuedPaper, Issue]] = {}
    for issue in issues:
        if issue.supplement == 0:
            sent = {}
        for paper in issue.papers:
            if paper.withdrawn:
                sent.pop(paper.item_uuid, None)
            else:
                sent[paper.item_uuid] = (paper, issue)
    return sent


def _items(database: Database, meeting_id: int) -> dict[int, tuple[str, str | None]]:
    """Each item's uuid and its paper's checksum (None: no paper), by the item's id."""
    with database.session() as session:
        rows = session.execute(
            select(AgendaItem.id, AgendaItem.uuid, Document.sha256)
            .outerjoin(Document, Document.id == AgendaItem.document_id)
            .where(AgendaItem.meeting_id == meeting_id)
        ).all()
        return {int(i): (str(u), str(d) if d is not None else None) for i, u, d in rows}


def _changes(
    rows: Sequence[AgendaRow],
    items: dict[int, tuple[str, str | None]],
    issues: Sequence[Issue],
) -> tuple[PaperChange, ...]:
    if not issues:
        return ()
    sent = sent_after(issues)
    changes = []
    here: set[str] = set()
    for row in rows:
        uuid, digest = items.get(row.id, ("", None))
        here.add(uuid)
        had = sent.get(uuid)
        if digest is not None and had is None:
            changes.append(PaperChange(row.id, uuid, row.number, row.title, row.paper, Change.NEW))
        elif had is not None and digest != had[0].sha256:
            paper, issue = had
            kind = Change.WITHDRAWN if digest is None else Change.REPLACED
            changes.append(
                PaperChange(
                    row.id, uuid, row.number, row.title, row.paper, kind, issue, paper.number
                )
            )
    for uuid, (paper, issue) in sent.items():  # items removed from the agenda since
        if uuid not in here:
            changes.append(
                PaperChange(
                    None,
                    uuid,
                    paper.number,
                    paper.title,
                    "",
                    Change.WITHDRAWN,
                    issue,
                    paper.number,
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
    items = _items(database, meeting_id)
    uuids = {item_id: uuid for item_id, (uuid, _digest) in items.items()}
    numbers = {row.id: row.number for row in rows}
    return PackState(issues, _changes(rows, items, issues), uuids, numbers)
