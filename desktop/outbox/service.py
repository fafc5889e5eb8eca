"""Append outbox records and audit entries inside the caller's transaction."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import insert

from desktop.db.models import AuditEntry
from desktop.db.models.types import utc_text
from desktop.db.uow import UnitOfWork
from shared.ids import uuid7

# One statement on the sale's hot path: the next number and the record together.
_APPEND = (
    "INSERT INTO outbox (seq, id, kind, schema_version, entity_id, payload, created_at) "
    "SELECT coalesce(max(seq), 0) + 1, ?, ?, ?, ?, ?, ? FROM outbox RETURNING seq"
)


def append(
    uow: UnitOfWork,
    *,
    kind: str,
    entity_id: uuid.UUID,
    payload: dict[str, Any],
    schema_version: int = 1,
) -> int:
    """Write one outbox record; returns its sequence number.

    The number is max + 1 read inside the same `BEGIN IMMEDIATE` transaction that writes the
    business rows, so it is gap-free: a rolled-back sale takes its number with it.
    """
    (seq,) = uow.sql.execute(
        _APPEND,
        (
            str(uuid7()),
            kind,
            schema_version,
            str(entity_id),
            json.dumps(payload, sort_keys=True, default=str),
            utc_text(uow.clock.now()),
        ),
    ).fetchone()
    return int(seq)


def audit(
    uow: UnitOfWork,
    *,
    actor_id: uuid.UUID,
    action: str,
    target_id: uuid.UUID | None,
    details: dict[str, Any],
    authorized_by: uuid.UUID | None = None,
) -> None:
    """Record a sensitive action locally (synced to the server with the outbox)."""
    entry_id = uuid7()
    body = {"actor_id": actor_id, "action": action, "target_id": target_id, **details}
    if authorized_by is not None:  # a manager's override: the server's audit names both people
        body["authorized_by"] = authorized_by
    uow.conn.execute(
        insert(AuditEntry).values(
            id=entry_id,
            at=uow.clock.now(),
            actor_id=actor_id,
            authorized_by=authorized_by,
            action=action,
            target_id=target_id,
            details=json.dumps(details, sort_keys=True, default=str),
        )
    )
    append(uow, kind="audit.recorded", entity_id=entry_id, payload=body)


def pending_count(uow: UnitOfWork) -> int:
    """Outbox records the server has not confirmed (the status bar's "N changes waiting to sync").

    Records stay in the outbox after the server confirmed them (`sync_state.pushed_seq`): after a
    server restore they are pushed again from here.
    """
    (count,) = uow.sql.execute(
        "SELECT count(*) FROM outbox WHERE seq > "
        "coalesce((SELECT pushed_seq FROM sync_state WHERE id = 1), 0)"
    ).fetchone()
    return int(count)


def review_count(uow: UnitOfWork) -> int:
    """This till's records the server did not simply apply — rejected, kept for review or still
    waiting (the status bar's "N records need a manager's look")."""
    (count,) = uow.sql.execute("SELECT count(*) FROM sync_issues").fetchone()
    return int(count)
