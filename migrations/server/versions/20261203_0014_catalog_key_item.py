"""catalog keys by item: an item's SKU and barcodes found without scanning the business's

Revision ID: 0014_catalog_key_item
Revises: 0013_location_currency
Create Date: 2026-12-03

- Index `ix_catalog_keys_item` on `catalog_keys (tenant_id, item_id)`: every catalog write
  that sets an item's SKU or barcodes looks up the keys that item holds; a CSV import changing
  thousands of items did so by scanning every key of the business each time.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014_catalog_key_item"
down_revision: str | None = "0013_location_currency"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_catalog_keys_item", "catalog_keys", ["tenant_id", "item_id"])


def downgrade() -> None:
    op.drop_index("ix_catalog_keys_item", table_name="catalog_keys")
