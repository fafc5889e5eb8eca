"""modifiers, location overrides, notes, customers, vouchers, cash rounding

Revision ID: t0005_modifiers
Revises: t0004_refunds
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0005_modifiers"
down_revision: str | None = "t0004_refunds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "modifier_groups",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("min_choices", sa.Integer(), nullable=False),
        sa.Column("max_choices", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_modifier_groups")),
    )
    op.create_table(
        "modifiers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("price_delta_minor", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["modifier_groups.id"],
            name=op.f("fk_modifiers_group_id_modifier_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_modifiers")),
    )
    with op.batch_alter_table("modifiers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_modifiers_group_id"), ["group_id"], unique=False)

    op.create_table(
        "item_modifier_groups",
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["modifier_groups.id"],
            name=op.f("fk_item_modifier_groups_group_id_modifier_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["items.id"],
            name=op.f("fk_item_modifier_groups_item_id_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "group_id", name=op.f("pk_item_modifier_groups")),
    )
    op.create_table(
        "location_overrides",
        sa.Column("location_code", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("price_minor", sa.Integer(), nullable=True),
        sa.Column("available", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["items.id"],
            name=op.f("fk_location_overrides_item_id_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("location_code", "item_id", name=op.f("pk_location_overrides")),
    )
    op.create_table(
        "ticket_line_modifiers",
        sa.Column("line_id", sa.String(length=36), nullable=False),
        sa.Column("modifier_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("price_delta_minor", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["ticket_lines.id"],
            name=op.f("fk_ticket_line_modifiers_line_id_ticket_lines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("line_id", "modifier_id", name=op.f("pk_ticket_line_modifiers")),
    )
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(length=64), nullable=True))

    with op.batch_alter_table("ticket_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note", sa.String(length=200), nullable=True))

    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("rounding_minor", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("rounding_minor")
        batch_op.drop_column("customer_id")

    with op.batch_alter_table("ticket_lines", schema=None) as batch_op:
        batch_op.drop_column("note")

    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.drop_column("reference")

    op.drop_table("ticket_line_modifiers")
    op.drop_table("location_overrides")
    op.drop_table("item_modifier_groups")
    with op.batch_alter_table("modifiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_modifiers_group_id"))

    op.drop_table("modifiers")
    op.drop_table("modifier_groups")
