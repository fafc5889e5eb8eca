"""Handshake, push and pull for enrolled terminals (docs/sync-protocol.md).

Exactly once: a replica's mutations are applied strictly in sequence order under a lock on its
`sync_replicas` row, and each one's result is stored in `sync_mutations` in the same transaction
as its effects. A resend gets the stored result back; a different payload under an applied
sequence number means a cloned or restored terminal database, and the replica is quarantined.
"""

from __future__ import annotations

import contextlib
import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, insert, or_, select, true, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from shared.catalog_sync import EDIT_KIND
from shared.errors import AuthzError, Conflict, NotFound, ValidationFailed
from shared.facts import TILL_MOVED
from shared.ids import uuid7
from shared.sync import (
    PROTOCOL_VERSION,
    BootstrapPage,
    Change,
    ChangeOp,
    Digest,
    HandshakeRequest,
    HandshakeResponse,
    Mutation,
    MutationResult,
    MutationStatus,
    PullResponse,
    PushRequest,
    PushResponse,
    catalog_fingerprint,
)
from syncserver.catalog.snapshot import catalog_page
from syncserver.db import write_later
from syncserver.models import (
    CatalogDocument,
    ChangeCounter,
    ChangeLogEntry,
    Device,
    Location,
    ServerInstance,
    ServerLoyaltyEntry,
    ServerStockMovement,
    SyncMutation,
    SyncQuarantine,
    SyncReplica,
)
from syncserver.models.base import Base, table_of
from syncserver.sync import apply as rules
from syncserver.sync.changes import savepoint
from syncserver.sync.metrics import SyncMetrics

log = logging.getLogger(__name__)
ACTIVE, QUARANTINED = "active", "quarantined"


def epoch(session: Session) -> uuid.UUID:
    value = session.scalar(select(ServerInstance.epoch).where(ServerInstance.id == 1))
    if value is None:
        raise NotFound("this server has no instance row; run its migrations")
    return value


def new_epoch(session: Session) -> uuid.UUID:
    """After a restore from backup: a new incarnation. Replica marks restart from what the
    backup holds, so terminals push again everything after it (the stored results dedupe)."""
    instance = session.get(ServerInstance, 1)
    if instance is None:
        raise NotFound("this server has no instance row; run its migrations")
    instance.epoch = uuid7()
    session.flush()
    return instance.epoch


def _now() -> datetime:
    return datetime.now(UTC)


def _replica(
    session: Session, device: Device, replica_id: uuid.UUID, *, lock: bool = False
) -> SyncReplica | None:
    replica = session.get(SyncReplica, replica_id, with_for_update=lock)
    if replica is not None and replica.tenant_id != device.tenant_id:
        # Same answer as a replica that does not exist: nothing about other tenants leaks.
        raise AuthzError("this database belongs to another business; it cannot sync here")
    return replica


def _owned_elsewhere(session: Session, replica: SyncReplica, device: Device) -> bool:
    """The replica is bound to another terminal that is still active: a copied database file."""
    if replica.device_id == device.id:
        return False
    other = session.get(Device, replica.device_id)
    if other is not None and other.status == "active":
        return True
    # The old credential was revoked (re-enrollment of the same till): the replica moves along,
    # with everything it has not pushed yet.
    replica.device_id, replica.location_id = device.id, device.location_id
    return False


def handshake(session: Session, device: Device, req: HandshakeRequest) -> HandshakeResponse:
    replica = _replica(session, device, req.replica_id, lock=True)
    if replica is None:
        replica = SyncReplica(
            id=req.replica_id,
            tenant_id=device.tenant_id,
            location_id=device.location_id,
            device_id=device.id,
            applied_seq=0,
            status=ACTIVE,
            app_version=req.app_version,
            protocol_version=req.protocol_version,
            first_seen_at=_now(),
            pull_cursor=0,
        )
        session.add(replica)
    if replica.status == ACTIVE and req.last_pushed_seq < replica.applied_seq:
        # The till's outbox never shrinks: fewer records than we hold means its database went
        # back in time (restored from an older backup). Its new records would reuse numbers.
        replica.status = QUARANTINED
        replica.status_reason = (
            f"the terminal database was restored from an older copy: it has {req.last_pushed_seq}"
            f" records, the server holds {replica.applied_seq}"
        )
        log.warning("replica %s quarantined: %s", replica.id, replica.status_reason)
    status = replica.status if device.status == "active" else QUARANTINED
    if status == ACTIVE and _owned_elsewhere(session, replica, device):
        status = QUARANTINED
    if req.terminal_code is not None and device.status == "active":
        _claim_terminal_code(session, replica, req.terminal_code.upper())
    replica.app_version, replica.protocol_version = req.app_version, req.protocol_version
    location = session.get(Location, device.location_id)
    assert location is not None  # a device always has its location (foreign key)
    session.flush()
    return HandshakeResponse(
        epoch=epoch(session),
        protocol_version=PROTOCOL_VERSION,
        tenant_id=device.tenant_id,
        location_id=device.location_id,
        location_code=location.code,
        device_id=device.id,
        applied_seq=replica.applied_seq,
        replica_status=status,
        upgrade_required=req.protocol_version < PROTOCOL_VERSION,
        server_time=_now(),
    )


