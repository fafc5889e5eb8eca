"""business logo: a receipt-ready 1-bit PNG beside the business settings

Revision ID: 0009_business_logo
Revises: 0008_business_settings
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_business_logo"
down_revision: str | None = "0008_business_settings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("business_settings", sa.Column("logo_png", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    op.drop_column("business_settings", "logo_png")
