"""The per-tenant change log terminals pull, numbered in commit order.

Services queue changes on the session (`publish`, `mark_documents_dirty`); a `before_commit` hook
rebuilds the touched documents and then takes the tenant's sequence numbers with one
`UPDATE ... RETURNING` on its counter row. That row lock is held from there to the commit, so two
writers of a tenant number their changes in the order they commit: a reader that has seen seq N
has seen everything below it, and a pull from `seq > cursor` never skips a late commit.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, event, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from shared.sync import ChangeOp
from syncserver.models import ChangeCounter, ChangeLogEntry, SyncDocument
from syncserver.models.base import table_of

PENDING = "nova.sync.pending"
DIRTY = "nova.sync.dirty_tenants"


@dataclass(frozen=True)
class ChangeDraft:
    tenant_id: uuid.UUID
    entity: str
    entity_id: str
    op: ChangeOp
    body: dict[str, Any]
    location_id: uuid.UUID | None = None
    origin_replica: uuid.UUID | None = None


def encode(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)


def publish(session: Session, draft: ChangeDraft) -> None:
    """Queue one change; it gets its number just before the session commits."""
    session.info.setdefault(PENDING, []).append(draft)


BALANCES = "nova.sync.loyalty_customers"


def mark_balance_changed(session: Session, tenant_id: uuid.UUID, customer_id: uuid.UUID) -> None:
    """A customer's points moved: publish their server balance at commit (terminals guard
    offline redemptions with it)."""
    session.info.setdefault(BALANCES, set()).add((tenant_id, customer_id))


def mark_documents_dirty(session: Session, tenant_id: uuid.UUID) -> None:
    """Staff, roles or module switches of this tenant changed: rebuild its documents at commit."""
    session.info.setdefault(DIRTY, set()).add(tenant_id)


# Builders of server-authored documents: tenant -> {(entity, entity_id): (location, body)}.
DocumentBuilder = Callable[
    [Session, uuid.UUID], dict[tuple[str, str], tuple[uuid.UUID | None, dict[str, Any]]]
]
_builders: list[DocumentBuilder] = []


def document_builder(builder: DocumentBuilder) -> DocumentBuilder:
    _builders.append(builder)
    return builder


def _refresh_documents(session: Session, tenant_id: uuid.UUID) -> None:
    """Publish the documents whose content changed; a vanished document is published deleted."""
    wanted: dict[tuple[str, str], tuple[uuid.UUID | None, dict[str, Any]]] = {}
    for build in _builders:
        wanted.update(build(session, tenant_id))
    current = {
        (d.entity, d.entity_id): d
        for d in session.scalars(select(SyncDocument).where(SyncDocument.tenant_id == tenant_id))
    }
    for key, (location_id, body) in wanted.items():
        text = encode(body)
        digest = hashlib.sha256(text.encode()).hexdigest()
        row = current.get(key)
        if row is not None and row.body_hash == digest:
            continue
        publish(session, ChangeDraft(tenant_id, key[0], key[1], ChangeOp.UPSERT, body, location_id))
        if row is None:
            row = SyncDocument(tenant_id=tenant_id, entity=key[0], entity_id=key[1], seq=0)
            session.add(row)
        row.location_id, row.body, row.body_hash = location_id, text, digest
    for key, row in current.items():
        if key not in wanted:
            publish(
                session,
                ChangeDraft(tenant_id, key[0], key[1], ChangeOp.DELETE, {}, row.location_id),
            )
            session.delete(row)


@contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """A SAVEPOINT that, when it rolls back, also forgets what was queued for publication inside
    it (changes, dirty tenants, balances): nothing rolled back is ever announced to the tills."""
    queued = len(session.info.get(PENDING, []))
    dirty = set(session.info.get(DIRTY, set()))
    balances = set(session.info.get(BALANCES, set()))
    nested = session.begin_nested()
    try:
        yield
    except BaseException:
        nested.rollback()
        del session.info.setdefault(PENDING, [])[queued:]
        session.info[DIRTY], session.info[BALANCES] = dirty, balances
        raise
    nested.commit()


def _take_numbers(session: Session, tenant_id: uuid.UUID, count: int) -> int:
    """Reserve `count` numbers for the tenant; returns the first. Locks the counter row."""
    dialect = session.get_bind().dialect.name
    ensure = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(ChangeCounter)
    session.execute(ensure.values(tenant_id=tenant_id, last_seq=0).on_conflict_do_nothing())
    last = session.execute(
        update(ChangeCounter)
        .where(ChangeCounter.tenant_id == tenant_id)
        .values(last_seq=ChangeCounter.last_seq + count)
        .returning(ChangeCounter.last_seq)
    ).scalar_one()
    return int(last) - count + 1


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT is released: numbers are taken once, for the whole transaction
    session.flush()  # so the flush hooks have marked every touched tenant
    dirty: set[uuid.UUID] = session.info.pop(DIRTY, set())
    for tenant_id in sorted(dirty):
        _refresh_documents(session, tenant_id)
    balances: set[tuple[uuid.UUID, uuid.UUID]] = session.info.pop(BALANCES, set())
    if balances:
        _publish_balances(session, balances)
    pending: list[ChangeDraft] = session.info.pop(PENDING, [])
    if not pending:
        return
    session.flush()
    at = datetime.now(UTC)
    by_tenant: dict[uuid.UUID, list[ChangeDraft]] = {}
    for draft in pending:
        by_tenant.setdefault(draft.tenant_id, []).append(draft)
    # Sorted: two transactions touching the same tenants lock their counters in the same order.
    for tenant_id in sorted(by_tenant):
        drafts = by_tenant[tenant_id]
        first = _take_numbers(session, tenant_id, len(drafts))
        rows = [
            {
                "tenant_id": tenant_id,
                "seq": first + i,
                "entity": d.entity,
                "entity_id": d.entity_id,
                "op": d.op.value,
                "location_id": d.location_id,
                "origin_replica": d.origin_replica,
                "body": encode(d.body),
                "changed_at": at,
            }
            for i, d in enumerate(drafts)
        ]
        session.execute(insert(table_of(ChangeLogEntry)), rows)
        # One executemany (Core, no ORM session sync): a bulk catalog import publishes 50,000.
        docs = table_of(SyncDocument)
        seqs = [
            {"t": tenant_id, "e": d.entity, "i": d.entity_id, "s": row["seq"]}
            for d, row in zip(drafts, rows, strict=True)
            if d.op is not ChangeOp.APPEND
        ]
        if seqs:
            session.connection().execute(
                update(docs)
                .where(
                    docs.c.tenant_id == bindparam("t"),
                    docs.c.entity == bindparam("e"),
                    docs.c.entity_id == bindparam("i"),
                )
                .values(seq=bindparam("s")),
                seqs,
            )
            for held in session.identity_map.values():
                if isinstance(held, SyncDocument):
                    session.expire(held, ["seq"])  # set above, behind the ORM's back


def _publish_balances(session: Session, customers: set[tuple[uuid.UUID, uuid.UUID]]) -> None:
    from syncserver.models import ServerLoyaltyEntry  # beside the sync models; no import cycle

    session.flush()
    at = datetime.now(UTC).isoformat()
    by_tenant: dict[uuid.UUID, list[uuid.UUID]] = {}
    for tenant_id, customer_id in customers:
        by_tenant.setdefault(tenant_id, []).append(customer_id)
    for tenant_id, ids in sorted(by_tenant.items()):
        sums = dict(
            session.execute(
                select(ServerLoyaltyEntry.customer_id, func.sum(ServerLoyaltyEntry.points))
                .where(
                    ServerLoyaltyEntry.tenant_id == tenant_id,
                    ServerLoyaltyEntry.customer_id.in_(ids),
                )
                .group_by(ServerLoyaltyEntry.customer_id)
            ).all()
        )
        for customer_id in sorted(ids):
            body = {"customer_id": str(customer_id), "points": int(sums.get(customer_id) or 0),
                    "as_of": at}  # fmt: skip
            publish(
                session,
                ChangeDraft(tenant_id, "loyalty_balance", str(customer_id), ChangeOp.APPEND, body),
            )


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(DIRTY, None)
    session.info.pop(BALANCES, None)


def install(maker: sessionmaker[Session]) -> None:
    """Wire the hooks into every session the server opens."""
    event.listen(maker, "before_commit", _before_commit)
    event.listen(maker, "after_soft_rollback", _after_soft_rollback)


def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    # Only the whole transaction forgets its queue: a SAVEPOINT's rollback (a bad mutation
    # replayed on its own) must not drop what the mutations before it queued — `savepoint()`
    # rewinds to its own start.
    if previous.parent is None:
        _after_rollback(session)