def _claim_terminal_code(session: Session, replica: SyncReplica, code: str) -> None:
    """Terminal codes are unique among a business's active tills: two tills sharing one print
    the same receipt numbers. The first active till holding a code keeps it.

    Raises:
        Conflict: another active till of the business uses the code (reason "terminal_code").
    """
    session.flush()  # a replica registered by this very handshake
    holder = session.execute(
        select(Device.name)
        .join(SyncReplica, SyncReplica.device_id == Device.id)
        .where(
            SyncReplica.tenant_id == replica.tenant_id,
            SyncReplica.terminal_code == code,
            SyncReplica.id != replica.id,
            Device.status == "active",
            Device.id != replica.device_id,
        )
        .limit(1)
    ).scalar()
    if holder is None:
        # A code given to another active till at enrollment is taken even before that till
        # first syncs with it.
        holder = session.scalar(
            select(Device.name)
            .where(
                Device.tenant_id == replica.tenant_id,
                Device.terminal_code == code,
                Device.status == "active",
                Device.id != replica.device_id,
            )
            .limit(1)
        )
    if holder is not None:
        raise Conflict(
            f"terminal code {code} is used by the till {holder!r}: give this till its own code",
            details={"reason": "terminal_code", "terminal_code": code},
        )
    replica.terminal_code = code


@dataclass
class _Outcome:
    status: MutationStatus
    detail: str | None = None
    waits_for: uuid.UUID | None = None
    held: bool = False  # in review without its effects: accepting it applies them


# What a database refused for one mutation (a value past a column, a duplicate natural key):
# that mutation's own result, never a 500 for the batch. OperationalError is not here: a lock
# timeout or a lost connection is the server's trouble, and the till retries the whole push.
_REFUSED_BY_DATABASE = (IntegrityError, DataError, OverflowError)


def _apply_one(
    session: Session, replica: SyncReplica, location_code: str, seq: int, kind: str,
    version: int, payload: dict[str, object], created_at: datetime,
    shared: rules.Context | None = None,
) -> _Outcome:  # fmt: skip
    """Apply in a savepoint; on failure nothing of it stays (effects nor queued changes)."""
    ctx = rules.Context(
        session, replica.tenant_id, replica.location_id, location_code, replica.id, seq, created_at
    )
    if shared is not None:  # lookups made by earlier mutations of the same push
        ctx.users, ctx.locations, ctx.root = shared.users, shared.locations, shared
        ctx.known = shared.known
    try:
        with savepoint(session):
            rules.apply(ctx, kind, version, payload)
    except Exception as exc:
        if isinstance(exc, rules.Deferred):
            return _Outcome(MutationStatus.DEFERRED, str(exc), exc.waits_for)
        if isinstance(exc, rules.Held):
            return _Outcome(MutationStatus.NEEDS_REVIEW, f"held: {exc}", held=True)
        if isinstance(exc, IntegrityError):
            # Keys are per tenant and receipt numbers per till: only the same fact (its id)
            # recorded under another outbox number collides. Kept, without effects, for a look.
            log.info("mutation %s/%s collided: %s", replica.id, seq, exc.orig)
            return _Outcome(
                MutationStatus.NEEDS_REVIEW, "duplicate: this fact is recorded already", held=True
            )
        if isinstance(exc, _REFUSED_BY_DATABASE):
            log.info("mutation %s/%s refused by the database: %s", replica.id, seq, exc)
            return _Outcome(MutationStatus.REJECTED, "invalid: a value cannot be stored")
        if isinstance(exc, rules.Invalid | KeyError | ValueError | TypeError):
            return _Outcome(MutationStatus.REJECTED, f"invalid: {str(exc)[:500]}")
        raise
    if ctx.reviews:
        return _Outcome(MutationStatus.NEEDS_REVIEW, "; ".join(ctx.reviews))
    return _Outcome(MutationStatus.APPLIED)


