"""The partner agencies, who represents them on the Board, and which statutory partners do not."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lscb_desktop import clock
from lscb_desktop.models import Agency, Membership, Person
from lscb_desktop.services.members import board_group_id
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.store import Database


@dataclass(frozen=True)
class AgencyRow:
    id: int
    name: str
    short_name: str
    sector: str
    statutory_partner: bool
    #: The agency's current Board members, by name: those whose seat represents it.
    representatives: tuple[str, ...]
    #: Whether its members make a meeting quorate (the Board's own business unit does not).
    counts_for_quorum: bool = True

    @property
    def unrepresented(self) -> bool:
        """A statutory partner with no current Board member (procedure 2.2 asks for one)."""
        return self.statutory_partner and not self.representatives


@dataclass(frozen=True)
class AgencyInput:
    name: str
    short_name: str = ""
    sector: str = ""
    statutory_partner: bool = False
    notes: str = ""
    #: Whether its members make a meeting quorate; the Board's business unit, which supports
    #: meetings, does not (and is left out of agency rates).
    counts_for_quorum: bool = True


def agency_rows(database: Database, on: dt.date | None = None) -> list[AgencyRow]:
    """Every agency with its current Board representatives on ``on`` (today): the members whose
    membership represents it (a member who moved agency represents the new one from the move)."""
    on = on or clock.today()
    board_id = board_group_id(database)
    representatives: dict[int, list[str]] = defaultdict(list)
    with database.session() as session:
        if board_id is not None:
            query = (
                select(Membership)
                .where(Membership.group_id == board_id, Membership.listed_on(on))
                .options(selectinload(Membership.person))
            )
            for membership in session.scalars(query):
                person: Person = membership.person
                if membership.agency_id is not None:
                    representatives[membership.agency_id].append(person.display_name)
        return [
            AgencyRow(
                id=agency.id,
                name=agency.name,
                short_name=agency.short_name,
                sector=agency.sector,
                statutory_partner=agency.statutory_partner,
                representatives=tuple(sorted(representatives.get(agency.id, []))),
                counts_for_quorum=agency.counts_for_quorum,
            )
            for agency in session.scalars(select(Agency).order_by(Agency.name))
        ]


def agency_input(database: Database, agency_id: int) -> AgencyInput:
    with database.session() as session:
        agency = session.get_one(Agency, agency_id)
        return AgencyInput(
            name=agency.name,
            short_name=agency.short_name,
            sector=agency.sector,
            statutory_partner=agency.statutory_partner,
            notes=agency.notes,
            counts_for_quorum=agency.counts_for_quorum,
        )


def save_agency(database: Database, data: AgencyInput, agency_id: int | None = None) -> int:
    """Creates or updates an agency; a missing or duplicate name raises InvalidInput."""
    name = " ".join(data.name.split())
    if not name:
        raise InvalidInput({"name": "Enter the agency's name."})
    with database.session() as session:
        same = session.scalar(select(Agency).where(func.lower(Agency.name) == name.casefold()))
        if same is not None and same.id != agency_id:
            raise InvalidInput({"name": f"There is already an agency called “{same.name}”."})
        agency = session.get_one(Agency, agency_id) if agency_id is not None else Agency(name=name)
        agency.name = name
        agency.short_name = data.short_name.strip()
        agency.sector = data.sector.strip()
        agency.statutory_partner = data.statutory_partner
        agency.counts_for_quorum = data.counts_for_quorum
        agency.notes = data.notes
        session.add(agency)
        session.flush()
        return agency.id
