"""catalog sync: clock stamps of catalog fields, catalog bootstrap progress

Revision ID: t0014_catalog_clocks
Revises: t0013_sync_state
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0014_catalog_clocks"
down_revision: str | None = "t0013_sync_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalog_clocks",
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("stamp", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("entity", "entity_id", "field", name=op.f("pk_catalog_clocks")),
    )
    with op.batch_alter_table("catalog_clocks", schema=None) as batch_op:
        batch_op.create_index("ix_catalog_clocks_stamp", ["stamp"], unique=False)
    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("catalog_as_of", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("bootstrap_after", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("bootstrap_as_of", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        batch_op.drop_column("bootstrap_as_of")
        batch_op.drop_column("bootstrap_after")
        batch_op.drop_column("catalog_as_of")
    with op.batch_alter_table("catalog_clocks", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_clocks_stamp")
    op.drop_table("catalog_clocks")
