"""A meeting's agenda: items in order with their running times, standard items, papers.

The one-click changes of the Meetings tab name what its list showed (an item's version, the
paper an item held) and are refused in words when someone else changed it since: a paper the
user never saw is never removed or replaced.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, undefer

from lscb_desktop.models import AgendaItem, Document, Group, Meeting, Purpose
from lscb_desktop.services.concurrency import changed_since_shown
from lscb_desktop.services.declarations import declared_on_item
from lscb_desktop.services.validation import Collector, InvalidInput
from lscb_desktop.store import Database
from lscb_desktop.words import and_list

#: The usual opening and closing of an agenda, for a group that has not set its own.
DEFAULT_OPENING = (
    "Welcome, introductions and apologies | information | 5\n"
    "Minutes of the last meeting and matters arising | decision | 10\n"
    "Action log | assurance | 10"
)
DEFAULT_CLOSING = "Any other business | information | 5\nDate of next meeting | information | 5"

#: Papers the program accepts, by extension (PDF, Word, Excel).
PAPER_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".rtf": "application/rtf",
}
PAPER_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class StandardItem:
    title: str
    purpose: Purpose | None
    minutes: int | None


@dataclass(frozen=True)
class AgendaRow:
    id: int
    number: int
    starts_at: dt.datetime
    title: str
    presenter: str
    purpose: str
    minutes: int | None
    paper: str
    paper_id: int | None
    confidential: bool
    paper_expected: bool
    #: The item's version as listed: a removal names it (see :func:`remove_item`).
    version: int

    @property
    def waiting_for_paper(self) -> bool:
        return self.paper_expected and self.paper_id is None


@dataclass(frozen=True)
class ItemInput:
    title: str
    presenter_id: int | None = None
    presenter_text: str = ""
    purpose: Purpose | None = None
    minutes: int | None = None
    paper_expected: bool = False
    notes: str = ""


# -- standard items -------------------------------------------------------------------------------


def parse_standard(text: str) -> list[StandardItem]:
    """Lines of "title | purpose | minutes" (purpose and minutes optional); raises ValueError."""
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > 3 or not parts[0]:
            raise ValueError(f"line {number}: write it as “title | purpose | minutes”")
        purpose = Purpose.parse(parts[1]) if len(parts) > 1 and parts[1] else None
        minutes = None
        if len(parts) > 2 and parts[2]:
            if not parts[2].isdigit():
                raise ValueError(f"line {number}: “{parts[2]}” is not a number of minutes")
            minutes = int(parts[2])
        items.append(StandardItem(parts[0], purpose, minutes))  # type: ignore[arg-type]
    return items


def standard_items(database: Database, group_id: int) -> tuple[str, str]:
    """The group's opening and closing items as text (the usual ones when it has set none)."""
    with database.session() as session:
        group = session.get_one(Group, group_id)
        return group.standard_opening or DEFAULT_OPENING, group.standard_closing or DEFAULT_CLOSING


def save_standard_items(database: Database, group_id: int, opening: str, closing: str) -> None:
    problems = Collector()
    for key, text in (("opening", opening), ("closing", closing)):
        try:
            parse_standard(text)
        except ValueError as exc:
            problems.add(key, str(exc))
    problems.raise_if_any()
    with database.session() as session:
        group = session.get_one(Group, group_id)
        group.standard_opening = "" if opening.strip() == DEFAULT_OPENING else opening.strip()
        group.standard_closing = "" if closing.strip() == DEFAULT_CLOSING else closing.strip()


def add_standard_items(database: Database, meeting_id: int) -> int:
    """Puts the group's opening items first and its closing items last; returns how many."""
    with database.session() as session:
        meeting = session.get_one(Meeting, meeting_id)
        group = meeting.group
        opening = parse_standard(group.standard_opening or DEFAULT_OPENING)
        closing = parse_standard(group.standard_closing or DEFAULT_CLOSING)
        have = {item.title.casefold() for item in meeting.agenda_items}
        new_opening = [i for i in opening if i.title.casefold() not in have]
        new_closing = [i for i in closing if i.title.casefold() not in have]
        ordered = [
            *(_from_standard(i) for i in new_opening),
            *meeting.agenda_items,
            *(_from_standard(i) for i in new_closing),
        ]
        for position, item in enumerate(ordered, start=1):
            item.position = position
            if item.meeting_id is None:
                meeting.agenda_items.append(item)
        return len(new_opening) + len(new_closing)


def _from_standard(item: StandardItem) -> AgendaItem:
    return AgendaItem(position=0, title=item.title, purpose=item.purpose, minutes=item.minutes)


def _renumber(meeting: Meeting) -> None:
    for position, item in enumerate(meeting.agenda_items, start=1):
        item.position = position


# -- items ----------------------------------------------------------------------------------------


