"""Sync state and the facts terminals push (docs/sync-protocol.md).

`sync_mutations` is both the exactly-once ledger — one row per (replica, seq), written in the
transaction that applied its effects — and the server's copy of every fact a terminal recorded.
The projections (`sales`, `stock_movements`, `loyalty_entries`, `customers`) carry unique keys
on natural ids, the second line of defence against a duplicate.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from syncserver.models.base import Base
from syncserver.models.types import UtcDateTime, uuid_column_type


class SyncReplica(Base):
    """One terminal database file; its pushes are applied strictly in sequence order."""

    __tablename__ = "sync_replicas"

    id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("tenants.id"), nullable=False, index=True
    )
    location_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("locations.id"), nullable=False
    )
    device_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("devices.id"), nullable=False
    )
    applied_seq: Mapped[int] = mapped_column(BigInteger, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # active / quarantined
    status_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    app_version: Mapped[str] = mapped_column(String(40), nullable=False)
    protocol_version: Mapped[int] = mapped_column(Integer, nullable=False)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    last_push_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    pull_cursor: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)  # for lag
    terminal_code: Mapped[str | None] = mapped_column(String(8), nullable=True)  # upper case


class SyncMutation(Base):
    """The stored result of one pushed mutation, and the fact itself."""

    __tablename__ = "sync_mutations"
    __table_args__ = (
        Index("ix_sync_mutations_tenant_status", "tenant_id", "status"),
        Index("ix_sync_mutations_waits_for", "tenant_id", "waits_for"),
    )

    replica_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("sync_replicas.id"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    tenant_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), nullable=False)
    mutation_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), nullable=False)
    kind: Mapped[str] = mapped_column(String(48), nullable=False)
    schema_version: Mapped[int] = mapped_column(Integer, nullable=False)
    entity_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), nullable=False)
    payload: Mapped[str] = mapped_column(Text, nullable=False)  # JSON as pushed
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    waits_for: Mapped[uuid.UUID | None] = mapped_column(uuid_column_type(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)  # at the till
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(uuid_column_type(), nullable=True)
    resolution: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Kept for review WITHOUT its effects (it collided with a fact on record, or names a
    # location the business does not have): accepting the review applies what it holds.
    held: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class SyncQuarantine(Base):
    """Pushes kept aside, never applied and never dropped: a cloned DB or a revoked device."""

    __tablename__ = "sync_quarantine"

    id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), nullable=False, index=True)
    replica_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), nullable=False)
    device_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), nullable=False)
    seq: Mapped[int] = mapped_column(BigInteger, nullable=False)
    kind: Mapped[str] = mapped_column(String(48), nullable=False)
    payload: Mapped[str] = mapped_column(Text, nullable=False)
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    __table_args__ = (UniqueConstraint("replica_id", "seq", "fingerprint"),)


class ChangeCounter(Base):
    """Per-tenant change sequence, taken just before commit so numbers follow commit order."""

    __tablename__ = "sync_change_counters"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("tenants.id"), primary_key=True
    )
    last_seq: Mapped[int] = mapped_column(BigInteger, nullable=False)


class ChangeLogEntry(Base):
    """What terminals pull: server-authored documents and facts from other replicas."""

    __tablename__ = "sync_changes"

    tenant_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    entity: Mapped[str] = mapped_column(String(32), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(64), nullable=False)
    op: Mapped[str] = mapped_column(String(8), nullable=False)
    location_id: Mapped[uuid.UUID | None] = mapped_column(uuid_column_type(), nullable=True)
    origin_replica: Mapped[uuid.UUID | None] = mapped_column(uuid_column_type(), nullable=True)
    body: Mapped[str] = mapped_column(Text, nullable=False)  # JSON
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)


class SyncDocument(Base):
    """The current version of each server-authored document (what a bootstrap sends)."""

    __tablename__ = "sync_documents"

    tenant_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    location_id: Mapped[uuid.UUID | None] = mapped_column(uuid_column_type(), nullable=True)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    body_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    seq: Mapped[int] = mapped_column(BigInteger, nullable=False)


class Sale(Base):
    """A finished ticket or refund, one row per ticket id. A sale is identified by its id; the
    printed receipt number is unique per till (replica) only: two tills misconfigured with one
    terminal code both keep their sales (the clash is a review note)."""

    __tablename__ = "sales"
    __table_args__ = (
        UniqueConstraint("tenant_id", "replica_id", "receipt_no"),
        Index("ix_sales_receipt", "tenant_id", "receipt_no"),  # clashes between tills
    )

    # Facts are keyed within their tenant: another business's ids never collide with ours.
    tenant_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    location_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), nullable=False)
    replica_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), nullable=False)
    seq: Mapped[int] = mapped_column(BigInteger, nullable=False)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)  # sale / refund
    refund_of: Mapped[uuid.UUID | None] = mapped_column(uuid_column_type(), nullable=True)
    receipt_no: Mapped[str] = mapped_column(String(32), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    gross_minor: Mapped[int] = mapped_column(BigInteger, nullable=False)
    tax_minor: Mapped[int] = mapped_column(BigInteger, nullable=False)
    cashier_id: Mapped[uuid.UUID | None] = mapped_column(uuid_column_type(), nullable=True)
    closed_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)


class SalePayment(Base):
    """Tenders of a sale; a card payment's approval is unique per tenant (never charged twice)."""

    __tablename__ = "sale_payments"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "sale_id"], ["sales.tenant_id", "sales.id"]),
        Index("ix_sale_payments_sale", "tenant_id", "sale_id"),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    sale_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    amount_minor: Mapped[int] = mapped_column(BigInteger, nullable=False)