def _location_code(session: Session, replica: SyncReplica) -> str:
    code = session.scalar(select(Location.code).where(Location.id == replica.location_id))
    return code or "?"


def _quarantine(
    session: Session, replica_id: uuid.UUID, device: Device, mutations: Iterable[Mutation],
    reason: str,
) -> list[MutationResult]:  # fmt: skip
    results = []
    for m in mutations:
        fingerprint = m.fingerprint()
        exists = session.scalar(
            select(SyncQuarantine.id).where(
                SyncQuarantine.replica_id == replica_id,
                SyncQuarantine.seq == m.seq,
                SyncQuarantine.fingerprint == fingerprint,
            )
        )
        if exists is None:
            session.add(
                SyncQuarantine(
                    id=uuid7(),
                    tenant_id=device.tenant_id,
                    replica_id=replica_id,
                    device_id=device.id,
                    seq=m.seq,
                    kind=m.kind,
                    payload=json.dumps(m.payload, sort_keys=True, default=str),
                    fingerprint=fingerprint,
                    reason=reason,
                    received_at=_now(),
                )
            )
        results.append(MutationResult(seq=m.seq, status=MutationStatus.QUARANTINED, detail=reason))
    session.flush()
    return results


def push(
    session: Session, device: Device, req: PushRequest, metrics: SyncMetrics | None = None
) -> PushResponse:
    current_epoch = epoch(session)
    if req.epoch is not None and req.epoch != current_epoch:
        raise Conflict(
            "the server was restored from a backup: handshake again and push what it lacks",
            details={"reason": "epoch", "epoch": str(current_epoch)},
        )
    replica = _replica(session, device, req.replica_id, lock=True)
    if replica is None:
        raise Conflict("handshake first", details={"reason": "handshake"})
    if device.status != "active":
        kept = _quarantine(session, replica.id, device, req.mutations, "device revoked")
        return _response(current_epoch, kept, replica, QUARANTINED, metrics)
    if replica.status == QUARANTINED or _owned_elsewhere(session, replica, device):
        reason = replica.status_reason or "database in use by another terminal (copied file?)"
        kept = _quarantine(session, replica.id, device, req.mutations, reason)
        return _response(current_epoch, kept, replica, QUARANTINED, metrics)

    location_code = _location_code(session, replica)
    shared = rules.Context(
        session, replica.tenant_id, replica.location_id, location_code, replica.id, 0, _now()
    )
    # Only look for mutations to release when some wait (one query per push, not per mutation).
    waiting = (
        session.scalar(
            select(SyncMutation.seq)
            .where(
                SyncMutation.tenant_id == replica.tenant_id,
                SyncMutation.status == MutationStatus.DEFERRED.value,
            )
            .limit(1)
        )
        is not None
    )
    results: list[MutationResult] = []
    todo: list[Mutation] = []
    for m in sorted(req.mutations, key=lambda m: m.seq):
        if m.seq <= replica.applied_seq:
            stored = session.get(SyncMutation, (replica.id, m.seq))
            if stored is not None and stored.fingerprint == m.fingerprint():
                results.append(
                    MutationResult(seq=m.seq, status=MutationStatus(stored.status), detail="resent")
                )
                continue
            replica.status = QUARANTINED
            replica.status_reason = (
                f"sequence {m.seq} came again with different content: a cloned or restored "
                "terminal database"
            )
            log.warning("replica %s quarantined: %s", replica.id, replica.status_reason)
            later = [x for x in req.mutations if x.seq >= m.seq]
            results += _quarantine(session, replica.id, device, later, replica.status_reason)
            todo = []
            break
        expected = replica.applied_seq + 1 + len(todo)
        if m.seq != expected:
            raise Conflict(
                f"expected sequence {expected}, got {m.seq}",
                details={"reason": "gap", "applied_seq": replica.applied_seq + len(todo)},
            )
        todo.append(m)
    # Fast path: nothing of the tenant waits, so the batch goes in under one savepoint; any
    # failure rolls the batch back and replays it one savepoint per mutation.
    # A till that moved: its records up to `till.moved` happened at the old location, the rest
    # at the new one, so that batch goes one by one and the location is read again after it.
    moves = any(m.kind == TILL_MOVED for m in todo)
    quick = not waiting and not moves
    outcomes = _apply_all(session, replica, location_code, todo, shared) if quick else None
    if outcomes is not None:
        results += _store_results(session, replica, list(zip(todo, outcomes, strict=True)))
    else:
        for m in todo:
            outcome = _apply_one(
                session, replica, location_code, m.seq, m.kind, m.schema_version, m.payload,
                m.created_at, shared,
            )  # fmt: skip
            results += _store_results(session, replica, [(m, outcome)])
            if m.kind == TILL_MOVED and outcome.status is MutationStatus.APPLIED:
                location_code = _location_code(session, replica)
                shared = rules.Context(
                    session, replica.tenant_id, replica.location_id, location_code, replica.id,
                    0, _now(),
                )  # fmt: skip
            waiting = waiting or outcome.status is MutationStatus.DEFERRED
            if waiting and outcome.status in (MutationStatus.APPLIED, MutationStatus.NEEDS_REVIEW):
                for arrived in _arrivals(m):
                    _release_deferred(session, replica.tenant_id, arrived, metrics)
    if metrics is not None:
        for m, r in zip(todo, results[len(results) - len(todo) :], strict=True):
            metrics.applied(m.kind, r.status)
    replica.last_push_at = _now()
    session.flush()
    return _response(current_epoch, results, replica, replica.status, metrics)


