"""Shifts and open tickets: open a shift, open a ticket, add/change/void lines, price it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from sqlalchemy import insert, select, update

from desktop.catalog.modifiers import ModifierView, item_modifier_groups
from desktop.db.models import Shift, Ticket, TicketLine
from desktop.db.models.types import utc_text
from desktop.db.uow import UnitOfWork
from desktop.outbox.service import append, audit
from desktop.sales.config import load
from desktop.staff.service import Actor, authorize
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.ids import uuid7
from shared.money import Money
from shared.permissions import Permission

MAX_QUANTITY = Decimal(10_000)

# Plain SQL for the hot path (see UnitOfWork.sql); the rest of the module uses SQLAlchemy.
_OPEN_SHIFT = "SELECT id FROM shifts WHERE closed_at IS NULL"
_INSERT_TICKET = (
    "INSERT INTO tickets (id, shift_id, status, kind, opened_at, cashier_id, currency) "
    "VALUES (?, ?, 'open', 'sale', ?, ?, ?)"
)
_TICKET_HEAD = (
    "SELECT id, shift_id, status, cashier_id, currency, discount_percent, discount_minor, "
    "customer_id FROM tickets WHERE id = ?"
)
_LINE_COLUMNS = (
    "id, ticket_id, position, item_id, name, quantity, unit_price_minor, tax_class, "
    "discount_percent, discount_minor"
)
_LINE = f"SELECT {_LINE_COLUMNS} FROM ticket_lines WHERE id = ? AND voided_at IS NULL"
_LIVE_LINES = (
    f"SELECT {_LINE_COLUMNS} FROM ticket_lines WHERE ticket_id = ? AND voided_at IS NULL "
    "ORDER BY position"
)
# The item as this location sells it: its override of price, availability and listing applies.
_SALE_ITEM = (
    "SELECT i.name, coalesce(o.price_minor, i.price_minor), i.currency, i.tax_class, i.active, "
    "coalesce(o.available, i.available), "
    "EXISTS (SELECT 1 FROM item_modifier_groups g WHERE g.item_id = i.id), "
    "coalesce(o.listed, 1) "
    "FROM items i LEFT JOIN location_overrides o "
    "ON o.item_id = i.id AND o.location_code = ? WHERE i.id = ?"
)
_INSERT_LINE = (
    "INSERT INTO ticket_lines "
    "(id, ticket_id, position, item_id, name, quantity, unit_price_minor, tax_class, note) "
    "VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM ticket_lines WHERE ticket_id = ?), "
    "?, ?, ?, ?, ?, ?)"
)
_INSERT_LINE_MODIFIER = (
    "INSERT INTO ticket_line_modifiers (line_id, modifier_id, name, price_delta_minor) "
    "VALUES (?, ?, ?, ?)"
)


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
    row = uow.sql.execute(_OPEN_SHIFT).fetchone()
    if row is None:
        raise Conflict("no shift is open: open a shift before selling")
    return uuid.UUID(row[0])


def open_ticket(uow: UnitOfWork, actor: Actor) -> uuid.UUID:
    actor.require(Permission.POS_SELL)
    config = load(uow)
    ticket_id = uuid7()
    uow.sql.execute(
        _INSERT_TICKET,
        (
            str(ticket_id),
            str(open_shift_id(uow)),
            utc_text(uow.clock.now()),
            str(actor.id),
            config.currency,
        ),
    )
    return ticket_id


class TicketHead(NamedTuple):
    """The parts of a ticket row the selling services read."""

    id: uuid.UUID
    shift_id: uuid.UUID
    status: str
    cashier_id: uuid.UUID
    currency: str
    discount_percent: str | None
    discount_minor: int | None
    customer_id: uuid.UUID | None


class LineRow(NamedTuple):
    """A ticket line as the selling services read it (quantity is Decimal text)."""

    id: uuid.UUID
    ticket_id: uuid.UUID
    position: int
    item_id: uuid.UUID
    name: str
    quantity: str
    unit_price_minor: int
    tax_class: str
    discount_percent: str | None
    discount_minor: int | None


def _line(row: tuple[Any, ...]) -> LineRow:
    id_, ticket_id, position, item_id, *rest = row
    return LineRow(uuid.UUID(id_), uuid.UUID(ticket_id), position, uuid.UUID(item_id), *rest)


def ticket_head(uow: UnitOfWork, ticket_id: uuid.UUID) -> TicketHead:
    row = uow.sql.execute(_TICKET_HEAD, (str(ticket_id),)).fetchone()
    if row is None:
        raise NotFound("no such ticket", details={"ticket_id": str(ticket_id)})
    _, shift_id, status, cashier_id, currency, percent, minor, customer = row
    return TicketHead(
        ticket_id,
        uuid.UUID(shift_id),
        status,
        uuid.UUID(cashier_id),
        currency,
        percent,
        minor,
        uuid.UUID(customer) if customer else None,
    )


def open_ticket_row(uow: UnitOfWork, ticket_id: uuid.UUID) -> TicketHead:
    head = ticket_head(uow, ticket_id)
    if head.status != "open":
        raise Conflict(
            f"this ticket is {head.status} and cannot be changed",
            details={"ticket_id": str(ticket_id), "status": head.status},
        )
    return head


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
    label_price_minor: int | None = None,
) -> uuid.UUID:
    """Add an item at its current (location) price, with chosen modifiers and a kitchen note —
    or, from a price-embedded scale label, one pack at the label's price.

    Raises:
        ValidationFailed: bad quantity; item inactive or 86'd; a modifier not offered with the
            item; a group's minimum or maximum number of choices not respected; a label price
            that is not positive or comes with another quantity or modifiers.
    """
    actor.require(Permission.POS_SELL)
    qty = parse_quantity(quantity)
    if label_price_minor is not None and (label_price_minor <= 0 or qty != 1 or modifiers):
        raise ValidationFailed(
            "a price label sells one pack at a positive price, without options",
            details={"label_price_minor": label_price_minor},
        )
    config = load(uow)
    ticket = open_ticket_row(uow, ticket_id)
    item = uow.sql.execute(_SALE_ITEM, (config.location_code, str(item_id))).fetchone()
    if item is None:
        raise NotFound("no such item", details={"item_id": str(item_id)})
    name, price_minor, currency, tax_class, active, available, has_modifiers, listed = item
    if not active:
        raise ValidationFailed(
            f"{name} is archived: no longer sold (restore it in the back office's Catalog)",
            details={"item_id": str(item_id)},
        )
    if not listed:
        raise ValidationFailed(
            f"{name} is not sold at this shop", details={"item_id": str(item_id)}
        )
    if not available:
        raise ValidationFailed(
            f"{name} is unavailable today (86)", details={"item_id": str(item_id)}
        )
    if currency != ticket.currency:
        raise ValidationFailed(
            f"{name} is priced in {currency}; this shop sells in {ticket.currency}",
            details={"item_currency": currency},
        )
    if note is not None and len(note) > 200:
        raise ValidationFailed("a note is at most 200 characters", details={"field": "note"})
    chosen = _check_modifiers(uow, item_id, name, modifiers) if has_modifiers or modifiers else []
    line_id = uuid7()
    unit_minor = (
        label_price_minor
        if label_price_minor is not None
        else price_minor + sum(m.price_delta_minor for m in chosen)
    )
    uow.sql.execute(
        _INSERT_LINE,
        (
            str(line_id),
            str(ticket_id),
            str(ticket_id),
            str(item_id),
            name,
            str(qty),
            unit_minor,
            tax_class,
            note.strip() if note and note.strip() else None,
        ),
    )
    if chosen:
        uow.sql.executemany(
            _INSERT_LINE_MODIFIER,
            [(str(line_id), str(m.id), m.name, m.price_delta_minor) for m in chosen],
        )
    return line_id


def catalog_unit_minor(uow: UnitOfWork, item_id: uuid.UUID) -> int | None:
    """The item's price at this till's location now, without modifiers (None: no such item)."""
    row = uow.sql.execute(_SALE_ITEM, (load(uow).location_code, str(item_id))).fetchone()
    return int(row[1]) if row is not None else None


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


def line_row(uow: UnitOfWork, line_id: uuid.UUID) -> LineRow:
    row = uow.sql.execute(_LINE, (str(line_id),)).fetchone()
    if row is None:
        raise NotFound("no such line on the ticket", details={"line_id": str(line_id)})
    return _line(row)


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


def live_lines(uow: UnitOfWork, ticket_id: uuid.UUID) -> list[LineRow]:
    """The ticket's lines that are not voided, in the order they were rung up."""
    return [_line(r) for r in uow.sql.execute(_LIVE_LINES, (str(ticket_id),))]


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


