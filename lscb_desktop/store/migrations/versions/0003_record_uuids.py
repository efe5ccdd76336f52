"""a stable identifier (uuid) on every record, so imports match records by it

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 07:30:00
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = (
    "agency",
    "person",
    "board_group",
    "membership",
    "meeting",
    "document",
    "agenda_item",
    "attendance",
    "guest",
    "action",
    "audit",
    "case_review",
)


#: A random (version 4) UUID per row, made by the database in one statement per table.
_SQLITE_UUID4 = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || "
    "substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || "
    "lower(hex(randomblob(6)))"
)


def _fill(table: str) -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    if dialect == "sqlite":
        op.execute(f'UPDATE "{table}" SET uuid = {_SQLITE_UUID4}')
    elif dialect == "postgresql":
        op.execute(f'UPDATE "{table}" SET uuid = gen_random_uuid()::text')  # PostgreSQL 13+
    else:
        handle = sa.table(table, sa.column("id", sa.Integer), sa.column("uuid", sa.String))
        ids = [row[0] for row in bind.execute(sa.select(handle.c.id))]
        if ids:
            bind.execute(
                handle.update().where(handle.c.id == sa.bindparam("b_id")),
                [{"b_id": ident, "uuid": str(uuid.uuid4())} for ident in ids],
            )


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("uuid", sa.String(length=36), nullable=True))
        _fill(table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("uuid", existing_type=sa.String(length=36), nullable=False)
            batch_op.create_unique_constraint(batch_op.f(f"uq_{table}_uuid"), ["uuid"])


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_uuid"), type_="unique")
            batch_op.drop_column("uuid")
