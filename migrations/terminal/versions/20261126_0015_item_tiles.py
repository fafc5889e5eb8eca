"""product tiles: a colour and a position per item on the sell screen's grid

Revision ID: t0015_item_tiles
Revises: t0014_catalog_clocks
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0015_item_tiles"
down_revision: str | None = "t0014_catalog_clocks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, never a batch copy: `items` carries the triggers of its search index.
def upgrade() -> None:
    op.add_column("items", sa.Column("tile_color", sa.String(length=16), nullable=True))
    op.add_column("items", sa.Column("tile_position", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE items DROP COLUMN tile_position")
    op.execute("ALTER TABLE items DROP COLUMN tile_color")
