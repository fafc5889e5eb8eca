"""`GET /v1/audit-events`: a tenant's audit trail, newest first, filtered and paged."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import select

from shared.permissions import Permission
from syncserver.auth.deps import DbSession
from syncserver.models import AuditEvent
from syncserver.tenancy import Subject, require, tenant_scoped

router = APIRouter(prefix="/v1", tags=["audit"])


class AuditEventOut(BaseModel):
    id: uuid.UUID
    at: datetime
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


@router.get("/audit-events", response_model=AuditPage)
def list_events(
    session: DbSession,
    subject: Annotated[Subject, Depends(require(Permission.AUDIT_VIEW))],
    action: Annotated[str | None, Query(max_length=64)] = None,
    actor_id: uuid.UUID | None = None,
    before: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AuditPage:
    # UUIDv7 ids sort by time, so keyset paging on the id is stable under concurrent writes.
    stmt = tenant_scoped(select(AuditEvent), AuditEvent, subject).order_by(AuditEvent.id.desc())
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor_id:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)
    if before:
        stmt = stmt.where(AuditEvent.id < before)
    rows = list(session.scalars(stmt.limit(limit + 1)))
    items = [
        AuditEventOut(
            id=e.id,
            at=e.at,
            actor_id=e.actor_id,
            action=e.action,
            target=e.target,
            before=json.loads(e.before) if e.before else None,
            after=json.loads(e.after) if e.after else None,
            request_id=e.request_id,
            ip=e.ip,
        )
        for e in rows[:limit]
    ]
    return AuditPage(items=items, next_before=rows[limit - 1].id if len(rows) > limit else None)
