"""What was sent: each issued version of a meeting's pack, and the papers it held.

A pack is issued once it is sent to the members; a paper that arrives or changes after that goes
out in a supplement of its own, and each supplement is issued in turn. The record keeps when and
by whom each version was issued, its page count and its file's checksum, and for each paper the
agenda item it was for (as numbered and titled then), its file name and checksum and where it
sat in the file; so what members were sent can be told years later, and a file can be checked
against the record.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lscb_desktop.models.base import Base, HasUuid, Versioned


class PackIssue(HasUuid, Versioned, Base):
    """One issued version: the pack (``supplement`` 0) or Supplement N."""

    __tablename__ = "pack_issue"
    __table_args__ = (
        UniqueConstraint("meeting_id", "sequence", name="uq_pack_issue_sequence"),
        CheckConstraint("supplement >= 0", name="supplement_not_negative"),
        CheckConstraint("pages >= 0", name="pages_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    #: 1 for the first version issued, then 2, 3, …
    sequence: Mapped[int]
    #: 0 for the whole pack, N for Supplement N.
    supplement: Mapped[int]
    issued_at: Mapped[dt.datetime]
    #: Who issued it (their login).
    issued_by: Mapped[str] = mapped_column(String(120), default="")
    pages: Mapped[int]
    #: The name the file was saved under, and its SHA-256.
    filename: Mapped[str] = mapped_column(String(255), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    #: The version issued after this one (its sequence), once there is one: a later version
    #: rests on this, so this one cannot be undone on its own.
    followed_by: Mapped[int | None]

    papers: Mapped[list[PackIssuePaper]] = relationship(
        back_populates="issue", order_by="PackIssuePaper.first_page", cascade="all, delete-orphan"
    )


class PackIssuePaper(HasUuid, Versioned, Base):
    """A paper as it went out in one version."""

    __tablename__ = "pack_issue_paper"

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(
        ForeignKey("pack_issue.id", ondelete="CASCADE"), index=True
    )
    #: The item it was for (None once the item is removed; the number and title stay).
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True
    )
    #: The item's own identifier, which outlives its removal (and comes back with an undo): what
    #: was sent for an item is found by it.
    item_uuid: Mapped[str] = mapped_column(String(36), index=True)
    item_number: Mapped[int]
    item_title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    #: Where it sat in the issued file: its first page and how many pages it had.
    first_page: Mapped[int]
    pages: Mapped[int]

    issue: Mapped[PackIssue] = relationship(back_populates="papers")
