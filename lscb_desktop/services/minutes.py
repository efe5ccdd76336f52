"""Draft minutes of a meeting, from what the program holds: the attendance as recorded, the
declarations, the agenda, and the group's actions (reports/minutes.py writes them)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from lscb_desktop.models import ActionStatus, AttendanceStatus, Meeting, MeetingStatus
from lscb_desktop.reports.inputs import ActionLine, MinutesDoc
from lscb_desktop.reports.minutes import build_minutes
from lscb_desktop.services.actions import ActionRow, action_rows
from lscb_desktop.services.agenda import agenda_rows, attach_paper
from lscb_desktop.services.attendance import AttendeeRow, meeting_sheet
from lscb_desktop.services.documents import (
    apology,
    declaration_lines,
    item_numbers,
    letterhead,
    meeting_head,
    officer_lines,
)
from lscb_desktop.services.meetings import meeting_input
from lscb_desktop.services.settings import load_settings
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.store import Database

__all__ = ["MinutesPlaced", "attach_confirmed_minutes", "export_minutes", "minutes_doc"]


def _described(row: AttendeeRow) -> str:
    """ "Mary Emson, Designated Nurse, Luton Clinical Commissioning Group"."""
    seat = row.seat or (row.role if row.role and row.role != "Member" else "")
    return ", ".join(part for part in (row.name, seat, row.agency) if part)


def _substitute(row: AttendeeRow) -> str:
    """ "Jo Bloggs for Carol Pennington (CAFCASS)"; a typed substitute that names the member
    already ("Deputy for Carol Pennington") is kept as typed."""
    who = row.substitute or "A substitute"
    if row.name.casefold() in who.casefold():
        return who
    agency = row.substitute_agency or row.agency
    return f"{who} for {row.name}" + (f" ({agency})" if agency else "")


def _action(row: ActionRow, this_meeting: bool) -> ActionLine:
    """Raised at: the item's title, with the meeting's date for an earlier meeting's action."""
    where = row.item
    if not this_meeting and row.meeting_date is not None:
        where = f"{row.meeting_date:%d/%m/%Y}" + (f": {row.item}" if row.item else "")
    return ActionLine(row.description, row.owner, row.due_date, row.status.label, where)


def minutes_doc(database: Database, meeting_id: int) -> MinutesDoc:
    head, marking = meeting_head(database, meeting_id)
    sheet = meeting_sheet(database, meeting_id)
    listed = load_settings(database).reasons
    items = agenda_rows(database, meeting_id)
    numbers = item_numbers(items)
    attendees = sorted(sheet.attendees, key=lambda row: row.sort_name.casefold())
    present = [_described(r) for r in attendees if r.status is AttendanceStatus.PRESENT]
    apologies = [
        apology(r.name, r.reason, listed)
        for r in attendees
        if r.status in (AttendanceStatus.APOLOGIES, AttendanceStatus.SUBSTITUTE)
    ]
    substitutes = [_substitute(r) for r in attendees if r.status is AttendanceStatus.SUBSTITUTE]
    group_id = meeting_input(database, meeting_id).group_id
    mine = action_rows(database, meeting_id=meeting_id)
    earlier = [
        row
        for row in action_rows(database, group_id=group_id, status=ActionStatus.OPEN)
        if row.meeting_date is not None and row.meeting_date < head.starts_at.date()
    ]
    return MinutesDoc(
        head=head,
        house=letterhead(database, marking),
        present=present,
        apologies=apologies,
        substitutes=substitutes,
        in_attendance=[line.described for line in officer_lines(sheet, numbers)],
        declarations=declaration_lines(sheet, numbers),
        items=items,
        actions_before=[_action(row, this_meeting=False) for row in earlier],
        actions_new=[_action(row, this_meeting=True) for row in mine],
    )


def export_minutes(database: Database, meeting_id: int, target: Path) -> Path:
    """The meeting's draft minutes as a Word document at ``target``."""
    return build_minutes(minutes_doc(database, meeting_id), target)


#: The agenda item that takes the last meeting's minutes: "Minutes of the last meeting and
#: matters arising", "Minutes of the previous meeting", "Previous minutes".
MINUTES_ITEM = re.compile(r"minutes.*\b(last|previous)\b|\b(last|previous)\b.*minutes", re.I)


@dataclass(frozen=True)
class MinutesPlaced:
    """Where confirmed minutes went: the next meeting and its minutes item."""

    meeting_id: int
    starts_at: dt.datetime
    item_id: int
    item_number: int

    def in_words(self, name: str) -> str:
        return (
            f"Attached {name} as the paper of item {self.item_number} of the meeting on "
            f"{self.starts_at:%d/%m/%Y}"
        )


def attach_confirmed_minutes(
    database: Database, meeting_id: int, path: Path, *, confidential: bool = True
) -> MinutesPlaced:
    """The confirmed minutes of a meeting become the paper of the next meeting's "Minutes of
    the last meeting" item (the same checks as any paper). InvalidInput ("paper") says why
    not: no later meeting of the group, or no such item on its agenda; nothing is changed."""
    with database.session() as session:
        meeting = session.get_one(Meeting, meeting_id)
        following = session.scalars(
            select(Meeting)
            .where(
                Meeting.group_id == meeting.group_id,
                Meeting.starts_at > meeting.starts_at,
                Meeting.status != MeetingStatus.CANCELLED,
            )
            .order_by(Meeting.starts_at)
            .limit(1)
        ).first()
        if following is None:
            raise InvalidInput(
                {
                    "paper": f"No later meeting of {meeting.group.name} is on file to take the "
                    f"minutes of {meeting.starts_at:%d/%m/%Y}: add the next meeting first."
                }
            )
        next_id, next_start = following.id, following.starts_at
    item = next(
        (row for row in agenda_rows(database, next_id) if MINUTES_ITEM.search(row.title)), None
    )
    if item is None:
        raise InvalidInput(
            {
                "paper": f"The meeting on {next_start:%d/%m/%Y} has no “Minutes of the last "
                "meeting” item: add it (Standard items adds the opening items), then attach "
                "the minutes again."
            }
        )
    attach_paper(database, item.id, path, confidential=confidential)
    return MinutesPlaced(next_id, next_start, item.id, item.number)
