"""Settings rows and the change log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lscb_desktop.models.base import Base, Versioned


class Setting(Versioned, Base):
    """One setting as text; ``services.settings`` gives them types and defaults."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class ChangeLogEntry(Base):
    """Who changed which record when, and each field from what to what (as JSON)."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_record", "table_name", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime]
    os_user: Mapped[str] = mapped_column(String(120))
    operation: Mapped[str] = mapped_column(String(10))
    table_name: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[str] = mapped_column(String(80))
    changes: Mapped[str] = mapped_column(Text, default="{}")
