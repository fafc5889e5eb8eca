"""tenant config: location address and time zone, selling rules, terminal codes at enrollment

Revision ID: 0011_tenant_config
Revises: 0010_fact_keys
Create Date: 2026-12-03

- `locations.address_lines` (JSON list of strings, "[]" until set) and `locations.timezone`
  (IANA name; null means the tenant's time zone).
- `selling_rules`: one row per tenant once an owner saves them (tax inclusion, cash rounding,
  the most change a till may give, rounding modes); the defaults apply until then.
- `devices.terminal_code`: the "T01".."T99" code given at enrollment (tills print it in their
  receipt numbers); existing devices take the code their till claimed at handshake, if any.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from syncserver.models.types import UtcDateTime

revision: str = "0011_tenant_config"
down_revision: str | None = "0010_fact_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("locations") as batch:
        batch.add_column(sa.Column("address_lines", sa.Text(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))
    op.create_table(
        "selling_rules",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("prices_include_tax", sa.Boolean(), nullable=False),
        sa.Column("cash_rounding_minor", sa.Integer(), nullable=False),
        sa.Column("max_change_minor", sa.BigInteger(), nullable=False),
        sa.Column("rounding", sa.String(length=16), nullable=False),
        sa.Column("tax_rounding", sa.String(length=16), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_selling_rules_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_selling_rules")),
    )
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("terminal_code", sa.String(length=8), nullable=True))
    op.execute(
        "UPDATE devices SET terminal_code = (SELECT MIN(r.terminal_code) FROM sync_replicas r "
        "WHERE r.device_id = devices.id AND r.terminal_code IS NOT NULL)"
    )


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("terminal_code")
    op.drop_table("selling_rules")
    with op.batch_alter_table("locations") as batch:
        batch.drop_column("timezone")
        batch.drop_column("address_lines")
