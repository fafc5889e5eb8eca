"""Cash and shifts: paid-in/out, no-sale opens, X report (mid-shift), close with Z report.

Every figure comes from the stored, already-priced tickets and the shared money code, so the
screen, the printout and the server agree to the cent. Tickets are marked provisional until
the server has confirmed them (sync), and the report says how many are.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import func, insert, select, update

from desktop.db.models import (
    CashMovement,
    Category,
    Item,
    Shift,
    Tender,
    Ticket,
    TicketLine,
    TicketLineTax,
    User,
)
from desktop.db.uow import UnitOfWork
from desktop.outbox.service import append, audit
from desktop.sales.config import load
from desktop.sales.tickets import open_shift_id
from desktop.staff.service import Actor, authorize
from shared.errors import ValidationFailed
from shared.ids import uuid7
from shared.money import Money
from shared.permissions import Permission

MovementKind = Literal["paid_in", "paid_out", "no_sale"]


def cash_movement(
    uow: UnitOfWork,
    actor: Actor,
    *,
    kind: MovementKind,
    reason: str,
    amount: Money | None = None,
    approver: Actor | None = None,
) -> uuid.UUID:
    """Record a paid-in, paid-out or a no-sale drawer open, with a reason (audited); a no-sale
    by a cashier without `drawer.no_sale` needs a manager's override (`approver`)."""
    if kind == "no_sale":
        authorized_by = authorize(actor, Permission.DRAWER_NO_SALE, approver)
    else:
        actor.require(Permission.SHIFT_CLOSE)
        authorized_by = None
    config = load(uow)
    if not reason.strip():
        raise ValidationFailed("say why the drawer opens", details={"field": "reason"})
    if kind == "no_sale":
        minor = 0
    else:
        if amount is None or amount.currency != config.currency or amount.amount <= 0:
            raise ValidationFailed(f"a positive amount in {config.currency} is needed")
        minor = amount.quantize(config.rounding).minor_units
    movement_id = uuid7()
    shift_id = open_shift_id(uow)
    uow.conn.execute(
        insert(CashMovement).values(
            id=movement_id,
            shift_id=shift_id,
            kind=kind,
            amount_minor=minor,
            reason=reason.strip(),
            actor_id=actor.id,
            at=uow.clock.now(),
        )
    )
    append(
        uow,
        kind=f"cash.{kind}",
        entity_id=movement_id,
        payload={"shift_id": shift_id, "amount_minor": minor, "reason": reason.strip()},
    )
    audit(
        uow,
        actor_id=actor.id,
        action=f"drawer.{kind}",
        target_id=shift_id,
        authorized_by=authorized_by,
        details={"amount_minor": minor, "reason": reason.strip()},
    )
    return movement_id


