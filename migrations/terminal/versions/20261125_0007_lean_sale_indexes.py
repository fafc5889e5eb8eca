"""fewer index writes per sale: partial refund indexes, open-shift index

A finalized sale writes every index of every table it touches, and each one is a page in the
WAL commit. Refund links are null on sales, so their indexes become partial; ticket lines are
found through their (ticket_id, position) unique index; outbox records are read by seq.

Revision ID: t0007_lean_sale_indexes
Revises: t0006_line_taxes
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0007_lean_sale_indexes"
down_revision: str | None = "t0006_line_taxes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_tickets_refund_of", table_name="tickets")
    op.create_index(
        "ix_tickets_refund_of",
        "tickets",
        ["refund_of"],
        sqlite_where=sa.text("refund_of IS NOT NULL"),
    )
    op.drop_index("ix_ticket_lines_refund_of_line", table_name="ticket_lines")
    op.create_index(
        "ix_ticket_lines_refund_of_line",
        "ticket_lines",
        ["refund_of_line"],
        sqlite_where=sa.text("refund_of_line IS NOT NULL"),
    )
    op.drop_index("ix_ticket_lines_ticket_id", table_name="ticket_lines")
    op.drop_index("ix_outbox_entity_id", table_name="outbox")
    op.create_index("ix_shifts_open", "shifts", ["id"], sqlite_where=sa.text("closed_at IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_shifts_open", table_name="shifts")
    op.create_index("ix_outbox_entity_id", "outbox", ["entity_id"])
    op.create_index("ix_ticket_lines_ticket_id", "ticket_lines", ["ticket_id"])
    op.drop_index("ix_ticket_lines_refund_of_line", table_name="ticket_lines")
    op.create_index("ix_ticket_lines_refund_of_line", "ticket_lines", ["refund_of_line"])
    op.drop_index("ix_tickets_refund_of", table_name="tickets")
    op.create_index("ix_tickets_refund_of", "tickets", ["refund_of"])
