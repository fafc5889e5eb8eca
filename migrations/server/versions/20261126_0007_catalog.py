"""catalog: per-field merged documents, SKU/barcode owners, conflicts for a manager

Revision ID: 0007_catalog
Revises: 0006_sync
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from syncserver.models.types import UtcDateTime

revision: str = "0007_catalog"
down_revision: str | None = "0006_sync"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalog_documents",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "entity", "entity_id", name=op.f("pk_catalog_documents")
        ),
    )
    op.create_table(
        "catalog_keys",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "kind", "key", name=op.f("pk_catalog_keys")),
    )
    op.create_table(
        "catalog_conflicts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=24), nullable=False),
        sa.Column("kept_value", sa.Text(), nullable=False),
        sa.Column("kept_origin", sa.Uuid(), nullable=True),
        sa.Column("other_value", sa.Text(), nullable=False),
        sa.Column("other_origin", sa.Uuid(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("resolved_at", UtcDateTime(), nullable=True),
        sa.Column("resolved_by", sa.Uuid(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_conflicts")),
    )
    with op.batch_alter_table("catalog_conflicts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_conflicts_tenant_id"), ["tenant_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("catalog_conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_conflicts_tenant_id"))
    op.drop_table("catalog_conflicts")
    op.drop_table("catalog_keys")
    op.drop_table("catalog_documents")
