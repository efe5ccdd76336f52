"""The plain data the documents render: what a report takes in. The services fill these (and
the rows they list: an agenda item, a member, a meeting, which satisfy the protocols below);
the reports import nothing from the services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from lscb_desktop.models import MeetingKind, MeetingStatus
from lscb_desktop.words import and_list


class AgendaLine(Protocol):
    """An agenda item as the agenda and the pack print it."""

    @property
    def id(self) -> int: ...
    @property
    def number(self) -> int: ...
    @property
    def starts_at(self) -> dt.datetime: ...
    @property
    def title(self) -> str: ...
    @property
    def presenter(self) -> str: ...
    @property
    def purpose(self) -> str: ...
    @property
    def minutes(self) -> int | None: ...
    @property
    def paper(self) -> str: ...
    @property
    def paper_id(self) -> int | None: ...
    @property
    def confidential(self) -> bool: ...
    @property
    def paper_expected(self) -> bool: ...
    @property
    def waiting_for_paper(self) -> bool: ...


class MemberLine(Protocol):
    """A member as the contact list prints them."""

    @property
    def name(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def agency(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def phone(self) -> str: ...


class CalendarMeeting(Protocol):
    """A meeting as the calendar file carries it."""

    @property
    def id(self) -> int: ...
    @property
    def group(self) -> str: ...
    @property
    def starts_at(self) -> dt.datetime: ...
    @property
    def ends_at(self) -> dt.datetime | None: ...
    @property
    def venue(self) -> str: ...
    @property
    def kind(self) -> MeetingKind: ...
    @property
    def status(self) -> MeetingStatus: ...
    @property
    def papers_due(self) -> dt.date: ...


@dataclass(frozen=True)
class Letterhead:
    organisation: str
    address: str
    marking: str
    logo: bytes | None
    board_term: str


@dataclass(frozen=True)
class MeetingHead:
    meeting_id: int
    group: str
    group_short: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    venue: str
    kind: MeetingKind
    status: MeetingStatus
    chair: str
    quorum_rule: int | None
    next_meeting: dt.datetime | None

    @property
    def title(self) -> str:
        kind = "Extraordinary meeting" if self.kind is MeetingKind.EXTRAORDINARY else "Meeting"
        return f"{self.group} — {kind}"

    @property
    def when(self) -> str:
        end = f" to {self.ends_at:%H:%M}" if self.ends_at else ""
        return f"{self.starts_at:%A %d/%m/%Y}, {self.starts_at:%H:%M}{end}"


@dataclass(frozen=True)
class DeclarationLine:
    """A declaration of interest as the agenda and the register print it."""

    #: "Item 4: Budget and partner contributions" or "Whole meeting".
    item: str
    name: str
    interest: str
    #: "Left the room", "Took no part", "Stayed and took part".
    action: str
    notes: str = ""


@dataclass(frozen=True)
class OfficerLine:
    """A guest or officer in attendance, for named items or the whole meeting."""

    name: str
    job_title: str
    organisation: str
    #: The items they attend for as (number, title), in agenda order; none: the whole meeting.
    items: tuple[tuple[int, str], ...] = ()
    item_ids: tuple[int, ...] = ()

    @property
    def described(self) -> str:
        """ "Dean Kirby, Head of Service, Luton Borough Council"."""
        return ", ".join(part for part in (self.name, self.job_title, self.organisation) if part)

    @property
    def attending_for(self) -> str:
        """ "Items 4 and 5", "Item 4" or "Whole meeting"."""
        if not self.items:
            return "Whole meeting"
        word = "Item" if len(self.items) == 1 else "Items"
        return f"{word} {and_list([str(number) for number, _ in self.items])}"


@dataclass(frozen=True)
class AgendaDoc:
    head: MeetingHead
    items: Sequence[AgendaLine]
    #: Each apology as the agenda prints it: "Jane Smith (illness)".
    apologies: list[str]
    house: Letterhead
    declarations: list[DeclarationLine] = field(default_factory=list)
    officers: list[OfficerLine] = field(default_factory=list)

    @property
    def declarations_item(self) -> AgendaLine | None:
        """The agenda's own item for declarations of interest, if it has one."""
        return next((i for i in self.items if "declar" in i.title.casefold()), None)

    def officers_for(self, item_id: int) -> list[OfficerLine]:
        return [o for o in self.officers if item_id in o.item_ids]

    @property
    def whole_meeting_officers(self) -> list[OfficerLine]:
        return [o for o in self.officers if not o.item_ids]


@dataclass(frozen=True)
class RegisterLine:
    name: str
    agency: str
    role: str
    #: The seat the member holds ("Designated Nurse").
    seat: str = ""
    #: Whether they count towards the quorum (the business unit, advisers and the like do not).
    counts: bool = True


@dataclass(frozen=True)
class RegisterDoc:
    head: MeetingHead
    lines: list[RegisterLine]
    house: Letterhead
    #: The group's quorum rule in words ("at least 3 agencies represented, including …"); "".
    rule_text: str = ""
    #: Who on the list does not count towards the quorum, in a sentence ("" when all do).
    not_counted: str = ""
    declarations: list[DeclarationLine] = field(default_factory=list)
    officers: list[OfficerLine] = field(default_factory=list)


@dataclass(frozen=True)
class Agreement:
    name: str
    job_title: str
    agency: str
    group: str
    role: str


@dataclass(frozen=True)
class AgreementDoc:
    """Agreements in the Board's own words: its title, the return instructions (the first line
    printed in bold, as the welcome pack has it) and the responsibilities, all filled in."""

    agreements: list[Agreement]
    responsibilities: list[str]
    house: Letterhead
    title: str = "Membership Agreement"
    return_lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ContactsDoc:
    group: str
    members: Sequence[MemberLine]
    house: Letterhead
    on: dt.date


@dataclass(frozen=True)
class AuthorityDoc:
    """A letter of authority for an audit: who may look at which agencies' records, and why."""

    title: str
    theme: str
    period: str
    quarter: int | None
    cases_sampled: int | None
    priority: str
    lead: str
    agencies: list[str]
    audit_group: str
    core_members: list[tuple[str, str]]
    chair: str
    house: Letterhead
    on: dt.date


@dataclass(frozen=True)
class ActionLine:
    """An action as the minutes list it."""

    description: str
    owner: str
    due: dt.date | None
    status: str
    #: Where it was raised: "10/06/2026, item 4" (an earlier meeting) or "Item 4".
    raised: str


@dataclass(frozen=True)
class MinutesDoc:
    """Draft minutes: who was there, what was declared, each item with room for the discussion,
    and the actions (those still open from before, and this meeting's)."""

    head: MeetingHead
    house: Letterhead
    present: list[str]
    apologies: list[str]
    substitutes: list[str]
    in_attendance: list[str]
    declarations: list[DeclarationLine]
    items: Sequence[AgendaLine]
    actions_before: list[ActionLine]
    actions_new: list[ActionLine]


@dataclass(frozen=True)
class SupplementLine:
    """A paper in a supplement: its item, and why it is there ("New paper", "Replaces the paper
    sent on 20/11/2026")."""

    number: int
    title: str
    paper: str
    why: str
    #: The paper sent before is withdrawn: nothing of it is in the supplement.
    withdrawn: bool = False


@dataclass(frozen=True)
class SupplementDoc:
    head: MeetingHead
    house: Letterhead
    #: Supplement N.
    number: int
    #: What was sent before it, in words: "the pack issued on 20/11/2026".
    follows: str
    lines: list[SupplementLine]
