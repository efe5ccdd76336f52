"""The multi-agency audit programme: four core audits a year, and any the Board asks for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lscb_desktop import clock
from lscb_desktop.models import Agency, Audit, AuditStatus
from lscb_desktop.services.periods import Period, period_starting
from lscb_desktop.services.settings import LATEST_YEAR, load_settings, read_settings
from lscb_desktop.services.validation import Collector
from lscb_desktop.store import Database

CORE_AUDITS_A_YEAR = 4


@dataclass(frozen=True)
class AuditRow:
    id: int
    title: str
    theme: str
    period_start_year: int
    quarter: int | None
    core: bool
    priority: str
    lead: str
    agencies: tuple[str, ...]
    cases_sampled: int | None
    status: AuditStatus
    compliance: str
    escalated_to_sag_on: dt.date | None
    assurance_requested_on: dt.date | None


@dataclass(frozen=True)
class AuditInput:
    title: str
    period_start_year: int
    theme: str = ""
    quarter: int | None = None
    core: bool = True
    priority: str = ""
    lead_id: int | None = None
    agency_ids: tuple[int, ...] = ()
    cases_sampled: int | None = None
    status: AuditStatus = AuditStatus.PLANNED
    findings: str = ""
    compliance: str = ""
    escalated_to_sag_on: dt.date | None = None
    assurance_requested_on: dt.date | None = None
    authority_letter_on: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True)
class Programme:
    """A period's audits, and whether the four core audits are planned."""

    period: Period
    audits: list[AuditRow]

    @property
    def core_planned(self) -> int:
        return sum(1 for a in self.audits if a.core)

    @property
    def short_of_core(self) -> bool:
        return self.core_planned < CORE_AUDITS_A_YEAR

    @property
    def warning(self) -> str:
        if not self.short_of_core:
            return ""
        return (
            f"Only {self.core_planned} of the {CORE_AUDITS_A_YEAR} core audits are planned "
            f"for {self.period.name}."
        )


def audit_years(database: Database, today: dt.date | None = None) -> list[int]:
    """The periods (by first year) that have audits, with this one and the next; latest first."""
    today = today or clock.today()
    start_month = load_settings(database).annual_period_start_month
    current = today.year if today.month >= start_month else today.year - 1
    with database.session() as session:
        years = set(session.scalars(select(Audit.period_start_year).distinct()))
    return sorted(years | {current, current + 1}, reverse=True)


def programme(database: Database, year: int) -> Programme:
    start_month = load_settings(database).annual_period_start_month
    query = (
        select(Audit)
        .where(Audit.period_start_year == year)
        .options(selectinload(Audit.lead), selectinload(Audit.agencies))
    )
    with database.session() as session:
        rows = [
            AuditRow(
                id=a.id,
                title=a.title,
                theme=a.theme,
                period_start_year=a.period_start_year,
                quarter=a.quarter,
                core=a.core,
                priority=a.priority,
                lead=a.lead.display_name if a.lead else "",
                agencies=tuple(agency.name for agency in a.agencies),
                cases_sampled=a.cases_sampled,
                status=a.status,
                compliance=a.compliance,
                escalated_to_sag_on=a.escalated_to_sag_on,
                assurance_requested_on=a.assurance_requested_on,
            )
            for a in session.scalars(query)
        ]
    rows.sort(key=lambda a: (a.quarter or 9, not a.core, a.title.casefold()))
    return Programme(period_starting(year, start_month), rows)


def audit_input(database: Database, audit_id: int) -> AuditInput:
    with database.session() as session:
        a = session.get_one(Audit, audit_id)
        return AuditInput(
            title=a.title,
            period_start_year=a.period_start_year,
            theme=a.theme,
            quarter=a.quarter,
            core=a.core,
            priority=a.priority,
            lead_id=a.lead_id,
            agency_ids=tuple(agency.id for agency in a.agencies),
            cases_sampled=a.cases_sampled,
            status=a.status,
            findings=a.findings,
            compliance=a.compliance,
            escalated_to_sag_on=a.escalated_to_sag_on,
            assurance_requested_on=a.assurance_requested_on,
            authority_letter_on=a.authority_letter_on,
            notes=a.notes,
        )


def _year_problem(year: int, earliest_year: int) -> str | None:
    """Why a period's first year is out of the years the program accepts, or None."""
    if year < earliest_year:
        return (
            f"{year} is before {earliest_year}, the earliest year for dates: check the year "
            "(for older history, lower the earliest year under File > Settings)."
        )
    if year > LATEST_YEAR:
        return f"{year} is after {LATEST_YEAR}: check the year."
    return None


def save_audit(database: Database, data: AuditInput, audit_id: int | None = None) -> int:
    """Adds or changes an audit; raises InvalidInput naming each wrong field, saving nothing.

    The period's first year and every date must fall between the settings' earliest year and
    2100.
    """
    problems = Collector()
    title = " ".join(data.title.split())
    if not title:
        problems.add("title", "Enter the audit's title.")
    if data.quarter is not None and not 1 <= data.quarter <= 4:
        problems.add("quarter", "The quarter is 1, 2, 3 or 4.")
    if data.cases_sampled is not None and data.cases_sampled < 0:
        problems.add("cases_sampled", "The number of cases cannot be negative.")
    with database.session() as session:
        earliest_year = read_settings(session).earliest_year
        year_problem = _year_problem(data.period_start_year, earliest_year)
        if year_problem:
            problems.add("period_start_year", year_problem)
        for field in ("escalated_to_sag_on", "assurance_requested_on", "authority_letter_on"):
            problems.check_date(field, getattr(data, field), earliest_year)
        same = session.scalar(
            select(Audit).where(
                Audit.title == title, Audit.period_start_year == data.period_start_year
            )
        )
        if title and same is not None and same.id != audit_id:
            problems.add("title", "There is already an audit with this title in the period.")
        problems.raise_if_any()
        audit = (
            session.get_one(Audit, audit_id)
            if audit_id is not None
            else Audit(title=title, period_start_year=data.period_start_year)
        )
        for field in (
            "period_start_year",
            "theme",
            "quarter",
            "core",
            "priority",
            "lead_id",
            "cases_sampled",
            "status",
            "findings",
            "compliance",
            "escalated_to_sag_on",
            "assurance_requested_on",
            "authority_letter_on",
            "notes",
        ):
            setattr(audit, field, getattr(data, field))
        audit.title = title
        audit.agencies = list(session.scalars(select(Agency).where(Agency.id.in_(data.agency_ids))))
        session.add(audit)
        session.flush()
        return audit.id
