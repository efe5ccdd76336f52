"""A group's members as plain rows, for the Board and Sub-groups tabs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lscb_desktop.models import CHECKLIST, Group, GroupKind, Membership, Person
from lscb_desktop.store import Database


@dataclass(frozen=True)
class MemberRow:
    membership_id: int
    person_id: int
    name: str
    #: The name without its title, for sorting.
    sort_name: str
    role: str
    agency: str
    job_title: str
    email: str
    phone: str
    substitute: str
    agreement_signed: dt.date | None
    induction_done: int
    start_date: dt.date
    end_date: dt.date | None

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
    on = on or dt.date.today()
    query = (
        select(Membership)
        .where(Membership.group_id == group_id)
        .options(
            selectinload(Membership.person).selectinload(Person.agency),
            selectinload(Membership.substitute),
        )
    )
    if not include_former:
        query = query.where(Membership.start_date <= on).where(
            (Membership.end_date.is_(None)) | (Membership.end_date >= on)
        )
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
                agency=m.person.agency.name if m.person.agency else "",
                job_title=m.person.job_title,
                email=m.person.email or "",
                phone=m.person.phone,
                substitute=m.substitute.display_name if m.substitute else "",
                agreement_signed=m.agreement_signed_on,
                induction_done=m.induction_done,
                start_date=m.start_date,
                end_date=m.end_date,
            )
            for m in memberships
        ]
