"""business settings (receipt name, address, tax id, footer); settings.manage for owners/managers

Revision ID: 0008_business_settings
Revises: 0007_catalog
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from syncserver.models.types import UtcDateTime

revision: str = "0008_business_settings"
down_revision: str | None = "0007_catalog"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "business_settings",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("receipt_name", sa.String(length=120), nullable=False),
        sa.Column("address_lines", sa.Text(), nullable=False),
        sa.Column("tax_id", sa.String(length=40), nullable=False),
        sa.Column("receipt_footer", sa.String(length=200), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_business_settings_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_business_settings")),
    )
    # Existing businesses: owners and managers get the new permission, like new ones.
    op.execute(
        "INSERT INTO role_permissions (role_id, permission) "
        "SELECT id, 'settings.manage' FROM roles WHERE name IN ('owner', 'manager') "
        "AND id NOT IN (SELECT role_id FROM role_permissions WHERE permission = 'settings.manage')"
    )


def downgrade() -> None:
    op.execute("DELETE FROM role_permissions WHERE permission = 'settings.manage'")
    op.drop_table("business_settings")
