"""The outbox: every state change, numbered gap-free per replica, for the sync worker to push."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.db.models.base import Base
from desktop.db.models.types import UtcText, UuidText


class OutboxRecord(Base):
    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[uuid.UUID] = mapped_column(UuidText(), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(48), nullable=False)  # e.g. "ticket.finalized"
    schema_version: Mapped[int] = mapped_column(Integer, nullable=False)
    # Not indexed: the sync worker reads by seq, and every sale would pay for the index.
    entity_id: Mapped[uuid.UUID] = mapped_column(UuidText(), nullable=False)
    payload: Mapped[str] = mapped_column(Text, nullable=False)  # JSON
    created_at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)


class AuditEntry(Base):
    """Sensitive actions (voids, discounts, refunds, no-sales, overrides, shift close)."""

    __tablename__ = "audit_log"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)
    actor_id: Mapped[uuid.UUID] = mapped_column(UuidText(), nullable=False)
    authorized_by: Mapped[uuid.UUID | None] = mapped_column(UuidText(), nullable=True)
    action: Mapped[str] = mapped_column(String(48), nullable=False, index=True)
    target_id: Mapped[uuid.UUID | None] = mapped_column(UuidText(), nullable=True)
    details: Mapped[str] = mapped_column(Text, nullable=False)  # JSON
