"""The multi-agency audit programme and case reviews (serious case reviews and CSPRs).

A case review names a case only by its anonymised reference: there is deliberately no field
for a child's name.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lscb_desktop.models.base import Base, HasUuid, Versioned, enum_column
from lscb_desktop.models.enums import AuditStatus, ReviewDecision, ReviewType

if TYPE_CHECKING:
    from lscb_desktop.models.people import Agency, Person

audit_agency = Table(
    "audit_agency",
    Base.metadata,
    Column("audit_id", ForeignKey("audit.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", ForeignKey("agency.id", ondelete="RESTRICT"), primary_key=True),
)


class Audit(HasUuid, Versioned, Base):
    __tablename__ = "audit"
    __table_args__ = (UniqueConstraint("title", "period_start_year", name="uq_audit_title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    theme: Mapped[str] = mapped_column(String(300), default="")
    #: The annual period by its first year: 2025 is April 2025 to March 2026.
    period_start_year: Mapped[int] = mapped_column(index=True)
    quarter: Mapped[int | None]
    #: One of the four core audits a year, rather than one the Board asked for.
    core: Mapped[bool] = mapped_column(default=True)
    priority: Mapped[str] = mapped_column(String(300), default="")
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    cases_sampled: Mapped[int | None]
    status: Mapped[AuditStatus] = mapped_column(
        enum_column(AuditStatus, "audit_status"), default=AuditStatus.PLANNED
    )
    findings: Mapped[str] = mapped_column(Text, default="")
    compliance: Mapped[str] = mapped_column(String(200), default="")
    escalated_to_sag_on: Mapped[dt.date | None]
    assurance_requested_on: Mapped[dt.date | None]
    authority_letter_on: Mapped[dt.date | None]
    notes: Mapped[str] = mapped_column(Text, default="")

    lead: Mapped[Person | None] = relationship()
    agencies: Mapped[list[Agency]] = relationship(secondary=audit_agency, order_by="Agency.name")


class CaseReview(HasUuid, Versioned, Base):
    """A referral and, where decided, a review; each statutory step has its date."""

    __tablename__ = "case_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    review_type: Mapped[ReviewType] = mapped_column(enum_column(ReviewType, "review_type"))
    referring_agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency.id", ondelete="SET NULL")
    )
    incident_known_on: Mapped[dt.date | None]
    referral_received_on: Mapped[dt.date | None]
    referral_confirmed_on: Mapped[dt.date | None]
    panel_notified_on: Mapped[dt.date | None]
    rapid_review_sent_on: Mapped[dt.date | None]
    decision_on: Mapped[dt.date | None]
    decision: Mapped[ReviewDecision | None] = mapped_column(
        enum_column(ReviewDecision, "review_decision")
    )
    commissioned_on: Mapped[dt.date | None]
    reviewer: Mapped[str] = mapped_column(String(200), default="")
    methodology: Mapped[str] = mapped_column(String(200), default="")
    final_report_on: Mapped[dt.date | None]
    publication_planned_on: Mapped[dt.date | None]
    publication_notice_on: Mapped[dt.date | None]
    published_on: Mapped[dt.date | None]
    action_plan_agreed_on: Mapped[dt.date | None]
    notes: Mapped[str] = mapped_column(Text, default="")

    referring_agency: Mapped[Agency | None] = relationship()
