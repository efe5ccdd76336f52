"""A group's members as plain rows, for the Board and Sub-groups tabs."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lscb_desktop import clock
from lscb_desktop.models import (
    CHECKLIST,
    Attendance,
    Group,
    GroupKind,
    Meeting,
    Membership,
    Person,
    Role,
)
from lscb_desktop.services.concurrency import changed_since_shown
from lscb_desktop.services.people import (
    PersonInput,
    apply_person,
    clean_person,
    person_input,
)
from lscb_desktop.services.settings import read_settings
from lscb_desktop.services.validation import Collector, InvalidInput, date_problem
from lscb_desktop.store import Database


@dataclass(frozen=True)
class MemberRow:
    membership_id: int
    person_id: int
    name: str
    #: The name without its title, for sorting.
    sort_name: str
    role: str
    #: What the group's table calls the seat ("Designated Nurse").
    position: str
    #: The agency this membership represents (a former member's: the one they represented then).
    agency: str
    job_title: str
    email: str
    phone: str
    substitute: str
    agreement_signed: dt.date | None
    induction_done: int
    start_date: dt.date
    end_date: dt.date | None
    #: The membership's version as listed: a deletion names it (see :func:`delete_membership`).
    version: int

    @property
    def induction(self) -> str:
        return f"{self.induction_done}/{len(CHECKLIST)}"


def board_group_id(database: Database) -> int | None:
    """The Strategic Board: the first group of kind "board"."""
    with database.session() as session:
        return session.scalar(
            select(Group.id).where(Group.kind == GroupKind.BOARD).order_by(Group.id).limit(1)
        )


def group_members(
    database: Database, group_id: int, *, include_former: bool = False, on: dt.date | None = None
) -> list[MemberRow]:
    """The group's members on ``on`` (today), or everyone who has ever been one."""
    on = on or clock.today()
    query = (
        select(Membership)
        .where(Membership.group_id == group_id)
        .options(
            selectinload(Membership.person),
            selectinload(Membership.agency),
            selectinload(Membership.substitute),
        )
    )
    if not include_former:
        query = query.where(Membership.listed_on(on))
    with database.session() as session:
        memberships = sorted(
            session.scalars(query),
            key=lambda m: (m.end_date is not None, m.person.name.casefold(), m.start_date),
        )
        return [
            MemberRow(
                membership_id=m.id,
                person_id=m.person_id,
                name=m.person.display_name,
                sort_name=m.person.name,
                role=m.role.label,
                position=m.position,
                agency=m.agency.name if m.agency else "",
                job_title=m.person.job_title,
                email=m.person.email or "",
                phone=m.person.phone,
                substitute=m.substitute.display_name if m.substitute else "",
                agreement_signed=m.agreement_signed_on,
                induction_done=m.induction_done,
                start_date=m.start_date,
                end_date=m.end_date,
                version=m.version,
            )
            for m in memberships
        ]


# -- changing memberships ---------------------------------------------------------------------


@dataclass(frozen=True)
class MembershipInput:
    """The membership part of a member's form."""

    role: Role = Role.MEMBER
    start_date: dt.date | None = None
    #: What the group's table calls the seat ("Designated Nurse"), shown beside the role.
    position: str = ""
    substitute_id: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class MemberForm:
    """A membership as the member form shows it."""

    group_id: int
    person_id: int
    person: PersonInput
    membership: MembershipInput
    end_date: dt.date | None
    checklist: dict[str, dt.date | None]


class HasHistory(ValueError):
    """The record has history (attendance) and can only be ended, not deleted."""


def _clean_membership(
    session: Session,
    data: MembershipInput,
    group_id: int,
    person_id: int | None,
    membership_id: int | None,
    problems: Collector,
) -> None:
    if data.start_date is None:
        problems.add("start_date", "Enter the date the membership starts.")
    problems.check_date("start_date", data.start_date, read_settings(session).earliest_year)
    if data.substitute_id is not None and data.substitute_id == person_id:
        problems.add("substitute", "A member cannot be their own substitute.")
    if person_id is None or data.start_date is None:
        return
    overlapping = session.scalar(
        select(Membership)
        .where(Membership.group_id == group_id, Membership.person_id == person_id)
        .where(Membership.id != (membership_id or -1))
        .where((Membership.end_date.is_(None)) | (Membership.end_date >= data.start_date))
        .limit(1)
    )
    if overlapping is not None:
        problems.add(
            "person",
            "This person is already a member of the group "
            f"(since {overlapping.start_date:%d/%m/%Y}); edit that membership instead.",
        )


def _apply_membership(membership: Membership, data: MembershipInput) -> None:
    assert data.start_date is not None
    membership.role = data.role
    membership.start_date = data.start_date
    membership.position = data.position.strip()
    membership.substitute_id = data.substitute_id
    membership.notes = data.notes


def add_member(
    database: Database,
    group_id: int,
    membership: MembershipInput,
    *,
    person_id: int | None = None,
    person: PersonInput | None = None,
) -> int:
    """Adds an existing person (``person_id``, whose details ``person`` may update) or a new one.

    Raises InvalidInput naming every wrong field; nothing is saved then.
    """
    with database.session() as session:
        problems = Collector()
        cleaned: PersonInput | None = None
        if person is not None:
            try:
                cleaned = clean_person(session, person, person_id)
            except InvalidInput as exc:
                problems.problems.update(exc.problems)
        elif person_id is None:
            problems.add("person", "Pick a person or enter a new one.")
        _clean_membership(session, membership, group_id, person_id, None, problems)
        problems.raise_if_any()
        existing = session.get_one(Person, person_id) if person_id is not None else None
        record = existing if cleaned is None else apply_person(session, cleaned, existing)
        row = Membership(group_id=group_id, person=record, start_date=membership.start_date)
        _apply_membership(row, membership)
        session.add(row)
        session.flush()
        return row.id


