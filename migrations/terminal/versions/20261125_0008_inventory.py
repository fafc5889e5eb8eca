"""inventory ledger: stock movements and the running balance kept by triggers

Revision ID: t0008_inventory
Revises: t0007_lean_sale_indexes
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0008_inventory"
down_revision: str | None = "t0007_lean_sale_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = [
    # The balance moves in the same statement as the ledger: they cannot disagree.
    """CREATE TRIGGER stock_movements_balance AFTER INSERT ON stock_movements
    BEGIN
        INSERT INTO stock_levels (item_id, location_code, qty_milli)
        VALUES (NEW.item_id, NEW.location_code, NEW.qty_milli)
        ON CONFLICT (item_id, location_code) DO UPDATE SET qty_milli = qty_milli + NEW.qty_milli;
    END""",
    # Movements are facts: a mistake is corrected by another movement, never by editing one.
    """CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements
    BEGIN SELECT RAISE(ABORT, 'stock movements are immutable; post a correction'); END""",
    """CREATE TRIGGER stock_movements_no_delete BEFORE DELETE ON stock_movements
    BEGIN SELECT RAISE(ABORT, 'stock movements are immutable; post a correction'); END""",
]


def upgrade() -> None:
    op.create_table(
        "stock_movements",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("location_code", sa.String(length=16), nullable=False),
        sa.Column("qty_milli", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.String(length=24), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("ticket_id", sa.String(length=36), nullable=True),
        sa.Column("count_id", sa.String(length=36), nullable=True),
        sa.Column("transfer_id", sa.String(length=36), nullable=True),
        sa.Column("actor_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_stock_movements_item_id_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_movements")),
    )
    op.create_index(
        "ix_stock_movements_item_location_at",
        "stock_movements",
        ["item_id", "location_code", "at"],
    )
    op.create_table(
        "stock_levels",
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("location_code", sa.String(length=16), nullable=False),
        sa.Column("qty_milli", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("item_id", "location_code", name=op.f("pk_stock_levels")),
    )
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    for name in (
        "stock_movements_no_delete",
        "stock_movements_no_update",
        "stock_movements_balance",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("stock_levels")
    op.drop_index("ix_stock_movements_item_location_at", table_name="stock_movements")
    op.drop_table("stock_movements")
