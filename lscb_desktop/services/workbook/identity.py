"""Which record a workbook row is: by its UUID, else by its natural key; never two rows as one.

A row with a UUID is the record with that UUID, or a new record that takes it. A row without one
(a workbook typed by hand, or from before the UUID column) is matched by its natural key; when the
database holds several records with that key, the row is refused rather than guessed. Two rows
that would be the same record (the same UUID, or the same natural key where there is no UUID) are
reported as a clash naming both rows, never merged.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lscb_desktop.models import (
    Action,
    Agency,
    Audit,
    CaseReview,
    Group,
    Guest,
    Meeting,
    Membership,
    Person,
)
from lscb_desktop.services.workbook import spec
from lscb_desktop.services.workbook.reader import Row

T = TypeVar("T")


def key(text: str | None) -> str:
    """Text as a natural key: case and spacing ignored."""
    return " ".join((text or "").split()).casefold()


@dataclass
class ImportResult:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        sheets = sorted(set(self.created) | set(self.updated), key=_sheet_order)
        if not sheets:
            return "Nothing to change: every record was already in the database."
        parts = [
            f"{name}: {self.created[name]} new, {self.updated[name]} updated" for name in sheets
        ]
        return "; ".join(parts)


def _sheet_order(name: str) -> int:
    return [s.name for s in spec.SHEETS].index(name)


class Claims:
    """The rows of one sheet that have taken a record, by UUID, by natural key and by record."""

    def __init__(self) -> None:
        self.uuids: dict[str, int] = {}
        self.keys: dict[Hashable, int] = {}
        self.records: dict[int, int] = {}

    def uuid(self, row: Row, uuid: str | None) -> bool:
        """False (and the row fails) when an earlier row has the same UUID."""
        if uuid is None:
            return True
        if uuid in self.uuids:
            row.fail(
                "UUID",
                f"the same UUID as row {self.uuids[uuid]}: two rows cannot be one record "
                "(a copied row? clear its UUID to make it a new record)",
            )
            return False
        self.uuids[uuid] = row.number
        return True

    def key(
        self, row: Row, column: str, natural: Hashable, what: str, *, unique: bool = True
    ) -> bool:
        """False (and the row fails) when an earlier row has the same natural key: a key no two
        records may share (``unique``), or one that only names a record when there is no UUID."""
        if natural in self.keys:
            advice = (
                "no two records may share it"
                if unique
                else "two rows cannot be one record (give each row its UUID, or remove one)"
            )
            row.fail(column, f"{what} is also on row {self.keys[natural]}: {advice}")
            return False
        self.keys[natural] = row.number
        return True

    def record(self, row: Row, column: str, record: object | None) -> bool:
        """False (and the row fails) when an earlier row already updates ``record``."""
        if record is None:
            return True
        earlier = self.records.get(id(record))
        if earlier is not None:
            row.fail(
                column,
                f"row {earlier} already updates this record: two rows cannot be one record "
                "(give each row its UUID)",
            )
            return False
        self.records[id(record)] = row.number
        return True


def pick(row: Row, column: str, candidates: list[T], what: str) -> tuple[bool, T | None]:
    """(ok, record) for a row without a UUID: the one existing record with its natural key."""
    if len(candidates) > 1:
        row.fail(
            column,
            f"matches {len(candidates)} {what} in the database; add the UUID column "
            "(export the database to get it) to say which",
        )
        return False, None
    return True, (candidates[0] if candidates else None)


class Index:
    """The existing records, looked up by UUID and by natural keys without querying row by row."""

    def __init__(self, session: Session) -> None:
        self.uuids: dict[type, dict[str, Any]] = defaultdict(dict)
        self.agencies: dict[str, Agency] = {}
        self.agency_short: dict[str, list[Agency]] = defaultdict(list)
        for agency in session.scalars(select(Agency)):
            self.add_agency(agency)
        self.by_email: dict[str, Person] = {}
        self.by_name: dict[str, list[Person]] = defaultdict(list)
        for person in session.scalars(select(Person)):
            self.add_person(person)
        self.groups: dict[str, Group] = {}
        for group in session.scalars(select(Group)):
            self.add_group(group)
        self.memberships: dict[Group, list[Membership]] = defaultdict(list)
        for membership in session.scalars(select(Membership)):
            self.add_membership(membership)
        self.meetings: dict[tuple[Group, dt.date], list[Meeting]] = defaultdict(list)
        #: Meetings whose attendance was confirmed with the minutes before the import: (on, by).
        self.confirmed: dict[Meeting, tuple[dt.date, str]] = {}
        query = select(Meeting).options(
            selectinload(Meeting.agenda_items),
            selectinload(Meeting.attendance),
            selectinload(Meeting.guests).selectinload(Guest.items),
            selectinload(Meeting.declarations),
        )
        for meeting in session.scalars(query):
            self.add_meeting(meeting)
            self.add_uuids(
                [
                    *meeting.agenda_items,
                    *meeting.attendance,
                    *meeting.guests,
                    *meeting.declarations,
                ]
            )
            if meeting.attendance_confirmed_on is not None:
                self.confirmed[meeting] = (
                    meeting.attendance_confirmed_on,
                    meeting.attendance_confirmed_by,
                )
        self.audits: dict[tuple[str, int], Audit] = {}
        for audit in session.scalars(select(Audit).options(selectinload(Audit.agencies))):
            self.add_audit(audit)
        self.reviews: dict[str, CaseReview] = {}
        for review in session.scalars(select(CaseReview)):
            self.add_review(review)
        self.actions: dict[tuple[Any, ...], list[Action]] = defaultdict(list)
        for action in session.scalars(select(Action)):
            self.add_action(action)

    # -- by UUID ------------------------------------------------------------------------------

    def add_uuids(self, records: Iterable[Any]) -> None:
        for record in records:
            if record.uuid:
                self.uuids[type(record)][record.uuid] = record

    def by_uuid(self, model: type[T], uuid: str | None) -> T | None:
        found: T | None = self.uuids[model].get(uuid) if uuid else None
        return found

    # -- by natural key -----------------------------------------------------------------------

    def add_agency(self, agency: Agency) -> None:
        self.agencies[key(agency.name)] = agency
        if agency.short_name and agency not in self.agency_short[key(agency.short_name)]:
            self.agency_short[key(agency.short_name)].append(agency)
        self.add_uuids([agency])

    def add_person(self, person: Person) -> None:
        if person.email:
            self.by_email[person.email] = person
        same_name = self.by_name[key(person.name)]
        if person not in same_name:
            same_name.append(person)
        self.add_uuids([person])

    def forget_person(self, person: Person) -> None:
        """Before a person's name or email changes."""
        if person.email and self.by_email.get(person.email) is person:
            del self.by_email[person.email]
        same_name = self.by_name[key(person.name)]
        if person in same_name:
            same_name.remove(person)

    def add_group(self, group: Group) -> None:
        self.groups[key(group.name)] = group
        self.add_uuids([group])

    def add_membership(self, membership: Membership) -> None:
        if membership not in self.memberships[membership.group]:
            self.memberships[membership.group].append(membership)
        self.add_uuids([membership])

    def add_meeting(self, meeting: Meeting) -> None:
        same_day = self.meetings[(meeting.group, meeting.starts_at.date())]
        if meeting not in same_day:
            same_day.append(meeting)
        self.add_uuids([meeting])

    def forget_meeting(self, meeting: Meeting) -> None:
        """Before a meeting moves to another group or day."""
        same_day = self.meetings[(meeting.group, meeting.starts_at.date())]
        if meeting in same_day:
            same_day.remove(meeting)

    def add_audit(self, audit: Audit) -> None:
        self.audits[(key(audit.title), audit.period_start_year)] = audit
        self.add_uuids([audit])

    def add_review(self, review: CaseReview) -> None:
        self.reviews[key(review.reference)] = review
        self.add_uuids([review])

    @staticmethod
    def action_key(action: Action) -> tuple[Any, ...]:
        return (key(action.description), action.meeting, action.audit, action.case_review)

    def add_action(self, action: Action) -> None:
        same = self.actions[self.action_key(action)]
        if action not in same:
            same.append(action)
        self.add_uuids([action])

    def agency(self, text: str) -> Agency | None:
        found = self.agencies.get(key(text))
        if found is None and len(self.agency_short.get(key(text), [])) == 1:
            found = self.agency_short[key(text)][0]
        return found
