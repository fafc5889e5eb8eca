"""sale taxes: a sale's tax per rate, kept as the till computed it

Revision ID: 0012_sale_taxes
Revises: 0011_tenant_config
Create Date: 2026-12-03

- `sale_taxes` (tenant, sale, rate code, percent as text, tax in minor units): the per-rate
  taxes every pushed sale already carries on its lines, summed per rate when the server applies
  the sale. Sales applied before this revision keep only their total tax (their stored pushes
  still hold the lines).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_sale_taxes"
down_revision: str | None = "0011_tenant_config"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sale_taxes",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("sale_id", sa.Uuid(), nullable=False),
        sa.Column("rate_code", sa.String(length=32), nullable=False),
        sa.Column("rate_percent", sa.String(length=16), nullable=False),
        sa.Column("tax_minor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "sale_id"],
            ["sales.tenant_id", "sales.id"],
            name=op.f("fk_sale_taxes_tenant_id_sales"),
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "sale_id", "rate_code", "rate_percent", name=op.f("pk_sale_taxes")
        ),
    )


def downgrade() -> None:
    op.drop_table("sale_taxes")
