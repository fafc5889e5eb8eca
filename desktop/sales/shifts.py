"""Cash and shifts: paid-in/out, cash drops, no-sale opens, X report (mid-shift), close with
the Z report.

Every figure comes from the stored, already-priced tickets and the shared money code, so the
screen, the printout and the server agree to the cent. Who may do what: whoever may open a
shift (`shift.open`, a cashier) may also put cash in, take it out and drop it to the safe —
each with a reason, audited — and count and close the shift they opened (a blind count, then
the Z); the X report, closing anyone's shift and the Z history need `shift.close`.

Z numbers are a gap-free series per till (the receipt counters' `T01Z` row): taken inside the
close's transaction, never reused, kept across restarts.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
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
from desktop.sales.checkout import next_receipt_no
from desktop.sales.config import SellingConfig, load
from desktop.sales.tickets import open_shift_id
from desktop.staff.service import Actor, authorize
from shared.errors import NotFound, ValidationFailed
from shared.ids import uuid7
from shared.money import Money
from shared.permissions import Permission

MovementKind = Literal["paid_in", "paid_out", "drop", "no_sale"]


def cash_movement(
    uow: UnitOfWork,
    actor: Actor,
    *,
    kind: MovementKind,
    reason: str,
    amount: Money | None = None,
    approver: Actor | None = None,
) -> uuid.UUID:
    """Record a paid-in, paid-out, a cash drop (notes taken to the safe) or a no-sale drawer
    open, with a reason (audited). Moving cash needs `shift.open`; a no-sale by a cashier
    without `drawer.no_sale` needs a manager's override (`approver`)."""
    if kind == "no_sale":
        authorized_by = authorize(actor, Permission.DRAWER_NO_SALE, approver)
    else:
        actor.require(Permission.SHIFT_OPEN)
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
    """Totals of a shift: by tender, tax rate, category and cashier; refunds, voids, discounts,
    the receipt numbers it spans and the cash the drawer should hold."""
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
        net = int(base or 0)
        by_rate[code] = {
            "percent": percent,
            "tax_minor": int(tax),
            "net_minor": net,
            "gross_minor": net + int(tax),
        }
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
            paid = line.gross_minor if config.prices_include_tax else line.net_minor
            discounts += _list_price(line.unit_price_minor, line.quantity, config) - paid
    voids = _voids(uow, shift_id, config)
    names = dict(uow.conn.execute(select(User.id, User.name)).all())
    by_cashier: dict[str, int] = defaultdict(int)
    for t in tickets:
        by_cashier[names.get(t.cashier_id, str(t.cashier_id))] += t.gross_minor
    moves = {
        kind: int(total or 0)
        for kind, total in uow.conn.execute(
            select(CashMovement.kind, func.sum(CashMovement.amount_minor))
            .where(CashMovement.shift_id == shift_id)
            .group_by(CashMovement.kind)
        )
    }
    no_sales = uow.conn.execute(
        select(func.count()).where(
            CashMovement.shift_id == shift_id, CashMovement.kind == "no_sale"
        )
    ).scalar_one()
    expected = (
        shift.float_minor
        + by_tender.get("cash", 0)
        + moves.get("paid_in", 0)
        - moves.get("paid_out", 0)
        - moves.get("drop", 0)
    )
    # Receipt numbers are zero-padded per series, so text order is number order.
    sale_numbers = sorted(t.receipt_no for t in sales)
    refund_numbers = sorted(t.receipt_no for t in refunds)
    return {
        "shift_id": str(shift_id),
        "currency": config.currency,
        "terminal_code": config.terminal_code,
        "opened_at": shift.opened_at.isoformat(),
        "opened_by": names.get(shift.opened_by, str(shift.opened_by)),
        "sales_count": len(sales),
        "sales_minor": sum(t.gross_minor for t in sales),
        "refunds_count": len(refunds),
        "first_receipt": sale_numbers[0] if sale_numbers else None,
        "last_receipt": sale_numbers[-1] if sale_numbers else None,
        "first_refund": refund_numbers[0] if refund_numbers else None,
        "last_refund": refund_numbers[-1] if refund_numbers else None,
        "gross_minor": sum(t.gross_minor for t in tickets),
        "net_minor": sum(t.net_minor for t in tickets),
        "tax_minor": sum(t.tax_minor for t in tickets),
        "refunds_minor": sum(t.gross_minor for t in refunds),
        "discounts_minor": discounts,
        "voids_count": voids[0],
        "voids_minor": voids[1],
        "by_tender": dict(by_tender),
        "by_tax_class": by_tax,
        "by_tax_rate": by_rate,
        "by_category": dict(by_category),
        "by_cashier": dict(by_cashier),
        "float_minor": shift.float_minor,
        "paid_in_minor": moves.get("paid_in", 0),
        "paid_out_minor": moves.get("paid_out", 0),
        "drops_minor": moves.get("drop", 0),
        "no_sales": no_sales,
        "expected_cash_minor": expected,
        # Nothing has been confirmed by the server yet: the Z itself says whether it is synced.
        "provisional_tickets": len(tickets),
    }


