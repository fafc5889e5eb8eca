"""Pricing an open ticket: line and ticket discounts, then the shared tax code."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from desktop.catalog.service import tax_rates
from desktop.db.uow import UnitOfWork
from desktop.sales.config import load
from desktop.sales.discounts import discount_units, parse_percent
from desktop.sales.tickets import LineRow, TicketHead, live_lines, ticket_head
from shared.money import Money
from shared.tax import TaxLine, TicketTotals, price_ticket


def ticket_totals(
    uow: UnitOfWork,
    ticket_id: uuid.UUID,
    lines: Sequence[LineRow] | None = None,
    head: TicketHead | None = None,
    *,
    discounts: Literal["all", "lines", "none"] = "all",
) -> TicketTotals:
    """Price the ticket's live lines with the shared tax code (screen, receipt, server agree).

    Line discounts apply first; a ticket discount is then allocated over the lines in
    proportion to what is left of each, so every line carries its exact share. `discounts`
    leaves out the ticket's ("lines") or every discount ("none"): what a receipt shows as the
    prices before them.
    """
    config = load(uow)
    ticket = head or ticket_head(uow, ticket_id)
    lines = live_lines(uow, ticket_id) if lines is None else lines
    rates = {c: tax_rates(uow, c) for c in {line.tax_class for line in lines}}
    mode = config.rounding.decimal_mode
    quantities = [Decimal(line.quantity) for line in lines]
    bases, line_off = [], []
    for line, qty in zip(lines, quantities, strict=True):
        # Price × quantity rounded to the cent, computed in minor units (exact: no float).
        base = int((line.unit_price_minor * qty).to_integral_value(rounding=mode))
        bases.append(base)
        off = discount_units(
            base, parse_percent(line.discount_percent), line.discount_minor, config
        )
        line_off.append(off if discounts != "none" else 0)
    remaining = [b - o for b, o in zip(bases, line_off, strict=True)]
    ticket_off = discount_units(
        sum(remaining), parse_percent(ticket.discount_percent), ticket.discount_minor, config
    )
    if discounts != "all":
        ticket_off = 0
    shares = (
        [m.minor_units for m in Money.from_minor(ticket_off, config.currency).allocate(remaining)]
        if ticket_off and any(remaining)
        else [0] * len(lines)
    )
    return price_ticket(
        [
            TaxLine(
                Money.from_minor(line.unit_price_minor, config.currency),
                qty,
                rates[line.tax_class],
                Money.from_minor(off + share, config.currency) if off + share else None,
            )
            for line, qty, off, share in zip(lines, quantities, line_off, shares, strict=True)
        ],
        inclusive=config.prices_include_tax,
        rounding=config.rounding,
        tax_rounding=config.tax_rounding,
        currency=config.currency,
    )
