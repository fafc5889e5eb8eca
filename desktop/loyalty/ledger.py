"""The points ledger: earn, redeem, reverse, expire, adjust — a balance is the sum of entries.

Offline guard: a terminal redeems only what it knows — the balance the server last confirmed,
less the redemptions (and other deductions) this terminal made that the server has not confirmed
yet. Points earned here count once the server confirms them. Every entry carries its origin
(this database's replica id) and, for expiry, the lot it came from, so the server can spot two
offline terminals overdrawing one account and settle it by policy (sync issue).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, update

from desktop.db.models import LoyaltyEntry, LoyaltyKnownBalance
from desktop.db.models.local_meta import REPLICA_ID_KEY, LocalMeta
from desktop.db.uow import UnitOfWork
from desktop.loyalty.customers import get_customer
from desktop.loyalty.program import program
from desktop.modules import require_module
from desktop.outbox.service import append
from desktop.staff.service import Actor
from shared.errors import ValidationFailed
from shared.ids import uuid7
from shared.permissions import Module, Permission

SYSTEM_ACTOR = uuid.UUID(int=0)  # jobs (expiry) act as "the system"


@dataclass(frozen=True)
class Entry:
    id: uuid.UUID
    kind: str
    points: int
    at: datetime
    ticket_id: uuid.UUID | None
    lot_id: uuid.UUID | None
    expires_at: datetime | None
    reason: str | None
    confirmed: bool


def _origin(uow: UnitOfWork) -> str:
    cached = uow.cache.get(REPLICA_ID_KEY)
    if isinstance(cached, str):
        return cached
    value = uow.conn.execute(
        select(LocalMeta.value).where(LocalMeta.key == REPLICA_ID_KEY)
    ).scalar_one()
    uow.cache[REPLICA_ID_KEY] = str(value)
    return str(value)


def write_entry(
    uow: UnitOfWork,
    *,
    customer_id: uuid.UUID,
    kind: str,
    points: int,
    actor_id: uuid.UUID,
    at: datetime,
    ticket_id: uuid.UUID | None = None,
    lot_id: uuid.UUID | None = None,
    expires_at: datetime | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Append one entry in the caller's transaction; returns it as the outbox describes it."""
    entry = {
        "id": uuid7(),
        "customer_id": customer_id,
        "kind": kind,
        "points": points,
        "ticket_id": ticket_id,
        "lot_id": lot_id,
        "expires_at": expires_at,
        "reason": reason,
        "actor_id": actor_id,
        "origin": _origin(uow),
        "at": at,
        "confirmed": False,
    }
    uow.conn.execute(insert(LoyaltyEntry).values(**entry))
    return entry


def balance(uow: UnitOfWork, customer_id: uuid.UUID) -> int:
    """Every entry this terminal knows of, summed (what the customer sees on the receipt)."""
    total = uow.conn.execute(
        select(func.coalesce(func.sum(LoyaltyEntry.points), 0)).where(
            LoyaltyEntry.customer_id == customer_id
        )
    ).scalar_one()
    return int(total)


def redeemable(uow: UnitOfWork, customer_id: uuid.UUID) -> int:
    """The offline guard: server-confirmed balance minus this terminal's unconfirmed deductions."""
    known = uow.conn.execute(
        select(LoyaltyKnownBalance.points).where(LoyaltyKnownBalance.customer_id == customer_id)
    ).scalar()
    pending_out = uow.conn.execute(
        select(func.coalesce(func.sum(LoyaltyEntry.points), 0)).where(
            LoyaltyEntry.customer_id == customer_id,
            LoyaltyEntry.confirmed.is_(False),
            LoyaltyEntry.points < 0,
        )
    ).scalar_one()
    return max(0, int(known or 0) + int(pending_out))


