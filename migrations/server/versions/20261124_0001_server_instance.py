"""server_instance: the database incarnation and its sync epoch

Revision ID: 0001_server_instance
Revises:
Create Date: 2026-11-24
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from shared.ids import uuid7
from syncserver.models.types import UtcDateTime

revision: str = "0001_server_instance"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "server_instance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_instance")),
        sa.UniqueConstraint("epoch", name=op.f("uq_server_instance_epoch")),
    )
    op.bulk_insert(table, [{"id": 1, "epoch": uuid7(), "created_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table("server_instance")
