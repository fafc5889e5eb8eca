"""Refunds against an original sale: by line and quantity, never more than was sold, in total.

Each refunded line takes its share of what the customer actually paid for that line (after
discounts): `gross × refunded qty / sold qty`, rounded — except the refund that brings a line's
refunded quantity to what was sold, which takes exactly what is left. However the refunds are
split, they add up to the original to the cent. Refunds get their own receipt numbers
(`T01-R000001`) from a separate gap-free counter.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import Row, func, insert, select

from desktop.db.models import Tender, Ticket, TicketLine, TicketLineTax
from desktop.db.uow import UnitOfWork
from desktop.hardware.payment_terminal import PaymentTerminal
from desktop.inventory.ledger import Movement, record, to_milli, tracked
from desktop.loyalty.ledger import reverse_for_refund, write_entry
from desktop.loyalty.program import program
from desktop.outbox.service import append, audit
from desktop.sales.checkout import next_receipt_no
from desktop.sales.config import load
from desktop.sales.tickets import open_shift_id, parse_quantity
from desktop.staff.service import Actor, authorize
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.ids import uuid7
from shared.money import Money
from shared.permissions import Permission
from shared.tax import distribute


@dataclass(frozen=True)
class RefundLine:
    line_id: uuid.UUID  # a line of the original sale
    quantity: Decimal | int | str
    restock: bool = True


@dataclass(frozen=True)
class RefundResult:
    ticket_id: uuid.UUID
    receipt_no: str
    amount: Money  # paid back to the customer (positive)
    tender: str


def _share(total: int, part: Decimal, whole: Decimal) -> int:
    return int((Decimal(total) * part / whole).to_integral_value())


def refunded_so_far(uow: UnitOfWork, line_id: uuid.UUID) -> tuple[Decimal, int, int]:
    """(quantity, gross minor, tax minor) already refunded against an original line (positive)."""
    rows = uow.conn.execute(
        select(TicketLine.quantity, TicketLine.gross_minor, TicketLine.tax_minor).where(
            TicketLine.refund_of_line == line_id
        )
    ).all()
    return (
        -sum((Decimal(q) for q, _, _ in rows), Decimal(0)),
        -sum(g or 0 for _, g, _ in rows),
        -sum(t or 0 for _, _, t in rows),
    )


def _left_on_tender(
    uow: UnitOfWork, original_id: uuid.UUID, kind: str, reference: str | None
) -> int:
    """Minor units a tender kind (one voucher code, if given) paid on a sale, less its refunds."""

    def matching(query: Any) -> Any:
        query = query.where(Tender.kind == kind)
        return query if reference is None else query.where(Tender.reference == reference)

    paid = uow.conn.execute(
        matching(
            select(func.coalesce(func.sum(Tender.amount_minor), 0)).where(
                Tender.ticket_id == original_id
            )
        )
    ).scalar_one()
    refunded = uow.conn.execute(  # negative amounts
        matching(
            select(func.coalesce(func.sum(Tender.amount_minor), 0))
            .join(Ticket, Ticket.id == Tender.ticket_id)
            .where(Ticket.refund_of == original_id)
        )
    ).scalar_one()
    return int(paid) + int(refunded)


def _points_back(uow: UnitOfWork, original: Row[Any], original_id: uuid.UUID, total: int) -> int:
    """Points to give back for a refund to the points that paid (limited to what they paid)."""
    if original.customer_id is None:
        raise ValidationFailed("this sale was not paid with points", details={"tender": "points"})
    left = _left_on_tender(uow, original_id, "points", None)
    if total > left:
        raise ValidationFailed(
            "more than was paid with points on this sale: refund the rest in cash",
            details={"points_left_minor": left},
        )
    value = Money.from_minor(total, original.currency).amount / program(uow).point_value
    if value != value.to_integral_value():
        raise ValidationFailed(
            "that amount is not a whole number of points: refund it in cash",
            details={"amount_minor": total},
        )
    return int(value)


def _restore_points(
    uow: UnitOfWork,
    actor: Actor,
    original: Row[Any],
    refund_id: uuid.UUID,
    points: int,
    at: datetime,
) -> dict[str, Any]:
    return write_entry(
        uow,
        customer_id=uuid.UUID(str(original.customer_id)),
        kind="reverse",
        points=points,
        actor_id=actor.id,
        at=at,
        ticket_id=refund_id,
        reason="points refunded",
    )


def _voucher_to_credit(uow: UnitOfWork, original_id: uuid.UUID, chosen: str | None) -> str:
    """The voucher code a refund credits: the one given, or the sale's only voucher."""
    codes = sorted(
        str(c)
        for c in uow.conn.execute(
            select(Tender.reference)
            .where(Tender.ticket_id == original_id, Tender.kind == "voucher")
            .distinct()
        ).scalars()
    )
    if not codes:
        raise ValidationFailed(
            "this sale was not paid with a voucher: refund in cash or to the card",
            details={"tender": "voucher"},
        )
    if chosen is None:
        if len(codes) > 1:
            raise ValidationFailed(
                "this sale was paid with several vouchers: choose which one to credit",
                details={"vouchers": codes},
            )
        return codes[0]
    if chosen.strip() not in codes:
        raise ValidationFailed(
            f"voucher {chosen} did not pay for this sale", details={"vouchers": codes}
        )
    return chosen.strip()


