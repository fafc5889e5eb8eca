"""refunds, discounts, cash movements, z reports

Revision ID: t0004_refunds
Revises: t0003_item_search
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0004_refunds"
down_revision: str | None = "t0003_item_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cash_movements",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("shift_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.id"], name=op.f("fk_cash_movements_shift_id_shifts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_movements")),
    )
    with op.batch_alter_table("cash_movements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cash_movements_shift_id"), ["shift_id"], unique=False)

    with op.batch_alter_table("shifts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("z_report", sa.Text(), nullable=True))

    with op.batch_alter_table("ticket_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("discount_percent", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("discount_minor", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("refund_of_line", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("restock", sa.Boolean(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_ticket_lines_refund_of_line"), ["refund_of_line"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_ticket_lines_refund_of_line_ticket_lines"),
            "ticket_lines",
            ["refund_of_line"],
            ["id"],
        )

    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refund_of", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("discount_percent", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("discount_minor", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_tickets_refund_of"), ["refund_of"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_tickets_refund_of_tickets"), "tickets", ["refund_of"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_tickets_refund_of_tickets"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_tickets_refund_of"))
        batch_op.drop_column("discount_minor")
        batch_op.drop_column("discount_percent")
        batch_op.drop_column("refund_of")

    with op.batch_alter_table("ticket_lines", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_ticket_lines_refund_of_line_ticket_lines"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_ticket_lines_refund_of_line"))
        batch_op.drop_column("restock")
        batch_op.drop_column("refund_of_line")
        batch_op.drop_column("discount_minor")
        batch_op.drop_column("discount_percent")

    with op.batch_alter_table("shifts", schema=None) as batch_op:
        batch_op.drop_column("z_report")

    with op.batch_alter_table("cash_movements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cash_movements_shift_id"))

    op.drop_table("cash_movements")
