"""The workbook format: its sheets and columns, in import order (see docs/workbook-format.md).

A column whose ``attr`` starts with "@" refers to another record (an agency by name, a person by
email or name) and is handled by the exporter and importer themselves; every other column maps
straight onto the model attribute it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import inspect

from lscb_desktop.models import (
    CHECKLIST,
    Action,
    ActionStatus,
    Agency,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Audit,
    AuditStatus,
    Base,
    CaseReview,
    Declaration,
    DeclarationAction,
    Frequency,
    Group,
    GroupKind,
    Guest,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Membership,
    Person,
    Purpose,
    ReviewDecision,
    ReviewType,
    Role,
)
from lscb_desktop.services.workbook.cells import Field, Kind

T, D, TM, N, B, E, M = Kind.TEXT, Kind.DATE, Kind.TIME, Kind.INT, Kind.BOOL, Kind.ENUM, Kind.EMAIL

#: The record's stable identifier, the last column of every sheet but Settings: an import matches
#: a row to a record by it, so two records that look alike are never merged.
UUID = Field("UUID", "uuid", Kind.UUID, width=38)


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Field, ...]
    #: The record each row is (None: Settings), whose columns say how long a text may be.
    model: type[Base] | None = None

    @property
    def plain(self) -> tuple[Field, ...]:
        return tuple(c for c in self.columns if not c.attr.startswith("@"))

    @cached_property
    def lengths(self) -> dict[str, int]:
        """The most characters each plain text column's field holds in the database (a server
        refuses a longer one, so the import names it first)."""
        if self.model is None:
            return {}
        table = inspect(self.model).local_table
        found = {}
        for column in self.plain:
            length = getattr(table.c[column.attr].type, "length", None)
            if column.kind in (Kind.TEXT, Kind.EMAIL) and isinstance(length, int):
                found[column.header] = length
        return found

    def column(self, header: str) -> Field:
        return next(c for c in self.columns if c.header == header)


#: Short headers for the members' checklist columns, in CHECKLIST order.
CHECKLIST_HEADERS = (
    "Welcome pack",
    "Terms of reference",
    "Business plan",
    "Meeting schedule",
    "Agreement signed",
    "Dates in diary",
    "Contact details sent",
    "Met chair",
)


def _person_ref(prefix: str, required: bool = False) -> tuple[Field, ...]:
    """A person named by name (and agency), or by email, which wins when given."""
    name = prefix or "Name"
    email = f"{prefix} email" if prefix else "Email"
    return (
        Field(name, "@person", T, required=required, width=24),
        Field(email, "@email", M, width=30),
    )


SETTINGS = Sheet(
    "Settings",
    (
        Field("Setting", "@key", T, required=True, width=28),
        Field("Value", "@value", T, width=60),
    ),
)

AGENCIES = Sheet(
    "Agencies",
    (
        Field("Name", "name", T, required=True, width=44),
        Field("Short name", "short_name", T),
        Field("Sector", "sector", T),
        Field("Statutory partner", "statutory_partner", B),
        Field("Counts for quorum", "counts_for_quorum", B, width=10),
        Field("Notes", "notes", T, width=40),
        UUID,
    ),
    Agency,
)

PEOPLE = Sheet(
    "People",
    (
        Field("Title", "title", T, width=8),
        Field("Name", "name", T, required=True, width=24),
        Field("Job title", "job_title", T, width=30),
        Field("Agency", "@agency", T, width=30),
        Field("Email", "email", M, nullable=True, width=30),
        Field("Secure email", "secure_email", M, width=30),
        Field("Phone", "phone", T, width=16),
        Field("Address", "address", T, width=40),
        Field("PA name", "pa_name", T),
        Field("PA email", "pa_email", M, width=30),
        Field("PA phone", "pa_phone", T, width=16),
        Field("Notes", "notes", T, width=40),
        UUID,
    ),
    Person,
)

GROUPS = Sheet(
    "Groups",
    (
        Field("Name", "name", T, required=True, width=34),
        Field("Short name", "short_name", T, width=10),
        Field("Kind", "kind", E, enum=GroupKind),
        Field("Accountable to", "@accountable_to", T, width=30),
        Field("Purpose", "purpose", T, width=60),
        Field("Aims", "aims", T, width=60),
        Field("Reporting", "reporting", T, width=40),
        Field("Meeting frequency", "meeting_frequency", E, enum=Frequency),
        Field("Quorum (agencies)", "quorum_agencies", N, minimum=1, maximum=100),
        Field("Quorum partners", "@quorum_partners", T, width=50),
        Field("Terms of reference review", "tor_review_date", D),
        Field("Archived on", "archived_on", D),
        Field("Notes", "notes", T, width=40),
        UUID,
    ),
    Group,
)

MEMBERSHIPS = Sheet(
    "Memberships",
    (
        Field("Group", "@group", T, required=True, width=30),
        *_person_ref(""),
        Field("Agency", "@agency", T, width=30),
        Field("Represents", "@represents", T, width=30),
        Field("Role", "role", E, enum=Role),
        Field("Position", "position", T, width=30),
        Field("Start date", "start_date", D, required=True),
        Field("End date", "end_date", D),
        *_person_ref("Substitute"),
        *(
            Field(header, column, D)
            for header, (column, _label) in zip(CHECKLIST_HEADERS, CHECKLIST, strict=True)
        ),
        Field("Notes", "notes", T, width=40),
        UUID,
    ),
    Membership,
)

MEETINGS = Sheet(
    "Meetings",
    (
        Field("Group", "@group", T, required=True, width=30),
        Field("Date", "@date", D, required=True),
        Field("Start", "@start", TM, width=8),
        Field("End", "@end", TM, width=8),
        Field("Venue", "venue", T, width=34),
        Field("Kind", "kind", E, enum=MeetingKind),
        Field("Status", "status", E, enum=MeetingStatus),
        Field("Protective marking", "protective_marking", T),
        Field("Attendance confirmed", "attendance_confirmed_on", D),
        Field("Confirmed by", "attendance_confirmed_by", T),
        Field("Notes", "notes", T, width=40),
        UUID,
    ),
    Meeting,
)

_MEETING_REF = (
    Field("Group", "@group", T, required=True, width=30),
    Field("Meeting date", "@date", D, required=True),
)

AGENDA_ITEMS = Sheet(
    "Agenda items",
    (
        *_MEETING_REF,
        Field("Order", "position", N, required=True, width=8, minimum=1, maximum=999),
        Field("Title", "title", T, required=True, width=44),
        *_person_ref("Presenter"),
        Field("Purpose", "purpose", E, enum=Purpose),
        Field("Minutes", "minutes", N, width=8, maximum=24 * 60),
        Field("Paper expected", "paper_expected", B, width=10),
        Field("Notes", "notes", T, width=40),
        UUID,
    ),
    AgendaItem,
)

ATTENDANCE = Sheet(
    "Attendance",
    (
        *_MEETING_REF,
        *_person_ref("", required=True),
        Field("Agency", "@agency", T, width=30),
        Field("Agency on the day", "@agency_on_the_day", T, width=30),
        Field("Role on the day", "role", E, enum=Role),
        Field("Seat", "seat", T, width=30),
        Field("Status", "status", E, required=True, enum=AttendanceStatus),
        Field("Reason", "reason", T, width=24),
        *_person_ref("Substitute"),
        Field("Arrived", "arrived_at", TM, width=8),
        Field("Left", "left_at", TM, width=8),
        Field("Notes", "notes", T, width=40),
        UUID,
    ),
    Attendance,
)

GUESTS = Sheet(
    "Guests",
    (
        *_MEETING_REF,
        Field("Name", "name", T, required=True, width=24),
        Field("Job title", "job_title", T, width=30),
        Field("Organisation", "organisation", T, width=30),
        Field("For items", "@items", T, width=12),
        UUID,
    ),
    Guest,
)

DECLARATIONS = Sheet(
    "Declarations",
    (
        *_MEETING_REF,
        Field("Item", "@item", N, width=8, minimum=1, maximum=999),
        *_person_ref(""),
        Field("Interest", "interest", T, required=True, width=50),
        Field("Action", "action", E, enum=DeclarationAction, width=20),
        Field("Notes", "notes", T, width=40),
        UUID,
    ),
    Declaration,
)

AUDITS = Sheet(
    "Audits",
    (
        Field("Title", "title", T, required=True, width=44),
        Field("Period", "@period", T, required=True, width=10),
        Field("Quarter", "quarter", N, width=8, minimum=1, maximum=4),
        Field("Core", "core", B, width=8),
        Field("Theme", "theme", T),
        Field("Priority", "priority", T, width=30),
        *_person_ref("Lead"),
        Field("Agencies", "@agencies", T, width=50),
        Field("Cases sampled", "cases_sampled", N, maximum=100_000),
        Field("Status", "status", E, enum=AuditStatus),
        Field("Findings", "findings", T, width=50),
        Field("Compliance", "compliance", T),
        Field("Escalated to SAG", "escalated_to_sag_on", D),
        Field("Assurance report requested", "assurance_requested_on", D),
        Field("Letter of authority", "authority_letter_on", D),
        Field("Notes", "notes", T, width=40),
        UUID,
    ),
    Audit,
)

CASE_REVIEWS = Sheet(
    "Case reviews",
    (
        Field("Reference", "reference", T, required=True, width=16),
        Field("Type", "review_type", E, required=True, enum=ReviewType, width=30),
        Field("Referring agency", "@agency", T, width=30),
        Field("Incident known", "incident_known_on", D),
        Field("Referral received", "referral_received_on", D),
        Field("Referral confirmed", "referral_confirmed_on", D),
        Field("Panel notified", "panel_notified_on", D),
        Field("Rapid review sent", "rapid_review_sent_on", D),
        Field("Decision date", "decision_on", D),
        Field("Decision", "decision", E, enum=ReviewDecision),
        Field("Commissioned", "commissioned_on", D),
        Field("Reviewer", "reviewer", T, width=30),
        Field("Methodology", "methodology", T, width=30),
        Field("Final report", "final_report_on", D),
        Field("Publication planned", "publication_planned_on", D),
        Field("Publication notice", "publication_notice_on", D),
        Field("Published", "published_on", D),
        Field("Action plan agreed", "action_plan_agreed_on", D),
        Field("Notes", "notes", T, width=40),
        UUID,
    ),
    CaseReview,
)

ACTIONS = Sheet(
    "Actions",
    (
        Field("Description", "description", T, required=True, width=50),
        Field("Group", "@group", T, width=30),
        Field("Meeting date", "@date", D),
        Field("Agenda item", "@item", N, width=10, minimum=1, maximum=999),
        Field("Audit", "@audit", T, width=30),
        Field("Audit period", "@audit_period", T, width=10),
        Field("Case review", "@case_review", T, width=14),
        *_person_ref("Owner"),
        Field("Due", "due_date", D),
        Field("Status", "status", E, enum=ActionStatus),
        Field("Done", "done_date", D),
        Field("Notes", "notes", T, width=40),
        UUID,
    ),
    Action,
)

SHEETS: tuple[Sheet, ...] = (
    SETTINGS,
    AGENCIES,
    PEOPLE,
    GROUPS,
    MEMBERSHIPS,
    MEETINGS,
    AGENDA_ITEMS,
    ATTENDANCE,
    GUESTS,
    DECLARATIONS,
    AUDITS,
    CASE_REVIEWS,
    ACTIONS,
)


def sheet_named(name: str) -> Sheet | None:
    wanted = " ".join(name.split()).casefold()
    return next((s for s in SHEETS if s.name.casefold() == wanted), None)
