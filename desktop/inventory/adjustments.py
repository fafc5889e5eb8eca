"""Adjustments (damage, waste, theft, correction, received) and transfers between locations."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from desktop.catalog.service import get_item
from desktop.db.uow import UnitOfWork
from desktop.inventory.ledger import Movement, StockView, record, stock_level, to_milli
from desktop.modules import require_module
from desktop.outbox.service import append
from desktop.sales.config import load
from desktop.sales.tickets import parse_quantity
from desktop.staff.service import Actor
from shared.errors import ValidationFailed
from shared.ids import uuid7
from shared.permissions import Module, Permission

# Which way each reason moves stock: -1 only out, +1 only in, 0 either way.
REASONS: dict[str, int] = {"damage": -1, "waste": -1, "theft": -1, "received": 1, "correction": 0}


@dataclass(frozen=True)
class Adjusted:
    movement_id: uuid.UUID
    stock: StockView


def _note(note: str | None) -> str | None:
    if note is not None and len(note) > 200:
        raise ValidationFailed("a note is at most 200 characters", details={"field": "note"})
    return note.strip() if note and note.strip() else None


def _tracked_item(uow: UnitOfWork, item_id: uuid.UUID) -> str:
    item = get_item(uow, item_id)
    if not item.track_stock:
        raise ValidationFailed(
            f"{item.name} is not stock-tracked; switch tracking on in the catalog first",
            details={"item_id": str(item_id)},
        )
    return item.name


def adjust(
    uow: UnitOfWork,
    actor: Actor,
    *,
    item_id: uuid.UUID,
    change: Decimal | int | str,
    reason: str,
    note: str | None = None,
) -> Adjusted:
    """Move stock at this terminal's location by `change` (signed) for a reason.

    Raises:
        AuthzError: no `inventory.adjust`, or the inventory module is off.
        ValidationFailed: unknown reason, a sign the reason does not allow (damage removes
            stock, received adds it), zero, more than 3 decimals, an untracked item.
        NotFound: unknown item.
    """
    require_module(uow, Module.INVENTORY)
    actor.require(Permission.INVENTORY_ADJUST)
    if reason not in REASONS:
        raise ValidationFailed(
            f"reason is one of {', '.join(REASONS)}", details={"field": "reason", "reason": reason}
        )
    qty = _signed_quantity(change)
    direction = REASONS[reason]
    if direction and (qty > 0) != (direction > 0):
        word = "adds" if direction > 0 else "removes"
        raise ValidationFailed(
            f"{reason} {word} stock: use a {'positive' if direction > 0 else 'negative'} change",
            details={"field": "change", "reason": reason},
        )
    _tracked_item(uow, item_id)
    location = load(uow).location_code
    now = uow.clock.now()
    movement = Movement(
        item_id, location, to_milli(qty), "adjustment", actor.id, reason=reason, note=_note(note)
    )
    (movement_id,) = record(uow, [movement], now)
    append(
        uow,
        kind="inventory.adjusted",
        entity_id=movement_id,
        payload={
            "movement_id": movement_id,
            "item_id": item_id,
            "location_code": location,
            "qty_milli": movement.qty_milli,
            "reason": reason,
            "note": movement.note,
            "actor_id": actor.id,
            "at": now,
        },
    )
    return Adjusted(movement_id, stock_level(uow, item_id, location))


def transfer(
    uow: UnitOfWork,
    actor: Actor,
    *,
    item_id: uuid.UUID,
    quantity: Decimal | int | str,
    to_location: str,
    note: str | None = None,
) -> uuid.UUID:
    """Send stock from this location to another: paired out/in movements with one transfer id.

    Raises:
        ValidationFailed: same location, bad quantity, untracked item.
    """
    require_module(uow, Module.INVENTORY)
    actor.require(Permission.INVENTORY_ADJUST)
    qty = parse_quantity(quantity)
    here = load(uow).location_code
    destination = to_location.strip().upper()
    if not destination or destination == here:
        raise ValidationFailed(
            "choose another location to send the stock to", details={"field": "to_location"}
        )
    _tracked_item(uow, item_id)
    transfer_id, milli, now, clean = uuid7(), to_milli(qty), uow.clock.now(), _note(note)
    common = {"actor_id": actor.id, "reason": "transfer", "note": clean, "transfer_id": transfer_id}
    out_id, in_id = record(
        uow,
        [
            Movement(item_id, here, -milli, "transfer_out", **common),  # type: ignore[arg-type]
            Movement(item_id, destination, milli, "transfer_in", **common),  # type: ignore[arg-type]
        ],
        now,
    )
    append(
        uow,
        kind="inventory.transferred",
        entity_id=transfer_id,
        payload={
            "transfer_id": transfer_id,
            "item_id": item_id,
            "from": here,
            "to": destination,
            "qty_milli": milli,
            "movements": [out_id, in_id],
            "note": clean,
            "actor_id": actor.id,
            "at": now,
        },
    )
    return transfer_id


def _signed_quantity(change: Decimal | int | str) -> Decimal:
    if isinstance(change, float):
        raise ValidationFailed("quantities are never float")
    text = str(change).strip()
    negative = text.startswith("-")
    qty = parse_quantity(text.removeprefix("-").removeprefix("+"))
    return -qty if negative else qty
