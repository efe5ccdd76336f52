"""The Board's groups: the list the Sub-groups tab shows, terms of reference, new and archived."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lscb_desktop import clock
from lscb_desktop.models import Agency, Frequency, Group, GroupKind, Membership, Role
from lscb_desktop.services.people import Choice
from lscb_desktop.services.quorum import QuorumRule
from lscb_desktop.services.settings import read_settings
from lscb_desktop.services.validation import Collector, InvalidInput, date_problem
from lscb_desktop.store import Database
from lscb_desktop.words import and_list

_KIND_ORDER = {kind: index for index, kind in enumerate(GroupKind)}


@dataclass(frozen=True)
class GroupRow:
    id: int
    name: str
    short_name: str
    kind: str
    chair: str
    deputy: str
    meeting_frequency: str
    quorum_agencies: int | None
    accountable_to: str
    current_members: int
    archived_on: dt.date | None
    kind_order: int
    #: The partners the quorum requires (id, name), by name.
    quorum_partners: tuple[tuple[int, str], ...] = ()
    #: The same partners by their short names (their names where they have none).
    quorum_partner_short_names: tuple[str, ...] = ()

    @property
    def quorum(self) -> str:
        """The rule for the list: "3 agencies", "3 agencies, with Beds Police and Luton CCG"."""
        partners = and_list(list(self.quorum_partner_short_names))
        if not self.quorum_agencies:
            return f"With {partners}" if partners else "No rule"
        number = f"{self.quorum_agencies} agenc{'y' if self.quorum_agencies == 1 else 'ies'}"
        return f"{number}, with {partners}" if partners else number

    @property
    def rule(self) -> QuorumRule:
        return QuorumRule(self.quorum_agencies, self.quorum_partners)

    @property
    def quorum_text(self) -> str:
        """The rule in full words ("at least 3 agencies represented, including ...")."""
        return self.rule.text or "No quorum rule"


@dataclass(frozen=True)
class GroupInput:
    """A group's terms of reference, as the form edits them."""

    name: str
    short_name: str = ""
    kind: GroupKind = GroupKind.SUBGROUP
    accountable_to_id: int | None = None
    purpose: str = ""
    aims: str = ""
    reporting: str = ""
    meeting_frequency: Frequency | None = None
    quorum_agencies: int | None = None
    tor_review_date: dt.date | None = None
    notes: str = ""
    #: Agencies that must be represented for the group to be quorate, besides the number
    #: ("all three statutory safeguarding partners present").
    quorum_partner_ids: tuple[int, ...] = ()


