"""modules registry; tenant module toggles reference it

Revision ID: 0005_modules
Revises: 0004_devices
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_modules"
down_revision: str | None = "0004_devices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here on purpose: a migration must not change when shared/permissions.py does. A new
# module gets its own migration (tests/migrations check the table against the enum).
MODULES = [
    ("inventory", "Inventory", "Stock ledger, adjustments, transfers and counts"),
    ("loyalty", "Loyalty", "Customers, points earned and redeemed"),
    ("reports", "Reports", "Sales, tax and staff reports in the back office"),
]


def upgrade() -> None:
    modules = op.create_table(
        "modules",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_modules")),
    )
    op.bulk_insert(modules, [{"code": c, "title": t, "description": d} for c, t, d in MODULES])
    with op.batch_alter_table("tenant_modules", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_tenant_modules_module_modules"), "modules", ["module"], ["code"]
        )


def downgrade() -> None:
    with op.batch_alter_table("tenant_modules", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_tenant_modules_module_modules"), type_="foreignkey")
    op.drop_table("modules")