def check_redemption(uow: UnitOfWork, actor: Actor, customer_id: uuid.UUID, points: int) -> None:
    """Everything that can refuse a redemption, before any money moves.

    Raises:
        AuthzError: no `loyalty.redeem`, or the loyalty module is off.
        ValidationFailed: below the program's minimum, or more than can be redeemed offline.
    """
    require_module(uow, Module.LOYALTY)
    actor.require(Permission.LOYALTY_REDEEM)
    rules = program(uow)
    if points < rules.min_redeem:
        raise ValidationFailed(
            f"redeem at least {rules.min_redeem} points at a time",
            details={"points": points, "min_redeem": rules.min_redeem},
        )
    available = redeemable(uow, customer_id)
    if points > available:
        raise ValidationFailed(
            f"only {available} points can be redeemed now (balance confirmed by the server, "
            "less redemptions not yet synced)",
            details={"points": points, "available": available},
        )


def earn_for_sale(
    uow: UnitOfWork,
    actor: Actor,
    *,
    customer_id: uuid.UUID,
    ticket_id: uuid.UUID,
    paid: Decimal,
    at: datetime,
) -> dict[str, Any] | None:
    """Points for the money paid on a sale (not for points paid); a lot that may expire."""
    rules = program(uow)
    points = rules.points_for(paid)
    if points <= 0:
        return None
    expires = at + timedelta(days=rules.expiry_days) if rules.expiry_days else None
    return write_entry(
        uow,
        customer_id=customer_id,
        kind="earn",
        points=points,
        actor_id=actor.id,
        at=at,
        ticket_id=ticket_id,
        expires_at=expires,
    )


def reverse_for_refund(
    uow: UnitOfWork,
    actor: Actor,
    *,
    original_id: uuid.UUID,
    refund_id: uuid.UUID,
    refunded_share: tuple[int, int, int],
    at: datetime,
) -> dict[str, Any] | None:
    """Take back the points a refunded sale earned, in proportion to what was refunded.

    `refunded_share` is (refunded now, refunded before, sale total) in minor units. The refund
    that completes the sale takes back exactly what is left, so any split sums to the earn.
    """
    now_minor, before_minor, total_minor = refunded_share
    earned = uow.conn.execute(
        select(LoyaltyEntry.id, LoyaltyEntry.customer_id, LoyaltyEntry.points).where(
            LoyaltyEntry.ticket_id == original_id, LoyaltyEntry.kind == "earn"
        )
    ).first()
    if earned is None or total_minor <= 0:
        return None
    lot_id, customer_id, points = earned
    reversed_before = -int(
        uow.conn.execute(
            select(func.coalesce(func.sum(LoyaltyEntry.points), 0)).where(
                LoyaltyEntry.lot_id == lot_id, LoyaltyEntry.kind == "reverse"
            )
        ).scalar_one()
    )
    if before_minor + now_minor >= total_minor:
        take = points - reversed_before
    else:
        take = int(
            (Decimal(points) * now_minor / total_minor).to_integral_value()
        )  # half-even on exact halves: no bias across many refunds
        take = min(take, points - reversed_before)
    if take <= 0:
        return None
    return write_entry(
        uow,
        customer_id=uuid.UUID(str(customer_id)),
        kind="reverse",
        points=-take,
        actor_id=actor.id,
        at=at,
        ticket_id=refund_id,
        lot_id=uuid.UUID(str(lot_id)),
    )


def adjust_points(
    uow: UnitOfWork, actor: Actor, *, customer_id: uuid.UUID, points: int, reason: str
) -> int:
    """A manual correction (`loyalty.adjust`, with a reason). Returns the new balance.

    Raises:
        ValidationFailed: zero, no reason, or taking more than the balance.
    """
    require_module(uow, Module.LOYALTY)
    actor.require(Permission.LOYALTY_ADJUST)
    get_customer(uow, customer_id)
    if points == 0 or not reason.strip():
        raise ValidationFailed("give a non-zero number of points and a reason")
    current = balance(uow, customer_id)
    if current + points < 0:
        raise ValidationFailed(
            f"the balance is {current} points; it cannot go below zero",
            details={"balance": current, "points": points},
        )
    now = uow.clock.now()
    entry = write_entry(
        uow,
        customer_id=customer_id,
        kind="adjust",
        points=points,
        actor_id=actor.id,
        at=now,
        reason=reason.strip()[:200],
    )
    append(uow, kind="loyalty.adjusted", entity_id=entry["id"], payload=entry)
    return current + points


