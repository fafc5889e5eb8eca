"""Who is asking and what they may do: every `/v1` route declares it through these dependencies.

`require(permission)` resolves the signed-in user's roles into a `Subject` (tenant, permissions
for all locations and per location) and refuses with AUTHZ when the permission — or the module
the route belongs to — is missing. Queries then start from `tenant_scoped(stmt, subject)`, so a
row of another tenant is simply not found.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import Depends
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from shared.errors import AuthzError
from syncserver.auth.deps import CurrentUser, DbSession
from syncserver.models import RolePermission, Tenant, TenantModule, UserRole

S = TypeVar("S", bound=Select[Any])
PUBLIC = "public"
SUPERADMIN = "superadmin"


@dataclass(frozen=True)
class Subject:
    user_id: uuid.UUID
    tenant_id: uuid.UUID
    everywhere: frozenset[str]  # permissions granted for all locations
    by_location: dict[uuid.UUID, frozenset[str]] = field(default_factory=dict)
    modules: frozenset[str] = frozenset()

    def can(self, permission: str, location_id: uuid.UUID | None = None) -> bool:
        if permission in self.everywhere:
            return True
        return location_id is not None and permission in self.by_location.get(location_id, set())

    def somewhere(self, permission: str) -> bool:
        """Held for all locations or for at least one."""
        return permission in self.everywhere or any(
            permission in granted for granted in self.by_location.values()
        )

    def locations_for(self, permission: str) -> frozenset[uuid.UUID] | None:
        """Where `permission` holds: None means every location."""
        if permission in self.everywhere:
            return None
        return frozenset(loc for loc, granted in self.by_location.items() if permission in granted)

    def require_at(self, permission: str, location_id: uuid.UUID | None) -> None:
        """AUTHZ unless `permission` holds at `location_id` (None: at every location)."""
        if not self.can(permission, location_id):
            where = "for all locations" if location_id is None else "at that location"
            raise AuthzError(
                f"you need the {permission} permission {where}",
                details={"permission": permission, "location_id": str(location_id)},
            )


def load_subject(session: Session, user_id: uuid.UUID, tenant_id: uuid.UUID) -> Subject:
    rows = session.execute(
        select(UserRole.location_id, RolePermission.permission)
        .join(RolePermission, RolePermission.role_id == UserRole.role_id)
        .where(UserRole.user_id == user_id, UserRole.tenant_id == tenant_id)
    ).all()
    everywhere: set[str] = set()
    by_location: dict[uuid.UUID, set[str]] = defaultdict(set)
    for location_id, permission in rows:
        (everywhere if location_id is None else by_location[location_id]).add(permission)
    modules = session.scalars(
        select(TenantModule.module).where(TenantModule.tenant_id == tenant_id, TenantModule.enabled)
    ).all()
    return Subject(
        user_id,
        tenant_id,
        frozenset(everywhere),
        {k: frozenset(v) for k, v in by_location.items()},
        frozenset(modules),
    )


def require(
    permission: str, *, module: str | None = None, per_location: bool = False
) -> Callable[..., Subject]:
    """Dependency for a tenant route: the caller must hold `permission` for all locations.

    With `per_location=True` a grant at one location is enough to get in; the service then
    checks the location it touches with `subject.require_at` (or filters by `locations_for`).
    """

    def dependency(user: CurrentUser, session: DbSession) -> Subject:
        subject = _tenant_subject(user, session, permission)
        if module is not None and module not in subject.modules:
            raise AuthzError(
                f"the {module} module is switched off for this business", details={"module": module}
            )
        allowed = subject.somewhere(permission) if per_location else subject.can(permission)
        if not allowed:
            raise AuthzError(
                f"you need the {permission} permission", details={"permission": permission}
            )
        return subject

    dependency.nova_permission = permission  # type: ignore[attr-defined]
    return dependency


def _tenant_subject(user: Any, session: Session, asked: str) -> Subject:
    """The signed-in user as a Subject of an active tenant (superadmins are not tenant users)."""
    if user.tenant_id is None:
        raise AuthzError(
            "this is a shop's API; superadmins use /v1/superadmin", details={"permission": asked}
        )
    status = session.scalar(select(Tenant.status).where(Tenant.id == user.tenant_id))
    if status != "active":
        raise AuthzError(f"this business is {status}", details={"tenant_status": status})
    return load_subject(session, user.id, user.tenant_id)


MEMBER = "member"


def member(user: CurrentUser, session: DbSession) -> Subject:
    """Any signed-in person of an active tenant; the route filters by what they hold."""
    return _tenant_subject(user, session, MEMBER)


member.nova_permission = MEMBER  # type: ignore[attr-defined]


def public() -> None:
    """Marks a route open to anyone (registration, sign-in); rate limits guard it instead."""


public.nova_permission = PUBLIC  # type: ignore[attr-defined]


def tenant_scoped(stmt: S, model: Any, subject: Subject) -> S:
    """Every tenant query starts here: rows of other tenants do not exist for this subject."""
    return stmt.where(model.tenant_id == subject.tenant_id)


Public = Depends(public)