def _apply_all(
    session: Session, replica: SyncReplica, location_code: str, todo: list[Mutation],
    shared: rules.Context,
) -> list[_Outcome] | None:  # fmt: skip
    """Every mutation of the batch under one savepoint; None (nothing kept) if any one fails."""
    if not todo:
        return []
    outcomes: list[_Outcome] = []
    pending: dict[type[Base], list[dict[str, Any]]] = {}
    try:
        with savepoint(session):
            for m in todo:
                ctx = rules.Context(
                    session, replica.tenant_id, replica.location_id, location_code, replica.id,
                    m.seq, m.created_at, users=shared.users, locations=shared.locations,
                    known=shared.known, root=shared, pending=pending,
                )  # fmt: skip
                rules.apply(ctx, m.kind, m.schema_version, m.payload)
                outcomes.append(
                    _Outcome(MutationStatus.NEEDS_REVIEW, "; ".join(ctx.reviews))
                    if ctx.reviews
                    else _Outcome(MutationStatus.APPLIED)
                )
            ctx.flush_writes()  # duplicates of natural keys surface here: the batch is replayed
    except Exception:  # replayed one by one, where each failure gets its own result
        return None
    return outcomes


def _store_results(
    session: Session, replica: SyncReplica, done: list[tuple[Mutation, _Outcome]]
) -> list[MutationResult]:
    """The stored results (one statement), and the replica's mark moved past them."""
    if not done:
        return []
    received = _now()
    session.execute(
        insert(table_of(SyncMutation)),
        [
            {
                "replica_id": replica.id,
                "seq": m.seq,
                "tenant_id": replica.tenant_id,
                "mutation_id": m.id,
                "kind": m.kind,
                "schema_version": m.schema_version,
                "entity_id": m.entity_id,
                "payload": json.dumps(m.payload, sort_keys=True, default=str),
                "fingerprint": m.fingerprint(),
                "status": o.status.value,
                "detail": o.detail,
                "waits_for": o.waits_for,
                "held": o.held,
                "created_at": m.created_at,
                "received_at": received,
            }
            for m, o in done
        ],
    )
    replica.applied_seq = done[-1][0].seq
    return [MutationResult(seq=m.seq, status=o.status, detail=o.detail) for m, o in done]


def _arrivals(m: Mutation) -> set[uuid.UUID]:
    """Ids other mutations may wait for: the entity, and the ticket a sale records."""
    ids = {m.entity_id}
    named = [m.payload.get("ticket_id")]
    if m.kind == EDIT_KIND and m.payload.get("entity") == "cat.item":
        named.append(m.payload.get("id"))  # sales that waited for this item
    for value in named:
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                ids.add(uuid.UUID(value))
    return ids


