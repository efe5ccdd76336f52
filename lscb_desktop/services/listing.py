"""Records as plain dictionaries, for ``list --json`` and anything else that wants plain data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lscb_desktop import clock
from lscb_desktop.models import Agency, AgendaItem, Group, Meeting, Membership, Person
from lscb_desktop.models.base import Base, as_plain
from lscb_desktop.services.attendance import item_quorums, meeting_sheet
from lscb_desktop.services.audits import audit_years, programme
from lscb_desktop.services.declarations import DeclarationRow, register_of_interests
from lscb_desktop.services.quorum import Quorum
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
            .where(Membership.listed_on(today))
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


def _time(value: dt.time | None) -> str | None:
    return f"{value:%H:%M}" if value is not None else None


def _quorum(quorum: Quorum) -> dict[str, Any]:
    return {
        "agencies_represented": quorum.represented,
        "agencies": quorum.agencies,
        "missing_partners": list(quorum.missing),
        "quorate": quorum.quorate,
        "text": quorum.text,
    }


def _declaration(row: DeclarationRow, numbers: dict[int, int] | None = None) -> dict[str, Any]:
    number = (numbers or {}).get(row.item_id, row.item_number) if row.item_id else None
    return {
        "id": row.id,
        "meeting_id": row.meeting_id,
        "group": row.group,
        "starts_at": as_plain(row.starts_at),
        "item_id": row.item_id,
        "item_number": number,
        "item": f"Item {number}: {row.item_title}" if row.item_id else row.item,
        "person_id": row.person_id,
        "name": row.name,
        "agency": row.agency or None,
        "interest": row.interest,
        "action": row.action.value,
        "action_label": row.action.label,
        "excluded_from_quorum": row.action.excludes,
        "notes": row.notes,
    }


def meeting_attendance(database: Database, meeting_id: int) -> dict[str, Any]:
    """A meeting's attendance as recorded: each attendee as on the day (agency, seat, role,
    whether they count for quorum, status, reason, substitute, times, notes), how much is
    recorded and whether it is confirmed, the guests, the declarations, the quorum with the
    agencies it counted, and the quorum item by item."""
    with database.session() as session:
        if session.get(Meeting, meeting_id) is None:
            raise LookupError(f"there is no meeting {meeting_id} (see `list meetings`)")
    sheet = meeting_sheet(database, meeting_id)
    items = item_quorums(database, meeting_id, sheet)
    numbers = {item.item_id: item.number for item in items}
    quorum = sheet.quorum
    return {
        "meeting": {
            "id": sheet.meeting_id,
            "group": sheet.group,
            "starts_at": as_plain(sheet.starts_at),
            "ends_at": as_plain(sheet.ends_at),
            "status": sheet.status.value,
        },
        "recorded": sheet.recorded,
        "expected": sheet.expected,
        "complete": sheet.complete,
        "confirmed": as_plain(sheet.confirmed_on),
        "confirmed_by": sheet.confirmed_by or None,
        "attendees": [
            {
                "person_id": row.person_id,
                "name": row.name,
                "agency_id": row.agency_id,
                "agency": row.agency or None,
                "seat": row.seat or None,
                "role": row.role,
                "member_then": row.expected,
                "counts_for_quorum": row.counts,
                "status": row.status.value if row.status else None,
                "reason": row.reason or None,
                "substitute_id": row.substitute_id,
                "substitute": row.substitute or None,
                "substitute_agency": row.substitute_agency or None,
                "arrived_at": _time(row.arrived_at),
                "left_at": _time(row.left_at),
                "notes": row.notes or None,
            }
            for row in sheet.attendees
        ],
        "guests": [
            {
                "id": g.id,
                "name": g.name,
                "job_title": g.job_title or None,
                "organisation": g.organisation or None,
                "items": [
                    {"item_id": item_id, "number": numbers.get(item_id, number), "title": title}
                    for item_id, number, title in g.items
                ],
                "attending_for": g.attending_for,
            }
            for g in sheet.guests
        ],
        "declarations": [_declaration(d, numbers) for d in sheet.declarations],
        "quorum": {
            "rule": sheet.rule.text or None,
            "needed": quorum.needed,
            "required_partners": [name for _, name in sheet.rule.partners],
            **_quorum(quorum),
        },
        "items": [
            {
                "item_id": item.item_id,
                "number": item.number,
                "title": item.title,
                "starts_at": as_plain(item.starts_at),
                "left_out": list(item.left_out),
                **_quorum(item.quorum),
            }
            for item in items
        ],
    }


def list_declarations(
    database: Database, *, meeting_id: int | None = None, person_id: int | None = None
) -> list[dict[str, Any]]:
    """The register of interests: every declaration (of one meeting, or one person)."""
    if person_id is not None:
        with database.session() as session:
            if session.get(Person, person_id) is None:
                raise LookupError(f"there is no person {person_id} (see `list people`)")
    return [
        _declaration(row)
        for row in register_of_interests(database, meeting_id=meeting_id, person_id=person_id)
    ]


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
