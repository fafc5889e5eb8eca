"""Roles built from permission names, staff with PINs, and the preview of what a role sees."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shared.errors import Conflict, NotFound
from shared.ids import uuid7
from shared.navigation import Screen, visible_screens
from shared.permissions import Permission
from syncserver.audit.service import record
from syncserver.auth.secrets import hash_password
from syncserver.auth.service import now
from syncserver.models import Location, Role, RolePermission, User, UserRole
from syncserver.staff.schemas import Assignment
from syncserver.tenancy import Subject, tenant_scoped


def _role(session: Session, subject: Subject, role_id: uuid.UUID) -> Role:
    role = session.scalar(tenant_scoped(select(Role), Role, subject).where(Role.id == role_id))
    if role is None:
        raise NotFound("no such role", details={"role_id": str(role_id)})
    return role


def permissions_of(session: Session, role_id: uuid.UUID) -> list[str]:
    rows = session.scalars(
        select(RolePermission.permission).where(RolePermission.role_id == role_id)
    )
    return sorted(rows)


def list_roles(session: Session, subject: Subject) -> list[tuple[Role, list[str]]]:
    roles = session.scalars(tenant_scoped(select(Role), Role, subject).order_by(Role.name))
    return [(r, permissions_of(session, r.id)) for r in roles]


def create_role(
    session: Session, subject: Subject, *, name: str, permissions: list[str], ip: str | None
) -> Role:
    exists = tenant_scoped(select(Role.id), Role, subject).where(Role.name == name)
    if session.scalar(exists):
        raise Conflict(f"a role named {name!r} exists already", details={"name": name})
    role = Role(id=uuid7(), tenant_id=subject.tenant_id, name=name)
    session.add(role)
    session.flush()
    session.add_all([RolePermission(role_id=role.id, permission=p) for p in permissions])
    record(
        session,
        action="role.created",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"role:{role.id}",
        after={"name": name, "permissions": permissions},
        ip=ip,
    )
    session.flush()
    return role


def set_role_permissions(
    session: Session,
    subject: Subject,
    *,
    role_id: uuid.UUID,
    permissions: list[str],
    ip: str | None,
) -> Role:
    role = _role(session, subject, role_id)
    before = permissions_of(session, role.id)
    session.execute(delete(RolePermission).where(RolePermission.role_id == role.id))
    session.add_all([RolePermission(role_id=role.id, permission=p) for p in permissions])
    record(
        session,
        action="role.permissions_changed",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"role:{role.id}",
        before={"permissions": before},
        after={"permissions": permissions},
        ip=ip,
    )
    session.flush()
    return role


def preview_role(
    session: Session, subject: Subject, role_id: uuid.UUID
) -> tuple[Role, list[str], list[Screen]]:
    """What a member of the role would be allowed and would see (read-only)."""
    role = _role(session, subject, role_id)
    perms = permissions_of(session, role.id)
    return role, perms, visible_screens(frozenset(perms), subject.modules)


def create_staff(
    session: Session,
    subject: Subject,
    *,
    name: str,
    code: str,
    pin: str,
    roles: list[Assignment],
    ip: str | None,
) -> User:
    """A cashier or manager who signs in on terminals with code + PIN (hash synced to tills)."""
    taken = tenant_scoped(select(User.id), User, subject).where(User.staff_code == code)
    if session.scalar(taken):
        raise Conflict(f"staff code {code} is taken", details={"code": code})
    for assignment in roles:
        _role(session, subject, assignment.role_id)
        if assignment.location_id is not None and not session.scalar(
            tenant_scoped(select(Location.id), Location, subject).where(
                Location.id == assignment.location_id
            )
        ):
            raise NotFound("no such location", details={"location_id": str(assignment.location_id)})
        # A manager of one location hires for that location only.
        subject.require_at(Permission.STAFF_MANAGE, assignment.location_id)
    user = User(
        id=uuid7(),
        tenant_id=subject.tenant_id,
        email=None,
        name=name,
        staff_code=code,
        password_hash="!",
        pin_hash=hash_password(pin),
        is_superadmin=False,
        status="active",
        failed_logins=0,
        created_at=now(),
    )
    session.add(user)
    session.flush()
    session.add_all(
        [
            UserRole(
                id=uuid7(),
                tenant_id=subject.tenant_id,
                user_id=user.id,
                role_id=a.role_id,
                location_id=a.location_id,
            )
            for a in roles
        ]
    )
    record(
        session,
        action="staff.created",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"user:{user.id}",
        after={"name": name, "code": code, "roles": [a.model_dump() for a in roles]},
        ip=ip,
    )
    session.flush()
    return user
