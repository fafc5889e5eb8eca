"""Terminals enrolled for a tenant's location, and the one-time codes that enroll them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from syncserver.models.base import Base
from syncserver.models.types import UtcDateTime, uuid_column_type


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("tenants.id"), nullable=False, index=True
    )
    location_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("locations.id"), nullable=False
    )
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    secret_hash: Mapped[str] = mapped_column(String(64), nullable=False)  # SHA-256 of the secret
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # active / revoked
    # "T01".."T99", given at enrollment: the till prints it in its receipt numbers.
    terminal_code: Mapped[str | None] = mapped_column(String(8), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    rotated_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class EnrollmentCode(Base):
    __tablename__ = "enrollment_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("tenants.id"), nullable=False, index=True
    )
    location_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("locations.id"), nullable=False
    )
    created_by: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    device_id: Mapped[uuid.UUID | None] = mapped_column(uuid_column_type(), nullable=True)
