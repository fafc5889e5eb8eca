"""`/v1/roles` and `/v1/staff`: a tenant's roles, their preview, and its staff."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status

from shared.permissions import Permission
from syncserver.auth.deps import DbSession, client_ip
from syncserver.staff import service
from syncserver.staff.schemas import (
    RoleIn,
    RoleOut,
    RolePermissionsIn,
    RolePreviewOut,
    ScreenOut,
    StaffIn,
    StaffOut,
)
from syncserver.tenancy import Subject, require

router = APIRouter(prefix="/v1", tags=["staff"])
Manager = Annotated[Subject, Depends(require(Permission.STAFF_MANAGE))]
# Hiring is per location: each assignment's location is checked in the service.
LocalManager = Annotated[Subject, Depends(require(Permission.STAFF_MANAGE, per_location=True))]
Ip = Annotated[str | None, Depends(client_ip)]


@router.get("/roles", response_model=list[RoleOut])
def list_roles(session: DbSession, subject: Manager) -> list[RoleOut]:
    return [
        RoleOut(id=r.id, name=r.name, permissions=p)
        for r, p in service.list_roles(session, subject)
    ]


@router.post("/roles", response_model=RoleOut, status_code=status.HTTP_201_CREATED)
def create_role(body: RoleIn, session: DbSession, subject: Manager, ip: Ip) -> RoleOut:
    role = service.create_role(
        session, subject, name=body.name, permissions=body.permissions, ip=ip
    )
    return RoleOut(id=role.id, name=role.name, permissions=body.permissions)


@router.put("/roles/{role_id}/permissions", response_model=RoleOut)
def set_permissions(
    role_id: uuid.UUID, body: RolePermissionsIn, session: DbSession, subject: Manager, ip: Ip
) -> RoleOut:
    role = service.set_role_permissions(
        session, subject, role_id=role_id, permissions=body.permissions, ip=ip
    )
    return RoleOut(id=role.id, name=role.name, permissions=body.permissions)


@router.get("/roles/{role_id}/preview", response_model=RolePreviewOut)
def preview(role_id: uuid.UUID, session: DbSession, subject: Manager) -> RolePreviewOut:
    """Preview-as-role: the permissions and navigation a member would get (read-only)."""
    role, perms, screens = service.preview_role(session, subject, role_id)
    return RolePreviewOut(
        role=RoleOut(id=role.id, name=role.name, permissions=perms),
        navigation=[ScreenOut(id=s.id, title=s.title, mode=s.mode) for s in screens],
    )


@router.post("/staff", response_model=StaffOut, status_code=status.HTTP_201_CREATED)
def create_staff(body: StaffIn, session: DbSession, subject: LocalManager, ip: Ip) -> StaffOut:
    user = service.create_staff(
        session, subject, name=body.name, code=body.code, pin=body.pin, roles=body.roles, ip=ip
    )
    return StaffOut(id=user.id, name=user.name, code=body.code, roles=body.roles)
