"""Inventory as a ledger: immutable stock movements, and a running balance kept by triggers.

Quantities are stored in thousandths (`qty_milli`, an integer) so weighed goods sum exactly in
SQL. `stock_levels` is never written by Python: triggers on `stock_movements` maintain it in the
same statement, and refuse updates and deletes of movements (migration t0008).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.db.models.base import Base
from desktop.db.models.types import UtcText, UuidText


class StockMovement(Base):
    __tablename__ = "stock_movements"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(UuidText(), ForeignKey("items.id"), nullable=False)
    location_code: Mapped[str] = mapped_column(String(16), nullable=False)
    qty_milli: Mapped[int] = mapped_column(Integer, nullable=False)  # signed, thousandths
    # sale, refund_restock, adjustment, transfer_in, transfer_out, count_variance
    kind: Mapped[str] = mapped_column(String(24), nullable=False)
    reason: Mapped[str | None] = mapped_column(String(24), nullable=True)
    note: Mapped[str | None] = mapped_column(String(200), nullable=True)
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(UuidText(), nullable=True)
    count_id: Mapped[uuid.UUID | None] = mapped_column(UuidText(), nullable=True)
    transfer_id: Mapped[uuid.UUID | None] = mapped_column(UuidText(), nullable=True)
    actor_id: Mapped[uuid.UUID] = mapped_column(UuidText(), nullable=False)
    at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)

    __table_args__ = (
        # The audit query and "stock as of a moment" both walk one item at one location in time.
        Index("ix_stock_movements_item_location_at", "item_id", "location_code", "at"),
    )


class StockLevel(Base):
    __tablename__ = "stock_levels"

    item_id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    location_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    qty_milli: Mapped[int] = mapped_column(Integer, nullable=False)


class CountSession(Base):
    """A stock count at one location: full, one category, or a selection of items."""

    __tablename__ = "count_sessions"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    location_code: Mapped[str] = mapped_column(String(16), nullable=False)
    scope: Mapped[str] = mapped_column(String(16), nullable=False)  # full, category, selection
    category_id: Mapped[uuid.UUID | None] = mapped_column(UuidText(), nullable=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # open, posted, cancelled
    note: Mapped[str | None] = mapped_column(String(200), nullable=True)
    started_by: Mapped[uuid.UUID] = mapped_column(UuidText(), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)
    closed_by: Mapped[uuid.UUID | None] = mapped_column(UuidText(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcText(), nullable=True)


class CountScopeItem(Base):
    """The items of a `selection` count."""

    __tablename__ = "count_scope_items"

    session_id: Mapped[uuid.UUID] = mapped_column(
        UuidText(), ForeignKey("count_sessions.id"), primary_key=True
    )
    item_id: Mapped[uuid.UUID] = mapped_column(UuidText(), ForeignKey("items.id"), primary_key=True)


class CountLine(Base):
    """What was counted of one item in a session, and when (the last entry's moment)."""

    __tablename__ = "count_lines"

    session_id: Mapped[uuid.UUID] = mapped_column(
        UuidText(), ForeignKey("count_sessions.id"), primary_key=True
    )
    item_id: Mapped[uuid.UUID] = mapped_column(UuidText(), ForeignKey("items.id"), primary_key=True)
    qty_milli: Mapped[int] = mapped_column(Integer, nullable=False)
    counted_at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)
    counted_by: Mapped[uuid.UUID] = mapped_column(UuidText(), nullable=False)


class CountEntry(Base):
    """Every scan, typed quantity and recount, as it happened (who, when, add or set)."""

    __tablename__ = "count_entries"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(
        UuidText(), ForeignKey("count_sessions.id"), nullable=False, index=True
    )
    item_id: Mapped[uuid.UUID] = mapped_column(UuidText(), ForeignKey("items.id"), nullable=False)
    mode: Mapped[str] = mapped_column(String(8), nullable=False)  # add (scan, shelf), set (recount)
    qty_milli: Mapped[int] = mapped_column(Integer, nullable=False)
    counted_by: Mapped[uuid.UUID] = mapped_column(UuidText(), nullable=False)
    counted_at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)


class CountAttachment(Base):
    """Evidence for a count (photos, PDFs), stored as files in the terminal's data folder."""

    __tablename__ = "count_attachments"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(
        UuidText(), ForeignKey("count_sessions.id"), nullable=False, index=True
    )
    filename: Mapped[str] = mapped_column(String(200), nullable=False)  # as the user named it
    content_type: Mapped[str] = mapped_column(String(64), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    stored_as: Mapped[str] = mapped_column(String(200), nullable=False)  # relative to data dir
    added_by: Mapped[uuid.UUID] = mapped_column(UuidText(), nullable=False)
    added_at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)