def line_modifiers(uow: UnitOfWork, ticket_id: uuid.UUID) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """The chosen modifiers of each line of a ticket, by line id, as the sale's record carries
    them to the server (id, name and price delta as sold)."""
    rows = uow.sql.execute(
        "SELECT m.line_id, m.modifier_id, m.name, m.price_delta_minor FROM ticket_line_modifiers m "
        "JOIN ticket_lines l ON l.id = m.line_id WHERE l.ticket_id = ? ORDER BY m.name",
        (str(ticket_id),),
    )
    found: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for line_id, modifier_id, name, delta in rows:
        found.setdefault(uuid.UUID(line_id), []).append(
            {"id": modifier_id, "name": name, "price_delta_minor": int(delta)}
        )
    return found


def modifier_names(uow: UnitOfWork, ticket_id: uuid.UUID) -> dict[uuid.UUID, tuple[str, ...]]:
    """The chosen modifiers of each line of a ticket, by line id (for the cart and receipt)."""
    rows = uow.sql.execute(
        "SELECT m.line_id, m.name FROM ticket_line_modifiers m "
        "JOIN ticket_lines l ON l.id = m.line_id WHERE l.ticket_id = ? ORDER BY m.name",
        (str(ticket_id),),
    )
    found: dict[uuid.UUID, tuple[str, ...]] = {}
    for line_id, name in rows:
        key = uuid.UUID(line_id)
        found[key] = (*found.get(key, ()), name)
    return found
