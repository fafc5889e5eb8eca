"""the terminal's device registry

Revision ID: t0012_local_devices
Revises: t0011_print_jobs
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0012_local_devices"
down_revision: str | None = "t0011_print_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "local_devices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("connection", sa.String(length=200), nullable=False),
        sa.Column("paper_mm", sa.Integer(), nullable=False),
        sa.Column("cutter", sa.Boolean(), nullable=False),
        sa.Column("drawer_pin", sa.Integer(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("added_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_devices")),
    )


def downgrade() -> None:
    op.drop_table("local_devices")
