"""Write audit events inside the caller's transaction (the request's session)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.ids import uuid7
from syncserver.models import AuditEvent
from syncserver.observability.request_id import current_request_id


def record(
    session: Session,
    *,
    action: str,
    tenant_id: uuid.UUID | None,
    actor_id: uuid.UUID | None,
    target: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
) -> None:
    """One audit event; committed (or rolled back) with the change it describes."""
    session.add(
        AuditEvent(
            id=uuid7(),
            tenant_id=tenant_id,
            actor_id=actor_id,
            action=action,
            target=target,
            before=json.dumps(before, default=str) if before is not None else None,
            after=json.dumps(after, default=str) if after is not None else None,
            request_id=current_request_id(),
            ip=ip,
            at=datetime.now(UTC),
        )
    )


def query_events(
    session: Session,
    *,
    tenant_id: uuid.UUID | None,
    everywhere: bool = False,
    action: str | None = None,
    actor_id: uuid.UUID | None = None,
    before: uuid.UUID | None = None,
    limit: int = 50,
) -> tuple[list[AuditEvent], uuid.UUID | None]:
    """Newest first, `limit` at a time; returns (events, the `before` of the next page).

    One tenant's events, or with `everywhere=True` (superadmins) every tenant's and the
    platform's own (registrations, tenant status). UUIDv7 ids sort by time, so keyset paging on
    the id stays stable while new events arrive.
    """
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
    if not everywhere or tenant_id is not None:
        stmt = stmt.where(AuditEvent.tenant_id == tenant_id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor_id:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)
    if before:
        stmt = stmt.where(AuditEvent.id < before)
    rows = list(session.scalars(stmt.limit(limit + 1)))
    return rows[:limit], rows[limit - 1].id if len(rows) > limit else None