class SaleTax(Base):
    """A sale's tax per rate, as the till computed it at finalize (code, percent, tax): the
    rate in force when it was sold, so changing a rate later never changes a past sale."""

    __tablename__ = "sale_taxes"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "sale_id"], ["sales.tenant_id", "sales.id"]),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    sale_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    rate_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    rate_percent: Mapped[str] = mapped_column(String(16), primary_key=True)  # decimal text
    tax_minor: Mapped[int] = mapped_column(BigInteger, nullable=False)


class SaleLine(Base):
    """A sale's line as sold: name, quantity and prices at the time, and the modifiers chosen
    (JSON list of {id, name, price_delta_minor}; their deltas are in the unit price)."""

    __tablename__ = "sale_lines"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "sale_id"], ["sales.tenant_id", "sales.id"]),
        Index("ix_sale_lines_item", "tenant_id", "item_id"),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    sale_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    item_id: Mapped[uuid.UUID | None] = mapped_column(uuid_column_type(), nullable=True)
    name: Mapped[str] = mapped_column(String(400), nullable=False)
    quantity: Mapped[str] = mapped_column(String(16), nullable=False)  # decimal text
    unit_price_minor: Mapped[int] = mapped_column(BigInteger, nullable=False)
    gross_minor: Mapped[int] = mapped_column(BigInteger, nullable=False)
    tax_minor: Mapped[int] = mapped_column(BigInteger, nullable=False)
    discount_minor: Mapped[int] = mapped_column(BigInteger, nullable=False)
    modifiers: Mapped[str] = mapped_column(Text, nullable=False)


class ServerStockMovement(Base):
    """Stock ledger on the server: level = Σ qty_milli per (tenant, item, location)."""

    __tablename__ = "stock_movements"
    __table_args__ = (Index("ix_stock_movements_item", "tenant_id", "item_id", "location_code"),)

    tenant_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), nullable=False)
    location_code: Mapped[str] = mapped_column(String(16), nullable=False)
    qty_milli: Mapped[int] = mapped_column(BigInteger, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    replica_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), nullable=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)


class ServerLoyaltyEntry(Base):
    """Loyalty ledger on the server: balance = Σ points per customer."""

    __tablename__ = "loyalty_entries"
    __table_args__ = (Index("ix_loyalty_entries_customer", "tenant_id", "customer_id"),)

    tenant_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), nullable=False)
    points: Mapped[int] = mapped_column(BigInteger, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    replica_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)  # the entry as the terminal wrote it
    at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)


class ServerCustomer(Base):
    """Customers the business's tills created: what loyalty entries and sales may name."""

    __tablename__ = "customers"

    tenant_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    replica_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
