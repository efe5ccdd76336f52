"""The records, as SQLAlchemy 2 typed models. No Qt here."""

from __future__ import annotations

from lscb_desktop.models.admin import ChangeLogEntry, Setting
from lscb_desktop.models.base import Base
from lscb_desktop.models.enums import (
    ActionStatus,
    AttendanceStatus,
    AuditStatus,
    DeclarationAction,
    Frequency,
    GroupKind,
    MeetingKind,
    MeetingStatus,
    Purpose,
    ReviewDecision,
    ReviewType,
    Role,
)
from lscb_desktop.models.groups import CHECKLIST, Group, Membership, group_quorum_partner
from lscb_desktop.models.meetings import (
    Action,
    AgendaItem,
    Attendance,
    Declaration,
    Document,
    Guest,
    Meeting,
    guest_item,
)
from lscb_desktop.models.packs import PackIssue, PackIssuePaper
from lscb_desktop.models.people import Agency, Person
from lscb_desktop.models.reviews import Audit, CaseReview, audit_agency

__all__ = [
    "CHECKLIST",
    "Action",
    "ActionStatus",
    "Agency",
    "AgendaItem",
    "Attendance",
    "AttendanceStatus",
    "Audit",
    "AuditStatus",
    "Base",
    "CaseReview",
    "ChangeLogEntry",
    "Declaration",
    "DeclarationAction",
    "Document",
    "Frequency",
    "Group",
    "GroupKind",
    "Guest",
    "Meeting",
    "MeetingKind",
    "MeetingStatus",
    "Membership",
    "PackIssue",
    "PackIssuePaper",
    "Person",
    "Purpose",
    "ReviewDecision",
    "ReviewType",
    "Role",
    "Setting",
    "audit_agency",
    "group_quorum_partner",
    "guest_item",
]
