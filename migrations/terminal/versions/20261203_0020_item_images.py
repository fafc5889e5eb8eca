"""item pictures: the hash an item's tile picture goes by, and the pictures this till holds

Revision ID: t0020_item_images
Revises: t0019_catalog_fields
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0020_item_images"
down_revision: str | None = "t0019_catalog_fields"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, never a batch copy: `items` carries the triggers of its search index.
def upgrade() -> None:
    op.add_column("items", sa.Column("image", sa.String(length=64), nullable=True))
    # The bytes live in the till's database (WAL, synchronous=FULL, backed up with it) rather
    # than as loose files: a power cut never leaves half a picture, and a restore brings them.
    op.create_table(
        "item_images",
        sa.Column("sha256", sa.String(length=64), primary_key=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("fetched_at", sa.String(length=32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("item_images")
    op.execute("ALTER TABLE items DROP COLUMN image")
