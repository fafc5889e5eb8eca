"""printer features: columns, QR codes, logo, code page, drawer pulse per registered device

Revision ID: t0016_printer_features
Revises: t0015_item_tiles
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0016_printer_features"
down_revision: str | None = "t0015_item_tiles"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL columns: the paper width's usual count (58 mm → 32, 80 mm → 48).
    op.add_column("local_devices", sa.Column("columns", sa.Integer(), nullable=True))
    op.add_column(
        "local_devices", sa.Column("qr", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column(
        "local_devices", sa.Column("logo", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column(
        "local_devices",
        sa.Column("code_page", sa.String(length=16), nullable=False, server_default="auto"),
    )
    op.add_column(
        "local_devices",
        sa.Column("drawer_pulse_ms", sa.Integer(), nullable=False, server_default="50"),
    )


def downgrade() -> None:
    for column in ("drawer_pulse_ms", "code_page", "logo", "qr", "columns"):
        op.execute(f"ALTER TABLE local_devices DROP COLUMN {column}")
