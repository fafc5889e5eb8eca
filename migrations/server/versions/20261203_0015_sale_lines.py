"""sale lines: what each sale sold, with the modifiers chosen

Revision ID: 0015_sale_lines
Revises: 0014_catalog_key_item
Create Date: 2026-12-03

- `sale_lines` (tenant, sale, line number; the item, its name and quantity as sold, unit price,
  gross, tax and discount in minor units, and the chosen modifiers as JSON — name and price
  delta as sold): the server can show a sale line by line, modifiers included. Sales pushed
  before this have no rows here (their lines stay in the pushed payload).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_sale_lines"
down_revision: str | None = "0014_catalog_key_item"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sale_lines",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("sale_id", sa.Uuid(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("quantity", sa.String(length=16), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("gross_minor", sa.BigInteger(), nullable=False),
        sa.Column("tax_minor", sa.BigInteger(), nullable=False),
        sa.Column("discount_minor", sa.BigInteger(), nullable=False),
        sa.Column("modifiers", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "sale_id"],
            ["sales.tenant_id", "sales.id"],
            name=op.f("fk_sale_lines_tenant_id_sales"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "sale_id", "line_no", name=op.f("pk_sale_lines")),
    )
    op.create_index("ix_sale_lines_item", "sale_lines", ["tenant_id", "item_id"])


def downgrade() -> None:
    op.drop_index("ix_sale_lines_item", table_name="sale_lines")
    op.drop_table("sale_lines")
