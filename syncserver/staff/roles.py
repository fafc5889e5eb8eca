"""Roles built from permission names: create, change, delete, and preview what a role sees."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from shared.errors import Conflict, NotFound
from shared.ids import uuid7
from shared.navigation import Screen, visible_screens
from shared.permissions import Permission
from syncserver.audit.service import record
from syncserver.models import Role, RolePermission, User, UserRole
from syncserver.tenancy import Subject, tenant_scoped

NAMES_SHOWN = 3  # holders named in a refused deletion


def get_role(session: Session, subject: Subject, role_id: uuid.UUID) -> Role:
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
        raise Conflict(
            f"a role named {name!r} exists already", details={"name": name, "field": "name"}
        )
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


def rename_role(
    session: Session, subject: Subject, *, role_id: uuid.UUID, name: str, ip: str | None
) -> tuple[Role, list[str]]:
    """A new name for a role (its holders and permissions stay). Raises Conflict (field
    name) when another role has the name."""
    role = get_role(session, subject, role_id)
    taken = tenant_scoped(select(Role.id), Role, subject).where(
        Role.name == name, Role.id != role.id
    )
    if session.scalar(taken):
        raise Conflict(
            f"a role named {name!r} exists already", details={"name": name, "field": "name"}
        )
    before, role.name = role.name, name
    session.flush()
    record(
        session,
        action="role.renamed",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"role:{role.id}",
        before={"name": before},
        after={"name": name},
        ip=ip,
    )
    return role, permissions_of(session, role.id)


def set_role_permissions(
    session: Session,
    subject: Subject,
    *,
    role_id: uuid.UUID,
    permissions: list[str],
    ip: str | None,
) -> Role:
    """Replace a role's permissions (audited before/after).

    Raises:
        Conflict: afterwards nobody active could manage staff any more — the business would
            have locked itself out of its own roles.
    """
    role = get_role(session, subject, role_id)
    before = permissions_of(session, role.id)
    session.execute(delete(RolePermission).where(RolePermission.role_id == role.id))
    session.add_all([RolePermission(role_id=role.id, permission=p) for p in permissions])
    session.flush()
    keep_someone_in_charge(session, subject)
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
    role = get_role(session, subject, role_id)
    perms = permissions_of(session, role.id)
    return role, perms, visible_screens(frozenset(perms), subject.modules)


def delete_role(session: Session, subject: Subject, *, role_id: uuid.UUID, ip: str | None) -> None:
    """Remove a role nobody holds any more.

    Raises:
        Conflict: people still hold it (move them to another role first).
    """
    role = get_role(session, subject, role_id)
    names = list(
        session.scalars(
            select(User.name)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role_id == role.id)
            .distinct()
            .order_by(User.name)
        )
    )
    if names:
        # By name, so the manager knows whom to move (the first few: a role may have many).
        shown = ", ".join(names[:NAMES_SHOWN])
        if len(names) > NAMES_SHOWN:
            shown += f" and {len(names) - NAMES_SHOWN} more"
        raise Conflict(
            f"{shown} {'holds' if len(names) == 1 else 'hold'} the role {role.name}; "
            "give them another role first",
            details={"role_id": str(role.id), "holders": len(names), "names": names[:NAMES_SHOWN]},
        )
    before = {"name": role.name, "permissions": permissions_of(session, role.id)}
    session.execute(delete(RolePermission).where(RolePermission.role_id == role.id))
    session.delete(role)
    record(
        session,
        action="role.deleted",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"role:{role_id}",
        before=before,
        ip=ip,
    )
    session.flush()


def keep_someone_in_charge(session: Session, subject: Subject) -> None:
    """Someone active must still hold `staff.manage` for all locations after a change."""
    in_charge = session.scalar(
        select(func.count())
        .select_from(UserRole)
        .join(RolePermission, RolePermission.role_id == UserRole.role_id)
        .join(User, User.id == UserRole.user_id)
        .where(
            UserRole.tenant_id == subject.tenant_id,
            UserRole.location_id.is_(None),
            RolePermission.permission == Permission.STAFF_MANAGE,
            User.status == "active",
        )
    )
    if not in_charge:
        raise Conflict(
            "nobody could manage staff and roles after this change; keep "
            f"{Permission.STAFF_MANAGE} on at least one role an active person holds",
            details={"permission": Permission.STAFF_MANAGE},
        )
