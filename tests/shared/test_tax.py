"""Ticket pricing: lines always sum to totals, inclusive prices stay as entered, refunds mirror."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.errors import ValidationFailed
from shared.money import Money, RoundingMode
from shared.tax import TaxLine, TaxRate, TaxRounding, TicketTotals, distribute, price_ticket

EUR = "EUR"
VAT19 = TaxRate("VAT19", Decimal(19))
VAT7 = TaxRate("VAT7", Decimal(7))
ZERO = TaxRate("ZERO", Decimal(0))
RATE_SETS = st.sampled_from([(), (VAT19,), (VAT7,), (ZERO,), (VAT19, VAT7), (VAT7, ZERO)])
QTY = st.one_of(
    st.integers(min_value=1, max_value=50).map(Decimal),
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal(20), places=3),
)


@st.composite
def lines(draw: st.DrawFn) -> list[TaxLine]:
    out = []
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        price = Money.from_minor(draw(st.integers(min_value=0, max_value=100_000)), EUR)
        disc = Money.from_minor(draw(st.integers(min_value=0, max_value=500)), EUR)
        out.append(TaxLine(price, draw(QTY), draw(RATE_SETS), disc))
    return out


def price(
    ls: list[TaxLine],
    inclusive: bool,
    tr: TaxRounding,
    mode: RoundingMode = RoundingMode.HALF_UP,
) -> TicketTotals:
    return price_ticket(ls, inclusive=inclusive, rounding=mode, tax_rounding=tr, currency=EUR)


def units(m: Money) -> int:
    return m.minor_units


MODES = st.sampled_from(list(TaxRounding))


class TestWorkedExamples:
    def test_inclusive_19_percent(self) -> None:
        t = price([TaxLine(Money("11.90", EUR), Decimal(1), (VAT19,))], True, TaxRounding.PER_LINE)
        assert (t.net, t.tax, t.gross) == (
            Money("10.00", EUR),
            Money("1.90", EUR),
            Money("11.90", EUR),
        )

    def test_exclusive_two_rates_on_one_line(self) -> None:
        t = price(
            [TaxLine(Money("10.00", EUR), Decimal(1), (VAT19, VAT7))], False, TaxRounding.PER_LINE
        )
        assert t.lines[0].taxes == (("VAT19", Money("1.90", EUR)), ("VAT7", Money("0.70", EUR)))
        assert t.gross == Money("12.60", EUR)

    def test_per_line_and_per_ticket_rounding_can_differ_by_a_cent(self) -> None:
        ls = [TaxLine(Money("0.99", EUR), Decimal(1), (VAT19,)) for _ in range(3)]
        per_line = price(ls, False, TaxRounding.PER_LINE)  # 3 x round(0.1881) = 0.57
        per_ticket = price(ls, False, TaxRounding.PER_TICKET)  # round(0.5643) = 0.56
        assert per_line.tax == Money("0.57", EUR)
        assert per_ticket.tax == Money("0.56", EUR)
        assert [units(lt.tax) for lt in per_ticket.lines] == [19, 19, 18]

    def test_weighed_quantity(self) -> None:
        t = price(
            [TaxLine(Money("12.99", EUR), Decimal("0.385"), (VAT7,))], True, TaxRounding.PER_LINE
        )
        assert t.gross == Money("5.00", EUR)  # 4.99115 -> 5.00 half-up

    def test_line_in_another_currency_is_refused(self) -> None:
        with pytest.raises(ValidationFailed, match="ticket currency"):
            price([TaxLine(Money("1", "USD"), Decimal(1))], True, TaxRounding.PER_LINE)

    def test_one_code_with_two_percentages_is_refused(self) -> None:
        other = TaxRate("VAT19", Decimal(16))
        ls = [
            TaxLine(Money("1", EUR), Decimal(1), (VAT19,)),
            TaxLine(Money("1", EUR), Decimal(1), (other,)),
        ]
        with pytest.raises(ValidationFailed, match="two different rates"):
            price(ls, True, TaxRounding.PER_LINE)

    def test_float_percent_is_refused(self) -> None:
        with pytest.raises(TypeError):
            TaxRate("X", 19.0)  # type: ignore[arg-type]


class TestInvariants:
    @given(lines(), st.booleans(), MODES, st.sampled_from(list(RoundingMode)))
    def test_lines_sum_to_ticket_and_rates_sum_to_tax(
        self, ls: list[TaxLine], inclusive: bool, tr: TaxRounding, mode: RoundingMode
    ) -> None:
        t = price(ls, inclusive, tr, mode)
        assert sum(units(lt.net) for lt in t.lines) == units(t.net)
        assert sum(units(lt.tax) for lt in t.lines) == units(t.tax)
        assert sum(units(lt.gross) for lt in t.lines) == units(t.gross)
        assert sum(units(r.tax) for r in t.rates) == units(t.tax)
        assert units(t.net) + units(t.tax) == units(t.gross)
        for lt in t.lines:
            assert units(lt.net) + units(lt.tax) == units(lt.gross)

    @given(lines(), MODES)
    def test_inclusive_gross_is_the_entered_amount(
        self, ls: list[TaxLine], tr: TaxRounding
    ) -> None:
        t = price(ls, True, tr)
        for line, lt in zip(ls, t.lines, strict=True):
            entered = line.unit_price * line.quantity - (line.discount or Money.zero(EUR))
            assert lt.gross == entered.quantize()

    @given(lines(), st.booleans(), MODES)
    def test_refund_lines_mirror_sale_lines(
        self, ls: list[TaxLine], inclusive: bool, tr: TaxRounding
    ) -> None:
        refund = [
            TaxLine(x.unit_price, -x.quantity, x.rates, -(x.discount or Money.zero(EUR)))
            for x in ls
        ]
        sale, back = price(ls, inclusive, tr), price(refund, inclusive, tr)
        assert (back.net, back.tax, back.gross) == (-sale.net, -sale.tax, -sale.gross)
        for a, b in zip(sale.lines, back.lines, strict=True):
            assert [(c, -m) for c, m in a.taxes] == list(b.taxes)

    @given(lines(), st.booleans())
    def test_per_ticket_tax_is_within_a_cent_per_line_of_per_line_tax(
        self, ls: list[TaxLine], inclusive: bool
    ) -> None:
        a = price(ls, inclusive, TaxRounding.PER_LINE)
        b = price(ls, inclusive, TaxRounding.PER_TICKET)
        assert abs(units(a.tax) - units(b.tax)) <= len(ls)


class TestDistribute:
    @given(
        st.integers(min_value=-(10**6), max_value=10**6),
        st.lists(st.decimals(min_value=-1000, max_value=1000, places=4), min_size=1, max_size=10),
    )
    def test_shares_sum_to_total_and_mirror(self, total: int, exact: list[Decimal]) -> None:
        shares = distribute(total, exact)
        assert sum(shares) == total
        assert distribute(-total, [-e for e in exact]) == [-s for s in shares]
