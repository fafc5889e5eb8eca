"""customers and the loyalty ledger

Revision ID: t0010_loyalty
Revises: t0009_counts
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0010_loyalty"
down_revision: str | None = "t0009_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UUID = sa.String(length=36)
AT = sa.String(length=32)


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", UUID, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("phone_key", sa.String(length=32), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("email_key", sa.String(length=254), nullable=True),
        sa.Column("card_number", sa.String(length=32), nullable=True),
        sa.Column("created_by", UUID, nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
    )
    for name, column in (
        ("uq_customers_phone_key", "phone_key"),
        ("uq_customers_email_key", "email_key"),
        ("uq_customers_card_number", "card_number"),
    ):
        op.create_index(name, "customers", [column], unique=True)
    op.create_table(
        "loyalty_entries",
        sa.Column("id", UUID, nullable=False),
        sa.Column("customer_id", UUID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("ticket_id", UUID, nullable=True),
        sa.Column("lot_id", UUID, nullable=True),
        sa.Column("expires_at", AT, nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("actor_id", UUID, nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("at", AT, nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_loyalty_entries_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_entries")),
    )
    op.create_index("ix_loyalty_entries_customer_at", "loyalty_entries", ["customer_id", "at"])
    op.create_index(
        "ix_loyalty_entries_unconfirmed",
        "loyalty_entries",
        ["customer_id"],
        sqlite_where=sa.text("confirmed = 0"),
    )
    op.create_table(
        "loyalty_known_balances",
        sa.Column("customer_id", UUID, nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("as_of", AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_loyalty_known_balances_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_loyalty_known_balances")),
    )
    # Entries are facts, like stock movements: corrections are new entries. Only `confirmed`
    # may change (sync marks what the server accepted).
    op.execute(
        """CREATE TRIGGER loyalty_entries_immutable BEFORE UPDATE ON loyalty_entries
        WHEN NEW.points != OLD.points OR NEW.kind != OLD.kind OR NEW.customer_id != OLD.customer_id
        BEGIN SELECT RAISE(ABORT, 'loyalty entries are immutable; post an adjustment'); END"""
    )
    op.execute(
        """CREATE TRIGGER loyalty_entries_no_delete BEFORE DELETE ON loyalty_entries
        BEGIN SELECT RAISE(ABORT, 'loyalty entries are immutable; post an adjustment'); END"""
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS loyalty_entries_no_delete")
    op.execute("DROP TRIGGER IF EXISTS loyalty_entries_immutable")
    op.drop_table("loyalty_known_balances")
    op.drop_index("ix_loyalty_entries_unconfirmed", table_name="loyalty_entries")
    op.drop_index("ix_loyalty_entries_customer_at", table_name="loyalty_entries")
    op.drop_table("loyalty_entries")
    for name in ("uq_customers_card_number", "uq_customers_email_key", "uq_customers_phone_key"):
        op.drop_index(name, table_name="customers")
    op.drop_table("customers")
