"""count sessions: scope, lines, every entry, evidence attachments

Revision ID: t0009_counts
Revises: t0008_inventory
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0009_counts"
down_revision: str | None = "t0008_inventory"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UUID = sa.String(length=36)
AT = sa.String(length=32)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "count_sessions",
        sa.Column("id", UUID, nullable=False),
        sa.Column("location_code", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("category_id", UUID, nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("started_by", UUID, nullable=False),
        sa.Column("started_at", AT, nullable=False),
        sa.Column("closed_by", UUID, nullable=True),
        sa.Column("closed_at", AT, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_sessions")),
    )
    op.create_table(
        "count_scope_items",
        sa.Column("session_id", UUID, nullable=False),
        sa.Column("item_id", UUID, nullable=False),
        _fk("count_scope_items", "session_id", "count_sessions"),
        _fk("count_scope_items", "item_id", "items"),
        sa.PrimaryKeyConstraint("session_id", "item_id", name=op.f("pk_count_scope_items")),
    )
    op.create_table(
        "count_lines",
        sa.Column("session_id", UUID, nullable=False),
        sa.Column("item_id", UUID, nullable=False),
        sa.Column("qty_milli", sa.Integer(), nullable=False),
        sa.Column("counted_at", AT, nullable=False),
        sa.Column("counted_by", UUID, nullable=False),
        _fk("count_lines", "session_id", "count_sessions"),
        _fk("count_lines", "item_id", "items"),
        sa.PrimaryKeyConstraint("session_id", "item_id", name=op.f("pk_count_lines")),
    )
    op.create_table(
        "count_entries",
        sa.Column("id", UUID, nullable=False),
        sa.Column("session_id", UUID, nullable=False),
        sa.Column("item_id", UUID, nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("qty_milli", sa.Integer(), nullable=False),
        sa.Column("counted_by", UUID, nullable=False),
        sa.Column("counted_at", AT, nullable=False),
        _fk("count_entries", "session_id", "count_sessions"),
        _fk("count_entries", "item_id", "items"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_entries")),
    )
    op.create_index("ix_count_entries_session_id", "count_entries", ["session_id"])
    op.create_table(
        "count_attachments",
        sa.Column("id", UUID, nullable=False),
        sa.Column("session_id", UUID, nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_as", sa.String(length=200), nullable=False),
        sa.Column("added_by", UUID, nullable=False),
        sa.Column("added_at", AT, nullable=False),
        _fk("count_attachments", "session_id", "count_sessions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_attachments")),
    )
    op.create_index("ix_count_attachments_session_id", "count_attachments", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_count_attachments_session_id", table_name="count_attachments")
    op.drop_table("count_attachments")
    op.drop_index("ix_count_entries_session_id", table_name="count_entries")
    op.drop_table("count_entries")
    op.drop_table("count_lines")
    op.drop_table("count_scope_items")
    op.drop_table("count_sessions")
