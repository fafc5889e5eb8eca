"""sync progress (cursor, pushed seq, epoch) and the outbox records that need a person

Revision ID: t0013_sync_state
Revises: t0012_local_devices
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0013_sync_state"
down_revision: str | None = "t0012_local_devices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "sync_issues",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_issues")),
    )
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("server_url", sa.String(length=300), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=True),
        sa.Column("location_id", sa.String(length=36), nullable=True),
        sa.Column("location_code", sa.String(length=16), nullable=True),
        sa.Column("epoch", sa.String(length=36), nullable=True),
        sa.Column("pushed_seq", sa.Integer(), nullable=False),
        sa.Column("pull_cursor", sa.Integer(), nullable=False),
        sa.Column("replica_status", sa.String(length=16), nullable=False),
        sa.Column("upgrade_required", sa.Boolean(), nullable=False),
        sa.Column("last_success_at", sa.String(length=32), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
    )


def downgrade() -> None:

    op.drop_table("sync_state")
    op.drop_table("sync_issues")
