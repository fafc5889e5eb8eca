"""Taking payment: validate tenders, charge cards, then write the whole sale in one transaction.

Order matters. Everything that can refuse (amounts, policy, a declined card) happens before the
first write; a card approved earlier in the same checkout is reversed if a later card declines.
Then the ticket, its priced lines, its tenders, the receipt number and the outbox record are
written together and committed by the caller (`synchronous=FULL`): a receipt prints only after.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from desktop.db.models.types import utc_text
from desktop.db.uow import UnitOfWork
from desktop.hardware.payment_terminal import CardResult, PaymentTerminal
from desktop.inventory.ledger import Movement, record, to_milli, tracked
from desktop.loyalty.ledger import check_redemption, earn_for_sale, write_entry
from desktop.loyalty.program import program
from desktop.modules import switched_off
from desktop.outbox.service import append, audit
from desktop.sales.config import SellingConfig, load
from desktop.sales.pricing import ticket_totals
from desktop.sales.tickets import LineRow, TicketHead, line_modifiers, live_lines, open_ticket_row
from desktop.staff.service import Actor, authorize
from shared.errors import AuthzError, Conflict, ValidationFailed
from shared.ids import uuid7
from shared.money import Money, sum_money
from shared.permissions import Module, Permission
from shared.tax import TicketTotals

TenderKind = Literal["cash", "card", "voucher", "points"]

# Plain SQL for the hot path (see UnitOfWork.sql).
_TAKE_RECEIPT_NO = (
    "INSERT INTO receipt_counters (terminal_code, next_number) VALUES (?, 2) "
    "ON CONFLICT (terminal_code) DO UPDATE SET next_number = next_number + 1 "
    "RETURNING next_number - 1"
)
_PRICE_LINE = "UPDATE ticket_lines SET net_minor = ?, tax_minor = ?, gross_minor = ? WHERE id = ?"
_CLOSE_TICKET = (
    "UPDATE tickets SET status = 'paid', receipt_no = ?, closed_at = ?, net_minor = ?, "
    "tax_minor = ?, gross_minor = ?, rounding_minor = ? WHERE id = ?"
)
_INSERT_TENDER = (
    "INSERT INTO tenders (id, ticket_id, kind, amount_minor, tendered_minor, change_minor, "
    "created_at, approval_code, card_last4, card_scheme, reference) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_LINE_TAX = (
    "INSERT INTO ticket_line_taxes (line_id, rate_code, percent, tax_minor) VALUES (?, ?, ?, ?)"
)


@dataclass(frozen=True)
class TenderRequest:
    """One way the customer pays. For cash, `amount` is what was handed over."""

    kind: TenderKind
    amount: Money
    voucher_code: str | None = None


@dataclass(frozen=True)
class FinalizedSale:
    ticket_id: uuid.UUID
    receipt_no: str
    totals: TicketTotals
    change: Money
    outbox_seq: int
    card_approvals: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class _PlannedTender:
    kind: TenderKind
    applied: Money
    tendered: Money
    change: Money
    card: CardResult | None = None
    reference: str | None = None


def _plan(
    config: SellingConfig,
    due: Money,
    tenders: Sequence[TenderRequest],
    *,
    over_limit_ok: bool = False,
) -> list[_PlannedTender]:
    """Check the tenders against what is due; cash goes last and alone gives change
    (`over_limit_ok`: someone holding `pos.over_tender` allowed more than the change limit)."""
    if not tenders:
        raise ValidationFailed("choose how the customer pays")
    for t in tenders:
        if t.amount.currency != config.currency:
            raise ValidationFailed(
                f"tenders must be in {config.currency}", details={"currency": t.amount.currency}
            )
        if t.kind == "voucher" and not (t.voucher_code and t.voucher_code.strip()):
            raise ValidationFailed("scan or type the voucher code", details={"field": "voucher"})
        if t.amount.amount <= 0 or not t.amount.is_quantized:
            raise ValidationFailed(
                "each tender must be a positive amount in whole cents",
                details={"amount": str(t.amount)},
            )
    non_cash = [t for t in tenders if t.kind != "cash"]
    cash = [t for t in tenders if t.kind == "cash"]
    non_cash_total = sum_money((t.amount for t in non_cash), config.currency)
    if non_cash_total > due:
        raise ValidationFailed(
            "card, voucher and points tenders cannot exceed the amount due; only cash gives change",
            details={"due": str(due), "non_cash": str(non_cash_total)},
        )
    plan = [
        _PlannedTender(
            t.kind,
            t.amount,
            t.amount,
            Money.zero(config.currency),
            reference=t.voucher_code.strip() if t.voucher_code else None,
        )
        for t in non_cash
    ]
    remaining = due - non_cash_total
    if cash:
        # Cash is rounded to the smallest coin in use; cards and vouchers pay to the cent.
        remaining = cash_due(remaining, config.cash_rounding_minor)
    cash_total = sum_money((t.amount for t in cash), config.currency)
    if cash_total < remaining:
        raise ValidationFailed(
            f"not fully paid: {remaining - cash_total} still due",
            details={"due": str(remaining), "tendered": str(cash_total)},
        )
    change = cash_total - remaining
    if change.minor_units > config.max_change_minor and not over_limit_ok:
        # A typo guard and a cash control: a manager may approve it for this one sale.
        raise AuthzError(
            "that is more change than the till may give; check the amount handed over"
            " (a manager may approve it)",
            details={
                "change": str(change),
                "limit_minor": config.max_change_minor,
                "permission": Permission.POS_OVER_TENDER,
            },
        )
    if cash:
        plan.append(_PlannedTender("cash", remaining, cash_total, change))
    return plan


def cash_due(amount: Money, step_minor: int) -> Money:
    """`amount` rounded (half up) to a multiple of the smallest coin, e.g. 0.05."""
    if step_minor <= 1:
        return amount
    units = amount.minor_units
    rounded = (units + step_minor // 2) // step_minor * step_minor
    return Money.from_minor(rounded, amount.currency)


def _charge_cards(
    terminal: PaymentTerminal, plan: list[_PlannedTender], reference: str
) -> list[_PlannedTender]:
    done: list[_PlannedTender] = []
    for step in plan:
        if step.kind != "card":
            done.append(step)
            continue
        result = terminal.charge(step.applied, reference=reference)
        if not result.approved:
            for earlier in done:
                if earlier.card is not None and earlier.card.approval_code:
                    terminal.reverse(earlier.card.approval_code, reference=reference)
            raise Conflict(
                f"card declined ({result.message or 'no reason given'}); the ticket is still "
                "open — try another card or tender",
                details={"amount": str(step.applied)},
            )
        done.append(
            _PlannedTender("card", step.applied, step.tendered, step.change, result, step.reference)
        )
    return done


def next_receipt_no(uow: UnitOfWork, terminal_code: str) -> str:
    """Take the next number of a gap-free series (sales `T01`, refunds `T01R`).

    The counter row is updated inside the sale's transaction: a rolled-back sale gives its number
    back, so the series has no holes.
    """
    (number,) = uow.sql.execute(_TAKE_RECEIPT_NO, (terminal_code,)).fetchone()
    return f"{terminal_code}-{number:06d}"


def _may_give_change_over_limit(actor: Actor, approver: Actor | None) -> bool:
    try:
        authorize(actor, Permission.POS_OVER_TENDER, approver)
    except AuthzError:
        return False
    return True


def _prepare(
    uow: UnitOfWork,
    actor: Actor,
    ticket_id: uuid.UUID,
    tenders: Sequence[TenderRequest],
    approver: Actor | None = None,
) -> tuple[SellingConfig, TicketHead, list[LineRow], TicketTotals, list[_PlannedTender], int]:
    """Everything that can refuse a payment, before any card is charged."""
    actor.require(Permission.POS_SELL)
    config = load(uow)
    ticket = open_ticket_row(uow, ticket_id)
    lines = live_lines(uow, ticket_id)
    if not lines:
        raise ValidationFailed("the ticket has no items", details={"ticket_id": str(ticket_id)})
    totals = ticket_totals(uow, ticket_id, lines, ticket)
    over_limit_ok = _may_give_change_over_limit(actor, approver)
    planned = _plan(config, totals.gross, tenders, over_limit_ok=over_limit_ok)
    # Points are checked before any card is charged: a refusal must leave nothing to reverse.
    redeemed = _points_to_redeem(uow, actor, ticket, planned)
    return config, ticket, lines, totals, planned, redeemed


def card_amounts(
    uow: UnitOfWork,
    actor: Actor,
    *,
    ticket_id: uuid.UUID,
    tenders: Sequence[TenderRequest],
    approver: Actor | None = None,
) -> list[Money]:
    """What the card terminal will be asked for, once every check `finalize` makes has passed
    (so the till can charge cards *before* it opens the write transaction)."""
    planned = _prepare(uow, actor, ticket_id, tenders, approver)[4]
    return [s.applied for s in planned if s.kind == "card"]


def finalize(
    uow: UnitOfWork,
    actor: Actor,
    *,
    ticket_id: uuid.UUID,
    tenders: Sequence[TenderRequest],
    payment_terminal: PaymentTerminal,
    approver: Actor | None = None,
) -> FinalizedSale:
    """Take payment and close the ticket. The caller commits; nothing is written on refusal.
    `approver`: the manager who allowed more change than the till's limit (audited).

    Raises:
        ValidationFailed: no lines, wrong currency, not fully paid.
        AuthzError: more change than the limit, without `pos.over_tender` or an approver.
        Conflict: ticket not open, no open shift, or a card was declined (ticket stays open).
    """
    config, ticket, lines, totals, planned, redeemed = _prepare(
        uow, actor, ticket_id, tenders, approver
    )
    rates = {r.code: str(r.percent) for r in totals.rates}
    plan = _charge_cards(payment_terminal, planned, str(ticket_id))

    now = uow.clock.now()
    at = utc_text(now)
    tid = str(ticket_id)
    receipt_no = next_receipt_no(uow, config.terminal_code)
    sql = uow.sql
    priced = [
        (line, str(line.id), p.net.minor_units, p.tax.minor_units, p.gross.minor_units, p.taxes)
        for line, p in zip(lines, totals.lines, strict=True)
    ]
    sql.executemany(_PRICE_LINE, [(net, tax, gross, lid) for _, lid, net, tax, gross, _ in priced])
    net, tax, gross = totals.net.minor_units, totals.tax.minor_units, totals.gross.minor_units
    rounding = sum(step.applied.minor_units for step in plan) - gross
    sql.execute(_CLOSE_TICKET, (receipt_no, at, net, tax, gross, rounding, tid))
    tender_rows = [
        {
            "id": uuid7(),
            "kind": step.kind,
            "amount_minor": step.applied.minor_units,
            "tendered_minor": step.tendered.minor_units,
            "change_minor": step.change.minor_units,
            "created_at": now,
            "approval_code": step.card.approval_code if step.card else None,
            "card_last4": step.card.last4 if step.card else None,
            "card_scheme": step.card.scheme if step.card else None,
            "reference": step.reference,
        }
        for step in plan
    ]
    sql.executemany(
        _INSERT_TENDER,
        [
            (
                str(r["id"]),
                tid,
                r["kind"],
                r["amount_minor"],
                r["tendered_minor"],
                r["change_minor"],
                at,
                r["approval_code"],
                r["card_last4"],
                r["card_scheme"],
                r["reference"],
            )
            for r in tender_rows
        ],
    )
    sql.executemany(
        _INSERT_LINE_TAX,
        [
            (lid, code, rates[code], amount.minor_units)
            for _, lid, _, _, _, taxes in priced
            for code, amount in taxes
        ],
    )
    # Stock leaves with the sale, in the same transaction (tracked items only).
    stocked = tracked(uow, [ln.item_id for ln in lines])
    sold = [
        Movement(
            ln.item_id,
            config.location_code,
            -to_milli(Decimal(ln.quantity)),
            "sale",
            actor.id,
            ticket_id=ticket_id,
        )
        for ln in lines
        if ln.item_id in stocked
    ]
    movement_ids = record(uow, sold, now)
    chosen = line_modifiers(uow, ticket_id)
    loyalty = _loyalty_entries(uow, actor, ticket, plan, redeemed, now)
    seq = append(
        uow,
        kind="ticket.finalized",
        entity_id=ticket_id,
        payload={
            "ticket_id": ticket_id,
            "receipt_no": receipt_no,
            "shift_id": ticket.shift_id,
            "cashier_id": ticket.cashier_id,
            "currency": config.currency,
            "closed_at": now,
            "net_minor": net,
            "tax_minor": tax,
            "gross_minor": gross,
            "customer_id": ticket.customer_id,
            "lines": [
                {
                    "id": ln.id,
                    "item_id": ln.item_id,
                    "name": ln.name,
                    "quantity": ln.quantity,
                    "unit_price_minor": ln.unit_price_minor,
                    "tax_class": ln.tax_class,
                    "gross_minor": line_gross,
                    "tax_minor": line_tax,
                    # Everything taken off the line (its own discount and its share of the
                    # ticket's): the server prices the line again from unit, quantity, this.
                    "discount_minor": _line_discount(ln, line_net, line_gross, config),
                    # Per rate: another till refunding this sale splits tax the same way.
                    "taxes": [[code, rates[code], amount.minor_units] for code, amount in taxes],
                    # As sold (names and deltas may change later): the unit price holds them.
                    "modifiers": chosen.get(ln.id, []),
                }
                for ln, _, line_net, line_tax, line_gross, taxes in priced
            ],
            "pricing": {
                "inclusive": config.prices_include_tax,
                "rounding": config.rounding.value,
                "tax_rounding": config.tax_rounding.value,
            },
            "tenders": tender_rows,
            "movements": [
                {"id": mid, "item_id": m.item_id, "qty_milli": m.qty_milli}
                for mid, m in zip(movement_ids, sold, strict=True)
            ],
            "loyalty": loyalty,
        },
    )
    change = sum_money((step.change for step in plan), config.currency)
    if change.minor_units > config.max_change_minor:
        audit(
            uow,
            actor_id=actor.id,
            action="ticket.change_over_limit",
            target_id=ticket_id,
            authorized_by=authorize(actor, Permission.POS_OVER_TENDER, approver),
            details={"change_minor": change.minor_units, "limit_minor": config.max_change_minor},
        )
    approvals = tuple(s.card.approval_code for s in plan if s.card and s.card.approval_code)
    return FinalizedSale(ticket_id, receipt_no, totals, change, seq, approvals)


def _line_discount(line: LineRow, net: int, gross: int, config: SellingConfig) -> int:
    """Price × quantity (rounded to the cent, as pricing does) less what the line came to."""
    base = int(
        (line.unit_price_minor * Decimal(line.quantity)).to_integral_value(
            rounding=config.rounding.decimal_mode
        )
    )
    return base - (gross if config.prices_include_tax else net)


def _points_to_redeem(
    uow: UnitOfWork, actor: Actor, ticket: TicketHead, plan: list[_PlannedTender]
) -> int:
    """Points the customer pays with (0 if none); refuses before anything is charged."""
    money = sum((step.applied.amount for step in plan if step.kind == "points"), Decimal(0))
    if not money:
        return 0
    if ticket.customer_id is None:
        raise ValidationFailed(
            "attach the customer to pay with their points", details={"field": "customer"}
        )
    points = money / program(uow).point_value
    if points != points.to_integral_value():
        raise ValidationFailed(
            f"points pay in steps of {program(uow).point_value}",
            details={"amount": str(money)},
        )
    check_redemption(uow, actor, ticket.customer_id, int(points))
    return int(points)


def _loyalty_entries(
    uow: UnitOfWork,
    actor: Actor,
    ticket: TicketHead,
    plan: list[_PlannedTender],
    redeemed: int,
    now: datetime,
) -> list[dict[str, Any]]:
    """Redeem and earn in the sale's transaction; earning needs a customer and the module."""
    customer = ticket.customer_id
    if customer is None or Module.LOYALTY in switched_off(uow):
        return []
    written = []
    if redeemed:
        written.append(
            write_entry(
                uow,
                customer_id=customer,
                kind="redeem",
                points=-redeemed,
                actor_id=actor.id,
                at=now,
                ticket_id=ticket.id,
            )
        )
    paid = sum((s.applied.amount for s in plan if s.kind != "points"), Decimal(0))
    earned = earn_for_sale(uow, actor, customer_id=customer, ticket_id=ticket.id, paid=paid, at=now)
    return [*written, *([earned] if earned else [])]
