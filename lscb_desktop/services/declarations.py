"""Declarations of interest: at the start of a meeting or an item, a member says what interest
they have, and whether they left the room, took no part or stayed. A member who left or took no
part is left out of that item's quorum (:func:`item_quorums`). The register of interests lists
them per person. No Qt here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lscb_desktop.models import (
    Agency,
    AgendaItem,
    Attendance,
    Declaration,
    DeclarationAction,
    Meeting,
    Person,
)
from lscb_desktop.models.meetings import seat_on_the_day
from lscb_desktop.services.concurrency import changed_since_shown
from lscb_desktop.services.confirmation import locked_meeting, log_after_confirmation
from lscb_desktop.services.validation import Collector, InvalidInput
from lscb_desktop.store import Database

#: Longer declarations are refused: the interest is a sentence, details go in the notes.
INTEREST_LENGTH = 2000


@dataclass(frozen=True)
class DeclarationRow:
    id: int
    meeting_id: int
    group: str
    starts_at: dt.datetime
    #: The item's id, number and title (None, 0, "": the whole meeting).
    item_id: int | None
    item_number: int
    item_title: str
    person_id: int
    name: str
    sort_name: str
    #: The agency they represented at the meeting.
    agency: str
    interest: str
    action: DeclarationAction
    notes: str
    #: The declaration's version as listed: a removal names it.
    version: int

    @property
    def item(self) -> str:
        """ "Item 4: Neglect strategy" or "Whole meeting"."""
        return f"Item {self.item_number}: {self.item_title}" if self.item_id else "Whole meeting"


@dataclass(frozen=True)
class DeclarationInput:
    person_id: int | None
    interest: str
    action: DeclarationAction = DeclarationAction.STAYED
    #: The item declared for; None for the whole meeting.
    agenda_item_id: int | None = None
    notes: str = ""


def declaration_rows(
    session: Session, *, meeting_id: int | None = None, person_id: int | None = None
) -> list[DeclarationRow]:
    """Declarations, of one meeting (in agenda order) or one person, or all (newest first)."""
    query = select(Declaration).options(
        selectinload(Declaration.meeting).selectinload(Meeting.group),
        selectinload(Declaration.agenda_item),
        selectinload(Declaration.person).selectinload(Person.agency),
    )
    if meeting_id is not None:
        query = query.where(Declaration.meeting_id == meeting_id)
    if person_id is not None:
        query = query.where(Declaration.person_id == person_id)
    declarations = session.scalars(query).all()
    recorded = {
        (a.meeting_id, a.person_id): a.agency
        for a in session.scalars(
            select(Attendance)
            .where(
                Attendance.meeting_id.in_({d.meeting_id for d in declarations}),
                Attendance.person_id.in_({d.person_id for d in declarations}),
            )
            .options(selectinload(Attendance.agency))
        )
    }
    rows = [_row(session, d, recorded) for d in declarations]
    if meeting_id is not None:
        rows.sort(key=lambda r: (r.item_number, r.sort_name.casefold(), r.id))
    else:
        rows.sort(key=lambda r: (r.starts_at, r.item_number, r.id), reverse=True)
    return rows


def _row(
    session: Session, declaration: Declaration, recorded: dict[tuple[int, int], Agency | None]
) -> DeclarationRow:
    item = declaration.agenda_item
    person = declaration.person
    meeting = declaration.meeting
    # The agency they represented at the meeting: as recorded, or their membership's that day.
    key = (meeting.id, person.id)
    if key in recorded:
        agency = recorded[key]
    else:
        agency_id = seat_on_the_day(session.connection(), meeting.id, person.id)[0]
        agency = session.get(Agency, agency_id) if agency_id is not None else None
    return DeclarationRow(
        id=declaration.id,
        meeting_id=meeting.id,
        group=meeting.group.name,
        starts_at=meeting.starts_at,
        item_id=item.id if item else None,
        item_number=item.position if item else 0,
        item_title=item.title if item else "",
        person_id=person.id,
        name=person.display_name,
        sort_name=person.name,
        agency=agency.name if agency else "",
        interest=declaration.interest,
        action=declaration.action,
        notes=declaration.notes,
        version=declaration.version,
    )


def register_of_interests(
    database: Database, *, meeting_id: int | None = None, person_id: int | None = None
) -> list[DeclarationRow]:
    """Every declaration (of one meeting, or one person): the register of interests."""
    with database.session() as session:
        if meeting_id is not None and session.get(Meeting, meeting_id) is None:
            raise LookupError(f"there is no meeting {meeting_id} (see `list meetings`)")
        return declaration_rows(session, meeting_id=meeting_id, person_id=person_id)


def _clean(session: Session, meeting: Meeting, data: DeclarationInput) -> str:
    problems = Collector()
    interest = data.interest.strip()
    if data.person_id is None or session.get(Person, data.person_id) is None:
        problems.add("person", "Pick who declared the interest.")
    if not interest:
        problems.add("interest", "Say what the interest is.")
    elif len(interest) > INTEREST_LENGTH:
        problems.add("interest", f"This is over {INTEREST_LENGTH} characters; shorten it.")
    if data.agenda_item_id is not None:
        item = session.get(AgendaItem, data.agenda_item_id)
        if item is None or item.meeting_id != meeting.id:
            problems.add("item", "That item is not on this meeting's agenda any more.")
    problems.raise_if_any()
    return interest


def add_declaration(
    database: Database,
    meeting_id: int,
    data: DeclarationInput,
    *,
    after_confirmation: bool = False,
) -> int:
    """Records a declaration; raises InvalidInput naming each wrong field, saving nothing."""
    with database.session() as session:
        meeting = locked_meeting(session, meeting_id, after_confirmation)
        interest = _clean(session, meeting, data)
        declaration = Declaration(
            meeting_id=meeting_id,
            person_id=data.person_id,
            agenda_item_id=data.agenda_item_id,
            interest=interest,
            action=data.action,
            notes=data.notes.strip(),
        )
        session.add(declaration)
        session.flush()
        log_after_confirmation(session, meeting, "declaration of interest added")
        return declaration.id


def declaration_input(database: Database, declaration_id: int) -> tuple[DeclarationInput, int]:
    """A declaration as its form shows it, with its version."""
    with database.session() as session:
        d = session.get_one(Declaration, declaration_id)
        data = DeclarationInput(d.person_id, d.interest, d.action, d.agenda_item_id, d.notes)
        return data, d.version


def update_declaration(
    database: Database,
    declaration_id: int,
    data: DeclarationInput,
    *,
    version: int | None,
    after_confirmation: bool = False,
) -> None:
    """Changes a declaration; one changed by someone else since ``version`` was shown raises
    ChangedSinceShown, changing nothing."""
    with database.session() as session:
        declaration = session.get_one(Declaration, declaration_id)
        meeting = locked_meeting(session, declaration.meeting_id, after_confirmation)
        if version is not None and declaration.version != version:
            raise changed_since_shown(
                session,
                "declaration",
                declaration.id,
                "This declaration of interest was changed",
                "nothing was saved",
            )
        interest = _clean(session, meeting, data)
        declaration.person_id = data.person_id  # type: ignore[assignment]
        declaration.agenda_item_id = data.agenda_item_id
        declaration.interest = interest
        declaration.action = data.action
        declaration.notes = data.notes.strip()
        log_after_confirmation(session, meeting, "declaration of interest changed")


def remove_declaration(
    database: Database,
    declaration_id: int,
    *,
    version: int | None,
    after_confirmation: bool = False,
) -> None:
    """Removes a declaration; ``version`` is the one the list showed (None: not checked)."""
    with database.session() as session:
        declaration = session.get_one(Declaration, declaration_id)
        meeting = locked_meeting(session, declaration.meeting_id, after_confirmation)
        if version is not None and declaration.version != version:
            raise changed_since_shown(
                session,
                "declaration",
                declaration.id,
                "This declaration of interest was changed",
                "nothing was removed",
            )
        log_after_confirmation(session, meeting, "declaration of interest removed")
        session.delete(declaration)


def declared_on_item(session: Session, agenda_item_id: int) -> list[str]:
    """Who declared an interest in an item (an item with declarations is not removed)."""
    query = (
        select(Declaration)
        .where(Declaration.agenda_item_id == agenda_item_id)
        .options(selectinload(Declaration.person))
    )
    return sorted(d.person.display_name for d in session.scalars(query))


__all__ = [
    "DeclarationInput",
    "DeclarationRow",
    "InvalidInput",
    "add_declaration",
    "declaration_input",
    "declaration_rows",
    "declared_on_item",
    "register_of_interests",
    "remove_declaration",
    "update_declaration",
]
