"""attendance as it was on the day, declarations of interest, and who counts for quorum

The agency and seat each attendee represented, reasons for apologies, late arrivals and early
departures, confirmation with the minutes, officers in attendance for items, declarations of
interest, agencies that count towards a quorum and partners a quorum requires.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ROLES = (
    "chair",
    "deputy_chair",
    "vice_chair",
    "member",
    "adviser",
    "business_manager",
    "administrator",
    "lay_member",
    "young_person",
)
DECLARATION_ACTIONS = ("left_room", "took_no_part", "stayed")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=24)


def upgrade() -> None:
    # Who counts towards a quorum: every agency but the Board's own business unit, which
    # supports meetings rather than making them quorate (found by its name or sector).
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("counts_for_quorum", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    op.execute(
        "UPDATE agency SET counts_for_quorum = false WHERE lower(name) LIKE '%business unit%' "
        "OR lower(sector) LIKE '%business unit%'"
    )
    op.create_table(
        "group_quorum_partner",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
            name=op.f("fk_group_quorum_partner_agency_id_agency"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["board_group.id"],
            name=op.f("fk_group_quorum_partner_group_id_board_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "agency_id", name=op.f("pk_group_quorum_partner")),
    )

    # The agency a membership represents: the person's agency, the best that is known of the
    # past (the program kept no other until now).
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agency_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_membership_agency_id"), ["agency_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_membership_agency_id_agency"),
            "agency",
            ["agency_id"],
            ["id"],
            ondelete="RESTRICT",
        )
    op.execute(
        "UPDATE membership SET agency_id = "
        "(SELECT person.agency_id FROM person WHERE person.id = membership.person_id)"
    )

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attendance_confirmed_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "attendance_confirmed_by", sa.String(length=120), server_default="", nullable=False
            )
        )

    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agency_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("role", _enum(ROLES, "attendance_role"), nullable=True))
        batch_op.add_column(
            sa.Column("seat", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("reason", sa.String(length=120), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("arrived_at", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("left_at", sa.Time(), nullable=True))
        batch_op.create_index(batch_op.f("ix_attendance_agency_id"), ["agency_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_attendance_agency_id_agency"),
            "agency",
            ["agency_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_check_constraint(
            "left_after", "arrived_at IS NULL OR left_at IS NULL OR left_at >= arrived_at"
        )
    # What was true on the day, from the membership of the meeting's group on its date.
    on_the_day = (
        "FROM membership m JOIN meeting g ON g.group_id = m.group_id "
        "WHERE g.id = attendance.meeting_id AND m.person_id = attendance.person_id "
        "AND m.start_date <= date(g.starts_at) "
        "AND (m.end_date IS NULL OR m.end_date >= date(g.starts_at)) "
        "ORDER BY m.start_date DESC LIMIT 1"
    )
    op.execute(
        f"UPDATE attendance SET agency_id = (SELECT m.agency_id {on_the_day}), "
        f"role = (SELECT m.role {on_the_day}), "
        f"seat = coalesce((SELECT m.position {on_the_day}), '')"
    )
    op.execute(
        "UPDATE attendance SET agency_id = "
        "(SELECT person.agency_id FROM person WHERE person.id = attendance.person_id) "
        "WHERE role IS NULL"
    )

    with op.batch_alter_table("guest", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("job_title", sa.String(length=200), server_default="", nullable=False)
        )
    op.create_table(
        "guest_item",
        sa.Column("guest_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_item.id"],
            name=op.f("fk_guest_item_agenda_item_id_agenda_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["guest_id"],
            ["guest.id"],
            name=op.f("fk_guest_item_guest_id_guest"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("guest_id", "agenda_item_id", name=op.f("pk_guest_item")),
    )

    op.create_table(
        "declaration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("interest", sa.Text(), nullable=False),
        sa.Column("action", _enum(DECLARATION_ACTIONS, "declaration_action"), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_item.id"],
            name=op.f("fk_declaration_agenda_item_id_agenda_item"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_declaration_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_declaration_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration")),
        sa.UniqueConstraint("uuid", name=op.f("uq_declaration_uuid")),
    )
    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_declaration_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_declaration_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_declaration_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_table("declaration")
    op.drop_table("guest_item")
    with op.batch_alter_table("guest", schema=None) as batch_op:
        batch_op.drop_column("job_title")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_constraint("left_after", type_="check")
        batch_op.drop_constraint(batch_op.f("fk_attendance_agency_id_agency"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_attendance_agency_id"))
        for column in ("left_at", "arrived_at", "reason", "seat", "role", "agency_id"):
            batch_op.drop_column(column)
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("attendance_confirmed_by")
        batch_op.drop_column("attendance_confirmed_on")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_membership_agency_id_agency"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_membership_agency_id"))
        batch_op.drop_column("agency_id")
    op.drop_table("group_quorum_partner")
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.drop_column("counts_for_quorum")
