"""The conflict inbox: what sync could not settle alone, for a person to resolve.

Items are pushed mutations stored as `needs_review` (kept as they happened, e.g. a refund beyond
the sale, an offline loyalty overdraft, a duplicate), `rejected` (not applicable at all),
`deferred` for longer than a timeout (the fact they wait for never came), and quarantined pushes
(a copied database, a revoked till), and catalog field conflicts (two tills edited the same
field offline; see syncserver/catalog/conflicts.py). Resolving records who decided what; nothing
is deleted.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from shared.errors import Conflict, NotFound, ValidationFailed
from shared.sync import MutationStatus
from syncserver.audit.service import record
from syncserver.catalog import conflicts as catalog_conflicts
from syncserver.models import AuditEvent, CatalogConflict, SyncMutation, SyncQuarantine, User
from syncserver.sync import overdraft
from syncserver.sync.service import apply_held
from syncserver.tenancy import Subject

DEFERRED_TIMEOUT = timedelta(hours=1)
RESOLUTIONS = {
    MutationStatus.NEEDS_REVIEW.value: {"accept", "adjusted"},
    MutationStatus.REJECTED.value: {"dismiss", "fixed_elsewhere"},
    MutationStatus.DEFERRED.value: {"dismiss", "fixed_elsewhere"},
    MutationStatus.QUARANTINED.value: {"dismiss", "fixed_elsewhere"},
}


@dataclass(frozen=True)
class InboxItem:
    id: str  # "<replica>:<seq>" for mutations, the quarantine row id otherwise
    status: str
    kind: str
    replica_id: uuid.UUID
    seq: int
    detail: str | None
    received_at: datetime
    payload: str


def list_items(
    session: Session, subject: Subject, *, now: datetime | None = None
) -> list[InboxItem]:
    at = now or datetime.now(UTC)
    stuck = or_(
        SyncMutation.status.in_([MutationStatus.NEEDS_REVIEW.value, MutationStatus.REJECTED.value]),
        (SyncMutation.status == MutationStatus.DEFERRED.value)
        & (SyncMutation.received_at <= at - DEFERRED_TIMEOUT),
    )
    mutations = session.scalars(
        select(SyncMutation)
        .where(SyncMutation.tenant_id == subject.tenant_id, SyncMutation.resolved_at.is_(None))
        .where(stuck)
        .order_by(SyncMutation.received_at, SyncMutation.seq)
        .limit(500)
    )
    items = [
        InboxItem(
            f"{m.replica_id}:{m.seq}",
            m.status,
            m.kind,
            m.replica_id,
            m.seq,
            m.detail,
            m.received_at,
            m.payload,
        )
        for m in mutations
    ]
    quarantined = session.scalars(
        select(SyncQuarantine)
        .where(SyncQuarantine.tenant_id == subject.tenant_id)
        .order_by(SyncQuarantine.received_at)
        .limit(500)
    )
    items += [
        InboxItem(
            str(q.id),
            MutationStatus.QUARANTINED.value,
            q.kind,
            q.replica_id,
            q.seq,
            q.reason,
            q.received_at,
            q.payload,
        )
        for q in quarantined
        if not q.reason.startswith("resolved:")
    ]
    items += [
        InboxItem(
            f"{catalog_conflicts.PREFIX}{c.id}",
            catalog_conflicts.STATUS,
            f"{c.entity}.{c.field}",
            c.other_origin or c.kept_origin or uuid.UUID(int=0),
            0,
            c.reason,
            c.created_at,
            json.dumps(catalog_conflicts.describe(c)),
        )
        for c in catalog_conflicts.open_conflicts(session, subject.tenant_id)
    ]
    return items


def resolve(
    session: Session, subject: Subject, item_id: str, *, resolution: str, note: str,
    ip: str | None, value: Any = None,
) -> dict[str, Any]:  # fmt: skip
    """Mark one item resolved (audited). A second decision on the same item is a CONFLICT.

    `adjusted` on a loyalty overdraft writes the adjusting entry that brings the balance back to
    zero (syncserver/sync/overdraft.py); `accept` leaves the balance below zero.
    """
    adjusted: list[dict[str, Any]] = []
    if item_id.startswith(catalog_conflicts.PREFIX):
        conflict = catalog_conflicts.settle(
            session, subject.tenant_id, subject.user_id, item_id, resolution=resolution,
            value=value,
        )  # fmt: skip
        status, kind = catalog_conflicts.STATUS, f"{conflict.entity}.{conflict.field}"
    elif ":" in item_id:
        replica, _, seq = item_id.partition(":")
        try:
            key = (uuid.UUID(replica), int(seq))
        except ValueError:
            raise NotFound("no such inbox item") from None
        row = session.get(SyncMutation, key, with_for_update=True)
        if row is None or row.tenant_id != subject.tenant_id:
            raise NotFound("no such inbox item", details={"id": item_id})
        _check(row.status, resolution)
        if row.resolved_at is not None:
            raise Conflict("this item was resolved already", details={"resolution": row.resolution})
        if resolution == "accept" and row.held:
            # Kept without its effects (a collision, an unknown location): accepting it applies
            # what it holds, or says what still stands in the way and resolves nothing.
            apply_held(session, row)
        row.resolved_at, row.resolved_by = datetime.now(UTC), subject.user_id
        row.resolution = f"{resolution}: {note}".strip(": ")
        status, kind = row.status, row.kind
        if resolution == "adjusted" and overdraft.is_overdraft(row):
            adjusted = overdraft.settle(session, row, subject.user_id)
    else:
        try:
            qid = uuid.UUID(item_id)
        except ValueError:
            raise NotFound("no such inbox item") from None
        quarantined = session.get(SyncQuarantine, qid, with_for_update=True)
        if quarantined is None or quarantined.tenant_id != subject.tenant_id:
            raise NotFound("no such inbox item", details={"id": item_id})
        if quarantined.reason.startswith("resolved:"):
            raise Conflict("this item was resolved already")
        _check(MutationStatus.QUARANTINED.value, resolution)
        quarantined.reason = f"resolved: {resolution} {note} (was: {quarantined.reason})"[:2000]
        status, kind = MutationStatus.QUARANTINED.value, quarantined.kind
    record(
        session,
        action="sync.resolved",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"sync:{item_id}"[:120],
        after={
            "entries": [(e["customer_id"], e["points"]) for e in adjusted],
            "status": status,
            "kind": kind,
            "resolution": resolution,
            "note": note,
            **({"value": value} if value is not None else {}),
        },
        ip=ip,
    )
    session.flush()
    result: dict[str, Any] = {"id": item_id, "status": status, "resolution": resolution}
    if adjusted:
        result["entries"] = adjusted
    return result


@dataclass(frozen=True)
class Resolved:
    """One decision on an inbox item: who took it, when, and what it was."""

    id: str
    at: datetime
    by: str | None  # the person's name (None: an account since removed)
    status: str
    kind: str
    resolution: str
    note: str


def resolved(session: Session, subject: Subject, *, limit: int = 50) -> list[Resolved]:
    """The latest decisions, newest first (from the audit trail: nothing is lost when an item
    leaves the inbox)."""
    rows = session.execute(
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.tenant_id == subject.tenant_id, AuditEvent.action == "sync.resolved")
        .order_by(AuditEvent.id.desc())
        .limit(max(1, min(limit, 200)))
    ).all()
    out = []
    for event, name in rows:
        after = json.loads(event.after) if event.after else {}
        out.append(
            Resolved(
                id=(event.target or "").removeprefix("sync:"), at=event.at, by=name,
                status=str(after.get("status", "")), kind=str(after.get("kind", "")),
                resolution=str(after.get("resolution", "")), note=str(after.get("note", "")),
            )
        )  # fmt: skip
    return out


def _check(status: str, resolution: str) -> None:
    allowed = RESOLUTIONS.get(status, set())
    if resolution not in allowed:
        raise ValidationFailed(
            f"a {status} item is resolved with one of: {', '.join(sorted(allowed))}",
            details={"field": "resolution", "allowed": sorted(allowed)},
        )


def open_counts(session: Session) -> dict[str, int]:
    """Unresolved items by status, all tenants (the /metrics gauge)."""
    counts = dict(
        session.execute(
            select(SyncMutation.status, func.count())
            .where(
                SyncMutation.resolved_at.is_(None),
                SyncMutation.status != MutationStatus.APPLIED.value,
            )
            .group_by(SyncMutation.status)
        ).all()
    )
    counts[MutationStatus.QUARANTINED.value] = int(
        session.scalar(
            select(func.count())
            .select_from(SyncQuarantine)
            .where(~SyncQuarantine.reason.startswith("resolved:"))
        )
        or 0
    )
    counts[catalog_conflicts.STATUS] = int(
        session.scalar(
            select(func.count())
            .select_from(CatalogConflict)
            .where(CatalogConflict.resolved_at.is_(None))
        )
        or 0
    )
    return {str(k): int(v) for k, v in counts.items()}
