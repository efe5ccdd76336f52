"""The action log: actions from meetings (and later audits and reviews), who owns them, when due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lscb_desktop import clock
from lscb_desktop.models import Action, ActionStatus, AgendaItem, Meeting
from lscb_desktop.services.settings import read_settings
from lscb_desktop.services.validation import Collector, InvalidInput, date_problem
from lscb_desktop.store import Database


@dataclass(frozen=True)
class ActionRow:
    id: int
    description: str
    group: str
    group_id: int | None
    meeting_date: dt.date | None
    item: str
    owner: str
    owner_id: int | None
    due_date: dt.date | None
    status: ActionStatus
    done_date: dt.date | None
    notes: str
    audit_id: int | None = None
    case_review_id: int | None = None

    def overdue(self, today: dt.date) -> bool:
        return (
            self.status is ActionStatus.OPEN and self.due_date is not None and self.due_date < today
        )


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner_id: int | None = None
    owner_text: str = ""
    due_date: dt.date | None = None
    status: ActionStatus = ActionStatus.OPEN
    done_date: dt.date | None = None
    notes: str = ""
    meeting_id: int | None = None
    agenda_item_id: int | None = None
    audit_id: int | None = None
    case_review_id: int | None = None


def _source(action: Action) -> str:
    """Where the action came from: its meeting's group, or the audit or review."""
    if action.meeting is not None:
        return action.meeting.group.name
    if action.audit is not None:
        return f"Audit: {action.audit.title}"
    if action.case_review is not None:
        return f"Review {action.case_review.reference}"
    return ""


def action_rows(
    database: Database,
    *,
    group_id: int | None = None,
    owner_id: int | None = None,
    status: ActionStatus | None = None,
    meeting_id: int | None = None,
    audit_id: int | None = None,
    case_review_id: int | None = None,
    meetings_only: bool = True,
    ids: list[int] | None = None,
) -> list[ActionRow]:
    """Actions, filtered: from meetings (the action log) unless an audit's or a case review's
    action plan is asked for; open ones first by due date, then the rest."""
    query = select(Action)
    if audit_id is not None:
        query = query.where(Action.audit_id == audit_id)
    elif case_review_id is not None:
        query = query.where(Action.case_review_id == case_review_id)
    elif meetings_only:
        query = query.where(Action.meeting_id.is_not(None))
    query = query.options(
        selectinload(Action.meeting).selectinload(Meeting.group),
        selectinload(Action.agenda_item),
        selectinload(Action.owner),
        selectinload(Action.audit),
        selectinload(Action.case_review),
    )
    if group_id is not None:
        query = query.join(Action.meeting).where(Meeting.group_id == group_id)
    if owner_id is not None:
        query = query.where(Action.owner_id == owner_id)
    if status is not None:
        query = query.where(Action.status == status)
    if meeting_id is not None:
        query = query.where(Action.meeting_id == meeting_id)
    if ids is not None:
        query = query.where(Action.id.in_(ids))
    with database.session() as session:
        rows = [
            ActionRow(
                id=a.id,
                description=a.description,
                group=_source(a),
                group_id=a.meeting.group_id if a.meeting else None,
                meeting_date=a.meeting.starts_at.date() if a.meeting else None,
                item=a.agenda_item.title if a.agenda_item else "",
                owner=a.owner.display_name if a.owner else a.owner_text,
                owner_id=a.owner_id,
                due_date=a.due_date,
                status=a.status,
                done_date=a.done_date,
                notes=a.notes,
                audit_id=a.audit_id,
                case_review_id=a.case_review_id,
            )
            for a in session.scalars(query)
        ]
    return sorted(
        rows,
        key=lambda r: (
            r.status is not ActionStatus.OPEN,
            r.due_date or dt.date.max,
            r.description.casefold(),
        ),
    )


def action_input(database: Database, action_id: int) -> ActionInput:
    with database.session() as session:
        a = session.get_one(Action, action_id)
        return ActionInput(
            description=a.description,
            owner_id=a.owner_id,
            owner_text=a.owner_text,
            due_date=a.due_date,
            status=a.status,
            done_date=a.done_date,
            notes=a.notes,
            meeting_id=a.meeting_id,
            agenda_item_id=a.agenda_item_id,
            audit_id=a.audit_id,
            case_review_id=a.case_review_id,
        )


def save_action(database: Database, data: ActionInput, action_id: int | None = None) -> int:
    """Adds or changes an action; raises InvalidInput naming each wrong field, saving nothing.

    The due date, and the date done of a done action, must fall between the settings' earliest
    year and 2100.
    """
    problems = Collector()
    description = data.description.strip()
    if not description:
        problems.add("description", "Describe the action.")
    with database.session() as session:
        earliest_year = read_settings(session).earliest_year
        problems.check_date("due_date", data.due_date, earliest_year)
        if data.status is ActionStatus.DONE:
            # Only a done action keeps its date done.
            problems.check_date("done_date", data.done_date, earliest_year)
        if data.status is ActionStatus.DONE and data.done_date is None:
            problems.add("done_date", "Give the date the action was done.")
        if data.done_date is not None and data.done_date > clock.today():
            problems.add("done_date", "The date done cannot be in the future.")
        meeting_id = data.meeting_id
        if data.agenda_item_id is not None:
            item = session.get_one(AgendaItem, data.agenda_item_id)
            meeting_id = item.meeting_id
        source = (meeting_id, data.audit_id, data.case_review_id)
        if all(each is None for each in source) and action_id is None:
            problems.add("meeting", "An action comes from a meeting, an audit or a review.")
        problems.raise_if_any()
        action = session.get_one(Action, action_id) if action_id else Action(description="")
        action.description = description
        action.meeting_id = meeting_id
        action.agenda_item_id = data.agenda_item_id
        action.audit_id = data.audit_id
        action.case_review_id = data.case_review_id
        action.owner_id = data.owner_id
        action.owner_text = "" if data.owner_id else data.owner_text.strip()
        action.due_date = data.due_date
        action.status = data.status
        action.done_date = data.done_date if data.status is ActionStatus.DONE else None
        action.notes = data.notes
        session.add(action)
        session.flush()
        return action.id


def mark_done(database: Database, action_id: int, on: dt.date | None = None) -> None:
    """Marks an action done on ``on`` (today).

    A date outside the settings' earliest year to 2100 raises InvalidInput ("done_date"),
    changing nothing.
    """
    done_on = on or clock.today()
    with database.session() as session:
        problem = date_problem(done_on, read_settings(session).earliest_year)
        if problem:
            raise InvalidInput({"done_date": problem})
        action = session.get_one(Action, action_id)
        action.status = ActionStatus.DONE
        action.done_date = done_on


def overdue_actions(
    database: Database, today: dt.date, limit: int = 50
) -> tuple[list[ActionRow], int]:
    """The most recently due open actions past their date (at most ``limit``), and how many
    there are in all: the Home view lists the first and counts the rest."""
    overdue = (Action.status == ActionStatus.OPEN) & (Action.due_date < today)
    with database.session() as session:
        total = session.scalar(select(func.count()).select_from(Action).where(overdue)) or 0
        ids = list(
            session.scalars(
                select(Action.id).where(overdue).order_by(Action.due_date.desc()).limit(limit)
            )
        )
    rows = action_rows(database, meetings_only=False, ids=ids)
    rows.sort(key=lambda row: row.due_date or dt.date.min, reverse=True)
    return rows, total
