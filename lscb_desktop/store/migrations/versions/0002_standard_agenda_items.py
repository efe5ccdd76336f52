"""standard agenda items per group; agenda items that expect a paper

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 07:50:19.113364
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("board_group", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("standard_opening", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("standard_closing", sa.Text(), server_default="", nullable=False)
        )

    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("paper_expected", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.drop_column("paper_expected")
    with op.batch_alter_table("board_group", schema=None) as batch_op:
        batch_op.drop_column("standard_closing")
        batch_op.drop_column("standard_opening")
