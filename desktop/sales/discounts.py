"""Line and ticket discounts: a percent or an amount off, permission-gated, never below zero."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import update

from desktop.db.models import Ticket, TicketLine
from desktop.db.uow import UnitOfWork
from desktop.outbox.service import audit
from desktop.sales.config import SellingConfig
from desktop.sales.tickets import line_row, open_ticket_row
from desktop.staff.service import Actor, authorize
from shared.errors import ValidationFailed
from shared.money import Money
from shared.permissions import Permission


def parse_percent(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None


def discount_units(
    base: int, percent: Decimal | None, fixed: int | None, config: SellingConfig
) -> int:
    """Minor units off `base`: a percent of it, or a fixed amount — never more than `base`."""
    if percent is not None:
        units = Decimal(base) * percent / 100
        return int(units.to_integral_value(rounding=config.rounding.decimal_mode))
    return min(fixed or 0, base)


def _check_discount(percent: Decimal | None, amount: Money | None, reason: str) -> None:
    if (percent is None) == (amount is None):
        raise ValidationFailed("give either a percent or an amount off")
    if percent is not None and not (0 < percent <= 100):
        raise ValidationFailed(
            "a discount percent is more than 0 and at most 100", details={"percent": str(percent)}
        )
    if amount is not None and (amount.amount <= 0 or not amount.is_quantized):
        raise ValidationFailed(
            "a discount amount is positive, in whole cents", details={"amount": str(amount)}
        )
    if not reason.strip():
        raise ValidationFailed("say why the discount is given", details={"field": "reason"})


def _stored(percent: Decimal | None, amount: Money | None) -> dict[str, str | int | None]:
    return {
        "discount_percent": str(percent) if percent is not None else None,
        "discount_minor": amount.minor_units if amount is not None else None,
    }


def discount_line(
    uow: UnitOfWork,
    actor: Actor,
    *,
    line_id: uuid.UUID,
    reason: str,
    percent: Decimal | None = None,
    amount: Money | None = None,
    approver: Actor | None = None,
) -> None:
    """Take a percent or an amount off one line (`pos.discount`); never below zero."""
    authorized_by = authorize(actor, Permission.POS_DISCOUNT, approver)
    _check_discount(percent, amount, reason)
    line = line_row(uow, line_id)
    ticket = open_ticket_row(uow, line.ticket_id)
    if amount is not None:
        line_total = Money.from_minor(line.unit_price_minor, ticket.currency) * Decimal(
            line.quantity
        )
        if amount > line_total:
            raise ValidationFailed(
                "the discount is more than the line; a line never goes below zero",
                details={"line_total": str(line_total.quantize())},
            )
    uow.conn.execute(
        update(TicketLine).where(TicketLine.id == line_id).values(**_stored(percent, amount))
    )
    audit(
        uow,
        actor_id=actor.id,
        action="ticket.line_discounted",
        target_id=line.ticket_id,
        authorized_by=authorized_by,
        details={"line_id": line_id, "percent": percent, "amount": amount, "reason": reason},
    )


def discount_ticket(
    uow: UnitOfWork,
    actor: Actor,
    *,
    ticket_id: uuid.UUID,
    reason: str,
    percent: Decimal | None = None,
    amount: Money | None = None,
    approver: Actor | None = None,
) -> None:
    """A discount on the whole ticket, shared over its lines; capped at the ticket total."""
    authorized_by = authorize(actor, Permission.POS_DISCOUNT, approver)
    _check_discount(percent, amount, reason)
    open_ticket_row(uow, ticket_id)
    uow.conn.execute(
        update(Ticket).where(Ticket.id == ticket_id).values(**_stored(percent, amount))
    )
    audit(
        uow,
        actor_id=actor.id,
        action="ticket.discounted",
        target_id=ticket_id,
        authorized_by=authorized_by,
        details={"percent": percent, "amount": amount, "reason": reason},
    )
