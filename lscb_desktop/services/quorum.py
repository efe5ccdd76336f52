"""Who makes a meeting quorate: the group's rule (a number of agencies, and any partners that
must be there), and which attendees count towards it.

An attendee counts when they, or their substitute, were there, their agency counts towards
quorum (the Board's own business unit does not) and their role does (advisers, the business
manager and administrators support a meeting; lay members count only where the settings say
so). A member who declared an interest in an item and left the room or took no part is left
out of that item's quorum, and so is one who had not arrived or had already left when it began.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from lscb_desktop.models import AttendanceStatus, Role
from lscb_desktop.words import and_list

#: Roles that support a meeting and never make it quorate.
NEVER_COUNTED = frozenset({Role.ADVISER, Role.BUSINESS_MANAGER, Role.ADMINISTRATOR})


def role_counts(role: Role | None, lay_members_count: bool) -> bool:
    """Whether a member in ``role`` counts towards a quorum (None: not a member then)."""
    if role is None or role in NEVER_COUNTED:
        return False
    return lay_members_count or role is not Role.LAY_MEMBER


@dataclass(frozen=True)
class QuorumRule:
    """A group's quorum: at least ``agencies`` represented (None: no number), and every one of
    ``partners`` (agency id, name) represented."""

    agencies: int | None
    partners: tuple[tuple[int, str], ...] = ()

    @property
    def is_set(self) -> bool:
        return self.agencies is not None or bool(self.partners)

    @property
    def text(self) -> str:
        """The rule in words, as the register prints it ("" when there is none)."""
        partners = and_list([name for _, name in self.partners])
        if self.agencies is None:
            return f"{partners} represented" if partners else ""
        number = f"at least {self.agencies} agenc{'y' if self.agencies == 1 else 'ies'} represented"
        return f"{number}, including {partners}" if partners else number


class Counted(Protocol):
    """What the quorum needs of an attendee (an ``AttendeeRow``)."""

    @property
    def person_id(self) -> int: ...
    @property
    def substitute_id(self) -> int | None: ...
    @property
    def status(self) -> AttendanceStatus | None: ...
    @property
    def agency_id(self) -> int | None: ...
    @property
    def agency(self) -> str: ...
    @property
    def counts(self) -> bool: ...
    @property
    def arrived_at(self) -> dt.time | None: ...
    @property
    def left_at(self) -> dt.time | None: ...


@dataclass(frozen=True)
class Quorum:
    rule: QuorumRule
    #: The agencies counted (id, name), by name.
    counted: tuple[tuple[int, str], ...] = ()
    #: The required partners not represented, by name.
    missing: tuple[str, ...] = field(default=())

    @property
    def represented(self) -> int:
        return len(self.counted)

    @property
    def needed(self) -> int | None:
        return self.rule.agencies

    @property
    def agencies(self) -> list[str]:
        return [name for _, name in self.counted]

    @property
    def quorate(self) -> bool | None:
        if not self.rule.is_set:
            return None
        enough = self.needed is None or self.represented >= self.needed
        return enough and not self.missing

    @property
    def text(self) -> str:
        """ "Quorate: 5 agencies (needs 3)", with why not when it is not."""
        agencies = f"{self.represented} agenc{'y' if self.represented == 1 else 'ies'}"
        if not self.rule.is_set:
            return f"{agencies} represented (no quorum rule)"
        verdict = "Quorate" if self.quorate else "Not quorate"
        needs = []
        if self.needed is not None:
            needs.append(f"needs {self.needed}")
        if self.rule.partners:
            needs.append(f"with {and_list([name for _, name in self.rule.partners])}")
        text = f"{verdict}: {agencies} ({', '.join(needs)})"
        if self.missing:
            text += f"; {and_list(list(self.missing))} not represented"
        return text

    @property
    def counted_text(self) -> str:
        """The agencies counted, in words."""
        return f"Counted: {', '.join(self.agencies)}." if self.counted else "No agency counted."


def _there_at(row: Counted, at: dt.time | None) -> bool:
    if at is None:
        return True
    arrived = row.arrived_at is None or row.arrived_at <= at
    still = row.left_at is None or row.left_at > at
    return arrived and still


def quorum_of(
    rows: Iterable[Counted],
    rule: QuorumRule,
    *,
    at: dt.time | None = None,
    left_out: frozenset[int] = frozenset(),
) -> Quorum:
    """The agencies represented by attendees who count, against ``rule``; ``at`` (an item's
    start) leaves out those not there then, ``left_out`` the people who declared an interest
    and took no part."""
    counted: dict[int, str] = {}
    for row in rows:
        if row.status not in (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE):
            continue
        if not row.counts or row.agency_id is None or not _there_at(row, at):
            continue
        attended_by = row.substitute_id if row.status is AttendanceStatus.SUBSTITUTE else None
        if row.person_id in left_out and row.status is AttendanceStatus.PRESENT:
            continue
        if attended_by is not None and attended_by in left_out:
            continue
        counted[row.agency_id] = row.agency
    missing = tuple(name for agency_id, name in rule.partners if agency_id not in counted)
    ordered = tuple(sorted(counted.items(), key=lambda kv: kv[1].casefold()))
    return Quorum(rule, ordered, missing)
