"""Sales and refunds made at the other tills of this shop, as sync delivers them.

A customer may bring a purchase back to any till. The server sends each sale and refund to the
other tills of its location; they land here as closed tickets under one placeholder shift,
"other tills", so that the refund desk finds them by receipt number, a refund here checks what
other tills refunded already, and this till's own X and Z reports never count them (reports
are per shift). Applied in the pull's transaction; a ticket already here is left alone.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select

from desktop.catalog.service import tax_rates
from desktop.db.lookup import existing
from desktop.db.models import Shift, Tender, Ticket, TicketLine
from desktop.db.models.types import utc_text
from desktop.db.uow import UnitOfWork
from shared.tax import distribute

OTHER_TILLS_SHIFT = uuid.UUID("7d1f6c3e-9a0b-4c55-8e21-3b9d0f4a6c10")
_NOBODY = uuid.UUID(int=0)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TENDER_NAMESPACE = uuid.UUID("3c8e1b7a-5d2f-4a90-b6c4-e1f07a9d2b35")


def _uuid(value: Any) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None


def _time(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def _exists(uow: UnitOfWork, model: Any, key: uuid.UUID) -> bool:
    return uow.conn.execute(select(model.id).where(model.id == key)).first() is not None


def _placeholder_shift(uow: UnitOfWork, currency: str) -> None:
    if not _exists(uow, Shift, OTHER_TILLS_SHIFT):
        uow.conn.execute(
            insert(Shift).values(
                id=OTHER_TILLS_SHIFT, opened_at=_EPOCH, opened_by=_NOBODY, float_minor=0,
                currency=currency, closed_at=_EPOCH, closed_by=_NOBODY,
            )
        )  # fmt: skip


def _receipt_taken(uow: UnitOfWork, receipt_no: Any) -> bool:
    """Two tills configured with one terminal code print the same numbers; the server flags
    that, and this till keeps its own ticket rather than stop pulling."""
    found = uow.conn.execute(select(Ticket.id).where(Ticket.receipt_no == str(receipt_no)))
    return found.first() is not None


def _ticket(uow: UnitOfWork, body: dict[str, Any], kind: str, gross: int, tax: int) -> None:
    closed = _time(body["closed_at"])
    uow.conn.execute(
        insert(Ticket).values(
            id=uuid.UUID(str(body["ticket_id"])), shift_id=OTHER_TILLS_SHIFT, status="paid",
            kind=kind, receipt_no=str(body["receipt_no"]), opened_at=closed, closed_at=closed,
            cashier_id=_uuid(body.get("cashier_id")) or _NOBODY,
            currency=str(body.get("currency") or "XXX"), net_minor=gross - tax, tax_minor=tax,
            gross_minor=gross, refund_of=_uuid(body.get("refund_of")),
            customer_id=_uuid(body.get("customer_id")),
        )
    )  # fmt: skip


def _rates_of(uow: UnitOfWork, line: dict[str, Any]) -> list[tuple[str, str, int]]:
    """The line's tax per rate as the selling till split it; for an older till that did not
    send it, split over this till's rates of the line's tax class in proportion."""
    if "taxes" in line:
        return [(str(c), str(p), int(m)) for c, p, m in line["taxes"]]
    rates = tax_rates(uow, str(line["tax_class"]))
    weight = sum((r.percent for r in rates), Decimal(0))
    if not weight:
        return []
    tax = int(line["tax_minor"])
    shares = distribute(tax, [Decimal(tax) * r.percent / weight for r in rates])
    return [(r.code, str(r.percent), s) for r, s in zip(rates, shares, strict=True)]


def apply_remote_sale(uow: UnitOfWork, body: dict[str, Any]) -> bool:
    """Keep another till's sale for refunds here; False when it is known or cannot be kept
    (an item this till's catalog does not have)."""
    return apply_remote_sales(uow, [body]) == 1


def apply_remote_sales(uow: UnitOfWork, bodies: list[dict[str, Any]]) -> int:
    """A run of other tills' sales, one statement per table (a catch-up brings thousands).
    Returns how many were new here."""
    lines = [line for b in bodies for line in b.get("lines") or []]
    tickets = existing(
        uow, "SELECT id FROM tickets WHERE id IN ({marks})", {str(b["ticket_id"]) for b in bodies}
    )
    receipts = existing(
        uow,
        "SELECT receipt_no FROM tickets WHERE receipt_no IN ({marks})",
        {str(b["receipt_no"]) for b in bodies},
    )
    items = existing(
        uow, "SELECT id FROM items WHERE id IN ({marks})", {str(x["item_id"]) for x in lines}
    )
    fresh = [
        b
        for b in bodies
        if str(b["ticket_id"]) not in tickets
        and str(b["receipt_no"]) not in receipts
        and b.get("lines")
        and all(str(line["item_id"]) in items for line in b["lines"])
    ]
    if not fresh:
        return 0
    _placeholder_shift(uow, str(fresh[0].get("currency") or "XXX"))
    head_rows, line_rows, rate_rows, tender_rows = [], [], [], []
    for b in fresh:
        closed = utc_text(_time(b["closed_at"]))
        gross, tax = int(b["gross_minor"]), int(b.get("tax_minor") or 0)
        head_rows.append((
            str(b["ticket_id"]), str(OTHER_TILLS_SHIFT), str(b["receipt_no"]), closed, closed,
            str(b.get("cashier_id") or _NOBODY), str(b.get("currency") or "XXX"), gross - tax,
            tax, gross, str(b["customer_id"]) if b.get("customer_id") else None,
        ))  # fmt: skip
        for n, line in enumerate(b["lines"], start=1):
            line_gross, line_tax = int(line["gross_minor"]), int(line["tax_minor"])
            line_rows.append((
                str(line["id"]), str(b["ticket_id"]), n, str(line["item_id"]), str(line["name"]),
                str(line["quantity"]), int(line["unit_price_minor"]), str(line["tax_class"]),
                line_gross - line_tax, line_tax, line_gross,
            ))  # fmt: skip
            rate_rows += [(str(line["id"]), c, p, m) for c, p, m in _rates_of(uow, line)]
        tender_rows += [
            (
                str(t["id"]), str(b["ticket_id"]), str(t["kind"]), int(t["amount_minor"]),
                int(t.get("tendered_minor") or t["amount_minor"]),
                int(t.get("change_minor") or 0), t.get("approval_code"), t.get("card_last4"),
                t.get("card_scheme"), t.get("reference"),
                utc_text(_time(t.get("created_at") or b["closed_at"])),
            )
            for t in b.get("tenders") or []
        ]  # fmt: skip
    sql = uow.sql
    sql.executemany(
        "INSERT INTO tickets (id, shift_id, status, kind, receipt_no, opened_at, closed_at, "
        "cashier_id, currency, net_minor, tax_minor, gross_minor, customer_id) "
        "VALUES (?, ?, 'paid', 'sale', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        head_rows,
    )
    sql.executemany(
        "INSERT INTO ticket_lines (id, ticket_id, position, item_id, name, quantity, "
        "unit_price_minor, tax_class, net_minor, tax_minor, gross_minor) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        line_rows,
    )
    sql.executemany(
        "INSERT INTO ticket_line_taxes (line_id, rate_code, percent, tax_minor) "
        "VALUES (?, ?, ?, ?)",
        rate_rows,
    )
    sql.executemany(
        "INSERT INTO tenders (id, ticket_id, kind, amount_minor, tendered_minor, change_minor, "
        "approval_code, card_last4, card_scheme, reference, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        tender_rows,
    )
    return len(fresh)


def apply_remote_refund(uow: UnitOfWork, body: dict[str, Any]) -> bool:
    """Another till's refund of a sale this till knows: later refunds here count it."""
    refund_id = uuid.UUID(str(body["ticket_id"]))
    original = _uuid(body.get("refund_of"))
    lines: list[dict[str, Any]] = body.get("lines") or []
    if _exists(uow, Ticket, refund_id) or original is None or not _exists(uow, Ticket, original):
        return False
    known = {
        str(i)
        for (i,) in uow.conn.execute(select(TicketLine.id).where(TicketLine.ticket_id == original))
    }
    if not lines or any(str(line.get("refund_of_line")) not in known for line in lines):
        return False
    if _receipt_taken(uow, body["receipt_no"]):
        return False
    gross = int(body["gross_minor"])
    tax = sum(int(line.get("tax_minor") or 0) for line in lines)
    currency = uow.conn.execute(select(Ticket.currency).where(Ticket.id == original)).scalar()
    body = {**body, "currency": currency}
    _placeholder_shift(uow, str(currency))
    _ticket(uow, body, "refund", gross, tax)
    uow.conn.execute(
        insert(TicketLine),
        [
            {
                "id": uuid.UUID(str(line["id"])), "ticket_id": refund_id,
                "position": int(line.get("position") or n),
                "item_id": uuid.UUID(str(line["item_id"])), "name": str(line["name"]),
                "quantity": str(Decimal(str(line["quantity"]))),
                "unit_price_minor": int(line["unit_price_minor"]),
                "tax_class": str(line["tax_class"]), "gross_minor": int(line["gross_minor"]),
                "tax_minor": int(line.get("tax_minor") or 0),
                "net_minor": int(line["gross_minor"]) - int(line.get("tax_minor") or 0),
                "refund_of_line": uuid.UUID(str(line["refund_of_line"])),
                "restock": bool(line.get("restock")),
            }
            for n, line in enumerate(lines, start=1)
        ],
    )  # fmt: skip
    uow.conn.execute(
        insert(Tender).values(
            id=uuid.uuid5(_TENDER_NAMESPACE, str(refund_id)), ticket_id=refund_id,
            kind=str(body.get("tender") or "cash"), amount_minor=gross, tendered_minor=gross,
            change_minor=0, reference=body.get("voucher"), created_at=_time(body["closed_at"]),
        )
    )  # fmt: skip
    return True
