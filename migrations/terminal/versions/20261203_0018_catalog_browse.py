"""indexes for the back office's item list: archived items and one category, by name

Revision ID: t0018_catalog_browse
Revises: t0017_tax_class_locations
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "t0018_catalog_browse"
down_revision: str | None = "t0017_tax_class_locations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The list pages through items in name (search key) order; with "Archived" or one category
    # chosen, these give that order directly instead of walking every item's name to find the
    # few that qualify (desktop/catalog/browse.py).
    op.create_index("ix_items_active_search_key", "items", ["active", "search_key"])
    op.create_index("ix_items_category_search_key", "items", ["category_id", "search_key"])


def downgrade() -> None:
    op.drop_index("ix_items_category_search_key", table_name="items")
    op.drop_index("ix_items_active_search_key", table_name="items")