def _list_price(unit_price_minor: int, quantity: str, config: SellingConfig) -> int:
    price = Money.from_minor(unit_price_minor, config.currency)
    return (price * Decimal(quantity)).quantize(config.rounding).minor_units


def _voids(uow: UnitOfWork, shift_id: uuid.UUID, config: SellingConfig) -> tuple[int, int]:
    """Lines taken off tickets of the shift (paid or not): how many, and at list price."""
    rows = uow.conn.execute(
        select(TicketLine.unit_price_minor, TicketLine.quantity)
        .join(Ticket, Ticket.id == TicketLine.ticket_id)
        .where(Ticket.shift_id == shift_id, TicketLine.voided_at.is_not(None))
    ).all()
    return len(rows), sum(_list_price(price, qty, config) for price, qty in rows)


def x_report(uow: UnitOfWork, actor: Actor) -> dict[str, Any]:
    """Mid-shift report; changes nothing."""
    actor.require(Permission.SHIFT_CLOSE)
    return shift_report(uow, open_shift_id(uow))


@dataclass(frozen=True)
class OpenShift:
    """What anyone at the till may see of the open shift (no expected cash: the count is blind)."""

    opened_at: datetime
    opened_by: str
    float_amount: Money
    sales_count: int
    opened_by_id: uuid.UUID | None = None


def open_shift_summary(uow: UnitOfWork) -> OpenShift | None:
    """The open shift at a glance, or None when no shift is open."""
    row = uow.conn.execute(
        select(
            Shift.id,
            Shift.opened_at,
            Shift.float_minor,
            Shift.currency,
            Shift.opened_by,
            User.name,
        )
        .outerjoin(User, User.id == Shift.opened_by)
        .where(Shift.closed_at.is_(None))
    ).first()
    if row is None:
        return None
    sales = uow.conn.execute(
        select(func.count()).where(
            Ticket.shift_id == row.id, Ticket.status == "paid", Ticket.kind == "sale"
        )
    ).scalar_one()
    return OpenShift(
        row.opened_at,
        row.name or "—",
        Money.from_minor(row.float_minor, row.currency),
        sales,
        uuid.UUID(str(row.opened_by)),
    )


def may_close(actor: Actor, shift: OpenShift) -> bool:
    """Who may count and close: whoever opened the shift (a cashier runs their own shift from
    float to Z), and anyone with `shift.close` (a manager closes anyone's)."""
    return Permission.SHIFT_CLOSE in actor.permissions or (
        Permission.SHIFT_OPEN in actor.permissions and shift.opened_by_id == actor.id
    )


def _require_closer(uow: UnitOfWork, actor: Actor) -> None:
    shift = open_shift_summary(uow)
    if shift is None:
        open_shift_id(uow)  # raises the "no shift is open" Conflict
    elif not may_close(actor, shift):
        actor.require(Permission.SHIFT_CLOSE)  # raises, asking for a manager


@dataclass(frozen=True)
class CountCheck:
    """The drawer count against what the shift says it should hold (the close's confirm step)."""

    counted: Money
    expected: Money

    @property
    def over_short(self) -> Money:
        return self.counted - self.expected


