"""tax rates of a class at one location (a shop in another region may tax differently)

Revision ID: t0017_tax_class_locations
Revises: t0016_printer_features
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0017_tax_class_locations"
down_revision: str | None = "t0016_printer_features"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # One row per (class, location) that differs from the class's own rates; `rates` is the
    # JSON list [[code, percent text], ...] ("[]": no tax there). No row: the class's rates.
    op.create_table(
        "tax_class_locations",
        sa.Column("tax_class", sa.String(length=32), primary_key=True),
        sa.Column("location_code", sa.String(length=16), primary_key=True),
        sa.Column("rates", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("tax_class_locations")
