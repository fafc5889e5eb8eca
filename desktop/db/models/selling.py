"""Tickets, their lines and tenders, shifts, and the per-terminal receipt counter."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.db.models.base import Base
from desktop.db.models.types import UtcText, UuidText


class Shift(Base):
    __tablename__ = "shifts"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    opened_at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)
    opened_by: Mapped[uuid.UUID] = mapped_column(UuidText(), nullable=False)
    float_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(UtcText(), nullable=True)
    closed_by: Mapped[uuid.UUID | None] = mapped_column(UuidText(), nullable=True)
    counted_minor: Mapped[int | None] = mapped_column(Integer, nullable=True)
    expected_minor: Mapped[int | None] = mapped_column(Integer, nullable=True)
    z_report: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON, frozen at close

    # The open shift is looked up on every ticket; years of closed shifts stay out of the way.
    __table_args__ = (Index("ix_shifts_open", "id", sqlite_where=text("closed_at IS NULL")),)


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    shift_id: Mapped[uuid.UUID] = mapped_column(
        UuidText(), ForeignKey("shifts.id"), nullable=False, index=True
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # open, parked, paid
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="sale")  # sale, refund
    receipt_no: Mapped[str | None] = mapped_column(String(32), nullable=True, unique=True)
    opened_at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(UtcText(), nullable=True)
    cashier_id: Mapped[uuid.UUID] = mapped_column(UuidText(), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    net_minor: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tax_minor: Mapped[int | None] = mapped_column(Integer, nullable=True)
    gross_minor: Mapped[int | None] = mapped_column(Integer, nullable=True)
    refund_of: Mapped[uuid.UUID | None] = mapped_column(
        UuidText(), ForeignKey("tickets.id"), nullable=True
    )
    # A ticket-wide discount: a percent, or an amount off (minor units); at most one is set.
    discount_percent: Mapped[str | None] = mapped_column(String(8), nullable=True)
    discount_minor: Mapped[int | None] = mapped_column(Integer, nullable=True)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(UuidText(), nullable=True)
    # Cash rounding to the smallest coin in use (e.g. 0.05): what the customer paid minus gross.
    rounding_minor: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (
        # Partial: only refunds are indexed, so a sale writes one index less.
        Index("ix_tickets_refund_of", "refund_of", sqlite_where=text("refund_of IS NOT NULL")),
    )


class TicketLine(Base):
    __tablename__ = "ticket_lines"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    # Found through the unique (ticket_id, position) index: one index less to write per line.
    ticket_id: Mapped[uuid.UUID] = mapped_column(
        UuidText(), ForeignKey("tickets.id"), nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    item_id: Mapped[uuid.UUID] = mapped_column(UuidText(), ForeignKey("items.id"), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)  # as sold, for the receipt
    quantity: Mapped[str] = mapped_column(String(24), nullable=False)  # Decimal as text
    unit_price_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    tax_class: Mapped[str] = mapped_column(String(32), nullable=False)
    voided_at: Mapped[datetime | None] = mapped_column(UtcText(), nullable=True)
    void_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    net_minor: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tax_minor: Mapped[int | None] = mapped_column(Integer, nullable=True)
    gross_minor: Mapped[int | None] = mapped_column(Integer, nullable=True)
    discount_percent: Mapped[str | None] = mapped_column(String(8), nullable=True)
    discount_minor: Mapped[int | None] = mapped_column(Integer, nullable=True)
    refund_of_line: Mapped[uuid.UUID | None] = mapped_column(
        UuidText(), ForeignKey("ticket_lines.id"), nullable=True
    )
    restock: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    note: Mapped[str | None] = mapped_column(String(200), nullable=True)

    __table_args__ = (
        UniqueConstraint("ticket_id", "position"),
        # Partial: a sale's lines have no refund_of_line and so never touch this index.
        Index(
            "ix_ticket_lines_refund_of_line",
            "refund_of_line",
            sqlite_where=text("refund_of_line IS NOT NULL"),
        ),
    )


class TicketLineModifier(Base):
    """A modifier chosen on a line, with its name and price as sold."""

    __tablename__ = "ticket_line_modifiers"

    line_id: Mapped[uuid.UUID] = mapped_column(
        UuidText(), ForeignKey("ticket_lines.id", ondelete="CASCADE"), primary_key=True
    )
    modifier_id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    price_delta_minor: Mapped[int] = mapped_column(Integer, nullable=False)


class TicketLineTax(Base):
    """The tax of one rate on one line, as finalized: reports by rate sum these exactly."""

    __tablename__ = "ticket_line_taxes"

    line_id: Mapped[uuid.UUID] = mapped_column(
        UuidText(), ForeignKey("ticket_lines.id", ondelete="CASCADE"), primary_key=True
    )
    rate_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    percent: Mapped[str] = mapped_column(String(16), nullable=False)
    tax_minor: Mapped[int] = mapped_column(Integer, nullable=False)


class Tender(Base):
    __tablename__ = "tenders"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    ticket_id: Mapped[uuid.UUID] = mapped_column(
        UuidText(), ForeignKey("tickets.id"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # cash, card, voucher
    amount_minor: Mapped[int] = mapped_column(Integer, nullable=False)  # applied to the ticket
    tendered_minor: Mapped[int] = mapped_column(Integer, nullable=False)  # handed over
    change_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    approval_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    card_last4: Mapped[str | None] = mapped_column(String(4), nullable=True)
    card_scheme: Mapped[str | None] = mapped_column(String(24), nullable=True)
    reference: Mapped[str | None] = mapped_column(String(64), nullable=True)  # voucher code
    created_at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)


class CashMovement(Base):
    """Drawer events outside sales: paid-in, paid-out, cash drops and no-sale opens, each with a
    reason."""

    __tablename__ = "cash_movements"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    shift_id: Mapped[uuid.UUID] = mapped_column(
        UuidText(), ForeignKey("shifts.id"), nullable=False, index=True
    )
    # paid_in, paid_out, drop, no_sale
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    amount_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(String(200), nullable=False)
    actor_id: Mapped[uuid.UUID] = mapped_column(UuidText(), nullable=False)
    at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)


class ReceiptCounter(Base):
    """Next receipt number of a terminal; gap-free: it moves only inside a sale's commit."""

    __tablename__ = "receipt_counters"

    terminal_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    next_number: Mapped[int] = mapped_column(Integer, nullable=False)
