"""staff codes and PINs

Revision ID: 0003_staff_pins
Revises: 0002_tenant_registrations
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_staff_pins"
down_revision: str | None = "0002_tenant_registrations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staff_code", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("pin_hash", sa.String(length=200), nullable=True))
        batch_op.alter_column("email", existing_type=sa.VARCHAR(length=254), nullable=True)
        batch_op.create_unique_constraint(
            batch_op.f("uq_users_tenant_id_staff_code"), ["tenant_id", "staff_code"]
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_tenant_id_staff_code"), type_="unique")
        batch_op.alter_column("email", existing_type=sa.VARCHAR(length=254), nullable=False)
        batch_op.drop_column("pin_hash")
        batch_op.drop_column("staff_code")
