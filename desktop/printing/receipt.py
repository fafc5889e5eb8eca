"""A receipt: what it says (read from the finished ticket) and how it prints (ESC/POS bytes).

Everything is laid out in the paper's columns (58 mm → 32, 80 mm → 48 or 42): long names wrap,
amounts stay right-aligned, nothing overflows. python-escpos picks code pages for €, é, ü…;
characters no code page has get a readable fallback (`escpos_bytes.printable`). The business
logo prints on printers that can, and the receipt number ends the receipt as a QR code or a
Code 128 barcode — either one the refund screen's scan box reads back.
"""

from __future__ import annotations

import io
import textwrap
import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from desktop.business import profile
from desktop.db.models import (
    Tender,
    Ticket,
    TicketLine,
    TicketLineTax,
    User,
)
from desktop.db.uow import UnitOfWork
from desktop.hardware.escpos_bytes import finish, new_document, write_line
from desktop.hardware.paper import Paper
from desktop.loyalty.ledger import balance
from desktop.sales.pricing import ticket_totals
from desktop.sales.tickets import LineRow, modifier_names, ticket_head
from shared.money import Money


@dataclass(frozen=True)
class ReceiptLine:
    text: str
    quantity: Decimal
    total: Money  # before discounts
    modifiers: tuple[str, ...] = ()
    discount: Money | None = None  # the line's own discount, negative
    discount_label: str = "Discount"


@dataclass(frozen=True)
class ReceiptDoc:
    business: str
    receipt_no: str
    kind: str  # sale or refund
    closed_at: str
    cashier: str
    lines: tuple[ReceiptLine, ...]
    taxes: tuple[tuple[str, str, Money], ...]  # (rate code, percent, tax)
    net: Money
    tax: Money
    total: Money
    tenders: tuple[tuple[str, Money], ...]
    change: Money
    points_earned: int | None = None
    points_balance: int | None = None
    footer: str = "Thank you!"
    header: tuple[str, ...] = ()  # address, tax id: under the business name
    logo: bytes | None = None  # PNG, 1-bit, at most 384 dots wide (from the business profile)
    ticket_discount: Money | None = None  # negative; the lines' totals are before it
    ticket_discount_label: str = "Ticket discount"
    copy: bool = False  # printed again on request, headed "*** COPY ***"


def receipt_for(uow: UnitOfWork, ticket_id: uuid.UUID, cashier: str | None = None) -> ReceiptDoc:
    """The receipt of a finalized sale or refund, from what was stored at finalize (`cashier`:
    the name to print; by default whoever rang it up)."""
    t = uow.conn.execute(select(Ticket.__table__).where(Ticket.id == ticket_id)).one()
    if cashier is None:
        name = uow.conn.execute(select(User.name).where(User.id == t.cashier_id)).scalar()
        cashier = name or "—"
    currency = t.currency

    def m(minor: int | None) -> Money:
        return Money.from_minor(int(minor or 0), currency)

    mods = modifier_names(uow, ticket_id)
    stored = uow.conn.execute(
        select(TicketLine.__table__)
        .where(TicketLine.ticket_id == ticket_id, TicketLine.voided_at.is_(None))
        .order_by(TicketLine.position)
    ).all()
    # The customer sees prices before discounts, then what each discount took off; the
    # ticket discount is what is left between those and the stored (charged) line totals, so
    # the receipt always adds up to what was paid.
    rows = [
        LineRow(
            uuid.UUID(str(r.id)), ticket_id, r.position, uuid.UUID(str(r.item_id)), r.name,
            r.quantity, r.unit_price_minor, r.tax_class, r.discount_percent, r.discount_minor,
        )
        for r in stored
    ]  # fmt: skip
    head = ticket_head(uow, ticket_id)
    before = ticket_totals(uow, ticket_id, rows, head, discounts="none").lines
    after_line_discounts = ticket_totals(uow, ticket_id, rows, head, discounts="lines").lines
    lines = tuple(
        ReceiptLine(
            r.name,
            Decimal(r.quantity),
            full.gross,
            mods.get(r.id, ()),
            discount=(mid.gross - full.gross) if mid.gross != full.gross else None,
            discount_label=_discount_label(r.discount_percent),
        )
        for r, full, mid in zip(stored, before, after_line_discounts, strict=True)
    )
    charged = sum(int(r.gross_minor or 0) for r in stored)
    ticket_off = charged - sum(mid.gross.minor_units for mid in after_line_discounts)
    taxes: dict[tuple[str, str], int] = {}
    for code, percent, minor in uow.conn.execute(
        select(TicketLineTax.rate_code, TicketLineTax.percent, TicketLineTax.tax_minor)
        .join(TicketLine, TicketLine.id == TicketLineTax.line_id)
        .where(TicketLine.ticket_id == ticket_id)
    ):
        taxes[(code, percent)] = taxes.get((code, percent), 0) + int(minor)
    tenders = uow.conn.execute(
        select(Tender.kind, Tender.tendered_minor, Tender.change_minor).where(
            Tender.ticket_id == ticket_id
        )
    ).all()
    earned = balance_now = None
    if t.customer_id is not None:
        from desktop.db.models import LoyaltyEntry

        earned = sum(
            int(p)
            for p in uow.conn.execute(
                select(LoyaltyEntry.points).where(
                    LoyaltyEntry.ticket_id == ticket_id, LoyaltyEntry.kind == "earn"
                )
            ).scalars()
        )
        balance_now = balance(uow, t.customer_id)
    business = profile(uow)
    return ReceiptDoc(
        business=business.name,
        header=business.header,
        footer=business.footer,
        logo=business.logo,
        receipt_no=str(t.receipt_no),
        kind=t.kind,
        closed_at=t.closed_at.strftime("%Y-%m-%d %H:%M") if t.closed_at else "",
        cashier=cashier,
        lines=lines,
        taxes=tuple((c, p, m(v)) for (c, p), v in sorted(taxes.items())),
        net=m(t.net_minor),
        tax=m(t.tax_minor),
        total=m(t.gross_minor),
        tenders=tuple((kind, m(tendered)) for kind, tendered, _ in tenders),
        change=m(sum(int(c) for _, _, c in tenders)),
        points_earned=earned,
        points_balance=balance_now,
        ticket_discount=m(ticket_off) if ticket_off else None,
        ticket_discount_label=_discount_label(t.discount_percent, "Ticket discount"),
    )


