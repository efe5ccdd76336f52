"""Recording a meeting's attendance: what happened for each attendee (with the checks on
substitutes), the details (a reason for apologies, arrival and departure times), and
confirming it all with the minutes, after which a change asks first and is logged."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from lscb_desktop.models import (
    Agency,
    Attendance,
    AttendanceStatus,
    Meeting,
    Membership,
    Person,
    Role,
)
from lscb_desktop.models.meetings import seat_on_the_day
from lscb_desktop.services.attendance import meeting_sheet
from lscb_desktop.services.attendance_cells import THERE, Cell, fill_cells, write_cell
from lscb_desktop.services.confirmation import locked_meeting, log_after_confirmation
from lscb_desktop.services.settings import REASON_LENGTH, read_settings
from lscb_desktop.services.substitutes import other_agency, substitute_problem
from lscb_desktop.services.validation import Collector, InvalidInput, NeedsConfirmation
from lscb_desktop.store import Database
from lscb_desktop.store.changelog import current_os_user


def _check_substitute(
    session: Session, meeting: Meeting, person_id: int, substitute_id: int, other_agency_ok: bool
) -> None:
    """The rule of :mod:`lscb_desktop.services.substitutes`, on the meeting as recorded."""
    day = meeting.starts_at.date()
    on_list = {
        m.person_id
        for m in session.scalars(
            select(Membership)
            .where(Membership.group_id == meeting.group_id, Membership.start_date <= day)
            .where((Membership.end_date.is_(None)) | (Membership.end_date >= day))
        )
    } | {a.person_id for a in meeting.attendance}
    standing_in = {
        a.person_id: a.substitute_id for a in meeting.attendance if a.substitute_id is not None
    }

    def name(person: int) -> str:
        return session.get_one(Person, person).display_name

    problem = substitute_problem(
        person_id, substitute_id, on_list=on_list, substitutes=standing_in, name=name
    )
    if problem:
        raise InvalidInput({"substitute": problem})
    substitute = session.get_one(Person, substitute_id)
    agency_id = _seat(session, meeting.id, person_id)[0]
    if not other_agency_ok and other_agency(agency_id, substitute.agency_id):
        assert agency_id is not None
        member = session.get_one(Person, person_id)
        theirs = session.get_one(Agency, agency_id).name
        other = substitute.agency.name if substitute.agency else ""
        raise NeedsConfirmation(
            f"{substitute.display_name} is from {other}, not {theirs}. Record them as the "
            f"substitute for {member.display_name}, representing {theirs}?",
            "other_agency_ok",
            "substitute",
        )


def _seat(session: Session, meeting_id: int, person_id: int) -> tuple[int | None, Role | None, str]:
    recorded = session.scalar(
        select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.person_id == person_id
        )
    )
    if recorded is not None and (recorded.agency_id is not None or recorded.role is not None):
        return recorded.agency_id, recorded.role, recorded.seat
    return seat_on_the_day(session.connection(), meeting_id, person_id)


def record_attendance(
    database: Database,
    meeting_id: int,
    person_id: int,
    status: AttendanceStatus | None,
    *,
    substitute_id: int | None = None,
    substitute_name: str = "",
    other_agency_ok: bool = False,
    after_confirmation: bool = False,
) -> None:
    """Records what happened for one expected attendee (None clears it).

    A substitute is a person on file or a typed name; other statuses clear the substitute. A
    substitute on file from another agency, or a change to attendance confirmed with the
    minutes, raises :class:`NeedsConfirmation` until asked again with its flag. Two people
    recording the same cell at once never meet an error: the later one's choice stands (see
    :mod:`lscb_desktop.services.attendance_cells`).
    """
    name = " ".join(substitute_name.split())
    if status is AttendanceStatus.SUBSTITUTE and substitute_id is None and not name:
        raise InvalidInput({"substitute": "Say who attended: pick a person or type a name."})
    if len(name) > 200:
        raise InvalidInput({"substitute": "The substitute's name is over 200 characters."})
    cell = None
    if status is AttendanceStatus.SUBSTITUTE:
        cell = Cell(status, substitute_id, "" if substitute_id else name)
    elif status is not None:
        cell = Cell(status)
    with database.session() as session:
        meeting = locked_meeting(session, meeting_id, after_confirmation)
        if status is AttendanceStatus.SUBSTITUTE and substitute_id is not None:
            _check_substitute(session, meeting, person_id, substitute_id, other_agency_ok)
        if write_cell(session, meeting_id, person_id, cell):
            person = session.get_one(Person, person_id)
            what = status.label.lower() if status else "cleared"
            log_after_confirmation(session, meeting, f"{person.display_name}: {what}")


def record_details(
    database: Database,
    meeting_id: int,
    person_id: int,
    *,
    reason: str = "",
    notes: str = "",
    arrived_at: dt.time | None = None,
    left_at: dt.time | None = None,
    after_confirmation: bool = False,
) -> None:
    """Records the reason for apologies, arrival and departure times and notes of a recorded
    attendee; raises InvalidInput naming each wrong field, recording nothing."""
    problems = Collector()
    reason = " ".join(reason.split())
    if len(reason) > REASON_LENGTH:
        problems.add(
            "reason", f"A reason is at most {REASON_LENGTH} characters; say more in notes."
        )
    with database.session() as session:
        meeting = locked_meeting(session, meeting_id, after_confirmation)
        record = session.scalar(
            select(Attendance).where(
                Attendance.meeting_id == meeting_id, Attendance.person_id == person_id
            )
        )
        if record is None:
            problems.add("status", "Record whether they came (P, A, S or X) first.")
            problems.raise_if_any()
            return
        there = record.status in THERE
        if reason and record.status not in (AttendanceStatus.APOLOGIES, AttendanceStatus.ABSENT):
            problems.add("reason", "A reason is for apologies or an absence.")
        if (arrived_at or left_at) and not there:
            field = "arrived_at" if arrived_at else "left_at"
            problems.add(field, "Arrival and departure times are for someone who was there.")
        if arrived_at and left_at and left_at < arrived_at:
            problems.add("left_at", f"They left before they arrived ({arrived_at:%H:%M}).")
        _check_times(meeting, arrived_at, left_at, problems)
        problems.raise_if_any()
        cell = Cell(
            record.status,
            record.substitute_id,
            record.substitute_name,
            reason=reason,
            notes=notes.strip(),
            arrived_at=arrived_at,
            left_at=left_at,
        )
        if write_cell(session, meeting_id, person_id, cell):
            log_after_confirmation(
                session, meeting, f"{record.person.display_name}: details changed"
            )


def _check_times(
    meeting: Meeting, arrived_at: dt.time | None, left_at: dt.time | None, problems: Collector
) -> None:
    """Times of the meeting's day, from its start to its end (when known)."""
    start = meeting.starts_at.time()
    end = meeting.ends_at.time() if meeting.ends_at is not None else None
    for field, value, word in (("arrived_at", arrived_at, "arrived"), ("left_at", left_at, "left")):
        if value is None:
            continue
        if value < start:
            problems.add(
                field, f"The meeting began at {start:%H:%M}; they cannot have {word} before."
            )
        elif end is not None and value > end:
            problems.add(field, f"The meeting ended at {end:%H:%M}; record {word} by then.")


