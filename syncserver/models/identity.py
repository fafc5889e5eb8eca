"""Tenants and who works for them: registrations, tenants, locations, users, roles, sessions."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from syncserver.models.base import Base
from syncserver.models.types import UtcDateTime, uuid_column_type


class TenantRegistration(Base):
    """A business asking to use Nova; a superadmin approves or rejects it."""

    __tablename__ = "tenant_registrations"

    id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    business_name: Mapped[str] = mapped_column(String(120), nullable=False)
    business_key: Mapped[str] = mapped_column(String(120), nullable=False)  # normalized, for dedup
    owner_name: Mapped[str] = mapped_column(String(120), nullable=False)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    country: Mapped[str] = mapped_column(String(2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # pending/approved/rejected
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(uuid_column_type(), nullable=True)
    decision_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(uuid_column_type(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)

    __table_args__ = (
        Index("ix_tenant_registrations_email", "email"),
        Index("ix_tenant_registrations_status", "status"),
    )


class Tenant(Base):
    __tablename__ = "tenants"

    id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    business_key: Mapped[str] = mapped_column(String(120), nullable=False, unique=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # active/suspended/closed
    country: Mapped[str] = mapped_column(String(2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)


class Location(Base):
    __tablename__ = "locations"

    id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("tenants.id"), nullable=False, index=True
    )
    code: Mapped[str] = mapped_column(String(16), nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    # JSON list of strings (printed under the business's address on this shop's receipts).
    address_lines: Mapped[str] = mapped_column(
        Text, nullable=False, default="[]", server_default="[]"
    )
    timezone: Mapped[str | None] = mapped_column(String(64), nullable=True)  # None: the tenant's
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)  # None: the tenant's

    __table_args__ = (UniqueConstraint("tenant_id", "code"),)


class User(Base):
    """A person who signs in with a password (owners, managers) — or a superadmin (no tenant)."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(
        uuid_column_type(), ForeignKey("tenants.id"), nullable=True, index=True
    )
    email: Mapped[str | None] = mapped_column(String(254), nullable=True, unique=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    staff_code: Mapped[str | None] = mapped_column(String(8), nullable=True)
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)  # "!" = no password
    # Cashiers sign in on terminals with a PIN; its argon2 hash syncs to the terminals.
    pin_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    is_superadmin: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # invited/active/disabled
    failed_logins: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)

    __table_args__ = (UniqueConstraint("tenant_id", "staff_code"),)


class Role(Base):
    __tablename__ = "roles"

    id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("tenants.id"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(64), nullable=False)

    __table_args__ = (UniqueConstraint("tenant_id", "name"),)


class RolePermission(Base):
    __tablename__ = "role_permissions"

    role_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True
    )
    permission: Mapped[str] = mapped_column(String(48), primary_key=True)


class UserRole(Base):
    """A role given to a user, for one location or (location_id null) for all of them."""

    __tablename__ = "user_roles"

    id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("tenants.id"), nullable=False, index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("roles.id", ondelete="CASCADE"), nullable=False
    )
    location_id: Mapped[uuid.UUID | None] = mapped_column(
        uuid_column_type(), ForeignKey("locations.id"), nullable=True
    )


class ModuleRow(Base):
    """The registry of switchable modules (rows match `shared.permissions.Module`, by migration)."""

    __tablename__ = "modules"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(64), nullable=False)
    description: Mapped[str] = mapped_column(String(200), nullable=False)


class TenantModule(Base):
    __tablename__ = "tenant_modules"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("tenants.id"), primary_key=True
    )
    module: Mapped[str] = mapped_column(String(32), ForeignKey("modules.code"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False)


class AuthToken(Base):
    """Sessions, activation and reset tokens; only a SHA-256 of the token is stored."""

    __tablename__ = "auth_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # session/activation/reset
    user_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)


class AuditEvent(Base):
    """Every mutation made by a person or a device, with before/after and the request id."""

    __tablename__ = "audit_events"

    id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(
        uuid_column_type(), nullable=True, index=True
    )
    actor_id: Mapped[uuid.UUID | None] = mapped_column(uuid_column_type(), nullable=True)
    action: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    target: Mapped[str | None] = mapped_column(String(120), nullable=True)
    before: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON
    after: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON
    request_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    ip: Mapped[str | None] = mapped_column(String(64), nullable=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, index=True)
