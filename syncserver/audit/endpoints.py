"""Audit trails: `GET /v1/audit-events` for a tenant, `GET /v1/superadmin/audit-events` for all."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from shared.permissions import Permission
from syncserver.audit.service import query_events
from syncserver.auth.deps import DbSession, Superadmin
from syncserver.models import AuditEvent
from syncserver.tenancy import Subject, require

router = APIRouter(prefix="/v1", tags=["audit"])
Action = Annotated[str | None, Query(max_length=64)]
Limit = Annotated[int, Query(ge=1, le=200)]


class AuditEventOut(BaseModel):
    id: uuid.UUID
    at: datetime
    tenant_id: uuid.UUID | None  # None: a platform event (registrations, decisions)
    actor_id: uuid.UUID | None
    action: str
    target: str | None
    before: Any
    after: Any
    request_id: str | None
    ip: str | None


class AuditPage(BaseModel):
    items: list[AuditEventOut]
    next_before: uuid.UUID | None  # pass as `before` for the next (older) page


def _page(events: list[AuditEvent], next_before: uuid.UUID | None) -> AuditPage:
    return AuditPage(
        items=[
            AuditEventOut(
                id=e.id,
                at=e.at,
                tenant_id=e.tenant_id,
                actor_id=e.actor_id,
                action=e.action,
                target=e.target,
                before=json.loads(e.before) if e.before else None,
                after=json.loads(e.after) if e.after else None,
                request_id=e.request_id,
                ip=e.ip,
            )
            for e in events
        ],
        next_before=next_before,
    )


@router.get("/audit-events", response_model=AuditPage)
def list_events(
    session: DbSession,
    subject: Annotated[Subject, Depends(require(Permission.AUDIT_VIEW))],
    action: Action = None,
    actor_id: uuid.UUID | None = None,
    before: uuid.UUID | None = None,
    limit: Limit = 50,
) -> AuditPage:
    """The caller's business only, newest first."""
    return _page(
        *query_events(
            session,
            tenant_id=subject.tenant_id,
            action=action,
            actor_id=actor_id,
            before=before,
            limit=limit,
        )
    )


@router.get("/superadmin/audit-events", response_model=AuditPage)
def list_all_events(
    session: DbSession,
    _admin: Superadmin,
    tenant_id: uuid.UUID | None = None,
    action: Action = None,
    actor_id: uuid.UUID | None = None,
    before: uuid.UUID | None = None,
    limit: Limit = 50,
) -> AuditPage:
    """Every business's events and the platform's own; `tenant_id` narrows to one business."""
    return _page(
        *query_events(
            session,
            tenant_id=tenant_id,
            everywhere=True,
            action=action,
            actor_id=actor_id,
            before=before,
            limit=limit,
        )
    )
