"""Server-authored documents terminals receive: staff (with PIN hashes and grants), module
switches, the business settings (what receipts print), the selling rules and each location
(name, address, time zone; only its own tills receive it).

Terminals never edit these; they take the server's version. Any flush that touches a tenant's
users, roles, grants, locations, module switches or selling rules — or audits a staff, role or
module action — marks the tenant, and the commit hook publishes the documents whose content
changed. A disabled user, a removed PIN or a revoked grant therefore travels in the same change
as everything else, and the terminal applies it before the next sign-in.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections import defaultdict
from dataclasses import asdict
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from shared.permissions import ALL_MODULES
from shared.sync import ChangeOp
from syncserver.business import service as business
from syncserver.models import (
    AuditEvent,
    BusinessSettings,
    Location,
    Role,
    RolePermission,
    SellingRules,
    Tenant,
    TenantModule,
    User,
    UserRole,
)
from syncserver.selling import service as selling
from syncserver.sync.changes import ChangeDraft, document_builder, mark_documents_dirty, publish

STAFF = "staff"
MODULES = "modules"
SETTINGS = "settings"
SELLING = "selling"
LOCATION = "location"
_WATCHED = (User, Role, UserRole, TenantModule, Location, Tenant, BusinessSettings, SellingRules)
_AUDITED = (
    "staff.", "role.", "module.", "location.", "tenant.", "user.", "settings.", "selling.",
)  # fmt: skip


@document_builder
def staff_documents(
    session: Session, tenant_id: uuid.UUID
) -> dict[tuple[str, str], tuple[uuid.UUID | None, dict[str, Any]]]:
    """One document per person who can sign in at a till (has a staff code)."""
    grants: dict[uuid.UUID, dict[str | None, set[str]]] = defaultdict(lambda: defaultdict(set))
    role_names: dict[uuid.UUID, set[str]] = defaultdict(set)
    rows = session.execute(
        select(UserRole.user_id, UserRole.location_id, Role.name, RolePermission.permission)
        .join(Role, Role.id == UserRole.role_id)
        .outerjoin(RolePermission, RolePermission.role_id == Role.id)
        .where(UserRole.tenant_id == tenant_id)
    )
    for user_id, location_id, role_name, permission in rows:
        role_names[user_id].add(role_name)
        key = None if location_id is None else str(location_id)
        granted = grants[user_id][key]
        if permission is not None:
            granted.add(permission)
    docs: dict[tuple[str, str], tuple[uuid.UUID | None, dict[str, Any]]] = {}
    users = session.scalars(
        select(User).where(User.tenant_id == tenant_id, User.staff_code.is_not(None))
    )
    for user in users:
        by_location = grants.get(user.id, {})
        docs[(STAFF, str(user.id))] = (
            None,
            {
                "id": str(user.id),
                "code": user.staff_code,
                "name": user.name,
                "pin_hash": user.pin_hash,
                "active": user.status == "active" and user.pin_hash is not None,
                "roles": sorted(role_names.get(user.id, set())),
                "everywhere": sorted(by_location.get(None, set())),
                "by_location": {
                    loc: sorted(perms) for loc, perms in by_location.items() if loc is not None
                },
            },
        )
    return docs


@document_builder
def module_documents(
    session: Session, tenant_id: uuid.UUID
) -> dict[tuple[str, str], tuple[uuid.UUID | None, dict[str, Any]]]:
    enabled = set(
        session.scalars(
            select(TenantModule.module).where(
                TenantModule.tenant_id == tenant_id, TenantModule.enabled
            )
        )
    )
    return {(MODULES, "tenant"): (None, {m: m in enabled for m in sorted(ALL_MODULES)})}


@document_builder
def settings_documents(
    session: Session, tenant_id: uuid.UUID
) -> dict[tuple[str, str], tuple[uuid.UUID | None, dict[str, Any]]]:
    settings = business.current(session, tenant_id)
    tenant = session.get(Tenant, tenant_id)
    png = business.logo(session, tenant_id)
    body = {
        **asdict(settings),
        "logo_png": base64.b64encode(png).decode() if png else None,
        "currency": tenant.currency if tenant else None,
        "timezone": tenant.timezone if tenant else None,
    }
    return {(SETTINGS, "business"): (None, body)}


@document_builder
def selling_documents(
    session: Session, tenant_id: uuid.UUID
) -> dict[tuple[str, str], tuple[uuid.UUID | None, dict[str, Any]]]:
    """How every till of the business prices, rounds and gives change."""
    rules = selling.current(session, tenant_id)
    tenant = session.get(Tenant, tenant_id)
    body = {
        "currency": tenant.currency if tenant else None,
        "prices_include_tax": rules.prices_include_tax,
        "cash_rounding_minor": rules.cash_rounding_minor,
        "max_change_minor": rules.max_change_minor,
        "rounding": rules.rounding.value,
        "tax_rounding": rules.tax_rounding.value,
    }
    return {(SELLING, "tenant"): (None, body)}


@document_builder
def location_documents(
    session: Session, tenant_id: uuid.UUID
) -> dict[tuple[str, str], tuple[uuid.UUID | None, dict[str, Any]]]:
    """One per location, for its own tills only; the time zone and currency are resolved (the
    location's, else the business's), so a till never needs the tenant to know either."""
    tenant = session.get(Tenant, tenant_id)
    fallback = tenant.timezone if tenant else None
    money = tenant.currency if tenant else None
    docs: dict[tuple[str, str], tuple[uuid.UUID | None, dict[str, Any]]] = {}
    for loc in session.scalars(select(Location).where(Location.tenant_id == tenant_id)):
        docs[(LOCATION, str(loc.id))] = (
            loc.id,
            {
                "id": str(loc.id),
                "code": loc.code,
                "name": loc.name,
                "address_lines": json.loads(loc.address_lines or "[]"),
                "timezone": loc.timezone or fallback,
                "currency": loc.currency or money,
            },
        )
    return docs


def republish_location(session: Session, tenant_id: uuid.UUID, location_id: uuid.UUID) -> None:
    """Publish a location's document again, unchanged, under a new number: a till just moved
    there has read past its earlier publication."""
    docs = location_documents(session, tenant_id)
    key = (LOCATION, str(location_id))
    if key in docs:
        scope, body = docs[key]
        publish(session, ChangeDraft(tenant_id, LOCATION, key[1], ChangeOp.UPSERT, body, scope))


def _tenant_of(session: Session, obj: object) -> uuid.UUID | None:
    if isinstance(obj, Tenant):
        return obj.id
    if isinstance(obj, RolePermission):
        role = session.get(Role, obj.role_id)
        return role.tenant_id if role is not None else None
    if isinstance(obj, AuditEvent):
        return obj.tenant_id if obj.action.startswith(_AUDITED) else None
    if isinstance(obj, (*_WATCHED,)):
        tenant: uuid.UUID | None = getattr(obj, "tenant_id", None)
        return tenant
    return None


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, (*_WATCHED, RolePermission, AuditEvent)):
            tenant_id = _tenant_of(session, obj)
            if tenant_id is not None:
                mark_documents_dirty(session, tenant_id)


def install(maker: sessionmaker[Session]) -> None:
    event.listen(maker, "after_flush", _after_flush)
