"""Records as plain dictionaries, for ``list --json`` and anything else that wants plain data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lscb_desktop import clock
from lscb_desktop.models import Agency, AgendaItem, Group, Meeting, Membership, Person
from lscb_desktop.models.base import Base, as_plain
from lscb_desktop.services.attendance import meeting_sheet
from lscb_desktop.services.audits import audit_years, programme
from lscb_desktop.services.reviews import case_review_rows
from lscb_desktop.store import Database

KINDS = ("agencies", "people", "groups", "meetings", "audits", "case-reviews")


def _columns(obj: Base, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    return {
        column.key: as_plain(getattr(obj, column.key))
        for column in obj.__mapper__.column_attrs
        if column.key not in exclude
    }


def list_records(database: Database, kind: str) -> list[dict[str, Any]]:
    if kind not in KINDS:
        raise ValueError(f"cannot list “{kind}”; choose one of: {', '.join(KINDS)}")
    if kind == "audits":
        return list_audits(database)
    if kind == "case-reviews":
        return list_case_reviews(database)
    with database.session() as session:
        if kind == "agencies":
            return [_columns(a) for a in session.scalars(select(Agency).order_by(Agency.name))]
        if kind == "people":
            query = select(Person).options(selectinload(Person.agency)).order_by(Person.name)
            return [
                {**_columns(p), "agency": p.agency.name if p.agency else None}
                for p in session.scalars(query)
            ]
        if kind == "groups":
            return _groups(session)
        return _meetings(session)


def _groups(session: Any) -> list[dict[str, Any]]:
    today = clock.today()
    current = dict(
        session.execute(
            select(Membership.group_id, func.count())
            .where(Membership.start_date <= today)
            .where((Membership.end_date.is_(None)) | (Membership.end_date >= today))
            .group_by(Membership.group_id)
        ).all()
    )
    query = select(Group).options(selectinload(Group.accountable_to)).order_by(Group.name)
    return [
        {
            **_columns(g),
            "accountable_to": g.accountable_to.name if g.accountable_to else None,
            "current_members": current.get(g.id, 0),
        }
        for g in session.scalars(query)
    ]


def _meetings(session: Any) -> list[dict[str, Any]]:
    items = dict(
        session.execute(
            select(AgendaItem.meeting_id, func.count()).group_by(AgendaItem.meeting_id)
        ).all()
    )
    papers = dict(
        session.execute(
            select(AgendaItem.meeting_id, func.count())
            .where(AgendaItem.document_id.is_not(None))
            .group_by(AgendaItem.meeting_id)
        ).all()
    )
    query = select(Meeting).options(selectinload(Meeting.group)).order_by(Meeting.starts_at)
    return [
        {
            **_columns(m),
            "group": m.group.name,
            "date": m.starts_at.date().isoformat(),
            "agenda_items": items.get(m.id, 0),
            "papers": papers.get(m.id, 0),
        }
        for m in session.scalars(query)
    ]


def meeting_attendance(database: Database, meeting_id: int) -> dict[str, Any]:
    """A meeting's expected attendees with their status, its guests and the quorum result."""
    with database.session() as session:
        if session.get(Meeting, meeting_id) is None:
            raise LookupError(f"there is no meeting {meeting_id} (see `list meetings`)")
    sheet = meeting_sheet(database, meeting_id)
    quorum = sheet.quorum
    return {
        "meeting": {
            "id": sheet.meeting_id,
            "group": sheet.group,
            "starts_at": as_plain(sheet.starts_at),
            "status": sheet.status.value,
        },
        "attendees": [
            {
                "person_id": row.person_id,
                "name": row.name,
                "agency": row.agency,
                "role": row.role,
                "status": row.status.value if row.status else None,
                "substitute": row.substitute or None,
            }
            for row in sheet.attendees
        ],
        "guests": [{"name": g.name, "organisation": g.organisation} for g in sheet.guests],
        "quorum": {
            "agencies_represented": quorum.represented,
            "needed": quorum.needed,
            "quorate": quorum.quorate,
            "text": quorum.text,
        },
    }


def list_audits(database: Database) -> list[dict[str, Any]]:
    """Every audit, by period, with the period's four-core-audits flag."""
    rows = []
    for year in sorted(audit_years(database)):
        plan = programme(database, year)
        for audit in plan.audits:
            rows.append(
                {
                    "id": audit.id,
                    "period": plan.period.name,
                    "quarter": audit.quarter,
                    "title": audit.title,
                    "theme": audit.theme,
                    "core": audit.core,
                    "priority": audit.priority,
                    "lead": audit.lead,
                    "agencies": list(audit.agencies),
                    "cases_sampled": audit.cases_sampled,
                    "status": audit.status.value,
                    "compliance": audit.compliance,
                    "escalated_to_sag_on": as_plain(audit.escalated_to_sag_on),
                    "assurance_requested_on": as_plain(audit.assurance_requested_on),
                    "period_short_of_core_audits": plan.short_of_core,
                }
            )
    return rows


def list_case_reviews(database: Database, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every referral and review with each step's due date and state."""
    return [
        {
            "id": row.id,
            "reference": row.reference,
            "type": row.review_type.value,
            "referring_agency": row.referring_agency,
            "decision": row.decision.value if row.decision else None,
            "state": row.state.value,
            "steps": [step.as_plain() for step in row.steps],
        }
        for row in case_review_rows(database, today=today)
    ]