def mark_all_present(
    database: Database, meeting_id: int, *, after_confirmation: bool = False
) -> int:
    """Marks everyone expected and not yet recorded as present; returns how many. A cell that
    someone else records meanwhile keeps what they recorded."""
    sheet = meeting_sheet(database, meeting_id)
    missing = [row.person_id for row in sheet.attendees if row.status is None]
    with database.session() as session:
        meeting = locked_meeting(session, meeting_id, after_confirmation)
        count = fill_cells(session, meeting_id, missing, AttendanceStatus.PRESENT)
        if count:
            log_after_confirmation(session, meeting, f"{count} marked present")
        return count


# -- confirming with the minutes ----------------------------------------------------------------


def confirm_attendance(database: Database, meeting_id: int, on: dt.date) -> None:
    """Confirms the meeting's attendance with the minutes approved on ``on``; the meeting must
    have been held and everyone on its list recorded. Raises InvalidInput saying why not."""
    sheet = meeting_sheet(database, meeting_id)
    if sheet.confirm_problem:
        raise InvalidInput({"confirmed": sheet.confirm_problem})
    with database.session() as session:
        problems = Collector()
        problems.check_date("confirmed", on, read_settings(session).earliest_year)
        if on < sheet.starts_at.date():
            problems.add("confirmed", "The minutes cannot be approved before the meeting.")
        problems.raise_if_any()
        meeting = session.get_one(Meeting, meeting_id)
        meeting.attendance_confirmed_on = on
        meeting.attendance_confirmed_by = current_os_user()


def unconfirm_attendance(database: Database, meeting_id: int) -> None:
    """Unlocks confirmed attendance (logged as a change to the meeting)."""
    with database.session() as session:
        meeting = session.get_one(Meeting, meeting_id)
        meeting.attendance_confirmed_on = None
        meeting.attendance_confirmed_by = ""
