"""Partner agencies and the people who represent them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lscb_desktop.models.base import Base, HasUuid, Versioned

if TYPE_CHECKING:
    from lscb_desktop.models.groups import Membership


class Agency(HasUuid, Versioned, Base):
    """A partner organisation represented on the Board or its groups."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(60), default="")
    sector: Mapped[str] = mapped_column(String(80), default="")
    #: A statutory "Board partner" (procedure 2.2 section 1.2): it must be represented.
    statutory_partner: Mapped[bool] = mapped_column(default=False)
    #: Whether a member of this agency makes a meeting quorate (the Board's own business unit
    #: supports meetings and does not); agency rates leave out an agency that does not count.
    counts_for_quorum: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    notes: Mapped[str] = mapped_column(Text, default="")

    people: Mapped[list[Person]] = relationship(back_populates="agency")


class Person(HasUuid, Versioned, Base):
    """A member, substitute, presenter or action owner; the members' checklist asks for all this."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(30), default="")
    name: Mapped[str] = mapped_column(String(200), index=True)
    job_title: Mapped[str] = mapped_column(String(200), default="")
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True
    )
    #: Stored lower-case; unique where given (several people may have none).
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    secure_email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    pa_name: Mapped[str] = mapped_column(String(200), default="")
    pa_email: Mapped[str] = mapped_column(String(254), default="")
    pa_phone: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    agency: Mapped[Agency | None] = relationship(back_populates="people")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person", foreign_keys="Membership.person_id"
    )

    @property
    def display_name(self) -> str:
        return f"{self.title} {self.name}".strip()
