"""Ticket pricing: taxes for inclusive or exclusive prices, several rates a line, exact sums.

The terminal calls `price_ticket` while selling and the server calls it again when it re-checks a
pushed sale: same code, same cents. Invariants (property-tested):
- the lines' nets, taxes and grosses sum to the ticket's; the per-rate summary sums to the tax;
- with inclusive prices every line's gross is exactly its entered price × quantity − discount;
- negating every quantity and discount (a refund) negates every figure.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from shared.errors import ValidationFailed
from shared.money import Money, RoundingMode

HUNDRED = Decimal(100)


class TaxRounding(StrEnum):
    """Where tax is rounded to cents: on each line, or once per rate for the whole ticket."""

    PER_LINE = "per_line"
    PER_TICKET = "per_ticket"


@dataclass(frozen=True)
class TaxRate:
    """One tax a line carries, e.g. `TaxRate("VAT19", Decimal("19"))` (percent of the net)."""

    code: str
    percent: Decimal

    def __post_init__(self) -> None:
        if not isinstance(self.percent, Decimal):
            raise TypeError("tax percent is a Decimal, never float")
        if self.percent < 0:
            raise ValidationFailed("a tax rate cannot be negative", details={"code": self.code})


@dataclass(frozen=True)
class TaxLine:
    """A priced line: unit price (gross or net per ticket mode), quantity, discount, rates.

    `discount` is an amount off the line in the line's own sign (negative on refund lines).
    """

    unit_price: Money
    quantity: Decimal
    rates: tuple[TaxRate, ...] = ()
    discount: Money | None = None


@dataclass(frozen=True)
class LineTotals:
    net: Money
    taxes: tuple[tuple[str, Money], ...]
    gross: Money

    @property
    def tax(self) -> Money:
        return Money(sum((t.amount for _, t in self.taxes), Decimal(0)), self.net.currency)


@dataclass(frozen=True)
class RateSummary:
    code: str
    percent: Decimal
    base: Money
    tax: Money


@dataclass(frozen=True)
class TicketTotals:
    lines: tuple[LineTotals, ...]
    rates: tuple[RateSummary, ...]
    net: Money
    tax: Money
    gross: Money
    currency: str


def _round(value: Decimal, exponent: int, rounding: RoundingMode) -> int:
    """Round an amount to an integer number of minor units."""
    return int(value.scaleb(exponent).to_integral_value(rounding=rounding.decimal_mode))


def distribute(total: int, exact: Sequence[Decimal]) -> list[int]:
    """Integers close to `exact` (minor units) that sum to `total`; deterministic, sign-symmetric.

    Each share starts truncated toward zero; the difference to `total` is made up one unit at a
    time on the shares whose remainders point most that way, ties to the lowest index.
    """
    if total < 0:
        return [-x for x in distribute(-total, [-e for e in exact])]
    shares = [int(e.to_integral_value(rounding=decimal.ROUND_DOWN)) for e in exact]
    diff = total - sum(shares)
    step = 1 if diff > 0 else -1
    rest = [e - s for e, s in zip(exact, shares, strict=True)]
    order = sorted(range(len(shares)), key=lambda i: (-step * rest[i], i))
    for n in range(abs(diff)):
        shares[order[n % len(order)]] += step
    return shares


def price_ticket(
    lines: Sequence[TaxLine],
    *,
    inclusive: bool,
    rounding: RoundingMode,
    tax_rounding: TaxRounding,
    currency: str,
) -> TicketTotals:
    """Price a ticket's lines.

    Args:
        lines: the lines; every amount must be in `currency`.
        inclusive: prices include tax (retail in most of Europe) or exclude it (US-style).
        rounding: the tenant's rounding mode to minor units.
        tax_rounding: per line, or per rate across the ticket.
        currency: ticket currency.

    Returns:
        Totals per line, per rate and for the ticket; all figures quantized.

    Raises:
        ValidationFailed: a line in another currency, or a rate code with two percentages.
    """
    zero = Money.zero(currency)
    exp = zero.exponent
    percents: dict[str, Decimal] = {}
    bases: list[int] = []  # each line's entered amount (gross if inclusive, else net), minor units
    exact: list[dict[str, Decimal]] = []  # exact tax per line per rate, in minor units
    for line in lines:
        discount = line.discount or zero
        if line.unit_price.currency != currency or discount.currency != currency:
            raise ValidationFailed(
                "every line must be priced in the ticket currency",
                details={"currency": currency, "line_currency": line.unit_price.currency},
            )
        amount = line.unit_price.amount * Decimal(line.quantity) - discount.amount
        base = _round(amount, exp, rounding)
        total_pct = sum((r.percent for r in line.rates), Decimal(0))
        net_exact = Decimal(base) / (1 + total_pct / HUNDRED) if inclusive else Decimal(base)
        taxes: dict[str, Decimal] = {}
        for rate in line.rates:
            if percents.setdefault(rate.code, rate.percent) != rate.percent:
                raise ValidationFailed(
                    f"tax code {rate.code} has two different rates on one ticket",
                    details={"code": rate.code},
                )
            taxes[rate.code] = taxes.get(rate.code, Decimal(0)) + net_exact * rate.percent / HUNDRED
        bases.append(base)
        exact.append(taxes)

    codes = sorted(percents)
    line_taxes: list[dict[str, int]] = [{} for _ in lines]
    if tax_rounding is TaxRounding.PER_LINE:
        for i, taxes in enumerate(exact):
            line_total = _round_units(sum(taxes.values(), Decimal(0)), rounding)
            keys = sorted(taxes)
            for code, units in zip(
                keys, distribute(line_total, [taxes[k] for k in keys]), strict=True
            ):
                line_taxes[i][code] = units
    else:
        for code in codes:
            column = [taxes.get(code, Decimal(0)) for taxes in exact]
            ticket_tax = _round_units(sum(column, Decimal(0)), rounding)
            for i, units in enumerate(distribute(ticket_tax, column)):
                if code in exact[i]:
                    line_taxes[i][code] = units

    line_totals = []
    for base, taxes_units in zip(bases, line_taxes, strict=True):
        tax_units = sum(taxes_units.values())
        net_units, gross_units = (base - tax_units, base) if inclusive else (base, base + tax_units)
        line_totals.append(
            LineTotals(
                net=Money.from_minor(net_units, currency),
                taxes=tuple(
                    (code, Money.from_minor(u, currency)) for code, u in sorted(taxes_units.items())
                ),
                gross=Money.from_minor(gross_units, currency),
            )
        )
    summaries = tuple(
        RateSummary(
            code=code,
            percent=percents[code],
            base=Money.from_minor(
                sum(
                    lt.net.minor_units
                    for lt, tu in zip(line_totals, line_taxes, strict=True)
                    if code in tu
                ),
                currency,
            ),
            tax=Money.from_minor(sum(tu.get(code, 0) for tu in line_taxes), currency),
        )
        for code in codes
    )
    return TicketTotals(
        lines=tuple(line_totals),
        rates=summaries,
        net=Money.from_minor(sum(lt.net.minor_units for lt in line_totals), currency),
        tax=Money.from_minor(sum(sum(tu.values()) for tu in line_taxes), currency),
        gross=Money.from_minor(sum(lt.gross.minor_units for lt in line_totals), currency),
        currency=currency,
    )


def _round_units(units: Decimal, rounding: RoundingMode) -> int:
    return int(units.to_integral_value(rounding=rounding.decimal_mode))
