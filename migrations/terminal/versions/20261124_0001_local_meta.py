"""local_meta with this database's replica_id

Revision ID: t0001_local_meta
Revises:
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.ids import uuid7

revision: str = "t0001_local_meta"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "local_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=1024), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_local_meta")),
    )
    # Each local DB file is its own sync replica; a copied file must be detected by the server.
    op.bulk_insert(table, [{"key": "replica_id", "value": str(uuid7())}])


def downgrade() -> None:
    op.drop_table("local_meta")
