"""The Z report as a tax office reads it: what it says (`ZDoc`, from the shift's frozen report,
the business profile and the till's location) and how it lays out on the paper.

Lines wrap at word boundaries only (a word longer than the paper is the one exception), and
amounts stay right-aligned, so "tax EUR 1.87" never prints as "tax EUR 1./87". Times print in
the location's time zone, with the zone. A Z stays "PROVISIONAL — not yet synced" until the
server has confirmed the till's records up to the shift's close; a reprint says "COPY".
"""

from __future__ import annotations

import textwrap
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from desktop.business import profile
from desktop.db.models import SyncState
from desktop.db.uow import UnitOfWork
from desktop.hardware.escpos_bytes import finish, new_document, write_line
from desktop.hardware.paper import Paper
from desktop.sales.shifts import stored_z
from desktop.sync.till_config import location, till_name
from shared.money import Money

PROVISIONAL = "PROVISIONAL — not yet synced"
COPY = "*** COPY ***"


@dataclass(frozen=True)
class RateLine:
    code: str
    percent: str
    net: Money
    tax: Money
    gross: Money


@dataclass(frozen=True)
class ZDoc:
    z_number: int
    business: str
    header: tuple[str, ...]  # address lines, then "Tax ID ..."
    till: str  # "Front counter (T01)", or the terminal code of a till never enrolled
    location: str
    opened: str  # local time with zone
    opened_by: str
    closed: str
    closed_by: str
    first_receipt: str | None
    last_receipt: str | None
    first_refund: str | None
    last_refund: str | None
    currency: str
    sales_count: int
    sales: Money
    refunds_count: int
    refunds: Money
    voids_count: int
    voids: Money
    discounts: Money
    rates: tuple[RateLine, ...]
    net: Money
    tax: Money
    gross: Money
    tenders: tuple[tuple[str, Money], ...]
    float_amount: Money
    paid_in: Money
    paid_out: Money
    drops: Money
    no_sales: int
    expected: Money
    counted: Money
    counted_by_denomination: tuple[tuple[str, int], ...]
    over_short: Money
    provisional: bool
    copy: bool = False


def z_doc(uow: UnitOfWork, shift_id: uuid.UUID, *, copy: bool = False) -> ZDoc:
    """The Z of a closed shift as it prints now (provisional until synced, `copy` on reprints)."""
    report = stored_z(uow, shift_id)
    business = profile(uow)
    where = location(uow)
    zone = where.timezone if where else None
    place = ""
    if where is not None:
        place = f"{where.name} ({where.code})" if where.name else where.code
    pushed = uow.conn.execute(select(SyncState.pushed_seq).where(SyncState.id == 1)).scalar()
    seq = report.get("outbox_seq")
    synced = pushed is not None and seq is not None and int(pushed) >= int(seq)
    named = till_name(uow)
    return doc_from(
        report,
        till=f"{named} ({report.get('terminal_code')})" if named else None,
        business=business.name,
        header=business.header,
        location=place or "—",
        timezone=zone,
        provisional=not synced,
        copy=copy,
    )


def doc_from(
    report: dict[str, Any],
    *,
    till: str | None = None,
    business: str,
    header: tuple[str, ...],
    location: str,
    timezone: str | None,
    provisional: bool,
    copy: bool = False,
) -> ZDoc:
    """A `ZDoc` from a frozen report (see `desktop.sales.shifts.close_shift`); `till` is how the
    till is named on paper (by default its terminal code)."""
    currency = str(report["currency"])

    def m(key: str) -> Money:
        return Money.from_minor(int(report.get(key) or 0), currency)

    rates = tuple(
        RateLine(
            code,
            str(r["percent"]),
            Money.from_minor(int(r["net_minor"]), currency),
            Money.from_minor(int(r["tax_minor"]), currency),
            Money.from_minor(int(r.get("gross_minor", r["net_minor"] + r["tax_minor"])), currency),
        )
        for code, r in sorted(report["by_tax_rate"].items())
    )
    return ZDoc(
        z_number=int(report.get("z_number") or 0),
        business=business,
        header=header,
        till=till or str(report.get("terminal_code") or ""),
        location=location,
        opened=local_time(str(report["opened_at"]), timezone),
        opened_by=str(report.get("opened_by") or "—"),
        closed=local_time(str(report["closed_at"]), timezone),
        closed_by=str(report.get("closed_by") or "—"),
        first_receipt=report.get("first_receipt"),
        last_receipt=report.get("last_receipt"),
        first_refund=report.get("first_refund"),
        last_refund=report.get("last_refund"),
        currency=currency,
        sales_count=int(report["sales_count"]),
        sales=m("sales_minor"),
        refunds_count=int(report["refunds_count"]),
        refunds=m("refunds_minor"),
        voids_count=int(report.get("voids_count") or 0),
        voids=m("voids_minor"),
        discounts=m("discounts_minor"),
        rates=rates,
        net=m("net_minor"),
        tax=m("tax_minor"),
        gross=m("gross_minor"),
        tenders=tuple(
            (kind, Money.from_minor(int(v), currency))
            for kind, v in sorted(report["by_tender"].items())
        ),
        float_amount=m("float_minor"),
        paid_in=m("paid_in_minor"),
        paid_out=m("paid_out_minor"),
        drops=m("drops_minor"),
        no_sales=int(report.get("no_sales") or 0),
        expected=m("expected_cash_minor"),
        counted=m("counted_cash_minor"),
        counted_by_denomination=tuple(
            (str(d), int(n)) for d, n in (report.get("counted") or {}).items()
        ),
        over_short=m("over_short_minor"),
        provisional=provisional,
        copy=copy,
    )