def agenda_rows(database: Database, meeting_id: int) -> list[AgendaRow]:
    """The items in order, each with the time it starts (the meeting's start plus those before)."""
    with database.session() as session:
        meeting = session.get_one(Meeting, meeting_id)
        items = session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position)
            .options(selectinload(AgendaItem.presenter), selectinload(AgendaItem.document))
        ).all()
        rows = []
        clock = meeting.starts_at
        for number, item in enumerate(items, start=1):
            rows.append(
                AgendaRow(
                    id=item.id,
                    number=number,
                    starts_at=clock,
                    title=item.title,
                    presenter=item.presenter.display_name
                    if item.presenter
                    else item.presenter_text,
                    purpose=item.purpose.label if item.purpose else "",
                    minutes=item.minutes,
                    paper=item.document.filename if item.document else "",
                    paper_id=item.document_id,
                    confidential=bool(item.document and item.document.confidential),
                    paper_expected=item.paper_expected,
                    version=item.version,
                )
            )
            clock += dt.timedelta(minutes=item.minutes or 0)
        return rows


def item_input(database: Database, item_id: int) -> ItemInput:
    with database.session() as session:
        item = session.get_one(AgendaItem, item_id)
        return ItemInput(
            title=item.title,
            presenter_id=item.presenter_id,
            presenter_text=item.presenter_text,
            purpose=item.purpose,
            minutes=item.minutes,
            paper_expected=item.paper_expected,
            notes=item.notes,
        )


def save_item(
    database: Database, meeting_id: int, data: ItemInput, item_id: int | None = None
) -> int:
    """Adds an item at the end (before the closing items when they are there) or changes one."""
    problems = Collector()
    title = " ".join(data.title.split())
    if not title:
        problems.add("title", "Enter the item's title.")
    if data.minutes is not None and not 0 <= data.minutes <= 600:
        problems.add("minutes", "Allow between 0 and 600 minutes.")
    problems.raise_if_any()
    with database.session() as session:
        meeting = session.get_one(Meeting, meeting_id)
        if item_id is None:
            item = AgendaItem(position=0, title=title)
            closing = {
                i.title.casefold()
                for i in parse_standard(meeting.group.standard_closing or DEFAULT_CLOSING)
            }
            at = len(meeting.agenda_items)
            while at > 0 and meeting.agenda_items[at - 1].title.casefold() in closing:
                at -= 1
            meeting.agenda_items.insert(at, item)
            _renumber(meeting)
        else:
            item = session.get_one(AgendaItem, item_id)
        item.title = title
        item.presenter_id = data.presenter_id
        item.presenter_text = "" if data.presenter_id else data.presenter_text.strip()
        item.purpose = data.purpose
        item.minutes = data.minutes
        item.paper_expected = data.paper_expected
        item.notes = data.notes
        session.flush()
        return item.id


def move_item(database: Database, item_id: int, offset: int) -> None:
    """Moves an item up (negative) or down (positive) the agenda."""
    with database.session() as session:
        item = session.get_one(AgendaItem, item_id)
        meeting = item.meeting
        items = list(meeting.agenda_items)
        index = items.index(item)
        target = max(0, min(len(items) - 1, index + offset))
        items.insert(target, items.pop(index))
        for position, each in enumerate(items, start=1):
            each.position = position


class HasDeclarations(ValueError):
    """The item has declarations of interest against it: they go first, so the record of who
    declared what at the meeting is never lost with an item."""


def _declarations_refusal(session: Session, item_id: int) -> str:
    declared = declared_on_item(session, item_id)
    if not declared:
        return ""
    several = "s" if len(declared) > 1 else ""
    return (
        f"{and_list(declared)} declared an interest in this item: remove the "
        f"declaration{several} first."
    )


def removal_refused(database: Database, item_id: int) -> str:
    """Why an item cannot be removed (a declaration of interest in it), or ""."""
    with database.session() as session:
        return _declarations_refusal(session, item_id)


def remove_item(database: Database, item_id: int, *, version: int | None) -> None:
    """Removes an item; ``version`` is the one the list showed (None: no list, not checked). An
    item someone else changed since raises ChangedSinceShown, and one with a declaration of
    interest raises HasDeclarations, removing nothing."""
    with database.session() as session:
        item = session.get_one(AgendaItem, item_id)
        if version is not None and item.version != version:
            what = f"The agenda item “{item.title}” (item {_number(item)}) was changed"
            raise changed_since_shown(session, "agenda_item", item.id, what, "nothing was removed")
        refusal = _declarations_refusal(session, item.id)
        if refusal:
            raise HasDeclarations(refusal)
        meeting = item.meeting
        meeting.agenda_items.remove(item)
        session.flush()
        _renumber(meeting)


def copy_agenda(database: Database, from_meeting_id: int, to_meeting_id: int) -> int:
    """Appends an earlier meeting's items (titles, presenters, purposes, minutes; not papers)."""
    with database.session() as session:
        source = session.get_one(Meeting, from_meeting_id)
        target = session.get_one(Meeting, to_meeting_id)
        if source.group_id != target.group_id:
            raise InvalidInput({"meeting": "Copy an agenda from a meeting of the same group."})
        for item in source.agenda_items:
            target.agenda_items.append(
                AgendaItem(
                    position=0,
                    title=item.title,
                    presenter_id=item.presenter_id,
                    presenter_text=item.presenter_text,
                    purpose=item.purpose,
                    minutes=item.minutes,
                    paper_expected=item.paper_expected,
                )
            )
        _renumber(target)
        return len(source.agenda_items)