def group_rows(
    database: Database, *, include_archived: bool = False, on: dt.date | None = None
) -> list[GroupRow]:
    """The groups (the Board first, then by kind and name) with chair, deputy and member count."""
    on = on or clock.today()
    chairs: dict[int, list[str]] = defaultdict(list)
    deputies: dict[int, list[str]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    with database.session() as session:
        current = (
            select(Membership)
            .where(Membership.listed_on(on))
            .options(selectinload(Membership.person))
        )
        for membership in session.scalars(current):
            counts[membership.group_id] += 1
            if membership.role is Role.CHAIR:
                chairs[membership.group_id].append(membership.person.display_name)
            elif membership.role in (Role.DEPUTY_CHAIR, Role.VICE_CHAIR):
                deputies[membership.group_id].append(membership.person.display_name)
        query = select(Group).options(
            selectinload(Group.accountable_to), selectinload(Group.quorum_partners)
        )
        if not include_archived:
            query = query.where(Group.archived_on.is_(None))
        groups = sorted(session.scalars(query), key=lambda g: (_KIND_ORDER[g.kind], g.name))
        return [
            GroupRow(
                id=g.id,
                name=g.name,
                short_name=g.short_name,
                kind=g.kind.label,
                chair=", ".join(sorted(chairs[g.id])),
                deputy=", ".join(sorted(deputies[g.id])),
                meeting_frequency=g.meeting_frequency.label if g.meeting_frequency else "",
                quorum_agencies=g.quorum_agencies,
                accountable_to=g.accountable_to.name if g.accountable_to else "",
                current_members=counts[g.id],
                archived_on=g.archived_on,
                kind_order=_KIND_ORDER[g.kind],
                quorum_partners=tuple((a.id, a.name) for a in g.quorum_partners),
                quorum_partner_short_names=tuple(a.short_name or a.name for a in g.quorum_partners),
            )
            for g in groups
        ]


def group_choices(database: Database, *, exclude: int | None = None) -> list[Choice]:
    """The groups a group can be accountable to (all current groups but itself)."""
    with database.session() as session:
        rows = session.execute(
            select(Group.id, Group.name).where(Group.archived_on.is_(None)).order_by(Group.name)
        ).all()
        return [Choice(id_, name) for id_, name in rows if id_ != exclude]


def group_input(database: Database, group_id: int) -> GroupInput:
    with database.session() as session:
        g = session.get_one(Group, group_id)
        return GroupInput(
            name=g.name,
            short_name=g.short_name,
            kind=g.kind,
            accountable_to_id=g.accountable_to_id,
            purpose=g.purpose,
            aims=g.aims,
            reporting=g.reporting,
            meeting_frequency=g.meeting_frequency,
            quorum_agencies=g.quorum_agencies,
            tor_review_date=g.tor_review_date,
            notes=g.notes,
            quorum_partner_ids=tuple(sorted(a.id for a in g.quorum_partners)),
        )


def _accountable_loop(session: Session, group_id: int, parent_id: int) -> bool:
    """Would making ``parent_id`` the group's parent make the group accountable to itself?"""
    seen: set[int] = set()
    current: int | None = parent_id
    while current is not None and current not in seen:
        if current == group_id:
            return True
        seen.add(current)
        current = session.scalar(select(Group.accountable_to_id).where(Group.id == current))
    return False


def save_group(database: Database, data: GroupInput, group_id: int | None = None) -> int:
    """Creates or updates a group's terms of reference; raises InvalidInput naming each field.

    The review date must fall between the settings' earliest year and 2100; nothing is saved
    unless all is right.
    """
    problems = Collector()
    name = " ".join(data.name.split())
    if not name:
        problems.add("name", "Enter the group's name.")
    if data.quorum_agencies is not None and data.quorum_agencies < 1:
        problems.add("quorum_agencies", "A quorum needs at least one agency (or no rule).")
    with database.session() as session:
        problems.check_date(
            "tor_review_date", data.tor_review_date, read_settings(session).earliest_year
        )
        same = session.scalar(select(Group).where(func.lower(Group.name) == name.casefold()))
        if name and same is not None and same.id != group_id:
            problems.add("name", f"There is already a group called “{same.name}”.")
        if (
            group_id is not None
            and data.accountable_to_id is not None
            and _accountable_loop(session, group_id, data.accountable_to_id)
        ):
            problems.add(
                "accountable_to", "A group cannot be accountable to itself or its own groups."
            )
        partners = _partners(session, data.quorum_partner_ids, problems)
        problems.raise_if_any()
        group = (
            session.get_one(Group, group_id)
            if group_id is not None
            else Group(name=name, kind=data.kind)
        )
        group.name = name
        group.short_name = data.short_name.strip()
        group.kind = data.kind
        group.accountable_to_id = data.accountable_to_id
        group.purpose = data.purpose.strip()
        group.aims = data.aims.strip()
        group.reporting = data.reporting.strip()
        group.meeting_frequency = data.meeting_frequency
        group.quorum_agencies = data.quorum_agencies
        group.tor_review_date = data.tor_review_date
        group.notes = data.notes
        if {a.id for a in group.quorum_partners} != {a.id for a in partners}:
            group.quorum_partners = partners
        session.add(group)
        session.flush()
        return group.id


def _partners(session: Session, ids: tuple[int, ...], problems: Collector) -> list[Agency]:
    """The agencies a quorum requires; one no longer on file is named under the field."""
    wanted = list(dict.fromkeys(ids))
    found = {a.id: a for a in session.scalars(select(Agency).where(Agency.id.in_(wanted)))}
    missing = [ident for ident in wanted if ident not in found]
    if missing:
        problems.add(
            "quorum_partners",
            "An agency ticked as a required partner is no longer on file; "
            "untick it or pick another.",
        )
    return sorted(found.values(), key=lambda a: a.name.casefold())


def archive_group(database: Database, group_id: int, on: dt.date | None) -> None:
    """Marks a group as ended on ``on`` (None brings it back); its meetings and members stay.

    A date outside the settings' earliest year to 2100 raises InvalidInput ("archived_on"),
    changing nothing.
    """
    with database.session() as session:
        problem = date_problem(on, read_settings(session).earliest_year)
        if problem:
            raise InvalidInput({"archived_on": problem})
        session.get_one(Group, group_id).archived_on = on
