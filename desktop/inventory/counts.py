"""Count sessions: count while selling continues, review, post the variance, or cancel.

Each counted line keeps the moment it was counted. Posting writes, per line,
`counted − stock as of that moment`: sales made after the count (here or on any terminal, once
synced) stay on the books instead of being wiped out by the count.

A line counted in several `add` entries (two shelves, two people) adds up quantities taken at
different moments. If the item's stock moved between those moments (a sale from a shelf that
was counted already, or from one not yet counted — the till cannot tell which), no single
moment makes the total right, so the line is flagged (`moved_while_counting`) and posting
refuses until it is recounted with `set` or the manager posts anyway (`accept_moved=True`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, func, insert, select, update

from desktop.catalog.service import get_item, lookup_barcode
from desktop.db.models import (
    Category,
    CountEntry,
    CountLine,
    CountScopeItem,
    CountSession,
    Item,
)
from desktop.db.uow import UnitOfWork
from desktop.inventory.ledger import Movement, from_milli, record, stock_as_of, to_milli
from desktop.modules import require_module
from desktop.outbox.service import append
from desktop.sales.config import load
from desktop.sales.tickets import parse_quantity
from desktop.staff.service import Actor
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.ids import uuid7
from shared.money import Money
from shared.permissions import Module, Permission

SCOPES = ("full", "category", "selection")


def _guard(uow: UnitOfWork, actor: Actor) -> None:
    require_module(uow, Module.INVENTORY)
    actor.require(Permission.INVENTORY_COUNT)


def start_count(
    uow: UnitOfWork,
    actor: Actor,
    *,
    scope: str = "full",
    category_id: uuid.UUID | None = None,
    items: Sequence[uuid.UUID] = (),
    note: str | None = None,
) -> uuid.UUID:
    """Open a count at this terminal's location; selling goes on meanwhile.

    Raises:
        ValidationFailed: unknown scope, a category count without a category, an empty
            selection. NotFound: unknown category or item.
    """
    _guard(uow, actor)
    if scope not in SCOPES:
        raise ValidationFailed(f"scope is one of {', '.join(SCOPES)}", details={"scope": scope})
    if scope == "category" and (
        category_id is None
        or uow.conn.execute(select(Category.id).where(Category.id == category_id)).first() is None
    ):
        raise NotFound("choose an existing category to count", details={"field": "category"})
    if scope == "selection" and not items:
        raise ValidationFailed("choose the items to count", details={"field": "items"})
    for item_id in items:
        get_item(uow, item_id)
    session_id, now = uuid7(), uow.clock.now()
    location = load(uow).location_code
    uow.conn.execute(
        insert(CountSession).values(
            id=session_id,
            location_code=location,
            scope=scope,
            category_id=category_id if scope == "category" else None,
            status="open",
            note=note.strip()[:200] if note and note.strip() else None,
            started_by=actor.id,
            started_at=now,
        )
    )
    if scope == "selection":
        uow.conn.execute(
            insert(CountScopeItem),
            [{"session_id": session_id, "item_id": i} for i in dict.fromkeys(items)],
        )
    append(
        uow,
        kind="count.started",
        entity_id=session_id,
        payload={
            "session_id": session_id,
            "location_code": location,
            "scope": scope,
            "category_id": category_id,
            "items": list(dict.fromkeys(items)),
            "started_by": actor.id,
            "started_at": now,
        },
    )
    return session_id


def count_session(uow: UnitOfWork, session_id: uuid.UUID) -> Row[Any]:
    row = uow.conn.execute(
        select(CountSession.__table__).where(CountSession.id == session_id)
    ).first()
    if row is None:
        raise NotFound("no such count", details={"session_id": str(session_id)})
    return row


def _open_session(uow: UnitOfWork, session_id: uuid.UUID) -> Row[Any]:
    session = count_session(uow, session_id)
    if session.status != "open":
        raise Conflict(
            f"this count is {session.status}; start a new one",
            details={"session_id": str(session_id), "status": session.status},
        )
    return session


def _in_scope(uow: UnitOfWork, session: Row[Any], item_id: uuid.UUID) -> bool:
    if session.scope == "full":
        return True
    if session.scope == "category":
        return (
            uow.conn.execute(
                select(Item.id).where(Item.id == item_id, Item.category_id == session.category_id)
            ).first()
            is not None
        )
    return (
        uow.conn.execute(
            select(CountScopeItem.item_id).where(
                CountScopeItem.session_id == session.id, CountScopeItem.item_id == item_id
            )
        ).first()
        is not None
    )


def count_item(
    uow: UnitOfWork,
    actor: Actor,
    *,
    session_id: uuid.UUID,
    item_id: uuid.UUID,
    quantity: Decimal | int | str,
    mode: str = "add",
) -> Decimal:
    """Record a counted quantity: `add` to what was counted (another shelf, another counter)
    or `set` it (a recount). Returns the line's counted quantity.

    Raises:
        Conflict: the count is posted or cancelled. ValidationFailed: bad quantity, an item
            outside the count's scope, an untracked item. NotFound: unknown item.
    """
    _guard(uow, actor)
    if mode not in ("add", "set"):
        raise ValidationFailed("mode is add or set", details={"mode": mode})
    qty = _counted_quantity(quantity)
    session = _open_session(uow, session_id)
    item = get_item(uow, item_id)
    if not item.track_stock:
        raise ValidationFailed(f"{item.name} is not stock-tracked", details={"item": item.name})
    if not _in_scope(uow, session, item_id):
        raise ValidationFailed(
            f"{item.name} is not part of this count", details={"item_id": str(item_id)}
        )
    milli, now = to_milli(qty), uow.clock.now()
    entry_id = uuid7()
    uow.conn.execute(
        insert(CountEntry).values(
            id=entry_id,
            session_id=session_id,
            item_id=item_id,
            mode=mode,
            qty_milli=milli,
            counted_by=actor.id,
            counted_at=now,
        )
    )
    line = uow.conn.execute(
        select(CountLine.qty_milli).where(
            CountLine.session_id == session_id, CountLine.item_id == item_id
        )
    ).scalar()
    total = milli if line is None or mode == "set" else int(line) + milli
    values = {"qty_milli": total, "counted_at": now, "counted_by": actor.id}
    if line is None:
        uow.conn.execute(insert(CountLine).values(session_id=session_id, item_id=item_id, **values))
    else:
        uow.conn.execute(
            update(CountLine)
            .where(CountLine.session_id == session_id, CountLine.item_id == item_id)
            .values(**values)
        )
    append(
        uow,
        kind="count.counted",
        entity_id=entry_id,
        payload={
            "entry_id": entry_id,
            "session_id": session_id,
            "item_id": item_id,
            "mode": mode,
            "qty_milli": milli,
            "counted_by": actor.id,
            "counted_at": now,
        },
    )
    return from_milli(total)


def _counted_quantity(quantity: Decimal | int | str) -> Decimal:
    """Like a sale quantity, except that zero is a valid count (none on the shelf)."""
    try:
        if not isinstance(quantity, float) and Decimal(str(quantity).strip()) == 0:
            return Decimal(0)
    except ArithmeticError:
        pass  # parse_quantity words the error
    return parse_quantity(quantity)


def scan(uow: UnitOfWork, actor: Actor, *, session_id: uuid.UUID, barcode: str) -> Decimal:
    """Scan-to-count: one more of the scanned item.

    Raises:
        NotFound: the barcode is unknown — nothing is counted; search the item by name.
    """
    _guard(uow, actor)
    item = lookup_barcode(uow, barcode.strip())
    return count_item(uow, actor, session_id=session_id, item_id=item.id, quantity=1)


@dataclass(frozen=True)
class ReviewLine:
    item_id: uuid.UUID
    sku: str
    name: str
    expected: Decimal  # stock as of the moment it was counted (or now, if not counted)
    counted: Decimal | None  # None: not counted yet
    counted_at: datetime | None
    variance: Decimal | None
    variance_value: Money | None  # at the selling price: what the difference is worth
    # Stock change between the line's first and last `add` entry: the counted total mixes
    # moments, so it needs a recount (`set`) before it can be trusted.
    moved_while_counting: Decimal = Decimal(0)

    @property
    def needs_attention(self) -> bool:
        return self.counted is None or self.variance != 0 or self.moved_while_counting != 0


def review(uow: UnitOfWork, actor: Actor, *, session_id: uuid.UUID) -> list[ReviewLine]:
    """Expected, counted and variance per item in scope (counted lines and missing ones)."""
    _guard(uow, actor)
    session = count_session(uow, session_id)
    lines = {
        r.item_id: r
        for r in uow.conn.execute(
            select(CountLine.__table__).where(CountLine.session_id == session_id)
        )
    }
    scope = select(Item.id, Item.sku, Item.name, Item.price_minor, Item.currency).where(
        Item.track_stock, Item.active
    )
    if session.scope == "category":
        scope = scope.where(Item.category_id == session.category_id)
    elif session.scope == "selection":
        scope = scope.join(CountScopeItem, CountScopeItem.item_id == Item.id).where(
            CountScopeItem.session_id == session_id
        )
    now = uow.clock.now()
    out = []
    for item_id, sku, name, price_minor, currency in uow.conn.execute(scope.order_by(Item.sku)):
        line = lines.get(item_id)
        moment = line.counted_at if line else now
        expected = stock_as_of(uow, item_id, session.location_code, moment)
        counted = from_milli(line.qty_milli) if line else None
        variance = counted - expected if counted is not None else None
        moved = _moved_while_counting(uow, session, item_id, line) if line else Decimal(0)
        value = (
            (Money.from_minor(price_minor, currency) * variance).quantize()
            if variance is not None
            else None
        )
        out.append(
            ReviewLine(
                item_id,
                sku,
                name,
                expected,
                counted,
                moment if line else None,
                variance,
                value,
                moved,
            )
        )
    return out


def _moved_while_counting(
    uow: UnitOfWork, session: Row[Any], item_id: uuid.UUID, line: Row[Any]
) -> Decimal:
    """Net stock movement between the first entry of the line's current run (since its last
    `set`) and its last entry; zero for a line counted in one go."""
    entries = uow.conn.execute(
        select(CountEntry.mode, CountEntry.counted_at)
        .where(CountEntry.session_id == session.id, CountEntry.item_id == item_id)
        .order_by(CountEntry.counted_at, CountEntry.id)
    ).all()
    start = None
    for mode, at in entries:
        if mode == "set" or start is None:
            start = at
    if start is None or start >= line.counted_at:
        return Decimal(0)
    before = stock_as_of(uow, item_id, session.location_code, start)
    return stock_as_of(uow, item_id, session.location_code, line.counted_at) - before


def post_count(
    uow: UnitOfWork, actor: Actor, *, session_id: uuid.UUID, accept_moved: bool = False
) -> int:
    """Close the count: one count-variance movement per counted line. Returns how many.

    Args:
        accept_moved: post lines whose stock moved between their entries as counted (the
            manager checked them); otherwise such lines refuse the post.

    Raises:
        Conflict: already posted or cancelled, or a line's stock moved while it was being
            counted (`details.items`: recount those with `set`). ValidationFailed: nothing
            was counted.
    """
    _guard(uow, actor)
    session = _open_session(uow, session_id)
    lines = uow.conn.execute(
        select(CountLine.__table__)
        .where(CountLine.session_id == session_id)
        .order_by(CountLine.item_id)
    ).all()
    if not accept_moved:
        moved = [
            (line.item_id, change)
            for line in lines
            if (change := _moved_while_counting(uow, session, line.item_id, line)) != 0
        ]
        if moved:
            names = [get_item(uow, item_id).name for item_id, _ in moved]
            raise Conflict(
                f"stock of {', '.join(names)} changed while it was being counted: recount "
                "it (replace the count) or post anyway",
                details={
                    "reason": "moved_while_counting",
                    "items": [{"item_id": str(i), "moved": str(change)} for i, change in moved],
                },
            )
    moves, details = [], []
    for line in lines:
        expected = stock_as_of(uow, line.item_id, session.location_code, line.counted_at)
        variance = line.qty_milli - to_milli(expected)
        moves.append(
            Movement(
                line.item_id,
                session.location_code,
                variance,
                "count_variance",
                actor.id,
                count_id=session_id,
            )
        )
        details.append((line, variance))
    if not moves:
        raise ValidationFailed("nothing was counted; count some items or cancel the count")
    now = uow.clock.now()
    movement_ids = record(uow, moves, now)
    _close(uow, session_id, "posted", actor, now)
    append(
        uow,
        kind="count.posted",
        entity_id=session_id,
        payload={
            "session_id": session_id,
            "posted_by": actor.id,
            "posted_at": now,
            "lines": [
                {
                    "item_id": line.item_id,
                    "counted_milli": line.qty_milli,
                    "counted_at": line.counted_at,
                    "variance_milli": variance,
                    "movement_id": movement_id,
                }
                for (line, variance), movement_id in zip(details, movement_ids, strict=True)
            ],
        },
    )
    return len(moves)


def _close(uow: UnitOfWork, session_id: uuid.UUID, status: str, actor: Actor, at: datetime) -> None:
    uow.conn.execute(
        update(CountSession)
        .where(CountSession.id == session_id)
        .values(status=status, closed_by=actor.id, closed_at=at)
    )


def cancel_count(uow: UnitOfWork, actor: Actor, *, session_id: uuid.UUID, reason: str) -> None:
    """Drop a count without touching stock (its entries stay, for the record)."""
    _guard(uow, actor)
    if not reason.strip():
        raise ValidationFailed("say why the count is cancelled", details={"field": "reason"})
    _open_session(uow, session_id)
    now = uow.clock.now()
    _close(uow, session_id, "cancelled", actor, now)
    append(
        uow,
        kind="count.cancelled",
        entity_id=session_id,
        payload={"session_id": session_id, "by": actor.id, "at": now, "reason": reason.strip()},
    )


def entry_count(uow: UnitOfWork, session_id: uuid.UUID) -> int:
    return int(
        uow.conn.execute(
            select(func.count()).select_from(CountEntry).where(CountEntry.session_id == session_id)
        ).scalar_one()
    )
