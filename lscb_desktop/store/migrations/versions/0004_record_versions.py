"""a version number on every editable record, so a save over someone else's change is refused

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
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
    "setting",
)


def upgrade() -> None:
    # A constant default: SQLite adds the column in place (no table rebuild), and every
    # existing record starts at version 1.
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
