"""Attendance confirmed with the minutes is locked: a change after that needs the user's yes
(:class:`NeedsConfirmation` with the flag ``after_confirmation``) and is logged against the
meeting, saying what changed. No Qt here."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import insert
from sqlalchemy.orm import Session

from lscb_desktop.models import ChangeLogEntry, Meeting
from lscb_desktop.services.attendance_cells import MEETING_GONE
from lscb_desktop.services.validation import NeedsConfirmation
from lscb_desktop.store.changelog import current_os_user
from lscb_desktop.store.versions import RecordGone


def confirmed_check(meeting: Meeting, after_confirmation: bool) -> None:
    """A change to confirmed attendance needs the user's yes (see :class:`NeedsConfirmation`)."""
    if meeting.attendance_confirmed_on is not None and not after_confirmation:
        by = f" by {meeting.attendance_confirmed_by}" if meeting.attendance_confirmed_by else ""
        raise NeedsConfirmation(
            f"The attendance at this meeting was confirmed with the minutes on "
            f"{meeting.attendance_confirmed_on:%d/%m/%Y}{by}. Change it anyway? The change "
            "is logged against the meeting.",
            "after_confirmation",
            "confirmed",
        )


def log_after_confirmation(session: Session, meeting: Meeting, what: str) -> None:
    """Writes to the change log that confirmed attendance was changed, and what."""
    if meeting.attendance_confirmed_on is None:
        return
    changes = {"changed_after_confirmation": [None, what]}
    session.execute(
        insert(ChangeLogEntry),
        [
            {
                "at": dt.datetime.now().replace(microsecond=0),
                "os_user": current_os_user(),
                "operation": "update",
                "table_name": "meeting",
                "record_id": str(meeting.id),
                "changes": json.dumps(changes, ensure_ascii=False),
            }
        ],
    )


def locked_meeting(session: Session, meeting_id: int, after_confirmation: bool) -> Meeting:
    """The meeting, once it is clear its attendance may be changed."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise RecordGone(MEETING_GONE)
    confirmed_check(meeting, after_confirmation)
    return meeting
