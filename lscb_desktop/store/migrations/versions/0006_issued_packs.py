"""issued packs and supplements

Each version of a meeting's pack that was sent (the pack, then Supplement 1, 2, …): when, by
whom, its page count and checksum, and each paper it held with its checksum and pages. Nothing
existing changes: a database upgraded from 0005 has no issued packs.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 21:35:52
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pack_issue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("supplement", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.String(length=120), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("followed_by", sa.Integer(), nullable=True),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("pages >= 0", name=op.f("ck_pack_issue_pages_not_negative")),
        sa.CheckConstraint("supplement >= 0", name=op.f("ck_pack_issue_supplement_not_negative")),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_pack_issue_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_issue")),
        sa.UniqueConstraint("meeting_id", "sequence", name="uq_pack_issue_sequence"),
        sa.UniqueConstraint("uuid", name=op.f("uq_pack_issue_uuid")),
    )
    with op.batch_alter_table("pack_issue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pack_issue_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "pack_issue_paper",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("item_uuid", sa.String(length=36), nullable=False),
        sa.Column("item_number", sa.Integer(), nullable=False),
        sa.Column("item_title", sa.String(length=300), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("first_page", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_item.id"],
            name=op.f("fk_pack_issue_paper_agenda_item_id_agenda_item"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["pack_issue.id"],
            name=op.f("fk_pack_issue_paper_issue_id_pack_issue"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_issue_paper")),
        sa.UniqueConstraint("uuid", name=op.f("uq_pack_issue_paper_uuid")),
    )
    with op.batch_alter_table("pack_issue_paper", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pack_issue_paper_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pack_issue_paper_issue_id"), ["issue_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pack_issue_paper_item_uuid"), ["item_uuid"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pack_issue_paper", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_issue_paper_item_uuid"))
        batch_op.drop_index(batch_op.f("ix_pack_issue_paper_issue_id"))
        batch_op.drop_index(batch_op.f("ix_pack_issue_paper_agenda_item_id"))

    op.drop_table("pack_issue_paper")
    with op.batch_alter_table("pack_issue", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_issue_meeting_id"))

    op.drop_table("pack_issue")