def member_form(database: Database, membership_id: int) -> MemberForm:
    with database.session() as session:
        row = session.get_one(Membership, membership_id)
        group_id, person_id = row.group_id, row.person_id
        result = MemberForm(
            group_id=group_id,
            person_id=person_id,
            person=PersonInput(name=""),
            membership=MembershipInput(
                role=row.role,
                start_date=row.start_date,
                position=row.position,
                substitute_id=row.substitute_id,
                notes=row.notes,
            ),
            end_date=row.end_date,
            checklist={column: getattr(row, column) for column, _ in CHECKLIST},
        )
    return dataclasses.replace(result, person=person_input(database, person_id))


def update_member(
    database: Database, membership_id: int, person: PersonInput, membership: MembershipInput
) -> int:
    """Saves the member form; raises InvalidInput naming every wrong field, saving nothing.

    Returns the membership that holds the seat now: when the person moved to another agency
    (``person.moved_on``) and this membership ran past the move, it is ended the day before and
    continued for the new agency (see ``services.moving``), and the continuation is returned.
    The form's role, seat, substitute and notes go to both, as they were when the form opened.
    """
    with database.session() as session:
        row = session.get_one(Membership, membership_id)
        problems = Collector()
        try:
            cleaned = clean_person(session, person, row.person_id)
        except InvalidInput as exc:
            problems.problems.update(exc.problems)
        _clean_membership(session, membership, row.group_id, row.person_id, row.id, problems)
        if (
            row.end_date is not None
            and membership.start_date
            and membership.start_date > row.end_date
        ):
            problems.add("start_date", f"The membership ended on {row.end_date:%d/%m/%Y}.")
        problems.raise_if_any()
        # The membership first, so that a move continues it as the form left it.
        _apply_membership(row, membership)
        end_before = row.end_date
        apply_person(session, cleaned, row.person)
        session.flush()
        if row.end_date == end_before:
            return row.id
        continued = session.scalar(
            select(Membership.id)
            .where(Membership.person_id == row.person_id, Membership.group_id == row.group_id)
            .where(Membership.start_date > row.start_date)
            .order_by(Membership.start_date)
            .limit(1)
        )
        return continued or row.id


def end_membership(database: Database, membership_id: int, end_date: dt.date) -> None:
    """Ends a membership on ``end_date``; the person stays in past meetings and reports.

    Raises InvalidInput ("end_date") for a date before the start or outside the settings'
    earliest year to 2100, changing nothing.
    """
    with database.session() as session:
        row = session.get_one(Membership, membership_id)
        problem = date_problem(end_date, read_settings(session).earliest_year)
        if problem:
            raise InvalidInput({"end_date": problem})
        if end_date < row.start_date:
            raise InvalidInput(
                {
                    "end_date": f"The membership started on {row.start_date:%d/%m/%Y}; "
                    "it cannot end before then."
                }
            )
        row.end_date = end_date


def membership_history(database: Database, membership_id: int) -> int:
    """How many of the group's meetings record this person's attendance during the membership."""
    with database.session() as session:
        row = session.get_one(Membership, membership_id)
        query = (
            select(func.count())
            .select_from(Attendance)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Attendance.person_id == row.person_id, Meeting.group_id == row.group_id)
            .where(func.date(Meeting.starts_at) >= row.start_date)
        )
        if row.end_date is not None:
            query = query.where(func.date(Meeting.starts_at) <= row.end_date)
        return int(session.scalar(query) or 0)


def delete_membership(database: Database, membership_id: int, *, version: int | None) -> None:
    """Deletes a membership entered by mistake; one with attendance raises HasHistory.
    ``version`` is the one the list showed (None: no list, not checked): a membership someone
    else changed since raises ChangedSinceShown, deleting nothing."""
    meetings = membership_history(database, membership_id)
    if meetings:
        raise HasHistory(
            f"This membership has attendance at {meetings} meeting(s), so it cannot be deleted. "
            "End it instead: the history is kept."
        )
    with database.session() as session:
        row = session.get_one(Membership, membership_id)
        if version is not None and row.version != version:
            what = f"{row.person.display_name}'s membership of {row.group.name} was changed"
            raise changed_since_shown(session, "membership", row.id, what, "nothing was deleted")
        session.delete(row)


def set_checklist(database: Database, membership_id: int, dates: dict[str, dt.date | None]) -> None:
    """Records the induction checklist's dates (None for an item not done).

    A date outside the settings' earliest year to 2100 raises InvalidInput naming its item (the
    column), and nothing is recorded.
    """
    known = {column for column, _ in CHECKLIST}
    unknown = set(dates) - known
    if unknown:
        raise ValueError(f"not checklist items: {', '.join(sorted(unknown))}")
    with database.session() as session:
        earliest_year = read_settings(session).earliest_year
        problems = Collector()
        for column, value in dates.items():
            problems.check_date(column, value, earliest_year)
        problems.raise_if_any()
        row = session.get_one(Membership, membership_id)
        for column, value in dates.items():
            setattr(row, column, value)


def email_list(rows: Iterable[MemberRow]) -> str:
    """The members' addresses, once each, separated by semicolons, as Outlook takes them."""
    seen: dict[str, None] = {}
    for row in rows:
        if row.email:
            seen.setdefault(row.email, None)
    return "; ".join(seen)
