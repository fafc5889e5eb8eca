"""Customers and the loyalty ledger: a balance is the sum of entries, never a stored number.

`loyalty_known_balances` is the last balance the server confirmed (written by sync); a terminal
redeems only against it, less its own redemptions the server has not confirmed yet.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.db.models.base import Base
from desktop.db.models.types import UtcText, UuidText


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    phone_key: Mapped[str | None] = mapped_column(String(32), nullable=True)  # digits, leading +
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    email_key: Mapped[str | None] = mapped_column(String(254), nullable=True)  # lower-cased
    card_number: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_by: Mapped[uuid.UUID] = mapped_column(UuidText(), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)

    __table_args__ = (
        # Dedup: one customer per phone, per e-mail, per card (null ones do not collide).
        Index("uq_customers_phone_key", "phone_key", unique=True),
        Index("uq_customers_email_key", "email_key", unique=True),
        Index("uq_customers_card_number", "card_number", unique=True),
    )


class LoyaltyEntry(Base):
    __tablename__ = "loyalty_entries"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(
        UuidText(), ForeignKey("customers.id"), nullable=False
    )
    kind: Mapped[str] = mapped_column(
        String(16), nullable=False
    )  # earn redeem reverse expire adjust
    points: Mapped[int] = mapped_column(Integer, nullable=False)  # signed
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(UuidText(), nullable=True)
    lot_id: Mapped[uuid.UUID | None] = mapped_column(
        UuidText(), nullable=True
    )  # expire: which earn
    expires_at: Mapped[datetime | None] = mapped_column(UtcText(), nullable=True)  # earn lots
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    actor_id: Mapped[uuid.UUID] = mapped_column(UuidText(), nullable=False)
    origin: Mapped[str] = mapped_column(String(36), nullable=False)  # replica id of the terminal
    at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)
    confirmed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    __table_args__ = (
        Index("ix_loyalty_entries_customer_at", "customer_id", "at"),
        Index(
            "ix_loyalty_entries_unconfirmed",
            "customer_id",
            sqlite_where=text("confirmed = 0"),
        ),
    )


class LoyaltyKnownBalance(Base):
    """The balance the server last confirmed for a customer (sync writes it)."""

    __tablename__ = "loyalty_known_balances"

    customer_id: Mapped[uuid.UUID] = mapped_column(
        UuidText(), ForeignKey("customers.id"), primary_key=True
    )
    points: Mapped[int] = mapped_column(Integer, nullable=False)
    as_of: Mapped[datetime] = mapped_column(UtcText(), nullable=False)
