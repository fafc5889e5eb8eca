"""The server's second look at a pushed sale: do its figures add up, with the till's own rates?

The till prices with `shared.tax.price_ticket`; the server runs the same function again on the
lines as pushed (unit price, quantity, discount, the rates the till applied) and compares every
figure. A mismatch never changes the sale: it is kept as the till recorded it (the money moved)
and goes to review with both figures, so a person sees what the till said and what it should be.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shared.errors import NovaError
from shared.money import Money, RoundingMode
from shared.tax import TaxLine, TaxRate, TaxRounding, price_ticket


def _minor(value: Any) -> int:
    return int(value or 0)


def recheck_sale(p: dict[str, Any]) -> list[str]:
    """What does not add up in a `ticket.finalized` payload (already shape-checked by
    `shared.facts.check_fact`), each problem with both figures; [] when everything does."""
    problems: list[str] = []
    gross, tax = _minor(p.get("gross_minor")), _minor(p.get("tax_minor"))
    net = p.get("net_minor")
    lines: list[dict[str, Any]] = list(p.get("lines") or [])
    if tax < 0 <= gross:
        problems.append(f"tax is negative: {tax}")
    if net is not None and int(net) + tax != gross:
        problems.append(f"net {net} + tax {tax} = {int(net) + tax}, the ticket says gross {gross}")
    line_gross = sum(_minor(ln.get("gross_minor")) for ln in lines)
    if line_gross != gross:
        problems.append(f"lines add up to {line_gross}, the ticket says {gross}")
    line_tax = sum(_minor(ln.get("tax_minor")) for ln in lines)
    if lines and line_tax != tax:
        problems.append(f"line taxes add up to {line_tax}, the ticket says {tax}")
    for i, ln in enumerate(lines):
        by_rate = sum(int(t[2]) for t in ln.get("taxes") or [])
        if by_rate != _minor(ln.get("tax_minor")):
            problems.append(f"line {i + 1}: taxes per rate add up to {by_rate}, "
                            f"the line says {_minor(ln.get('tax_minor'))}")  # fmt: skip
    pricing = p.get("pricing")
    if isinstance(pricing, dict) and lines:
        problems += _reprice(p, lines, pricing)
    return problems


def _reprice(p: dict[str, Any], lines: list[dict[str, Any]], pricing: dict[str, Any]) -> list[str]:
    """Price the lines again with the shared tax code and the till's own rates and modes."""
    currency = str(p["currency"])
    try:
        inclusive = bool(pricing["inclusive"])
        rounding = RoundingMode(pricing.get("rounding", RoundingMode.HALF_UP.value))
        tax_rounding = TaxRounding(pricing.get("tax_rounding", TaxRounding.PER_LINE.value))
        tax_lines = [
            TaxLine(
                Money.from_minor(int(ln["unit_price_minor"]), currency),
                Decimal(str(ln["quantity"])),
                tuple(TaxRate(str(code), Decimal(str(pct))) for code, pct, _ in ln["taxes"]),
                Money.from_minor(int(ln["discount_minor"]), currency)
                if ln.get("discount_minor")
                else None,
            )
            for ln in lines
        ]
        totals = price_ticket(
            tax_lines,
            inclusive=inclusive,
            rounding=rounding,
            tax_rounding=tax_rounding,
            currency=currency,
        )
    except (NovaError, ValueError, KeyError, TypeError, ArithmeticError) as exc:
        return [f"the lines cannot be priced again: {str(exc)[:200]}"]
    problems = []
    for i, (ln, priced) in enumerate(zip(lines, totals.lines, strict=True)):
        said, should = _minor(ln.get("gross_minor")), priced.gross.minor_units
        if said != should:
            problems.append(
                f"line {i + 1}: gross {said}, but {ln['unit_price_minor']} × {ln['quantity']}"
                f" − discount {_minor(ln.get('discount_minor'))} gives {should}"
            )
        taxes_said = {str(t[0]): int(t[2]) for t in ln["taxes"]}
        taxes_should = {code: m.minor_units for code, m in priced.taxes}
        if taxes_said != taxes_should:
            problems.append(f"line {i + 1}: taxes {taxes_said}, recomputed {taxes_should}")
    if totals.gross.minor_units != _minor(p.get("gross_minor")):
        problems.append(
            f"recomputed gross {totals.gross.minor_units}, the ticket says {p.get('gross_minor')}"
        )
    if totals.tax.minor_units != _minor(p.get("tax_minor")):
        problems.append(
            f"recomputed tax {totals.tax.minor_units}, the ticket says {p.get('tax_minor')}"
        )
    return problems
