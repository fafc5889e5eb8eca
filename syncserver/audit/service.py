"""Write audit events inside the caller's transaction (the request's session)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

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
