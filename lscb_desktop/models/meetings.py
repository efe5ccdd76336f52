"""Meetings with their agendas, papers, attendance, guests and actions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    Connection,
    ForeignKey,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    func,
    select,
)
from sqlalchemy import (
    false as sa_false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lscb_desktop.models.base import Base, HasUuid, Versioned, enum_column
from lscb_desktop.models.enums import (
    ActionStatus,
    AttendanceStatus,
    DeclarationAction,
    MeetingKind,
    MeetingStatus,
    Purpose,
    Role,
)
from lscb_desktop.models.groups import Membership
from lscb_desktop.models.people import Person

if TYPE_CHECKING:
    from lscb_desktop.models.groups import Group
    from lscb_desktop.models.people import Agency
    from lscb_desktop.models.reviews import Audit, CaseReview


class Meeting(HasUuid, Versioned, Base):
    __tablename__ = "meeting"
    __table_args__ = (
        UniqueConstraint("group_id", "starts_at", name="uq_meeting_group_start"),
        CheckConstraint("ends_at IS NULL OR ends_at >= starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("board_group.id", ondelete="RESTRICT"), index=True
    )
    starts_at: Mapped[dt.datetime] = mapped_column(index=True)
    ends_at: Mapped[dt.datetime | None]
    venue: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[MeetingKind] = mapped_column(
        enum_column(MeetingKind, "meeting_kind"), default=MeetingKind.ORDINARY
    )
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus, "meeting_status"), default=MeetingStatus.PLANNED
    )
    protective_marking: Mapped[str] = mapped_column(String(60), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: The day the attendance was confirmed with the minutes (None: not confirmed). Confirmed
    #: attendance is locked: a later change asks first and is logged.
    attendance_confirmed_on: Mapped[dt.date | None]
    #: Who confirmed it (their login).
    attendance_confirmed_by: Mapped[str] = mapped_column(String(120), default="", server_default="")

    group: Mapped[Group] = relationship()
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    guests: Mapped[list[Guest]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    declarations: Mapped[list[Declaration]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )


class Document(HasUuid, Versioned, Base):
    """A paper: the file's bytes are kept in the database so a pack can be built offline."""

    __tablename__ = "document"
    __changelog_exclude__ = frozenset({"content"})

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120), default="application/octet-stream")
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    #: Loaded only when asked for, so listing papers never reads the files.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    confidential: Mapped[bool] = mapped_column(default=True)
    added_at: Mapped[dt.datetime]