def _release_deferred(
    session: Session, tenant_id: uuid.UUID, arrived: uuid.UUID, metrics: SyncMetrics | None
) -> None:
    """Apply what waited for the fact that just arrived (e.g. refunds of this sale)."""
    waiting = session.scalars(
        select(SyncMutation)
        .where(
            SyncMutation.tenant_id == tenant_id,
            SyncMutation.waits_for == arrived,
            SyncMutation.status == MutationStatus.DEFERRED.value,
        )
        .order_by(SyncMutation.received_at, SyncMutation.seq)
    ).all()
    for stored in waiting:
        outcome = _reapply(session, stored)
        stored.status, stored.detail = outcome.status.value, outcome.detail
        stored.waits_for, stored.held = outcome.waits_for, outcome.held
        if metrics is not None:
            metrics.applied(stored.kind, outcome.status)


def _reapply(session: Session, stored: SyncMutation) -> _Outcome:
    """Run a stored mutation through the handlers again, as its replica pushed it."""
    replica = session.get(SyncReplica, stored.replica_id)
    assert replica is not None
    return _apply_one(
        session, replica, _location_code(session, replica), stored.seq, stored.kind,
        stored.schema_version, json.loads(stored.payload), stored.created_at,
    )  # fmt: skip


def apply_held(session: Session, stored: SyncMutation) -> None:
    """Apply a mutation kept for review without its effects (a person accepted it).

    Raises:
        Conflict: it still cannot be applied (the location it names is still unknown, the item
            it needs has not arrived); nothing changes.
    """
    outcome = _reapply(session, stored)
    if outcome.held and (outcome.detail or "").startswith("duplicate"):
        return  # the same fact is on record: nothing more to apply
    if outcome.status not in (MutationStatus.APPLIED, MutationStatus.NEEDS_REVIEW) or outcome.held:
        raise Conflict(
            f"this cannot be applied yet: {outcome.detail}",
            details={"reason": "held", "detail": (outcome.detail or "")[:300]},
        )
    stored.held = False
    stored.detail = f"{stored.detail}; applied on review"[:2000]


def _response(
    current_epoch: uuid.UUID,
    results: list[MutationResult],
    replica: SyncReplica,
    status: str,
    metrics: SyncMetrics | None,
) -> PushResponse:
    if metrics is not None and status == QUARANTINED:
        metrics.quarantined(len(results))
    return PushResponse(
        epoch=current_epoch, results=results, applied_seq=replica.applied_seq, replica_status=status
    )


def head(session: Session, tenant_id: uuid.UUID) -> int:
    """The tenant's last committed change number (every change up to it is visible)."""
    value = session.scalar(
        select(ChangeCounter.last_seq).where(ChangeCounter.tenant_id == tenant_id)
    )
    return int(value or 0)


def _note_pull_cursor(
    session: Session, tenant_id: uuid.UUID, replica_id: uuid.UUID, cursor: int
) -> None:
    """Where the till has read up to (for the lag figure), written after the read."""

    def note(writer: Session) -> None:
        writer.execute(
            update(SyncReplica)
            .where(
                SyncReplica.tenant_id == tenant_id,
                SyncReplica.id == replica_id,
                SyncReplica.pull_cursor < cursor,
            )
            .values(pull_cursor=cursor)
        )

    write_later(session, note)


def pull(
    session: Session,
    device: Device,
    *,
    replica_id: uuid.UUID,
    cursor: int,
    limit: int,
    client_epoch: uuid.UUID | None,
    entity: str | None = None,
    catalog_from: int = 0,
) -> PullResponse:
    """A page of changes after `cursor`; with `entity`, only that scope (a health-check repair
    re-reads one scope from the start without moving the main cursor). Catalog changes up to
    `catalog_from` are left out: the till's catalog bootstrap already holds them."""
    current_epoch = epoch(session)
    if client_epoch is not None and client_epoch != current_epoch:
        raise Conflict(
            "the server was restored from a backup: pull again from the start",
            details={"reason": "epoch", "epoch": str(current_epoch)},
        )
    replica = _replica(session, device, replica_id)
    if replica is None:
        raise Conflict("handshake first", details={"reason": "handshake"})
    # The head first: numbers follow commit order, so everything up to it is visible now.
    top = head(session, device.tenant_id)
    rows = session.scalars(
        select(ChangeLogEntry)
        .where(
            ChangeLogEntry.tenant_id == device.tenant_id,
            and_(ChangeLogEntry.seq > cursor, ChangeLogEntry.seq <= top),
            true() if entity is None else ChangeLogEntry.entity == entity,
            true()
            if catalog_from <= cursor
            else or_(ChangeLogEntry.seq > catalog_from, ~ChangeLogEntry.entity.startswith("cat.")),
            or_(
                ChangeLogEntry.location_id.is_(None),
                ChangeLogEntry.location_id == device.location_id,
            ),
            or_(
                ChangeLogEntry.origin_replica.is_(None),
                ChangeLogEntry.origin_replica != replica_id,
            ),
        )
        .order_by(ChangeLogEntry.seq)
        .limit(limit)
    ).all()
    full = len(rows) == limit
    next_cursor = rows[-1].seq if full else max(top, cursor)
    if cursor > replica.pull_cursor:
        _note_pull_cursor(session, replica.tenant_id, replica.id, cursor)
    return PullResponse(
        epoch=current_epoch,
        changes=[
            Change(
                seq=r.seq,
                entity=r.entity,
                entity_id=r.entity_id,
                op=ChangeOp(r.op),
                body=json.loads(r.body),
            )
            for r in rows
        ],
        cursor=next_cursor,
        more=full and next_cursor < top,
    )


