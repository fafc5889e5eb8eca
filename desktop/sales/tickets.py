"""Shifts and open tickets: open a shift, open a ticket, add/change/void lines, price it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Row, func, insert, select, update

from desktop.catalog.modifiers import ModifierView, item_modifier_groups
from desktop.catalog.service import get_item
from desktop.db.models import Shift, Ticket, TicketLine, TicketLineModifier
from desktop.db.uow import UnitOfWork
from desktop.outbox.service import append, audit
from desktop.sales.config import load
from desktop.staff.service import Actor, authorize
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.ids import uuid7
from shared.money import Money
from shared.permissions import Permission

MAX_QUANTITY = Decimal(10_000)


def open_shift(uow: UnitOfWork, actor: Actor, *, float_amount: Money) -> uuid.UUID:
    """Start a shift with a cash float in the drawer; only one shift is open at a time."""
    actor.require(Permission.SHIFT_OPEN)
    config = load(uow)
    if float_amount.currency != config.currency or float_amount.amount < 0:
        raise ValidationFailed(
            f"the float must be a non-negative amount in {config.currency}",
            details={"currency": float_amount.currency},
        )
    if uow.conn.execute(select(Shift.id).where(Shift.closed_at.is_(None))).first():
        raise Conflict("a shift is already open on this terminal")
    shift_id = uuid7()
    minor = float_amount.quantize(config.rounding).minor_units
    now = uow.clock.now()
    uow.conn.execute(
        insert(Shift).values(
            id=shift_id,
            opened_at=now,
            opened_by=actor.id,
            float_minor=minor,
            currency=config.currency,
        )
    )
    append(
        uow,
        kind="shift.opened",
        entity_id=shift_id,
        payload={"opened_by": actor.id, "float_minor": minor, "opened_at": now},
    )
    return shift_id


def open_shift_id(uow: UnitOfWork) -> uuid.UUID:
    """The open shift, or Conflict: a sale needs an open shift."""
    shift_id = uow.conn.execute(select(Shift.id).where(Shift.closed_at.is_(None))).scalar()
    if shift_id is None:
        raise Conflict("no shift is open: open a shift before selling")
    return uuid.UUID(str(shift_id))


def open_ticket(uow: UnitOfWork, actor: Actor) -> uuid.UUID:
    actor.require(Permission.POS_SELL)
    config = load(uow)
    ticket_id = uuid7()
    uow.conn.execute(
        insert(Ticket).values(
            id=ticket_id,
            shift_id=open_shift_id(uow),
            status="open",
            kind="sale",
            opened_at=uow.clock.now(),
            cashier_id=actor.id,
            currency=config.currency,
        )
    )
    return ticket_id


def open_ticket_row(uow: UnitOfWork, ticket_id: uuid.UUID) -> Row[Any]:
    row = uow.conn.execute(select(Ticket.__table__).where(Ticket.id == ticket_id)).first()
    if row is None:
        raise NotFound("no such ticket", details={"ticket_id": str(ticket_id)})
    if row.status != "open":
        raise Conflict(
            f"this ticket is {row.status} and cannot be changed",
            details={"ticket_id": str(ticket_id), "status": row.status},
        )
    return row


def parse_quantity(value: Decimal | int | str) -> Decimal:
    """A positive quantity: whole, or weighed with up to 3 decimals; at most 10,000."""
    if isinstance(value, float):
        raise ValidationFailed("quantities are never float")
    try:
        qty = Decimal(str(value))
    except InvalidOperation:
        raise ValidationFailed(f"not a quantity: {value!r}") from None
    if not qty.is_finite() or qty <= 0:
        raise ValidationFailed("quantity must be more than zero", details={"quantity": str(value)})
    if qty > MAX_QUANTITY or -qty.as_tuple().exponent > 3:  # type: ignore[operator]
        raise ValidationFailed(
            "quantity must be at most 10,000 with up to 3 decimals",
            details={"quantity": str(value)},
        )
    return qty.normalize() if qty == qty.to_integral_value() else qty


def add_line(
    uow: UnitOfWork,
    actor: Actor,
    *,
    ticket_id: uuid.UUID,
    item_id: uuid.UUID,
    quantity: Decimal | int | str = 1,
    modifiers: Sequence[uuid.UUID] = (),
    note: str | None = None,
) -> uuid.UUID:
    """Add an item at its current (location) price, with chosen modifiers and a kitchen note.

    Raises:
        ValidationFailed: bad quantity; item inactive or 86'd; a modifier not offered with the
            item; a group's minimum or maximum number of choices not respected.
    """
    actor.require(Permission.POS_SELL)
    qty = parse_quantity(quantity)
    config = load(uow)
    ticket = open_ticket_row(uow, ticket_id)
    item = get_item(uow, item_id, config.location_code)
    if not item.active:
        raise ValidationFailed(f"{item.name} is no longer sold", details={"item_id": str(item_id)})
    if not item.available:
        raise ValidationFailed(
            f"{item.name} is unavailable today (86)", details={"item_id": str(item_id)}
        )
    if item.price.currency != ticket.currency:
        raise ValidationFailed(
            "item priced in another currency", details={"item_currency": item.price.currency}
        )
    if note is not None and len(note) > 200:
        raise ValidationFailed("a note is at most 200 characters", details={"field": "note"})
    chosen = _check_modifiers(uow, item_id, item.name, modifiers)
    line_id = uuid7()
    unit_minor = item.price.minor_units + sum(m.price_delta_minor for m in chosen)
    position = (
        select(func.coalesce(func.max(TicketLine.position), 0) + 1)
        .where(TicketLine.ticket_id == ticket_id)
        .scalar_subquery()
    )
    uow.conn.execute(
        insert(TicketLine).values(
            id=line_id,
            ticket_id=ticket_id,
            position=position,
            item_id=item.id,
            name=item.name,
            quantity=str(qty),
            unit_price_minor=unit_minor,
            tax_class=item.tax_class,
            note=note.strip() if note and note.strip() else None,
        )
    )
    if chosen:
        uow.conn.execute(
            insert(TicketLineModifier),
            [
                {
                    "line_id": line_id,
                    "modifier_id": m.id,
                    "name": m.name,
                    "price_delta_minor": m.price_delta_minor,
                }
                for m in chosen
            ],
        )
    return line_id


def _check_modifiers(
    uow: UnitOfWork, item_id: uuid.UUID, item_name: str, modifiers: Sequence[uuid.UUID]
) -> list[ModifierView]:
    groups = item_modifier_groups(uow, item_id)
    if not groups and not modifiers:
        return []
    offered = {m.id: m for *_, mods in groups for m in mods}
    if len(set(modifiers)) != len(modifiers):
        raise ValidationFailed("a modifier was chosen twice")
    unknown = [str(m) for m in modifiers if m not in offered]
    if unknown:
        raise ValidationFailed(
            f"that choice is not offered with {item_name}", details={"modifiers": unknown}
        )
    for group_id, name, lo, hi, _mods in groups:
        count = sum(1 for m in modifiers if offered[m].group_id == group_id)
        if not lo <= count <= hi:
            raise ValidationFailed(
                f"{name}: choose {lo if lo == hi else f'{lo} to {hi}'}",
                details={"group": name, "min": lo, "max": hi, "chosen": count},
            )
    return [offered[m] for m in modifiers]


def attach_customer(
    uow: UnitOfWork, actor: Actor, *, ticket_id: uuid.UUID, customer_id: uuid.UUID | None
) -> None:
    """Link (or unlink) a customer to an open ticket; the loyalty issue adds balances."""
    actor.require(Permission.POS_SELL)
    open_ticket_row(uow, ticket_id)
    uow.conn.execute(update(Ticket).where(Ticket.id == ticket_id).values(customer_id=customer_id))


def line_row(uow: UnitOfWork, line_id: uuid.UUID) -> Row[Any]:
    row = uow.conn.execute(select(TicketLine.__table__).where(TicketLine.id == line_id)).first()
    if row is None or row.voided_at is not None:
        raise NotFound("no such line on the ticket", details={"line_id": str(line_id)})
    return row


def change_quantity(
    uow: UnitOfWork, actor: Actor, *, line_id: uuid.UUID, quantity: Decimal | int | str
) -> None:
    actor.require(Permission.POS_SELL)
    qty = parse_quantity(quantity)
    line = line_row(uow, line_id)
    open_ticket_row(uow, line.ticket_id)
    uow.conn.execute(update(TicketLine).where(TicketLine.id == line_id).values(quantity=str(qty)))


def void_line(
    uow: UnitOfWork,
    actor: Actor,
    *,
    line_id: uuid.UUID,
    reason: str,
    approver: Actor | None = None,
) -> None:
    """Remove a line from an open ticket (permission `pos.void` or an override, a reason)."""
    authorized_by = authorize(actor, Permission.POS_VOID, approver)
    if not reason.strip():
        raise ValidationFailed("say why the line is voided", details={"field": "reason"})
    line = line_row(uow, line_id)
    open_ticket_row(uow, line.ticket_id)
    uow.conn.execute(
        update(TicketLine)
        .where(TicketLine.id == line_id)
        .values(voided_at=uow.clock.now(), void_reason=reason.strip())
    )
    audit(
        uow,
        actor_id=actor.id,
        action="ticket.line_voided",
        target_id=line.ticket_id,
        authorized_by=authorized_by,
        details={
            "line_id": line_id,
            "item": line.name,
            "quantity": line.quantity,
            "reason": reason.strip(),
        },
    )


def live_lines(uow: UnitOfWork, ticket_id: uuid.UUID) -> Sequence[Row[Any]]:
    rows = uow.conn.execute(
        select(TicketLine.__table__)
        .where(TicketLine.ticket_id == ticket_id, TicketLine.voided_at.is_(None))
        .order_by(TicketLine.position)
    ).all()
    return rows


def park(uow: UnitOfWork, actor: Actor, *, ticket_id: uuid.UUID) -> None:
    """Put an open ticket aside (a customer fetching their wallet); it survives shift changes."""
    actor.require(Permission.POS_SELL)
    open_ticket_row(uow, ticket_id)
    uow.conn.execute(update(Ticket).where(Ticket.id == ticket_id).values(status="parked"))


def resume(uow: UnitOfWork, actor: Actor, *, ticket_id: uuid.UUID) -> None:
    """Bring a parked ticket back; it joins the current shift."""
    actor.require(Permission.POS_SELL)
    status = uow.conn.execute(select(Ticket.status).where(Ticket.id == ticket_id)).scalar()
    if status is None:
        raise NotFound("no such ticket", details={"ticket_id": str(ticket_id)})
    if status != "parked":
        raise Conflict(f"this ticket is {status}, not parked", details={"status": status})
    uow.conn.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id)
        .values(status="open", shift_id=open_shift_id(uow))
    )


def parked_tickets(uow: UnitOfWork) -> list[uuid.UUID]:
    rows = uow.conn.execute(
        select(Ticket.id).where(Ticket.status == "parked").order_by(Ticket.opened_at)
    )
    return [uuid.UUID(str(r)) for r in rows.scalars()]