def local_time(iso: str, timezone: str | None) -> str:
    """A stored UTC time in the location's zone, e.g. "2026-12-03 17:05 CET" (UTC without one)."""
    at = datetime.fromisoformat(iso)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    try:
        zone = ZoneInfo(timezone) if timezone else UTC
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC  # a zone this machine does not know: UTC, and the print says so
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def _wrap(text: str, width: int) -> list[str]:
    # No hyphen splits either: "Müller-Straße" stays whole when it fits a line.
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _center(text: str, width: int) -> list[str]:
    return [piece.center(width).rstrip() for piece in _wrap(text, width)]


def _row(left: str, right: str, width: int) -> list[str]:
    """`left`, and `right` right-aligned on the same line when both fit, else on the next."""
    if len(left) + 1 + len(right) <= width:
        return [f"{left:<{width - len(right)}}{right}"]
    return [*_wrap(left, width), *(piece.rjust(width) for piece in _wrap(right, width))]


def _amount(money: Money) -> str:
    return f"{money.amount:.2f}"


def z_lines(doc: ZDoc, width: int) -> list[str]:
    """The Z as lines of at most `width` characters (also what the golden files hold)."""
    rule = "-" * width
    out = _center(doc.business, width)
    for line in doc.header:
        out += _center(line, width)
    if doc.copy:
        out += _center(COPY, width)
    out += _center(f"Z REPORT No. {doc.z_number}", width)
    if doc.provisional:
        out += _center(PROVISIONAL, width)
    out.append(rule)
    out += _row("Till", doc.till, width)
    out += _row("Location", doc.location, width)
    out += _row("Opened", doc.opened, width)
    out += _row("Opened by", doc.opened_by, width)
    out += _row("Closed", doc.closed, width)
    out += _row("Closed by", doc.closed_by, width)
    out += _row("First receipt", doc.first_receipt or "none", width)
    out += _row("Last receipt", doc.last_receipt or "none", width)
    if doc.first_refund:
        out += _row("First refund", doc.first_refund, width)
        out += _row("Last refund", doc.last_refund or doc.first_refund, width)
    out.append(rule)
    out += _row("Amounts in", doc.currency, width)
    out += _row(f"Sales ({doc.sales_count})", _amount(doc.sales), width)
    out += _row(f"Refunds ({doc.refunds_count})", _amount(doc.refunds), width)
    out += _row(f"Voided lines ({doc.voids_count})", _amount(doc.voids), width)
    out += _row("Discounts given", _amount(doc.discounts), width)
    out.append(rule)
    out += _wrap("Tax by rate", width)
    for rate in doc.rates:
        out += _wrap(f"{rate.code} {rate.percent}%", width)
        out += _row("  Net", _amount(rate.net), width)
        out += _row("  Tax", _amount(rate.tax), width)
        out += _row("  Gross", _amount(rate.gross), width)
    out += _row("Total net", _amount(doc.net), width)
    out += _row("Total tax", _amount(doc.tax), width)
    out += _row("Total gross", _amount(doc.gross), width)
    out.append(rule)
    out += _wrap("Tenders", width)
    for kind, amount in doc.tenders:
        out += _row(f"  {kind.capitalize()}", _amount(amount), width)
    out.append(rule)
    out += _wrap("Cash drawer", width)
    out += _row("  Float", _amount(doc.float_amount), width)
    out += _row("  Paid in", _amount(doc.paid_in), width)
    out += _row("  Paid out", _amount(doc.paid_out), width)
    out += _row("  Cash drops", _amount(doc.drops), width)
    out += _row("  No-sale opens", str(doc.no_sales), width)
    out += _row("Expected in drawer", _amount(doc.expected), width)
    out += _wrap("Counted", width)
    for denomination, count in doc.counted_by_denomination:
        value = Money(denomination, doc.currency) * count
        out += _row(f"  {denomination} x {count}", _amount(value), width)
    out += _row("Counted total", _amount(doc.counted), width)
    out += _row("Over/short", _amount(doc.over_short), width)
    out.append(rule)
    if doc.copy:
        out += _center(COPY, width)
    out += _center(f"End of Z report No. {doc.z_number}", width)
    return out


def render_z(doc: ZDoc, paper: Paper | None = None) -> bytes:
    """ESC/POS bytes of the Z, laid out to the paper's columns, then a cut."""
    paper = paper or Paper()
    printer = new_document(paper.code_page)
    for line in z_lines(doc, paper.columns):
        write_line(printer, line)
    return finish(printer, paper.cutter)
