"""Meetings with their agendas, papers, attendance, guests and actions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import (
    false as sa_false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lscb_desktop.models.base import Base, HasUuid, Versioned, enum_column
from lscb_desktop.models.enums import (
    ActionStatus,
    AttendanceStatus,
    MeetingKind,
    MeetingStatus,
    Purpose,
)

if TYPE_CHECKING:
    from lscb_desktop.models.groups import Group
    from lscb_desktop.models.people import Person
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
    """One expected attendee of one meeting."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id", name="uq_attendance_person"),)

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

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    substitute: Mapped[Person | None] = relationship(foreign_keys=[substitute_id])


class Guest(HasUuid, Versioned, Base):
    __tablename__ = "guest"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="guests")


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
