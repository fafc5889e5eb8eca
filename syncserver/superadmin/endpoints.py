"""`/v1/superadmin/*`: the operators' API: registrations, tenants and their modules."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from syncserver.auth.deps import DbSession, Superadmin, client_ip
from syncserver.auth.schemas import RegistrationOut
from syncserver.superadmin import service

router = APIRouter(prefix="/v1/superadmin", tags=["superadmin"])


class DecisionIn(BaseModel):
    decision: Literal["approve", "reject"]
    reason: str | None = Field(default=None, max_length=500)


@router.get("/registrations", response_model=list[RegistrationOut])
def list_registrations(
    session: DbSession,
    _admin: Superadmin,
    status: Annotated[Literal["pending", "approved", "rejected"] | None, Query()] = "pending",
) -> list[RegistrationOut]:
    rows = service.list_registrations(session, status=status)
    return [RegistrationOut.model_validate(r, from_attributes=True) for r in rows]


@router.post("/registrations/{registration_id}/decision", response_model=RegistrationOut)
def decide(
    registration_id: uuid.UUID,
    body: DecisionIn,
    request: Request,
    session: DbSession,
    admin: Superadmin,
    ip: Annotated[str | None, Depends(client_ip)],
) -> RegistrationOut:
    registration = service.decide(
        session,
        registration_id=registration_id,
        approve=body.decision == "approve",
        reason=body.reason,
        actor=admin,
        mailer=request.app.state.mailer,
        public_url=request.app.state.settings.public_url,
        ip=ip,
    )
    return RegistrationOut.model_validate(registration, from_attributes=True)


class ModuleIn(BaseModel):
    enabled: bool = Field(strict=True)


@router.put("/tenants/{tenant_id}/modules/{module}", status_code=204)
def set_module(
    tenant_id: uuid.UUID,
    module: str,
    body: ModuleIn,
    request: Request,
    session: DbSession,
    admin: Superadmin,
    ip: Annotated[str | None, Depends(client_ip)],
) -> None:
    """Toggle a tenant module; the API enforces it at once (AUTHZ naming the module)."""
    service.set_module(
        session, tenant_id=tenant_id, module=module, enabled=body.enabled, actor=admin, ip=ip
    )
    request.app.state.metrics.module_toggles.labels(module, str(body.enabled).lower()).inc()


class TenantOut(BaseModel):
    id: uuid.UUID
    name: str
    status: str
    country: str
    currency: str
    timezone: str
    created_at: datetime


class TenantStatusIn(BaseModel):
    status: Literal["active", "suspended", "closed"]
    reason: str = Field(min_length=1, max_length=500)


@router.get("/tenants", response_model=list[TenantOut])
def list_tenants(
    session: DbSession,
    _admin: Superadmin,
    status: Annotated[Literal["active", "suspended", "closed"] | None, Query()] = None,
) -> list[TenantOut]:
    return [
        TenantOut.model_validate(t, from_attributes=True)
        for t in service.list_tenants(session, status=status)
    ]


@router.put("/tenants/{tenant_id}/status", response_model=TenantOut)
def set_tenant_status(
    tenant_id: uuid.UUID,
    body: TenantStatusIn,
    session: DbSession,
    admin: Superadmin,
    ip: Annotated[str | None, Depends(client_ip)],
) -> TenantOut:
    """Suspend, reactivate or close a business; its users and devices are refused at once."""
    tenant = service.set_tenant_status(
        session, tenant_id=tenant_id, status=body.status, reason=body.reason, actor=admin, ip=ip
    )
    return TenantOut.model_validate(tenant, from_attributes=True)


class ModuleOut(BaseModel):
    code: str
    title: str
    description: str
    enabled: bool


@router.get("/tenants/{tenant_id}/modules", response_model=list[ModuleOut])
def list_modules(tenant_id: uuid.UUID, session: DbSession, _admin: Superadmin) -> list[ModuleOut]:
    """The module registry with this business's switches."""
    return [
        ModuleOut(code=m.code, title=m.title, description=m.description, enabled=on)
        for m, on in service.tenant_modules(session, tenant_id)
    ]
