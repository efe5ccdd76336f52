"""The Board, its sub-groups, and who sits on them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    ColumnElement,
    Connection,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    and_,
    event,
    exists,
    inspect,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from lscb_desktop.models.base import Base, HasUuid, Versioned, enum_column
from lscb_desktop.models.enums import Frequency, GroupKind, Role
from lscb_desktop.models.people import Person

if TYPE_CHECKING:
    from lscb_desktop.models.people import Agency

#: The partners a group's quorum requires besides a number of agencies ("all three statutory
#: safeguarding partners present").
group_quorum_partner = Table(
    "group_quorum_partner",
    Base.metadata,
    Column("group_id", ForeignKey("board_group.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", ForeignKey("agency.id", ondelete="RESTRICT"), primary_key=True),
)


class Group(HasUuid, Versioned, Base):
    """The Strategic Board or one of its groups, with its terms of reference."""

    __tablename__ = "board_group"
    __table_args__ = (
        CheckConstraint("quorum_agencies IS NULL OR quorum_agencies >= 1", name="quorum_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(40), default="")
    kind: Mapped[GroupKind] = mapped_column(enum_column(GroupKind, "group_kind"))
    accountable_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_group.id", ondelete="SET NULL")
    )
    purpose: Mapped[str] = mapped_column(Text, default="")
    aims: Mapped[str] = mapped_column(Text, default="")
    #: How, and how often, the group reports ("quarterly reports to the Executive").
    reporting: Mapped[str] = mapped_column(Text, default="")
    meeting_frequency: Mapped[Frequency | None] = mapped_column(enum_column(Frequency, "frequency"))
    #: Quorate when at least this many agencies are represented; None when no rule is set.
    quorum_agencies: Mapped[int | None]
    tor_review_date: Mapped[dt.date | None]
    archived_on: Mapped[dt.date | None]
    #: The items that open and close every agenda, one per line as "title | purpose | minutes";
    #: blank for the usual ones (``services.agenda.DEFAULT_OPENING`` and ``DEFAULT_CLOSING``).
    standard_opening: Mapped[str] = mapped_column(Text, default="", server_default="")
    standard_closing: Mapped[str] = mapped_column(Text, default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    accountable_to: Mapped[Group | None] = relationship(remote_side=[id])
    memberships: Mapped[list[Membership]] = relationship(back_populates="group")
    #: Agencies that must be represented for the group to be quorate, whatever the number.
    quorum_partners: Mapped[list[Agency]] = relationship(
        secondary=group_quorum_partner, order_by="Agency.name"
    )


#: The members' checklist, in the order the welcome pack gives it: (column, label).
CHECKLIST: tuple[tuple[str, str], ...] = (
    ("welcome_pack_received_on", "Welcome pack received"),
    ("terms_received_on", "Terms of reference or governance arrangements received"),
    ("business_plan_received_on", "Business plan received"),
    ("schedule_received_on", "Meeting schedule received"),
    ("agreement_signed_on", "Membership agreement signed and returned"),
    ("dates_in_diary_on", "Meeting dates in diary"),
    ("contact_details_sent_on", "Contact and PA details sent"),
    ("met_chair_on", "Met the Independent Chair and business manager"),
)


class Membership(HasUuid, Versioned, Base):
    """A person in a group for a spell, with a role; ended memberships keep their history."""

    __tablename__ = "membership"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        CheckConstraint("substitute_id IS NULL OR substitute_id <> person_id", name="not_own_sub"),
        Index("ix_membership_group_dates", "group_id", "start_date", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("board_group.id", ondelete="RESTRICT"))
    #: The agency the person represents in this seat: their agency when the membership began.
    #: When they move to another agency the membership is ended and a new one begun, so that
    #: meetings before the move stay with the agency they represented then.
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), default=Role.MEMBER)
    #: What the group's table says of the seat ("Chair MAAG", "Designated Nurse").
    position: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date | None]
    substitute_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    welcome_pack_received_on: Mapped[dt.date | None]
    terms_received_on: Mapped[dt.date | None]
    business_plan_received_on: Mapped[dt.date | None]
    schedule_received_on: Mapped[dt.date | None]
    agreement_signed_on: Mapped[dt.date | None]
    dates_in_diary_on: Mapped[dt.date | None]
    contact_details_sent_on: Mapped[dt.date | None]
    met_chair_on: Mapped[dt.date | None]
    notes: Mapped[str] = mapped_column(Text, default="")

    person: Mapped[Person] = relationship(back_populates="memberships", foreign_keys=[person_id])
    group: Mapped[Group] = relationship(back_populates="memberships")
    agency: Mapped[Agency | None] = relationship()
    substitute: Mapped[Person | None] = relationship(foreign_keys=[substitute_id])

    def is_current(self, on: dt.date) -> bool:
        """A member on ``on``: a meeting on a member's last day still has them."""
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)

    @classmethod
    def on_day(cls, day: dt.date) -> ColumnElement[bool]:
        """A member on ``day`` (is_current, in SQL): a meeting that day has them."""
        return and_(cls.start_date <= day, or_(cls.end_date.is_(None), cls.end_date >= day))

    @classmethod
    def listed_on(cls, day: dt.date) -> ColumnElement[bool]:
        """The current list as it stands on ``day``: begun by then and not yet ended. A
        membership whose last day is ``day`` has left the list (End membership today means
        gone from the list today), though a meeting that day still has them (is_current)."""
        continued = aliased(cls)
        # A member moving agency tomorrow ends today and continues tomorrow: still listed today.
        moving = and_(
            cls.end_date == day,
            exists().where(
                continued.person_id == cls.person_id,
                continued.group_id == cls.group_id,
                continued.start_date == day + dt.timedelta(days=1),
            ),
        )
        return and_(cls.start_date <= day, or_(cls.end_date.is_(None), cls.end_date > day, moving))

    @property
    def induction_done(self) -> int:
        return sum(getattr(self, column) is not None for column, _ in CHECKLIST)


@event.listens_for(Membership, "before_insert")
def _agency_of_the_seat(_mapper: object, connection: Connection, target: Membership) -> None:
    """A new membership represents the person's agency unless it was given another."""
    if target.agency_id is not None or target.agency is not None:
        return
    person = inspect(target).attrs.person.loaded_value
    if isinstance(person, Person):
        target.agency_id = person.agency_id if person.agency is None else person.agency.id
    elif target.person_id is not None:
        target.agency_id = connection.scalar(
            select(Person.agency_id).where(Person.id == target.person_id)
        )