def shift_report(uow: UnitOfWork, shift_id: uuid.UUID) -> dict[str, Any]:
    """Totals of a shift: by tender, tax class, category and cashier; refunds, discounts, cash."""
    config = load(uow)
    shift = uow.conn.execute(select(Shift.__table__).where(Shift.id == shift_id)).one()
    tickets = uow.conn.execute(
        select(Ticket.__table__).where(Ticket.shift_id == shift_id, Ticket.status == "paid")
    ).all()
    ids = [t.id for t in tickets]
    sales = [t for t in tickets if t.kind == "sale"]
    refunds = [t for t in tickets if t.kind == "refund"]
    by_tender: dict[str, int] = defaultdict(int)
    for kind, amount in uow.conn.execute(
        select(Tender.kind, func.sum(Tender.amount_minor))
        .where(Tender.ticket_id.in_(ids))
        .group_by(Tender.kind)
    ):
        by_tender[kind] = int(amount)
    by_rate: dict[str, dict[str, Any]] = {}
    for code, percent, tax, base in uow.conn.execute(
        select(
            TicketLineTax.rate_code,
            TicketLineTax.percent,
            func.sum(TicketLineTax.tax_minor),
            func.sum(TicketLine.net_minor),
        )
        .join(TicketLine, TicketLine.id == TicketLineTax.line_id)
        .where(TicketLine.ticket_id.in_(ids))
        .group_by(TicketLineTax.rate_code, TicketLineTax.percent)
        .order_by(TicketLineTax.rate_code)
    ):
        by_rate[code] = {"percent": percent, "tax_minor": int(tax), "net_minor": int(base or 0)}
    by_tax: dict[str, dict[str, int]] = {}
    by_category: dict[str, int] = defaultdict(int)
    discounts = 0
    lines = uow.conn.execute(
        select(TicketLine.__table__, Category.name.label("category"))
        .join(Item, Item.id == TicketLine.item_id)
        .outerjoin(Category, Category.id == Item.category_id)
        .where(TicketLine.ticket_id.in_(ids), TicketLine.voided_at.is_(None))
    ).all()
    for line in lines:
        entry = by_tax.setdefault(line.tax_class, {"gross_minor": 0, "tax_minor": 0})
        entry["gross_minor"] += line.gross_minor
        entry["tax_minor"] += line.tax_minor
        by_category[line.category or "Uncategorized"] += line.gross_minor
        if line.refund_of_line is None:
            price = Money.from_minor(line.unit_price_minor, config.currency)
            base = (price * Decimal(line.quantity)).quantize(config.rounding).minor_units
            paid = line.gross_minor if config.prices_include_tax else line.net_minor
            discounts += base - paid
    names = dict(uow.conn.execute(select(User.id, User.name)).all())
    by_cashier: dict[str, int] = defaultdict(int)
    for t in tickets:
        by_cashier[names.get(t.cashier_id, str(t.cashier_id))] += t.gross_minor
    moves = dict(
        uow.conn.execute(
            select(CashMovement.kind, func.sum(CashMovement.amount_minor))
            .where(CashMovement.shift_id == shift_id)
            .group_by(CashMovement.kind)
        ).all()
    )
    no_sales = uow.conn.execute(
        select(func.count()).where(
            CashMovement.shift_id == shift_id, CashMovement.kind == "no_sale"
        )
    ).scalar_one()
    expected = (
        shift.float_minor
        + by_tender.get("cash", 0)
        + int(moves.get("paid_in") or 0)
        - int(moves.get("paid_out") or 0)
    )
    return {
        "shift_id": str(shift_id),
        "currency": config.currency,
        "opened_at": shift.opened_at.isoformat(),
        "sales_count": len(sales),
        "refunds_count": len(refunds),
        "gross_minor": sum(t.gross_minor for t in tickets),
        "net_minor": sum(t.net_minor for t in tickets),
        "tax_minor": sum(t.tax_minor for t in tickets),
        "refunds_minor": sum(t.gross_minor for t in refunds),
        "discounts_minor": discounts,
        "by_tender": dict(by_tender),
        "by_tax_class": by_tax,
        "by_tax_rate": by_rate,
        "by_category": dict(by_category),
        "by_cashier": dict(by_cashier),
        "float_minor": shift.float_minor,
        "paid_in_minor": int(moves.get("paid_in") or 0),
        "paid_out_minor": int(moves.get("paid_out") or 0),
        "no_sales": no_sales,
        "expected_cash_minor": expected,
        # Nothing has been confirmed by the server yet: sync lands with its own issue.
        "provisional_tickets": len(tickets),
    }


def x_report(uow: UnitOfWork, actor: Actor) -> dict[str, Any]:
    """Mid-shift report; changes nothing."""
    actor.require(Permission.SHIFT_CLOSE)
    return shift_report(uow, open_shift_id(uow))


def close_shift(uow: UnitOfWork, actor: Actor, *, counted: Mapping[Money, int]) -> dict[str, Any]:
    """Count the drawer by denomination, close the shift, freeze and return its Z report.

    Open tickets are parked: they carry over to the next shift and are not in this report.
    """
    actor.require(Permission.SHIFT_CLOSE)
    config = load(uow)
    shift_id = open_shift_id(uow)
    total = 0
    for denomination, count in counted.items():
        if denomination.currency != config.currency or denomination.amount <= 0:
            raise ValidationFailed(
                f"denominations are positive amounts in {config.currency}",
                details={"denomination": str(denomination)},
            )
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValidationFailed(
                "a count is a whole number of notes or coins",
                details={"denomination": str(denomination)},
            )
        total += denomination.minor_units * count
    uow.conn.execute(
        update(Ticket)
        .where(Ticket.shift_id == shift_id, Ticket.status == "open")
        .values(status="parked")
    )
    report = shift_report(uow, shift_id)
    report["counted_cash_minor"] = total
    report["over_short_minor"] = total - report["expected_cash_minor"]
    report["closed_by"] = actor.name
    now = uow.clock.now()
    report["closed_at"] = now.isoformat()
    uow.conn.execute(
        update(Shift)
        .where(Shift.id == shift_id)
        .values(
            closed_at=now,
            closed_by=actor.id,
            counted_minor=total,
            expected_minor=report["expected_cash_minor"],
            z_report=json.dumps(report),
        )
    )
    append(uow, kind="shift.closed", entity_id=shift_id, payload=report)
    audit(
        uow,
        actor_id=actor.id,
        action="shift.closed",
        target_id=shift_id,
        details={"counted_minor": total, "over_short_minor": report["over_short_minor"]},
    )
    return report
