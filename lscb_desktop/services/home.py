"""The start of the day: what is coming, what is late, and what is due, each line pointing at
the record it is about."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lscb_desktop import clock
from lscb_desktop.models import MeetingStatus
from lscb_desktop.services.actions import ActionRow, overdue_actions
from lscb_desktop.services.attendance_figures import incomplete_meetings
from lscb_desktop.services.audits import programme
from lscb_desktop.services.meetings import meeting_rows
from lscb_desktop.services.periods import period_containing
from lscb_desktop.services.reviews import StepState, case_review_rows, working_days_between
from lscb_desktop.services.settings import load_settings
from lscb_desktop.store import Database

UPCOMING_MEETINGS = 6
#: How far back the Home tab looks for meetings whose attendance is still to record.
ATTENDANCE_LOOKBACK_DAYS = 183
REVIEW_HORIZON_WORKING_DAYS = 10
#: The most recently due overdue actions listed; the rest are counted.
OVERDUE_ACTIONS_SHOWN = 50


@dataclass(frozen=True)
class HomeLine:
    text: str
    #: What the line opens: "meeting", "action", "case_review", "audit" or "attendance" (a
    #: meeting's attendance), and the record's id.
    kind: str
    record_id: int
    urgent: bool = False


@dataclass(frozen=True)
class Home:
    today: dt.date
    next_meetings: list[HomeLine]
    overdue_papers: list[HomeLine]
    overdue_actions: list[HomeLine]
    review_steps: list[HomeLine]
    audits: list[HomeLine]
    #: Meetings held in the last months whose attendance is not recorded for everyone.
    attendance_to_record: list[HomeLine] = field(default_factory=list)


def _action_target(action: ActionRow) -> tuple[str, int]:
    """An action opens in its meeting's action log, or in its audit's or review's plan."""
    if action.audit_id is not None:
        return "audit", action.audit_id
    if action.case_review_id is not None:
        return "case_review", action.case_review_id
    return "action", action.id


def home(database: Database, today: dt.date | None = None) -> Home:
    today = today or clock.today()
    settings = load_settings(database)
    meetings = meeting_rows(database, status=MeetingStatus.PLANNED, today=today)
    upcoming = [m for m in meetings if m.date >= today][:UPCOMING_MEETINGS]
    next_meetings = [
        HomeLine(
            f"{m.starts_at:%a %d/%m/%Y %H:%M} {m.group} — papers due {m.papers_due:%d/%m/%Y}"
            + (f" ({m.papers_missing} still to come)" if m.papers_missing else ""),
            "meeting",
            m.id,
            m.papers_overdue(today) or m.papers_due_soon(today),
        )
        for m in upcoming
    ]
    overdue_papers = [
        HomeLine(
            f"{m.group}, {m.date:%d/%m/%Y}: {m.papers_missing} paper(s) missing; "
            f"the deadline was {m.papers_due:%d/%m/%Y}",
            "meeting",
            m.id,
            True,
        )
        for m in meetings
        if m.papers_overdue(today)
    ]
    late, late_total = overdue_actions(database, today, OVERDUE_ACTIONS_SHOWN)
    overdue = [
        HomeLine(
            f"Due {a.due_date:%d/%m/%Y} — {a.owner or 'no owner'}: {a.description}"
            + (f" ({a.group})" if a.group else ""),
            *_action_target(a),
            True,
        )
        for a in late
        if a.due_date is not None
    ]
    if late_total > len(late):
        overdue.append(
            HomeLine(
                f"… and {late_total - len(late):,} more overdue: see the action log",
                "action",
                0,
                True,
            )
        )
    review_steps = []
    # A review's statutory steps fall within two years of its incident, but for publication.
    recent = today - dt.timedelta(days=2 * 365)
    for review in case_review_rows(database, today=today, active_since=recent):
        for step in review.steps:
            if step.done is not None or step.due is None or step.state is StepState.NOT_NEEDED:
                continue
            if step.state is StepState.OVERDUE:
                when = f"overdue since {step.due:%d/%m/%Y}"
            elif working_days_between(today, step.due) <= REVIEW_HORIZON_WORKING_DAYS:
                when = f"due {step.due:%d/%m/%Y}"
            else:
                continue
            review_steps.append(
                HomeLine(
                    f"{review.reference}: {step.label} — {when}",
                    "case_review",
                    review.id,
                    step.state.urgent,
                )
            )
    period = period_containing(today, settings.annual_period_start_month)
    quarter = (today.month - settings.annual_period_start_month) % 12 // 3 + 1
    audits = [
        HomeLine(
            f"Q{a.quarter}: {a.title} — {a.status.label.lower()}"
            + (f", led by {a.lead}" if a.lead else ""),
            "audit",
            a.id,
        )
        for a in programme(database, period.start.year).audits
        if a.quarter == quarter
    ]
    to_record = [
        HomeLine(
            f"{m.text}: the figures count the rest as not attended",
            "attendance",
            m.meeting_id,
            True,
        )
        for m in incomplete_meetings(
            database, today - dt.timedelta(days=ATTENDANCE_LOOKBACK_DAYS), today
        )
    ]
    return Home(today, next_meetings, overdue_papers, overdue, review_steps, audits, to_record)
