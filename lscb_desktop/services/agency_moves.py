"""A member who moves to another agency, in words for the member form: whether saving the
person's new agency moves any of their memberships, the question the form asks (from which
date?), and what it tells the user afterwards. The move itself is ``services.moving``'s,
run when the person is saved with ``PersonInput.moved_on``. No Qt here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lscb_desktop.models import Agency, Membership, Person
from lscb_desktop.store import Database
from lscb_desktop.words import and_list


@dataclass(frozen=True)
class Seat:
    """One membership a move to another agency would touch."""

    group: str
    start_date: dt.date
    end_date: dt.date | None


@dataclass(frozen=True)
class AgencyMove:
    """What a change of a person's agency does to their memberships, in words for the form:
    the question it asks (from which date?) and what it tells the user afterwards."""

    person: str
    #: The agency their memberships represent now ("" for none) and the one they move to.
    old_agency: str
    new_agency: str
    #: Their memberships that represent the old agency.
    seats: tuple[Seat, ...]

    @property
    def _new(self) -> str:
        return self.new_agency or "no agency"

    @property
    def _old(self) -> str:
        return self.old_agency or "no agency"

    @property
    def question(self) -> str:
        if not self.new_agency and self.old_agency:
            return f"From which date does {self.person} no longer represent {self.old_agency}?"
        return f"From which date does {self.person} represent {self._new}?"

    def explanation(self) -> str:
        return (
            f"{self.person}'s memberships ({_groups(self.seats)}) represent {self._old}. "
            f"Meetings before the date stay with {self._old}, and every figure for them as it "
            f"was; from the date, the memberships continue for {self._new}. Attendance "
            "already confirmed with the minutes stays as it was confirmed."
        )

    def outcome(self, on: dt.date) -> str:
        """What was done, once the person was saved with ``moved_on=on``."""
        running = [s for s in self.seats if s.end_date is None or s.end_date >= on]
        if not running:
            stay = "stay" if len({seat.group for seat in self.seats}) > 1 else "stays"
            return (
                f"{self.person} now works for {self._new}. Their {_memberships(list(self.seats))} "
                f"ended before {on:%d/%m/%Y} and {stay} with {self._old}."
            )
        continued = [s for s in running if s.start_date < on]
        changed = [s for s in running if s.start_date >= on]
        done = []
        if continued:
            day_before = on - dt.timedelta(days=1)
            done.append(
                f"their {_memberships(continued)} {_were(continued)} ended on "
                f"{day_before:%d/%m/%Y} for {self._old} and continued from {on:%d/%m/%Y} for "
                f"{self._new}"
            )
        if changed:
            several = len({seat.group for seat in changed}) > 1
            done.append(
                f"their {_memberships(changed)}, which start{'' if several else 's'} on or "
                f"after {on:%d/%m/%Y}, now represent{'' if several else 's'} {self._new}"
            )
        return (
            f"{self.person} represents {self._new} from {on:%d/%m/%Y}: "
            + "; ".join(done)
            + f". Meetings before {on:%d/%m/%Y} stay with {self._old}."
        )


def _memberships(seats: list[Seat]) -> str:
    """ "membership of Strategic Board", "memberships of A and B"."""
    several = len({seat.group for seat in seats}) > 1
    return f"membership{'s' if several else ''} of {_groups(seats)}"


def _were(seats: list[Seat]) -> str:
    return "were" if len({seat.group for seat in seats}) > 1 else "was"


def _groups(seats: Iterable[Seat]) -> str:
    return and_list(list(dict.fromkeys(seat.group for seat in seats)))


def agency_move(
    database: Database, person_id: int, new_agency_id: int | None, new_agency: str = ""
) -> AgencyMove | None:
    """What saving the person with agency ``new_agency_id`` (or the new agency typed,
    ``new_agency``) would move: None when their agency does not change or none of their
    memberships represents the old one (nothing to ask)."""
    with database.session() as session:
        person = session.get(Person, person_id)
        if person is None:
            return None
        old_agency_id = person.agency_id
        new_name = " ".join(new_agency.split())
        if new_agency_id is None and new_name:
            found = session.scalar(
                select(Agency).where(func.lower(Agency.name) == new_name.casefold())
            )
            new_agency_id = found.id if found is not None else None
        elif new_agency_id is not None:
            found = session.get(Agency, new_agency_id)
            new_name = found.name if found is not None else ""
        if new_agency_id == old_agency_id and (new_agency_id is not None or not new_name):
            return None
        query = (
            select(Membership)
            .where(Membership.person_id == person_id)
            .where(
                Membership.agency_id.is_(None)
                if old_agency_id is None
                else Membership.agency_id == old_agency_id
            )
            .options(selectinload(Membership.group))
            .order_by(Membership.start_date)
        )
        seats = tuple(Seat(m.group.name, m.start_date, m.end_date) for m in session.scalars(query))
        if not seats:
            return None
        old = session.get(Agency, old_agency_id) if old_agency_id is not None else None
        return AgencyMove(person.display_name, old.name if old else "", new_name, seats)
