"""The one declarative base, with constraint names that Alembic can rely on."""

from __future__ import annotations

import enum
import uuid
from typing import Any

from sqlalchemy import Enum as SAEnum
from sqlalchemy import Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    #: Columns left out of the change log (large or derived values).
    __changelog_exclude__: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        ident = getattr(self, "id", None)
        return f"<{type(self).__name__} {ident}>"


def new_uuid() -> str:
    return str(uuid.uuid4())


class HasUuid:
    """A stable identifier for a record, carried by the workbook so that an import matches a
    record by it and never merges two distinct records that happen to look alike."""

    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)


class Versioned:
    """A version number that every save of the record raises by one (SQLAlchemy's
    ``version_id_col``): an update names the version it read, so a save over someone else's
    newer change finds no row to update instead of silently overwriting it."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - a declared attribute
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def enum_column(enum_cls: type[enum.Enum], name: str) -> SAEnum:
    """A portable enum column: VARCHAR holding the value, with a named CHECK constraint."""
    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=24,
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )


def as_plain(value: Any) -> Any:
    """A JSON-friendly form of a column value, for the change log and ``--json`` output."""
    if isinstance(value, enum.Enum):
        return value.value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} bytes>"
    return value