def find_by_receipt(uow: UnitOfWork, receipt_no: str) -> uuid.UUID:
    """The sale a printed receipt number belongs to (typed, or scanned from its barcode)."""
    found = uow.conn.execute(
        select(Ticket.id).where(Ticket.receipt_no == receipt_no.strip())
    ).scalar()
    if found is None:
        raise NotFound(f"no sale with receipt number {receipt_no}", details={"receipt": receipt_no})
    return uuid.UUID(str(found))


def refund(
    uow: UnitOfWork,
    actor: Actor,
    *,
    original_id: uuid.UUID,
    lines: Sequence[RefundLine],
    tender: Literal["cash", "card", "voucher", "points"],
    reason: str,
    payment_terminal: PaymentTerminal,
    approver: Actor | None = None,
    voucher_code: str | None = None,
) -> RefundResult:
    """Refund some lines of a paid sale (`pos.refund`, or a manager override). Caller commits.

    Money goes back in cash, to a card, or to a voucher the sale was paid with (store credit
    recorded against the voucher's code; `voucher_code` chooses one when the sale had several).

    Raises:
        ValidationFailed: nothing to refund, bad quantity, more than was sold (across all
            refunds), a card or voucher refund larger than what that tender paid, no reason.
        NotFound: unknown sale or a line not on it.
        Conflict: the original is not a completed sale, or the card terminal refused.
    """
    authorized_by = authorize(actor, Permission.POS_REFUND, approver)
    if not reason.strip():
        raise ValidationFailed("say why the sale is refunded", details={"field": "reason"})
    if not lines:
        raise ValidationFailed("choose at least one line to refund")
    config = load(uow)
    original = uow.conn.execute(select(Ticket.__table__).where(Ticket.id == original_id)).first()
    if original is None:
        raise NotFound("no such sale", details={"ticket_id": str(original_id)})
    if original.status != "paid" or original.kind != "sale":
        raise Conflict("only completed sales can be refunded", details={"status": original.status})

    planned: list[tuple[Row[Any], Decimal, int, int, bool]] = []
    for request in lines:
        qty = parse_quantity(request.quantity)
        line = uow.conn.execute(
            select(TicketLine.__table__).where(
                TicketLine.id == request.line_id,
                TicketLine.ticket_id == original_id,
                TicketLine.voided_at.is_(None),
            )
        ).first()
        if line is None:
            raise NotFound(
                "that line is not on this sale", details={"line_id": str(request.line_id)}
            )
        sold = Decimal(line.quantity)
        done_qty, done_gross, done_tax = refunded_so_far(uow, line.id)
        if any(p[0].id == line.id for p in planned):
            raise ValidationFailed(
                "a line appears twice in one refund", details={"line_id": str(line.id)}
            )
        if done_qty + qty > sold:
            raise ValidationFailed(
                f"only {sold - done_qty} of {line.name} can still be refunded",
                details={"line_id": str(line.id), "sold": str(sold), "refunded": str(done_qty)},
            )
        if done_qty + qty == sold:  # the last refund of this line takes exactly what is left
            gross, tax = line.gross_minor - done_gross, line.tax_minor - done_tax
        else:
            gross, tax = _share(line.gross_minor, qty, sold), _share(line.tax_minor, qty, sold)
        planned.append((line, qty, gross, tax, request.restock))

    total = sum(p[2] for p in planned)
    amount = Money.from_minor(total, config.currency)
    approval = None
    reference = None
    points_back = 0
    if tender == "card":
        left = _left_on_tender(uow, original_id, "card", None)
        if total > left:
            raise ValidationFailed(
                "more than was paid by card on this sale: refund the rest in cash",
                details={"card_left_minor": left},
            )
        result = payment_terminal.refund(amount, reference=str(original_id))
        if not result.approved:
            raise Conflict(f"the card terminal refused the refund ({result.message})")
        approval = result
    elif tender == "voucher":
        reference = _voucher_to_credit(uow, original_id, voucher_code)
        left = _left_on_tender(uow, original_id, "voucher", reference)
        if total > left:
            raise ValidationFailed(
                f"more than voucher {reference} paid on this sale: refund the rest in cash",
                details={"voucher": reference, "voucher_left_minor": left},
            )
    elif tender == "points":
        points_back = _points_back(uow, original, original_id, total)

    refunds_so_far = uow.conn.execute(
        select(func.coalesce(func.sum(Ticket.gross_minor), 0)).where(
            Ticket.refund_of == original_id
        )
    ).scalar_one()
    refunded_before = -int(refunds_so_far or 0)
    now = uow.clock.now()
    refund_id = uuid7()
    receipt_no = next_receipt_no(uow, f"{config.terminal_code}R")
    uow.conn.execute(
        insert(Ticket).values(
            id=refund_id,
            shift_id=open_shift_id(uow),
            status="paid",
            kind="refund",
            receipt_no=receipt_no,
            opened_at=now,
            closed_at=now,
            cashier_id=actor.id,
            currency=config.currency,
            refund_of=original_id,
            gross_minor=-total,
            tax_minor=-sum(p[3] for p in planned),
            net_minor=-(total - sum(p[3] for p in planned)),
        )
    )
    line_rows = [
        {
            "id": uuid7(),
            "ticket_id": refund_id,
            "position": n,
            "item_id": line.item_id,
            "name": line.name,
            "quantity": str(-qty),
            "unit_price_minor": line.unit_price_minor,
            "tax_class": line.tax_class,
            "gross_minor": -gross,
            "tax_minor": -tax,
            "net_minor": -(gross - tax),
            "refund_of_line": line.id,
            "restock": restock,
        }
        for n, (line, qty, gross, tax, restock) in enumerate(planned, start=1)
    ]
    uow.conn.execute(insert(TicketLine), line_rows)
    rate_rows = []
    for row, (line, _qty, _gross, tax, _restock) in zip(line_rows, planned, strict=True):
        original_rates = uow.conn.execute(
            select(TicketLineTax.rate_code, TicketLineTax.percent, TicketLineTax.tax_minor)
            .where(TicketLineTax.line_id == line.id)
            .order_by(TicketLineTax.rate_code)
        ).all()
        # Split the refunded tax over the original's rates in proportion (sums exactly).
        shares = distribute(
            tax, [Decimal(t) * tax / (line.tax_minor or 1) for _, _, t in original_rates]
        )
        rate_rows += [
            {"line_id": row["id"], "rate_code": code, "percent": percent, "tax_minor": -share}
            for (code, percent, _), share in zip(original_rates, shares, strict=True)
        ]
    if rate_rows:
        uow.conn.execute(insert(TicketLineTax), rate_rows)
    uow.conn.execute(
        insert(Tender).values(
            id=uuid7(),
            ticket_id=refund_id,
            kind=tender,
            amount_minor=-total,
            tendered_minor=-total,
            change_minor=0,
            created_at=now,
            approval_code=approval.approval_code if approval else None,
            card_last4=approval.last4 if approval else None,
            card_scheme=approval.scheme if approval else None,
            reference=reference,
        )
    )
    # Restocked goods come back on the shelf in the same transaction (tracked items only).
    stocked = tracked(uow, [line.item_id for line, *_ in planned])
    restocked = [
        Movement(
            line.item_id,
            config.location_code,
            to_milli(qty),
            "refund_restock",
            actor.id,
            ticket_id=refund_id,
        )
        for line, qty, _gross, _tax, restock in planned
        if restock and line.item_id in stocked
    ]
    movement_ids = record(uow, restocked, now)
    loyalty = [
        e
        for e in (
            reverse_for_refund(
                uow,
                actor,
                original_id=original_id,
                refund_id=refund_id,
                refunded_share=(total, refunded_before, int(original.gross_minor or 0)),
                at=now,
            ),
            _restore_points(uow, actor, original, refund_id, points_back, now)
            if tender == "points"
            else None,
        )
        if e is not None
    ]
    append(
        uow,
        kind="ticket.refunded",
        entity_id=refund_id,
        payload={
            "ticket_id": refund_id,
            "refund_of": original_id,
            "receipt_no": receipt_no,
            "gross_minor": -total,
            "tender": tender,
            "voucher": reference,
            "reason": reason,
            "closed_at": now,
            "lines": [{k: v for k, v in r.items() if k != "ticket_id"} for r in line_rows],
            "movements": [
                {"id": mid, "item_id": m.item_id, "qty_milli": m.qty_milli}
                for mid, m in zip(movement_ids, restocked, strict=True)
            ],
            "loyalty": loyalty,
        },
    )
    audit(
        uow,
        actor_id=actor.id,
        action="ticket.refunded",
        target_id=original_id,
        authorized_by=authorized_by,
        details={"refund_id": refund_id, "amount_minor": total, "tender": tender, "reason": reason},
    )
    return RefundResult(refund_id, receipt_no, amount, tender)
