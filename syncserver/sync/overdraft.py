"""Settling an offline loyalty overdraft from the inbox with a real adjusting entry.

Two tills redeemed the same points offline: the server kept both redemptions (never a silent
claw-back) and the customer's balance went below zero. A manager who resolves that item with
`adjusted` has the business absorb it: one `adjust` entry per overdrawn customer brings the
balance back to zero. It is a server-authored fact, published to every till like any entry.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.ids import uuid7
from shared.sync import ChangeOp
from syncserver.models import ServerLoyaltyEntry, SyncMutation
from syncserver.sync.changes import ChangeDraft, encode, mark_balance_changed, publish

SERVER_REPLICA = uuid.UUID(int=0)  # facts the server itself writes


def is_overdraft(row: SyncMutation) -> bool:
    # Review notes are joined with "; " (a sale may also name a cashier the server lacks).
    return any(note.startswith("overdraft") for note in (row.detail or "").split("; "))


def _spenders(payload: dict[str, Any]) -> set[uuid.UUID]:
    entries = payload.get("loyalty") or ([payload] if "customer_id" in payload else [])
    return {uuid.UUID(str(e["customer_id"])) for e in entries if int(e.get("points", 0)) < 0}


def settle(session: Session, row: SyncMutation, actor_id: uuid.UUID | None) -> list[dict[str, Any]]:
    """Credit each customer this mutation overdrew back to zero; returns the entries written."""
    written: list[dict[str, Any]] = []
    now = datetime.now(UTC)
    for customer_id in sorted(_spenders(json.loads(row.payload))):
        balance = int(
            session.scalar(
                select(func.coalesce(func.sum(ServerLoyaltyEntry.points), 0)).where(
                    ServerLoyaltyEntry.tenant_id == row.tenant_id,
                    ServerLoyaltyEntry.customer_id == customer_id,
                )
            )
            or 0
        )
        if balance >= 0:
            continue  # settled already (another item, or later earnings)
        entry_id = uuid7()
        entry: dict[str, Any] = {
            "id": str(entry_id), "customer_id": str(customer_id), "kind": "adjust",
            "points": -balance, "ticket_id": None, "lot_id": None, "expires_at": None,
            "reason": "offline overdraft settled in the sync inbox",
            "actor_id": str(actor_id) if actor_id else None, "origin": "server",
            "at": now.isoformat(),
        }  # fmt: skip
        session.add(
            ServerLoyaltyEntry(
                id=entry_id, tenant_id=row.tenant_id, customer_id=customer_id,
                points=-balance, kind="adjust", replica_id=SERVER_REPLICA, body=encode(entry),
                at=now,
            )
        )  # fmt: skip
        publish(
            session,
            ChangeDraft(row.tenant_id, "loyalty_entry", str(entry_id), ChangeOp.APPEND, entry),
        )
        mark_balance_changed(session, row.tenant_id, customer_id)
        written.append(entry)
    session.flush()
    return written
