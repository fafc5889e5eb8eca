"""location currency: a shop in another country sells in its own currency

Revision ID: 0013_location_currency
Revises: 0012_sale_taxes
Create Date: 2026-12-03

- `locations.currency` (ISO 4217, NULL: the business's currency). Tills at the location sell in
  it; items priced in another currency are not offered there.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_location_currency"
down_revision: str | None = "0012_sale_taxes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("locations") as batch:
        batch.add_column(sa.Column("currency", sa.String(length=3), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("locations") as batch:
        batch.drop_column("currency")
