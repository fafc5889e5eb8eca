"""item images: tile pictures, resized by the server, stored once per business by content hash

Revision ID: 0016_item_images
Revises: 0015_sale_lines
Create Date: 2026-12-03

- Table `item_images`: the bytes of each tile picture (PNG, at most 256 × 256), keyed by
  (tenant, sha256 of the bytes). Items name a picture by that hash in their `image` field, which
  syncs with the catalog; tills fetch the bytes they lack with `GET /v1/catalog/images/{sha256}`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from syncserver.models.types import UtcDateTime

revision: str = "0016_item_images"
down_revision: str | None = "0015_sale_lines"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "item_images",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "sha256", name=op.f("pk_item_images")),
    )


def downgrade() -> None:
    op.drop_table("item_images")