def expire_points(uow: UnitOfWork, *, now: datetime | None = None) -> int:
    """The expiry job: lots past their date lose what is left of them. Returns points expired.

    Deductions (redemptions, reversals, expiries, negative adjustments) use up lots oldest
    first (FIFO), so what is "left" of a lot is well defined and a second run expires nothing.
    """
    at = now or uow.clock.now()
    customers = uow.conn.execute(
        select(LoyaltyEntry.customer_id)
        .where(LoyaltyEntry.kind == "earn", LoyaltyEntry.expires_at <= at)
        .distinct()
    ).scalars()
    expired_total = 0
    for customer_id in list(customers):
        for lot_id, left in _expired_lots(uow, uuid.UUID(str(customer_id)), at):
            entry = write_entry(
                uow,
                customer_id=uuid.UUID(str(customer_id)),
                kind="expire",
                points=-left,
                actor_id=SYSTEM_ACTOR,
                at=at,
                lot_id=lot_id,
            )
            append(uow, kind="loyalty.expired", entity_id=entry["id"], payload=entry)
            expired_total += left
    return expired_total


def _expired_lots(
    uow: UnitOfWork, customer_id: uuid.UUID, at: datetime
) -> list[tuple[uuid.UUID, int]]:
    rows = uow.conn.execute(
        select(LoyaltyEntry.id, LoyaltyEntry.points, LoyaltyEntry.expires_at)
        .where(LoyaltyEntry.customer_id == customer_id, LoyaltyEntry.points > 0)
        .order_by(LoyaltyEntry.at, LoyaltyEntry.id)
    ).all()
    used = -int(
        uow.conn.execute(
            select(func.coalesce(func.sum(LoyaltyEntry.points), 0)).where(
                LoyaltyEntry.customer_id == customer_id, LoyaltyEntry.points < 0
            )
        ).scalar_one()
    )
    expired = []
    for lot_id, points, expires_at in rows:
        consumed = min(used, points)
        used -= consumed
        left = points - consumed
        if left > 0 and expires_at is not None and expires_at <= at:
            expired.append((uuid.UUID(str(lot_id)), left))
    return expired


def apply_server_balance(
    uow: UnitOfWork,
    *,
    customer_id: uuid.UUID,
    points: int,
    as_of: datetime,
    confirmed: list[uuid.UUID],
) -> None:
    """What sync calls with the server's answer: its balance and the local entries it holds."""
    if confirmed:
        uow.conn.execute(
            update(LoyaltyEntry).where(LoyaltyEntry.id.in_(confirmed)).values(confirmed=True)
        )
    row = {"customer_id": customer_id, "points": points, "as_of": as_of}
    known = uow.conn.execute(
        select(LoyaltyKnownBalance.customer_id).where(
            LoyaltyKnownBalance.customer_id == customer_id
        )
    ).first()
    if known is None:
        uow.conn.execute(insert(LoyaltyKnownBalance).values(**row))
    else:
        uow.conn.execute(
            update(LoyaltyKnownBalance)
            .where(LoyaltyKnownBalance.customer_id == customer_id)
            .values(points=points, as_of=as_of)
        )


def entries(uow: UnitOfWork, customer_id: uuid.UUID) -> list[Entry]:
    """The customer's statement, oldest first."""
    rows = uow.conn.execute(
        select(LoyaltyEntry.__table__)
        .where(LoyaltyEntry.customer_id == customer_id)
        .order_by(LoyaltyEntry.at, LoyaltyEntry.id)
    )
    return [
        Entry(
            r.id, r.kind, r.points, r.at, r.ticket_id, r.lot_id, r.expires_at, r.reason, r.confirmed
        )
        for r in rows
    ]
