"""A line's price changed at the till (a damaged pack, a price the shelf label promised):
`pos.price_change`, or a manager's override, always with a reason, audited with both people.

The new price replaces the line's unit price (modifiers included); the sale's pricing, the
receipt and the server's re-check all read the stored unit price, so nothing else changes.
"""

from __future__ import annotations

import uuid

from sqlalchemy import update

from desktop.db.models import TicketLine
from desktop.db.uow import UnitOfWork
from desktop.outbox.service import audit
from desktop.sales.tickets import line_row, open_ticket_row
from desktop.staff.service import Actor, authorize
from shared.errors import ValidationFailed
from shared.money import Money
from shared.permissions import Permission


def change_line_price(
    uow: UnitOfWork,
    actor: Actor,
    *,
    line_id: uuid.UUID,
    price: Money,
    reason: str,
    approver: Actor | None = None,
) -> None:
    """Set the unit price of one line of an open ticket. Caller commits.

    Raises:
        AuthzError: neither the cashier nor `approver` holds `pos.price_change`.
        ValidationFailed: no reason, another currency, a negative or sub-cent price.
        NotFound / Conflict: no such line, or its ticket is not open.
    """
    authorized_by = authorize(actor, Permission.POS_PRICE_CHANGE, approver)
    if not reason.strip():
        raise ValidationFailed("say why the price changes", details={"field": "reason"})
    line = line_row(uow, line_id)
    ticket = open_ticket_row(uow, line.ticket_id)
    if price.currency != ticket.currency or price.amount < 0 or not price.is_quantized:
        raise ValidationFailed(
            f"type the new price in {ticket.currency}, like 2.50",
            details={"field": "price", "price": str(price)},
        )
    uow.conn.execute(
        update(TicketLine)
        .where(TicketLine.id == line_id)
        .values(unit_price_minor=price.minor_units)
    )
    audit(
        uow,
        actor_id=actor.id,
        action="ticket.line_repriced",
        target_id=line.ticket_id,
        authorized_by=authorized_by,
        details={
            "line_id": line_id,
            "item": line.name,
            "from_minor": line.unit_price_minor,
            "to_minor": price.minor_units,
            "reason": reason.strip(),
        },
    )