def digest(session: Session, device: Device) -> Digest:
    """Per-scope sums a till compares with its own (stock per item at its location, points per
    customer), read in one snapshot together with the change-log head they correspond to.

    Postgres: a REPEATABLE READ connection of its own. SQLite: the request's own transaction,
    which already holds the database's single write lock, so nothing commits in between.
    """
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    if engine.dialect.name != "postgresql":
        return _digest(session.connection(), device)
    with (
        engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn,
        conn.begin(),
    ):
        return _digest(conn, device)


def _digest(conn: Connection, device: Device) -> Digest:
    location_code = conn.execute(
        select(Location.code).where(Location.id == device.location_id)
    ).scalar_one()
    top = conn.execute(
        select(ChangeCounter.last_seq).where(ChangeCounter.tenant_id == device.tenant_id)
    ).scalar()
    stock = conn.execute(
        select(ServerStockMovement.item_id, func.sum(ServerStockMovement.qty_milli))
        .where(
            ServerStockMovement.tenant_id == device.tenant_id,
            ServerStockMovement.location_code == location_code,
        )
        .group_by(ServerStockMovement.item_id)
    ).all()
    points = conn.execute(
        select(ServerLoyaltyEntry.customer_id, func.sum(ServerLoyaltyEntry.points))
        .where(ServerLoyaltyEntry.tenant_id == device.tenant_id)
        .group_by(ServerLoyaltyEntry.customer_id)
    ).all()
    documents = conn.execute(
        select(CatalogDocument.entity, CatalogDocument.entity_id, CatalogDocument.fields).where(
            CatalogDocument.tenant_id == device.tenant_id
        )
    ).all()
    stamps = [
        (entity, entity_id, name, str(value[1]))
        for entity, entity_id, text in documents
        for name, value in json.loads(text).items()
    ]
    current = conn.execute(select(ServerInstance.epoch).where(ServerInstance.id == 1)).scalar_one()
    return Digest(
        catalog=catalog_fingerprint(stamps),
        epoch=current,
        head=int(top or 0),
        location_code=location_code,
        stock={str(item): int(total) for item, total in stock},
        loyalty={str(customer): int(total) for customer, total in points},
    )


def bootstrap(
    session: Session,
    device: Device,
    *,
    replica_id: uuid.UUID,
    scope: str,
    after: str | None,
    limit: int,
    client_epoch: uuid.UUID | None,
) -> BootstrapPage:
    """One page of a scope's current documents (docs/sync-protocol.md, "Bootstrap")."""
    current_epoch = epoch(session)
    if client_epoch is not None and client_epoch != current_epoch:
        raise Conflict(
            "the server was restored from a backup: start the bootstrap again",
            details={"reason": "epoch", "epoch": str(current_epoch)},
        )
    if _replica(session, device, replica_id) is None:
        raise Conflict("handshake first", details={"reason": "handshake"})
    if scope != "catalog":
        raise ValidationFailed("unknown bootstrap scope", details={"scope": scope[:32]})
    top = head(session, device.tenant_id)  # first: the documents read next are at least this new
    documents, next_after = catalog_page(session, device.tenant_id, after, limit)
    return BootstrapPage(
        epoch=current_epoch,
        scope=scope,
        as_of=top,
        documents=[
            Change(seq=top, entity=e, entity_id=i, op=ChangeOp.UPSERT, body=body)
            for e, i, body in documents
        ],
        next=next_after,
    )