def previous_meetings(database: Database, meeting_id: int) -> list[tuple[int, dt.datetime]]:
    """The same group's other meetings with an agenda, latest first (to copy one from)."""
    with database.session() as session:
        meeting = session.get_one(Meeting, meeting_id)
        rows = session.execute(
            select(Meeting.id, Meeting.starts_at)
            .where(Meeting.group_id == meeting.group_id, Meeting.id != meeting_id)
            .where(Meeting.agenda_items.any())
            .order_by(Meeting.starts_at.desc())
        ).all()
        return [(id_, starts) for id_, starts in rows]


# -- papers ---------------------------------------------------------------------------------------


def _document(filename: str, content: bytes, confidential: bool) -> Document:
    suffix = Path(filename).suffix.lower()
    return Document(
        filename=filename,
        content_type=PAPER_TYPES.get(suffix)
        or mimetypes.guess_type(filename)[0]
        or "application/octet-stream",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        confidential=confidential,
        added_at=dt.datetime.now().replace(microsecond=0),
    )


class _Unchecked(enum.Enum):
    ANY_PAPER = "whatever paper the item holds"


#: ``paper_shown`` of a caller that showed no list (a batch that builds a database).
ANY_PAPER = _Unchecked.ANY_PAPER

#: The paper a list showed on an item: a document's id, None for none, or ANY_PAPER.
PaperShown = int | None | _Unchecked


def _number(item: AgendaItem) -> int:
    return item.meeting.agenda_items.index(item) + 1


def _check_paper(session: Session, item: AgendaItem, shown: PaperShown, outcome: str) -> None:
    """ChangedSinceShown (``outcome``: what was not done) when the item's paper is not the one
    the list showed."""
    if shown is ANY_PAPER or item.document_id == shown:
        return
    number = _number(item)
    if item.document_id is None:
        what = f"The paper on item {number} was removed"
    elif shown is None:
        what = f"A paper was attached to item {number}"
    else:
        what = f"The paper on item {number} was replaced"
    raise changed_since_shown(session, "agenda_item", item.id, what, outcome)


def paper_file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be a paper (not a PDF, Word or Excel file; too big), or None."""
    if path.suffix.lower() not in PAPER_TYPES:
        return f"{path.name} is not a PDF, Word or Excel file, so it cannot be a paper."
    try:
        size = path.stat().st_size
    except OSError:
        return None  # reading it says why, in its own words
    if size > PAPER_MAX_BYTES:
        return f"{path.name} is over 50 MB; attach a smaller file."
    return None


def attach_paper(
    database: Database,
    item_id: int,
    path: Path,
    *,
    confidential: bool = True,
    paper_shown: PaperShown = ANY_PAPER,
) -> int:
    """Keeps the file in the database as the item's paper (replacing any before); its id.

    ``paper_shown`` is the paper the list showed on the item (its document's id, None for none):
    when the item holds another now, ChangedSinceShown is raised and nothing is attached.
    """
    path = Path(path)
    problem = paper_file_problem(path)
    if problem:
        raise InvalidInput({"paper": problem})
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise InvalidInput({"paper": f"{path.name} cannot be read: {exc.strerror}."}) from exc
    if len(content) > PAPER_MAX_BYTES:
        raise InvalidInput({"paper": f"{path.name} is over 50 MB; attach a smaller file."})
    with database.session() as session:
        item = session.get_one(AgendaItem, item_id)
        _check_paper(session, item, paper_shown, "yours was not attached")
        old = item.document
        document = _document(path.name, content, confidential)
        item.document = document
        item.paper_expected = True
        session.flush()
        if old is not None:
            session.delete(old)
        return document.id


def set_paper_confidential(
    database: Database, item_id: int, confidential: bool, *, paper_shown: PaperShown
) -> None:
    """Marks the item's paper; one other than ``paper_shown`` raises ChangedSinceShown."""
    with database.session() as session:
        item = session.get_one(AgendaItem, item_id)
        _check_paper(session, item, paper_shown, "nothing was changed")
        if item.document is not None:
            item.document.confidential = confidential


def remove_paper(database: Database, item_id: int, *, paper_shown: PaperShown) -> None:
    """Removes the item's paper: the one the list showed (``paper_shown``), or nothing at all
    (ChangedSinceShown) when the item holds another now."""
    with database.session() as session:
        item = session.get_one(AgendaItem, item_id)
        _check_paper(session, item, paper_shown, "nothing was removed")
        old = item.document
        item.document = None
        session.flush()
        if old is not None:
            session.delete(old)


def read_paper(database: Database, document_id: int) -> tuple[str, bytes]:
    """A paper's file name and bytes, exactly as attached."""
    with database.session() as session:
        document = session.scalars(
            select(Document).where(Document.id == document_id).options(undefer(Document.content))
        ).one()
        return document.filename, document.content
