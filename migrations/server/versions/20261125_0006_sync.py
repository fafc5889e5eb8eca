"""sync: replicas, stored mutation results, quarantine, change log, documents, facts

Revision ID: 0006_sync
Revises: 0005_modules
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from syncserver.models.types import UtcDateTime

revision: str = "0006_sync"
down_revision: str | None = "0005_modules"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "loyalty_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("replica_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_entries")),
    )
    with op.batch_alter_table("loyalty_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_loyalty_entries_customer", ["tenant_id", "customer_id"], unique=False
        )

    op.create_table(
        "sales",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("replica_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("refund_of", sa.Uuid(), nullable=True),
        sa.Column("receipt_no", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("gross_minor", sa.BigInteger(), nullable=False),
        sa.Column("tax_minor", sa.BigInteger(), nullable=False),
        sa.Column("cashier_id", sa.Uuid(), nullable=True),
        sa.Column("closed_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales")),
        sa.UniqueConstraint("tenant_id", "receipt_no", name=op.f("uq_sales_tenant_id_receipt_no")),
    )
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sales_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "stock_movements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("location_code", sa.String(length=16), nullable=False),
        sa.Column("qty_milli", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("replica_id", sa.Uuid(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_movements")),
    )
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stock_movements_item", ["tenant_id", "item_id", "location_code"], unique=False
        )

    op.create_table(
        "sync_changes",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=True),
        sa.Column("origin_replica", sa.Uuid(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "seq", name=op.f("pk_sync_changes")),
    )
    op.create_table(
        "sync_documents",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_hash", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "entity", "entity_id", name=op.f("pk_sync_documents")),
    )
    op.create_table(
        "sync_quarantine",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("replica_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_quarantine")),
        sa.UniqueConstraint(
            "replica_id",
            "seq",
            "fingerprint",
            name=op.f("uq_sync_quarantine_replica_id_seq_fingerprint"),
        ),
    )
    with op.batch_alter_table("sync_quarantine", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sync_quarantine_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "sale_payments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("sale_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sales.id"], name=op.f("fk_sale_payments_sale_id_sales")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sale_payments")),
    )
    with op.batch_alter_table("sale_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sale_payments_sale_id"), ["sale_id"], unique=False)

    op.create_table(
        "sync_change_counters",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_sync_change_counters_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_sync_change_counters")),
    )
    op.create_table(
        "sync_replicas",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("applied_seq", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("app_version", sa.String(length=40), nullable=False),
        sa.Column("protocol_version", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", UtcDateTime(), nullable=False),
        sa.Column("last_push_at", UtcDateTime(), nullable=True),
        sa.Column("pull_cursor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_sync_replicas_device_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_sync_replicas_location_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_sync_replicas_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_replicas")),
    )
    with op.batch_alter_table("sync_replicas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_replicas_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "sync_mutations",
        sa.Column("replica_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("mutation_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("waits_for", sa.Uuid(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("resolved_at", UtcDateTime(), nullable=True),
        sa.Column("resolved_by", sa.Uuid(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["replica_id"],
            ["sync_replicas.id"],
            name=op.f("fk_sync_mutations_replica_id_sync_replicas"),
        ),
        sa.PrimaryKeyConstraint("replica_id", "seq", name=op.f("pk_sync_mutations")),
    )
    with op.batch_alter_table("sync_mutations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sync_mutations_tenant_status", ["tenant_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_sync_mutations_waits_for", ["tenant_id", "waits_for"], unique=False
        )

    # Existing businesses: owners and managers get the new sync.review permission, like new ones.
    op.execute(
        "INSERT INTO role_permissions (role_id, permission) "
        "SELECT id, 'sync.review' FROM roles WHERE name IN ('owner', 'manager') "
        "AND id NOT IN (SELECT role_id FROM role_permissions WHERE permission = 'sync.review')"
    )


def downgrade() -> None:
    op.execute("DELETE FROM role_permissions WHERE permission = 'sync.review'")

    with op.batch_alter_table("sync_mutations", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_mutations_waits_for")
        batch_op.drop_index("ix_sync_mutations_tenant_status")

    op.drop_table("sync_mutations")
    with op.batch_alter_table("sync_replicas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_replicas_tenant_id"))

    op.drop_table("sync_replicas")
    op.drop_table("sync_change_counters")
    with op.batch_alter_table("sale_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sale_payments_sale_id"))

    op.drop_table("sale_payments")
    with op.batch_alter_table("sync_quarantine", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_quarantine_tenant_id"))

    op.drop_table("sync_quarantine")
    op.drop_table("sync_documents")
    op.drop_table("sync_changes")
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_movements_item")

    op.drop_table("stock_movements")
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_tenant_id"))

    op.drop_table("sales")
    with op.batch_alter_table("loyalty_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_loyalty_entries_customer")

    op.drop_table("loyalty_entries")
