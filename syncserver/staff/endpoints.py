"""`/v1/roles`, `/v1/staff`, `/v1/me`: roles and their preview, staff, who is signed in."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status

from shared.permissions import Permission
from syncserver.auth.deps import CurrentUser, DbSession, client_ip
from syncserver.models import Tenant
from syncserver.staff import members, roles
from syncserver.staff.schemas import (
    MeOut,
    RoleIn,
    RoleNameIn,
    RoleOut,
    RolePermissionsIn,
    RolePreviewOut,
    ScreenOut,
    StaffEmailIn,
    StaffIn,
    StaffNameIn,
    StaffOut,
    StaffPinIn,
    StaffRolesIn,
    StaffStatusIn,
)
from syncserver.tenancy import Subject, member, require

router = APIRouter(prefix="/v1", tags=["staff"])
Manager = Annotated[Subject, Depends(require(Permission.STAFF_MANAGE))]
# Hiring is per location: each assignment's location is checked in the service.
LocalManager = Annotated[Subject, Depends(require(Permission.STAFF_MANAGE, per_location=True))]
Ip = Annotated[str | None, Depends(client_ip)]


@router.get("/roles", response_model=list[RoleOut])
def list_roles(session: DbSession, subject: Manager) -> list[RoleOut]:
    return [
        RoleOut(id=r.id, name=r.name, permissions=p) for r, p in roles.list_roles(session, subject)
    ]


@router.post("/roles", response_model=RoleOut, status_code=status.HTTP_201_CREATED)
def create_role(body: RoleIn, session: DbSession, subject: Manager, ip: Ip) -> RoleOut:
    role = roles.create_role(session, subject, name=body.name, permissions=body.permissions, ip=ip)
    return RoleOut(id=role.id, name=role.name, permissions=body.permissions)


@router.patch("/roles/{role_id}", response_model=RoleOut)
def rename_role(
    role_id: uuid.UUID, body: RoleNameIn, session: DbSession, subject: Manager, ip: Ip
) -> RoleOut:
    role, perms = roles.rename_role(session, subject, role_id=role_id, name=body.name, ip=ip)
    return RoleOut(id=role.id, name=role.name, permissions=perms)


@router.put("/roles/{role_id}/permissions", response_model=RoleOut)
def set_permissions(
    role_id: uuid.UUID, body: RolePermissionsIn, session: DbSession, subject: Manager, ip: Ip
) -> RoleOut:
    role = roles.set_role_permissions(
        session, subject, role_id=role_id, permissions=body.permissions, ip=ip
    )
    return RoleOut(id=role.id, name=role.name, permissions=body.permissions)


@router.get("/roles/{role_id}/preview", response_model=RolePreviewOut)
def preview(role_id: uuid.UUID, session: DbSession, subject: Manager) -> RolePreviewOut:
    """Preview-as-role: the permissions and navigation a member would get (read-only)."""
    role, perms, screens = roles.preview_role(session, subject, role_id)
    return RolePreviewOut(
        role=RoleOut(id=role.id, name=role.name, permissions=perms),
        navigation=[ScreenOut(id=s.id, title=s.title, mode=s.mode) for s in screens],
    )


@router.post("/staff", response_model=StaffOut, status_code=status.HTTP_201_CREATED)
def create_staff(body: StaffIn, session: DbSession, subject: LocalManager, ip: Ip) -> StaffOut:
    user = members.create_staff(
        session, subject, name=body.name, code=body.code, pin=body.pin, roles=body.roles, ip=ip,
        email=body.email, password=body.password,
    )  # fmt: skip
    return _staff_out(members.Member(user, body.roles))


@router.delete("/roles/{role_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_role(role_id: uuid.UUID, session: DbSession, subject: Manager, ip: Ip) -> None:
    """Only a role nobody holds (CONFLICT names how many do)."""
    roles.delete_role(session, subject, role_id=role_id, ip=ip)


def _staff_out(member: members.Member) -> StaffOut:
    user = member.user
    return StaffOut(
        id=user.id,
        name=user.name,
        code=user.staff_code or "",
        email=user.email,
        status=user.status,
        roles=member.roles,
    )


@router.get("/staff", response_model=list[StaffOut])
def list_staff(session: DbSession, subject: LocalManager) -> list[StaffOut]:
    return [_staff_out(m) for m in members.list_staff(session, subject)]


@router.put("/staff/{user_id}/roles", response_model=StaffOut)
def set_staff_roles(
    user_id: uuid.UUID, body: StaffRolesIn, session: DbSession, subject: LocalManager, ip: Ip
) -> StaffOut:
    return _staff_out(
        members.set_staff_roles(session, subject, user_id=user_id, roles=body.roles, ip=ip)
    )


@router.put("/staff/{user_id}/status", response_model=StaffOut)
def set_staff_status(
    user_id: uuid.UUID, body: StaffStatusIn, session: DbSession, subject: LocalManager, ip: Ip
) -> StaffOut:
    """`{"active": false}` when someone leaves: their PIN stops working once terminals sync."""
    return _staff_out(
        members.set_staff_status(session, subject, user_id=user_id, active=body.active, ip=ip)
    )


@router.patch("/staff/{user_id}", response_model=StaffOut)
def rename_staff(
    user_id: uuid.UUID, body: StaffNameIn, session: DbSession, subject: LocalManager, ip: Ip
) -> StaffOut:
    return _staff_out(
        members.rename_staff(session, subject, user_id=user_id, name=body.name, ip=ip)
    )


@router.put("/staff/{user_id}/email", response_model=StaffOut)
def set_staff_email(
    user_id: uuid.UUID, body: StaffEmailIn, session: DbSession, subject: LocalManager, ip: Ip
) -> StaffOut:
    """Give, change or take away someone's e-mail sign-in for the back office (a changed one
    ends their sessions)."""
    return _staff_out(
        members.set_staff_email(
            session, subject, user_id=user_id, email=body.email, password=body.password, ip=ip
        )
    )


@router.put("/staff/{user_id}/pin", response_model=StaffOut)
def set_staff_pin(
    user_id: uuid.UUID, body: StaffPinIn, session: DbSession, subject: LocalManager, ip: Ip
) -> StaffOut:
    """A new PIN (weak ones refused with the rule); tills take it at their next sync."""
    return _staff_out(members.set_staff_pin(session, subject, user_id=user_id, pin=body.pin, ip=ip))


@router.post("/staff/{user_id}/unlock", response_model=StaffOut)
def unlock_staff(user_id: uuid.UUID, session: DbSession, subject: LocalManager, ip: Ip) -> StaffOut:
    """Lift the e-mail sign-in lock after too many wrong passwords."""
    return _staff_out(members.unlock_staff(session, subject, user_id=user_id, ip=ip))


@router.get("/me", response_model=MeOut)
def me(
    user: CurrentUser, session: DbSession, subject: Annotated[Subject, Depends(member)]
) -> MeOut:
    """Who is signed in, for which business, and what they hold (the till's back office
    decides from it what it offers)."""
    tenant = session.get_one(Tenant, subject.tenant_id)
    return MeOut(
        id=user.id,
        name=user.name,
        email=user.email,
        tenant_id=subject.tenant_id,
        business_name=tenant.name,
        country=tenant.country,
        currency=tenant.currency,
        timezone=tenant.timezone,
        permissions=sorted(subject.everywhere),
        location_permissions={
            str(location): sorted(held) for location, held in subject.by_location.items()
        },
        modules=sorted(subject.modules),
    )