def _discount_label(percent: str | None, what: str = "Discount") -> str:
    if percent is None:
        return what
    return f"{what} {Decimal(percent).normalize():f}%"


def _row(left: str, right: str, width: int) -> list[str]:
    """`left` wrapped so that the last piece leaves room for `right`, right-aligned."""
    room = width - len(right) - 1
    pieces = textwrap.wrap(left, width) or [""]
    if len(pieces[-1]) > room:
        pieces.append("")
    last = pieces.pop()
    return [*pieces, f"{last:<{room}} {right}"]


def _centered(text: str, width: int) -> list[str]:
    """`text` centred, wrapped at spaces: a shop's long address or footer prints whole on 58 mm
    paper instead of losing its end."""
    pieces = textwrap.wrap(text, width, break_on_hyphens=False) or [""]
    return [piece.center(width) for piece in pieces]


def _amount(money: Money) -> str:
    return f"{money.amount:.2f}"


def text_lines(doc: ReceiptDoc, width: int) -> list[str]:
    """The receipt as lines of at most `width` characters (also what tests compare)."""
    out: list[str] = _centered(doc.business, width)
    if doc.copy:
        out.append("*** COPY ***".center(width))
    for text in doc.header:
        out += _centered(text, width)
    title = "REFUND" if doc.kind == "refund" else "RECEIPT"
    out += _row(f"{title} {doc.receipt_no}", doc.closed_at, width)
    out.append(f"Served by {doc.cashier}"[:width])
    out.append("-" * width)
    for line in doc.lines:
        quantity = (
            f"{line.quantity:f}".rstrip("0").rstrip(".")
            if "." in str(line.quantity)
            else str(line.quantity)
        )
        out += _row(f"{quantity} x {line.text}", _amount(line.total), width)
        out += [f"  + {name}"[:width] for name in line.modifiers]
        if line.discount is not None:
            out += _row(f"  {line.discount_label}", _amount(line.discount), width)
    out.append("-" * width)
    if doc.ticket_discount is not None:
        out += _row(doc.ticket_discount_label, _amount(doc.ticket_discount), width)
    out += _row("TOTAL", f"{doc.total.currency} {_amount(doc.total)}", width)
    for code, percent, tax in doc.taxes:
        out += _row(f"  {code} {percent}%", _amount(tax), width)
    out += _row("  Net", _amount(doc.net), width)
    for kind, amount in doc.tenders:
        out += _row(kind.capitalize(), _amount(amount), width)
    if doc.change.amount:
        out += _row("Change", _amount(doc.change), width)
    if doc.points_earned is not None:
        out += _row("Points earned", str(doc.points_earned), width)
        out += _row("Points balance", str(doc.points_balance), width)
    out += _centered(doc.footer, width)
    return out


def render(doc: ReceiptDoc, paper: Paper | None = None) -> bytes:
    """ESC/POS bytes: logo, the text lines, a scannable code of the receipt number, a cut."""
    paper = paper or Paper()
    width = paper.columns
    printer = new_document(paper.code_page)
    if paper.logo and doc.logo:
        from PIL import Image

        printer.set(align="center")
        printer.image(Image.open(io.BytesIO(doc.logo)))
    lines = text_lines(doc, width)
    name = len(_centered(doc.business, width))  # the first lines: printed bold and tall
    printer.set(align="center", bold=True, double_height=True)
    for line in lines[:name]:
        write_line(printer, line.strip())
    printer.set(align="left", bold=False, normal_textsize=True)
    for line in lines[name:]:
        write_line(printer, line)
    if paper.qr:
        printer.set(align="center")
        printer.qr(doc.receipt_no, size=6, native=True)
        printer.set(align="left")
    else:
        # Code 128 set B: the refund screen's scan box reads it back as the receipt number.
        printer.barcode("{B" + doc.receipt_no, "CODE128", function_type="B", pos="OFF", height=48)
    return finish(printer, paper.cutter)