class AgendaItem(HasUuid, Versioned, Base):
    __tablename__ = "agenda_item"
    __table_args__ = (
        CheckConstraint("minutes IS NULL OR minutes >= 0", name="minutes_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    #: A presenter who is not on file ("Head of Service, YOS").
    presenter_text: Mapped[str] = mapped_column(String(200), default="")
    purpose: Mapped[Purpose | None] = mapped_column(enum_column(Purpose, "purpose"))
    minutes: Mapped[int | None]
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    #: A paper is to come for this item (a report), so the item waits for it until attached.
    paper_expected: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    notes: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    presenter: Mapped[Person | None] = relationship()
    document: Mapped[Document | None] = relationship()


class Attendance(HasUuid, Versioned, Base):
    """One expected attendee of one meeting, with what was true on the day: the agency and the
    seat they represented (filled from their membership when recorded, and never moved by a
    later change to the person), so that past figures stay as they were reported."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("meeting_id", "person_id", name="uq_attendance_person"),
        CheckConstraint(
            "arrived_at IS NULL OR left_at IS NULL OR left_at >= arrived_at", name="left_after"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_column(AttendanceStatus, "attendance_status")
    )
    substitute_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    #: A substitute who is not on file.
    substitute_name: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: The agency represented at this meeting (by the member or their substitute).
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True
    )
    #: The member's role and seat in the group on the day.
    role: Mapped[Role | None] = mapped_column(enum_column(Role, "attendance_role"))
    seat: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: Why apologies were sent: one of the settings' reasons, or typed.
    reason: Mapped[str] = mapped_column(String(120), default="", server_default="")
    #: Arrived late or left early: the times (None: there throughout).
    arrived_at: Mapped[dt.time | None]
    left_at: Mapped[dt.time | None]

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    substitute: Mapped[Person | None] = relationship(foreign_keys=[substitute_id])
    agency: Mapped[Agency | None] = relationship()


#: The agenda items a guest (an officer "in attendance for item 5") came for.
guest_item = Table(
    "guest_item",
    Base.metadata,
    Column("guest_id", ForeignKey("guest.id", ondelete="CASCADE"), primary_key=True),
    Column("agenda_item_id", ForeignKey("agenda_item.id", ondelete="CASCADE"), primary_key=True),
)


class Guest(HasUuid, Versioned, Base):
    __tablename__ = "guest"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    #: The guest's job ("Head of Service, YOS"): officers in attendance are not members.
    job_title: Mapped[str] = mapped_column(String(200), default="", server_default="")

    meeting: Mapped[Meeting] = relationship(back_populates="guests")
    #: The items they attended for (none: the whole meeting).
    items: Mapped[list[AgendaItem]] = relationship(
        secondary=guest_item, order_by="AgendaItem.position"
    )


class Declaration(HasUuid, Versioned, Base):
    """A declaration of interest at a meeting, for one item or (no item) the whole meeting; a
    member who left the room or took no part is left out of that item's quorum."""

    __tablename__ = "declaration"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="RESTRICT"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    interest: Mapped[str] = mapped_column(Text)
    action: Mapped[DeclarationAction] = mapped_column(
        enum_column(DeclarationAction, "declaration_action"), default=DeclarationAction.STAYED
    )
    notes: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="declarations")
    agenda_item: Mapped[AgendaItem | None] = relationship()
    person: Mapped[Person] = relationship()


class Action(HasUuid, Versioned, Base):
    """An action from a meeting (or one of its items), an audit or a case review."""

    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    description: Mapped[str] = mapped_column(Text)
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="SET NULL")
    )
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit.id", ondelete="SET NULL"))
    case_review_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_review.id", ondelete="SET NULL")
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    owner_text: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[dt.date | None]
    status: Mapped[ActionStatus] = mapped_column(
        enum_column(ActionStatus, "action_status"), default=ActionStatus.OPEN
    )
    done_date: Mapped[dt.date | None]
    notes: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting | None] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()
    owner: Mapped[Person | None] = relationship()
    audit: Mapped[Audit | None] = relationship()
    case_review: Mapped[CaseReview | None] = relationship()


def seat_on_the_day(
    connection: Connection, meeting_id: int, person_id: int
) -> tuple[int | None, Role | None, str]:
    """(agency, role, seat) of a person at a meeting: from their membership of the meeting's
    group on its date, or (not a member then) their own agency."""
    day = func.date(Meeting.starts_at)
    found = connection.execute(
        select(Membership.agency_id, Membership.role, Membership.position)
        .join(Meeting, Meeting.group_id == Membership.group_id)
        .where(Meeting.id == meeting_id, Membership.person_id == person_id)
        .where(Membership.start_date <= day)
        .where((Membership.end_date.is_(None)) | (Membership.end_date >= day))
        .order_by(Membership.start_date.desc())
        .limit(1)
    ).first()
    if found is not None:
        return found[0], found[1], found[2] or ""
    agency = connection.scalar(select(Person.agency_id).where(Person.id == person_id))
    return agency, None, ""


@event.listens_for(Attendance, "before_insert")
def _what_was_true_on_the_day(_mapper: object, connection: Connection, target: Attendance) -> None:
    """An attendance row saved without its agency and seat gets them from the membership on the
    meeting's date (the window, the import and the sample give them; this catches the rest)."""
    if target.agency_id is not None or target.agency is not None or target.role is not None:
        return
    agency_id, role, seat = seat_on_the_day(connection, target.meeting_id, target.person_id)
    target.agency_id, target.role = agency_id, role
    target.seat = target.seat or seat
