"""per-rate taxes of finalized lines

Revision ID: t0006_line_taxes
Revises: t0005_modifiers
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0006_line_taxes"
down_revision: str | None = "t0005_modifiers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ticket_line_taxes",
        sa.Column("line_id", sa.String(length=36), nullable=False),
        sa.Column("rate_code", sa.String(length=32), nullable=False),
        sa.Column("percent", sa.String(length=16), nullable=False),
        sa.Column("tax_minor", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["ticket_lines.id"],
            name=op.f("fk_ticket_line_taxes_line_id_ticket_lines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("line_id", "rate_code", name=op.f("pk_ticket_line_taxes")),
    )


def downgrade() -> None:
    op.drop_table("ticket_line_taxes")
