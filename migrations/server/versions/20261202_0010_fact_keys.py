"""fact keys: facts keyed within their tenant, receipt numbers unique per till, held reviews,
customers on record

Revision ID: 0010_fact_keys
Revises: 0009_business_logo
Create Date: 2026-12-02

- `sales`, `sale_payments`, `stock_movements`, `loyalty_entries`: primary key (tenant_id, id),
  so another business's ids never collide with ours (before: a global id, and a device reusing
  another tenant's id got "duplicate").
- `sales`: receipt numbers unique per (tenant, replica) instead of per tenant: two tills that
  print the same number both keep their sales.
- `sync_mutations.held`: kept for review without its effects; existing "duplicate" review items
  (sales parked because of a shared receipt number) are held, so accepting them applies them.
- `customers`: the customers tills created, backfilled from the change log.
- `sync_replicas.terminal_code`: the code a till prints in its receipt numbers (unique among the
  business's active tills, checked at handshake).
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from syncserver.models.types import UtcDateTime

revision: str = "0010_fact_keys"
down_revision: str | None = "0009_business_logo"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rekey(table: str, columns: list[str]) -> None:
    with op.batch_alter_table(table, recreate="always") as batch:
        batch.drop_constraint(f"pk_{table}", type_="primary")
        batch.create_primary_key(f"pk_{table}", columns)


def upgrade() -> None:
    with op.batch_alter_table("sale_payments", recreate="always") as batch:
        batch.drop_constraint("fk_sale_payments_sale_id_sales", type_="foreignkey")
        batch.drop_index("ix_sale_payments_sale_id")
        batch.add_column(sa.Column("tenant_id", sa.Uuid(), nullable=True))
    op.execute(
        "UPDATE sale_payments SET tenant_id = "
        "(SELECT sales.tenant_id FROM sales WHERE sales.id = sale_payments.sale_id)"
    )
    with op.batch_alter_table("sales", recreate="always") as batch:
        batch.drop_constraint("uq_sales_tenant_id_receipt_no", type_="unique")
        batch.drop_index("ix_sales_tenant_id")
        batch.drop_constraint("pk_sales", type_="primary")
        batch.create_primary_key("pk_sales", ["tenant_id", "id"])
        batch.create_unique_constraint(
            "uq_sales_tenant_id_replica_id_receipt_no", ["tenant_id", "replica_id", "receipt_no"]
        )
        batch.create_index("ix_sales_receipt", ["tenant_id", "receipt_no"], unique=False)
    with op.batch_alter_table("sale_payments", recreate="always") as batch:
        batch.alter_column("tenant_id", existing_type=sa.Uuid(), nullable=False)
        batch.drop_constraint("pk_sale_payments", type_="primary")
        batch.create_primary_key("pk_sale_payments", ["tenant_id", "id"])
        batch.create_foreign_key(
            "fk_sale_payments_tenant_id_sales",
            "sales",
            ["tenant_id", "sale_id"],
            ["tenant_id", "id"],
        )
        batch.create_index("ix_sale_payments_sale", ["tenant_id", "sale_id"], unique=False)
    _rekey("stock_movements", ["tenant_id", "id"])
    _rekey("loyalty_entries", ["tenant_id", "id"])

    with op.batch_alter_table("sync_mutations") as batch:
        batch.add_column(sa.Column("held", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("sync_replicas") as batch:
        batch.add_column(sa.Column("terminal_code", sa.String(length=8), nullable=True))
    op.execute(
        "UPDATE sync_mutations SET held = TRUE "
        "WHERE status = 'needs_review' AND detail LIKE 'duplicate:%'"
    )

    op.create_table(
        "customers",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("replica_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_customers")),
    )
    # Customers created before this table: every `customer` change the tills published.
    bind = op.get_bind()
    seen = bind.execute(
        sa.text(
            "SELECT tenant_id, entity_id, origin_replica, changed_at FROM sync_changes "
            "WHERE entity = 'customer'"
        )
    ).all()
    table = sa.table(
        "customers",
        sa.column("tenant_id", sa.Uuid()),
        sa.column("id", sa.Uuid()),
        sa.column("replica_id", sa.Uuid()),
        sa.column("created_at", UtcDateTime()),
    )
    rows, keys = [], set()
    for tenant, entity_id, origin, at in seen:
        key = (str(tenant), entity_id)
        if key in keys:
            continue
        keys.add(key)
        rows.append(
            {
                "tenant_id": uuid.UUID(str(tenant)),
                "id": uuid.UUID(entity_id),
                "replica_id": uuid.UUID(str(origin)) if origin else uuid.UUID(int=0),
                "created_at": at,
            }
        )
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("customers")
    with op.batch_alter_table("sync_replicas") as batch:
        batch.drop_column("terminal_code")
    with op.batch_alter_table("sync_mutations") as batch:
        batch.drop_column("held")
    _rekey("loyalty_entries", ["id"])
    _rekey("stock_movements", ["id"])
    with op.batch_alter_table("sale_payments", recreate="always") as batch:
        batch.drop_index("ix_sale_payments_sale")
        batch.drop_constraint("fk_sale_payments_tenant_id_sales", type_="foreignkey")
        batch.drop_constraint("pk_sale_payments", type_="primary")
        batch.create_primary_key("pk_sale_payments", ["id"])
    with op.batch_alter_table("sales", recreate="always") as batch:
        batch.drop_index("ix_sales_receipt")
        batch.drop_constraint("uq_sales_tenant_id_replica_id_receipt_no", type_="unique")
        batch.drop_constraint("pk_sales", type_="primary")
        batch.create_primary_key("pk_sales", ["id"])
        batch.create_unique_constraint("uq_sales_tenant_id_receipt_no", ["tenant_id", "receipt_no"])
        batch.create_index("ix_sales_tenant_id", ["tenant_id"], unique=False)
    with op.batch_alter_table("sale_payments", recreate="always") as batch:
        batch.drop_column("tenant_id")
        batch.create_foreign_key("fk_sale_payments_sale_id_sales", "sales", ["sale_id"], ["id"])
        batch.create_index("ix_sale_payments_sale_id", ["sale_id"], unique=False)
