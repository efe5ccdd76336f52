"""The plain attendance figures that the window shows and the annual workbook prints: computed
by :mod:`lscb_desktop.services.attendance_figures`, rendered by
:mod:`lscb_desktop.reports.attendance_workbook`. Data only: no database, no Qt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lscb_desktop.periods import Period

ALL_GROUPS = "All groups"


def counted(attended: int, expected: int, *, percentages: bool = True) -> str:
    """ "9 of 12 (75%)", or "9 of 12" without percentages; "—" for nothing expected."""
    if not expected:
        return "—"
    text = f"{attended} of {expected}"
    return f"{text} ({attended / expected:.0%})" if percentages else text


@dataclass(frozen=True)
class MemberRate:
    """A member's attendance in one group (or, as a total, across groups) while representing
    one agency: a member who moved agency has a line for each."""

    person_id: int
    name: str
    sort_name: str
    agency: str
    group: str
    #: Meetings held while they were a member.
    meetings: int
    #: Attended in person.
    attended: int
    apologies: int
    substitutes: int
    agency_id: int | None = None
    absent: int = 0
    #: Meetings at which nothing is recorded for them yet.
    unrecorded: int = 0

    @property
    def rate(self) -> float | None:
        return self.attended / self.meetings if self.meetings else None


@dataclass(frozen=True)
class AgencyRate:
    """Meetings at which an agency was represented (by a member or a substitute) of those held
    at which it had a member, in one group or (as a total) across groups."""

    agency_id: int
    agency: str
    group: str
    meetings: int
    represented: int
    #: Why a row has no meetings ("No member during the period").
    note: str = ""

    @property
    def rate(self) -> float | None:
        return self.represented / self.meetings if self.meetings else None


@dataclass(frozen=True)
class IncompleteMeeting:
    """A held meeting whose attendance is not recorded for everyone on its list."""

    meeting_id: int
    group: str
    starts_at: dt.datetime
    recorded: int
    expected: int

    @property
    def text(self) -> str:
        return (
            f"{self.group}, {self.starts_at:%d/%m/%Y}: {self.recorded} of {self.expected} recorded"
        )


@dataclass(frozen=True)
class Figures:
    period: Period
    #: The group's name, or "All groups".
    group: str
    #: Meetings counted (held in the period; only confirmed ones if ``confirmed_only``).
    held: int
    #: Per group: a line per member, group and agency represented.
    members: list[MemberRate]
    #: Per group: a line per agency and group.
    agencies: list[AgencyRate]
    #: Across the groups counted: a line per member and agency, and per agency.
    member_totals: list[MemberRate]
    agency_totals: list[AgencyRate]
    #: Meetings counted whose attendance is not fully recorded.
    incomplete: list[IncompleteMeeting]
    #: Held meetings in the period whose attendance is not confirmed with the minutes (left out
    #: when ``confirmed_only``).
    unconfirmed: int
    confirmed_only: bool = False

    @property
    def caveats(self) -> list[str]:
        """What a reader of the figures must know: meetings not fully recorded or confirmed."""
        notes = []
        if self.incomplete:
            notes.append(
                f"{len(self.incomplete)} meeting(s) not fully recorded (nothing recorded counts "
                "as not attended): " + "; ".join(m.text for m in self.incomplete) + "."
            )
        if self.confirmed_only and self.unconfirmed:
            notes.append(
                f"Only attendance confirmed with the minutes is counted: {self.unconfirmed} "
                "held meeting(s) not yet confirmed are left out."
            )
        elif self.unconfirmed:
            notes.append(
                f"{self.unconfirmed} of {self.held} meeting(s) not yet confirmed with the minutes."
            )
        return notes


@dataclass(frozen=True)
class GridLine:
    name: str
    sort_name: str
    agency: str
    #: One code per meeting: P, A, S, X; "–" for a member with nothing recorded (not
    #: attendance); None when they were not a member (for this agency) on that date.
    cells: list[str | None]
    rate: MemberRate


@dataclass(frozen=True)
class GroupGrid:
    group_id: int
    group: str
    short_name: str
    meetings: list[dt.datetime]
    lines: list[GridLine]
    agencies: list[AgencyRate]
    #: Per meeting: whether its attendance is confirmed with the minutes.
    confirmed: list[bool] | None = None
    incomplete: list[IncompleteMeeting] | None = None
