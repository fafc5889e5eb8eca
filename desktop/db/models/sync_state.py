"""Where this terminal stands with the sync server (one row) and what needs a person."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.db.models.base import Base
from desktop.db.models.types import UtcText, UuidText


class SyncState(Base):
    """The credential lives in the OS keyring, never here; this is the progress."""

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    server_url: Mapped[str] = mapped_column(String(300), nullable=False)
    device_id: Mapped[uuid.UUID] = mapped_column(UuidText(), nullable=False)
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(UuidText(), nullable=True)
    location_id: Mapped[uuid.UUID | None] = mapped_column(UuidText(), nullable=True)
    location_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    epoch: Mapped[uuid.UUID | None] = mapped_column(UuidText(), nullable=True)
    # The server's stored results reach this outbox seq; records above it are still to push.
    pushed_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Changes up to here are applied locally (advanced in the same transaction as they are).
    pull_cursor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    replica_status: Mapped[str] = mapped_column(String(16), nullable=False, default="active")
    upgrade_required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    last_success_at: Mapped[datetime | None] = mapped_column(UtcText(), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_error_at: Mapped[datetime | None] = mapped_column(UtcText(), nullable=True)
    # Catalog bootstrap: None until done, then the change-log head it started from (catalog
    # changes up to it are in the snapshot). While one runs: where it resumes and its head.
    catalog_as_of: Mapped[int | None] = mapped_column(Integer, nullable=True)
    bootstrap_after: Mapped[str | None] = mapped_column(String(120), nullable=True)
    bootstrap_as_of: Mapped[int | None] = mapped_column(Integer, nullable=True)


class SyncIssue(Base):
    """An outbox record the server did not simply apply (needs review, deferred, rejected...)."""

    __tablename__ = "sync_issues"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(48), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)
