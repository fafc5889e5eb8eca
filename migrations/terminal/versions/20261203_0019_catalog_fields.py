"""catalog fields of issue 19: item unit and cost, category colour, default modifiers, and
whether a location carries an item

Revision ID: t0019_catalog_fields
Revises: t0018_catalog_browse
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0019_catalog_fields"
down_revision: str | None = "t0018_catalog_browse"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, never a batch copy: `items` carries the triggers of its search index.
def upgrade() -> None:
    # "piece" or "weighed" (sold by the kg: its price is per kg, its quantity the weight).
    op.add_column(
        "items",
        sa.Column("unit", sa.String(length=8), nullable=False, server_default="piece"),
    )
    op.add_column("items", sa.Column("cost_minor", sa.Integer(), nullable=True))
    op.add_column("categories", sa.Column("color", sa.String(length=16), nullable=True))
    op.add_column(
        "modifiers",
        sa.Column("is_default", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    # False: this location does not carry the item (None: as the item, carried).
    op.add_column("location_overrides", sa.Column("listed", sa.Boolean(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE location_overrides DROP COLUMN listed")
    op.execute("ALTER TABLE modifiers DROP COLUMN is_default")
    op.execute("ALTER TABLE categories DROP COLUMN color")
    op.execute("ALTER TABLE items DROP COLUMN cost_minor")
    op.execute("ALTER TABLE items DROP COLUMN unit")