def check_count(uow: UnitOfWork, actor: Actor, *, counted: Mapping[Money, int]) -> CountCheck:
    """Counted, expected and over/short of the open shift; changes nothing (see `may_close`)."""
    _require_closer(uow, actor)
    config = load(uow)
    total = _count_total(config, counted)
    expected = shift_report(uow, open_shift_id(uow))["expected_cash_minor"]
    return CountCheck(
        Money.from_minor(total, config.currency), Money.from_minor(expected, config.currency)
    )


def _count_total(config: SellingConfig, counted: Mapping[Money, int]) -> int:
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
    return total


def close_shift(uow: UnitOfWork, actor: Actor, *, counted: Mapping[Money, int]) -> dict[str, Any]:
    """Count the drawer by denomination, close the shift, freeze and return its Z report.

    Open tickets are parked: they carry over to the next shift and are not in this report. The
    report gets the till's next Z number and, once written, the outbox sequence of its
    `shift.closed` record (the Z is provisional until the server has confirmed that far).
    Whoever opened the shift, or a holder of `shift.close`, may close it (`may_close`).
    """
    _require_closer(uow, actor)
    config = load(uow)
    shift_id = open_shift_id(uow)
    total = _count_total(config, counted)
    uow.conn.execute(
        update(Ticket)
        .where(Ticket.shift_id == shift_id, Ticket.status == "open")
        .values(status="parked")
    )
    report = shift_report(uow, shift_id)
    z_series = next_receipt_no(uow, f"{config.terminal_code}Z")
    report["z_number"] = int(z_series.rsplit("-", 1)[1])
    report["counted_cash_minor"] = total
    report["counted"] = {
        str(d.amount): n for d, n in sorted(counted.items(), key=lambda kv: -kv[0].amount) if n
    }
    report["over_short_minor"] = total - report["expected_cash_minor"]
    report["closed_by"] = actor.name
    now = uow.clock.now()
    report["closed_at"] = now.isoformat()
    report["outbox_seq"] = append(uow, kind="shift.closed", entity_id=shift_id, payload=report)
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
    audit(
        uow,
        actor_id=actor.id,
        action="shift.closed",
        target_id=shift_id,
        details={
            "z_number": report["z_number"],
            "counted_minor": total,
            "over_short_minor": report["over_short_minor"],
        },
    )
    return report


@dataclass(frozen=True)
class PastZ:
    """One line of the Z history."""

    shift_id: uuid.UUID
    z_number: int
    closed_at: datetime
    gross: Money


def z_history(uow: UnitOfWork, actor: Actor, *, limit: int = 50) -> list[PastZ]:
    """The till's Z reports, newest first (`shift.close`: whoever may print a Z may see one)."""
    actor.require(Permission.SHIFT_CLOSE)
    rows = uow.conn.execute(
        select(Shift.id, Shift.closed_at, Shift.z_report)
        .where(Shift.closed_at.is_not(None), Shift.z_report.is_not(None))
        .order_by(Shift.closed_at.desc(), Shift.id.desc())  # ids are UUIDv7: time-ordered
        .limit(limit)
    ).all()
    out = []
    for shift_id, closed_at, raw in rows:
        # The query's where says both are set.
        assert raw is not None
        assert closed_at is not None
        z = json.loads(raw)
        # Shifts closed before Z numbers existed show 0: their paper never had one.
        money = Money.from_minor(int(z["gross_minor"]), z["currency"])
        out.append(PastZ(shift_id, int(z.get("z_number") or 0), closed_at, money))
    return out


def stored_z(uow: UnitOfWork, shift_id: uuid.UUID) -> dict[str, Any]:
    """The Z report frozen at the close of `shift_id`.

    Raises:
        NotFound: no closed shift has that id.
    """
    raw = uow.conn.execute(
        select(Shift.z_report).where(Shift.id == shift_id, Shift.closed_at.is_not(None))
    ).scalar()
    if raw is None:
        raise NotFound("that shift has no Z report", details={"shift_id": str(shift_id)})
    report: dict[str, Any] = json.loads(raw)
    return report
