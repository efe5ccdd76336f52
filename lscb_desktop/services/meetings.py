"""Meetings across groups: the list with its papers deadlines, and adding or changing one."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lscb_desktop import clock
from lscb_desktop.models import AgendaItem, Group, Meeting, MeetingKind, MeetingStatus
from lscb_desktop.services.periods import Period, period_containing, period_starting
from lscb_desktop.services.settings import load_settings, read_settings
from lscb_desktop.services.validation import Collector
from lscb_desktop.services.workdays import papers_deadline
from lscb_desktop.store import Database


@dataclass(frozen=True)
class MeetingRow:
    id: int
    group_id: int
    group: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    venue: str
    kind: MeetingKind
    status: MeetingStatus
    items: int
    #: Items that expect a paper and have none attached yet.
    papers_missing: int
    papers: int
    papers_due: dt.date

    @property
    def date(self) -> dt.date:
        return self.starts_at.date()

    def papers_overdue(self, today: dt.date) -> bool:
        """The deadline has passed, the meeting is still to come, and papers are missing."""
        return (
            self.status is MeetingStatus.PLANNED
            and self.papers_due < today <= self.date
            and self.papers_missing > 0
        )

    def papers_due_soon(self, today: dt.date, days: int = 3) -> bool:
        """Papers are missing and the deadline is today or within ``days`` days."""
        return (
            self.status is MeetingStatus.PLANNED
            and today <= self.papers_due <= today + dt.timedelta(days=days)
            and self.papers_missing > 0
        )

    @property
    def time(self) -> str:
        end = f"–{self.ends_at:%H:%M}" if self.ends_at else ""
        return f"{self.starts_at:%H:%M}{end}"


@dataclass(frozen=True)
class MeetingInput:
    group_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    venue: str = ""
    kind: MeetingKind = MeetingKind.ORDINARY
    status: MeetingStatus = MeetingStatus.PLANNED
    protective_marking: str = ""
    notes: str = ""


def meeting_rows(
    database: Database,
    *,
    group_id: int | None = None,
    period: Period | None = None,
    status: MeetingStatus | None = None,
    today: dt.date | None = None,
) -> list[MeetingRow]:
    """Meetings, filtered: those to come first (soonest first), then past ones (latest first)."""
    today = today or clock.today()
    deadline_days = load_settings(database).papers_deadline_days
    query = select(Meeting).options(selectinload(Meeting.group))
    if group_id is not None:
        query = query.where(Meeting.group_id == group_id)
    if period is not None:
        query = query.where(
            Meeting.starts_at >= dt.datetime.combine(period.start, dt.time()),
            Meeting.starts_at < dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time()),
        )
    if status is not None:
        query = query.where(Meeting.status == status)
    with database.session() as session:
        meetings = list(session.scalars(query))
        ids = [m.id for m in meetings]
        items: dict[int, int] = defaultdict(int)
        missing: dict[int, int] = defaultdict(int)
        papers: dict[int, int] = defaultdict(int)
        if ids:
            for meeting_id, has_paper, needs_paper, count in session.execute(
                select(
                    AgendaItem.meeting_id,
                    AgendaItem.document_id.is_not(None),
                    AgendaItem.paper_expected,
                    func.count(),
                )
                .where(AgendaItem.meeting_id.in_(ids))
                .group_by(
                    AgendaItem.meeting_id,
                    AgendaItem.document_id.is_not(None),
                    AgendaItem.paper_expected,
                )
            ):
                items[meeting_id] += count
                if has_paper:
                    papers[meeting_id] += count
                elif needs_paper:
                    missing[meeting_id] += count
        rows = [
            MeetingRow(
                id=m.id,
                group_id=m.group_id,
                group=m.group.name,
                starts_at=m.starts_at,
                ends_at=m.ends_at,
                venue=m.venue,
                kind=m.kind,
                status=m.status,
                items=items[m.id],
                papers_missing=missing[m.id],
                papers=papers[m.id],
                papers_due=papers_deadline(m.starts_at.date(), deadline_days),
            )
            for m in meetings
        ]
    upcoming = sorted((r for r in rows if r.date >= today), key=lambda r: r.starts_at)
    past = sorted((r for r in rows if r.date < today), key=lambda r: r.starts_at, reverse=True)
    return upcoming + past


def meeting_input(database: Database, meeting_id: int) -> MeetingInput:
    with database.session() as session:
        m = session.get_one(Meeting, meeting_id)
        return MeetingInput(
            group_id=m.group_id,
            starts_at=m.starts_at,
            ends_at=m.ends_at,
            venue=m.venue,
            kind=m.kind,
            status=m.status,
            protective_marking=m.protective_marking,
            notes=m.notes,
        )


def save_meeting(database: Database, data: MeetingInput, meeting_id: int | None = None) -> int:
    """Adds or changes a meeting; raises InvalidInput naming each wrong field, saving nothing.

    The start and end must fall between the settings' earliest year and 2100.
    """
    problems = Collector()
    if data.group_id is None:
        problems.add("group", "Choose the group that meets.")
    if data.ends_at is not None and data.ends_at <= data.starts_at:
        problems.add("ends_at", "The meeting must end after it starts.")
    with database.session() as session:
        earliest_year = read_settings(session).earliest_year
        problems.check_date("starts_at", data.starts_at, earliest_year)
        problems.check_date("ends_at", data.ends_at, earliest_year)
        if data.group_id is not None:
            clash = session.scalar(
                select(Meeting.id).where(
                    Meeting.group_id == data.group_id,
                    Meeting.starts_at == data.starts_at,
                    Meeting.id != (meeting_id or -1),
                )
            )
            if clash is not None:
                group = session.get_one(Group, data.group_id)
                problems.add(
                    "starts_at",
                    f"{group.name} already meets at {data.starts_at:%H:%M on %d/%m/%Y}.",
                )
        problems.raise_if_any()
        assert data.group_id is not None
        meeting = (
            session.get_one(Meeting, meeting_id)
            if meeting_id is not None
            else Meeting(group_id=data.group_id, starts_at=data.starts_at)
        )
        meeting.group_id = data.group_id
        meeting.starts_at = data.starts_at
        meeting.ends_at = data.ends_at
        meeting.venue = data.venue.strip()
        meeting.kind = data.kind
        meeting.status = data.status
        meeting.protective_marking = data.protective_marking.strip()
        meeting.notes = data.notes
        session.add(meeting)
        session.flush()
        return meeting.id


def set_meeting_status(database: Database, meeting_id: int, status: MeetingStatus) -> None:
    """Marks a meeting planned, held or cancelled; a cancelled one keeps its record."""
    with database.session() as session:
        session.get_one(Meeting, meeting_id).status = status


def meeting_periods(database: Database, today: dt.date | None = None) -> list[Period]:
    """The annual periods that hold meetings, and the current one and next, latest first."""
    today = today or clock.today()
    start_month = load_settings(database).annual_period_start_month
    with database.session() as session:
        first, last = session.execute(
            select(func.min(Meeting.starts_at), func.max(Meeting.starts_at))
        ).one()
    current = period_containing(today, start_month)
    earliest = period_containing(first.date(), start_month) if first else current
    latest = period_containing(last.date(), start_month) if last else current
    latest = max(
        latest, period_starting(current.start.year + 1, start_month), key=lambda p: p.start
    )
    return [
        period_starting(year, start_month)
        for year in range(
            latest.start.year, min(earliest, current, key=lambda p: p.start).start.year - 1, -1
        )
    ]
