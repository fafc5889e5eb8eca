"""Money: exact Decimal amounts, one currency at a time, allocation that always sums back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.errors import ValidationFailed
from shared.money import Money, RoundingMode, sum_money

CURRENCIES = st.sampled_from(["EUR", "USD", "JPY", "KWD", "CLP", "GBP"])
MINOR = st.integers(min_value=-(10**12), max_value=10**12)


@st.composite
def money(draw: st.DrawFn, currency: str | None = None) -> Money:
    return Money.from_minor(draw(MINOR), currency or draw(CURRENCIES))


class TestConstruction:
    def test_float_is_refused(self) -> None:
        with pytest.raises(TypeError, match="never float"):
            Money(19.99, "EUR")  # type: ignore[arg-type]

    def test_unknown_currency_is_a_validation_error(self) -> None:
        with pytest.raises(ValidationFailed, match="unknown currency"):
            Money("1", "XXY")

    def test_garbage_text_is_a_validation_error(self) -> None:
        with pytest.raises(ValidationFailed):
            Money("12,5", "EUR")

    @pytest.mark.parametrize(
        ("minor", "currency", "text"),
        [(1999, "EUR", "EUR 19.99"), (1999, "JPY", "JPY 1999"), (1999, "KWD", "KWD 1.999")],
    )
    def test_minor_units_follow_the_currency_exponent(
        self, minor: int, currency: str, text: str
    ) -> None:
        m = Money.from_minor(minor, currency)
        assert str(m) == text
        assert m.minor_units == minor

    def test_sub_minor_amount_cannot_be_stored_without_rounding(self) -> None:
        with pytest.raises(ValidationFailed, match="round it first"):
            Money("0.005", "EUR").to_storage()


class TestArithmetic:
    def test_mixing_currencies_is_refused(self) -> None:
        with pytest.raises(ValidationFailed, match="cannot mix EUR and USD"):
            Money("1", "EUR") + Money("1", "USD")

    def test_comparing_currencies_is_refused(self) -> None:
        with pytest.raises(ValidationFailed):
            _ = Money("1", "EUR") < Money("2", "USD")

    def test_money_times_money_is_refused(self) -> None:
        with pytest.raises(TypeError):
            Money("1", "EUR") * Money("2", "EUR")  # type: ignore[operator]

    @given(st.data())
    def test_addition_is_commutative_and_associative(self, data: st.DataObject) -> None:
        cur = data.draw(CURRENCIES)
        a, b, c = (data.draw(money(cur)) for _ in range(3))
        assert a + b == b + a
        assert (a + b) + c == a + (b + c)
        assert a - b + b == a

    @given(money())
    def test_storage_round_trip_is_exact(self, m: Money) -> None:
        assert Money.from_storage(*m.to_storage()) == m

    def test_sum_of_nothing_is_zero_in_the_currency(self) -> None:
        assert sum_money([], "EUR") == Money.zero("EUR")


class TestRounding:
    @pytest.mark.parametrize(
        ("amount", "half_up", "half_even"),
        [("0.125", "0.13", "0.12"), ("0.135", "0.14", "0.14"), ("-0.125", "-0.13", "-0.12")],
    )
    def test_modes_differ_only_on_exact_halves(
        self, amount: str, half_up: str, half_even: str
    ) -> None:
        m = Money(amount, "EUR")
        assert m.quantize(RoundingMode.HALF_UP) == Money(half_up, "EUR")
        assert m.quantize(RoundingMode.HALF_EVEN) == Money(half_even, "EUR")

    def test_jpy_rounds_to_whole_yen(self) -> None:
        assert Money("100.5", "JPY").quantize() == Money("101", "JPY")


class TestAllocate:
    def test_three_way_split_of_ten_cents(self) -> None:
        parts = Money("0.10", "EUR").allocate([1, 1, 1])
        assert parts == [Money("0.04", "EUR"), Money("0.03", "EUR"), Money("0.03", "EUR")]

    @given(
        money(),
        st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12).filter(any),
    )
    def test_parts_always_sum_back(self, m: Money, ratios: list[int]) -> None:
        parts = m.allocate(ratios)
        assert sum_money(parts, m.currency) == m
        assert len(parts) == len(ratios)

    @given(money(), st.integers(min_value=1, max_value=20))
    def test_equal_ratios_differ_by_at_most_one_minor_unit(self, m: Money, n: int) -> None:
        units = [p.minor_units for p in m.allocate([1] * n)]
        assert max(units) - min(units) <= 1

    @pytest.mark.parametrize("ratios", [[], [0, 0], [1, -1]])
    def test_bad_ratios_are_refused(self, ratios: list[int]) -> None:
        with pytest.raises(ValidationFailed):
            Money("1", "EUR").allocate(ratios)

    @given(money(), st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=6))
    def test_allocation_is_deterministic_and_mirrors_for_negatives(
        self, m: Money, ratios: list[int]
    ) -> None:
        assert m.allocate(ratios) == m.allocate(ratios)
        assert [-p for p in m.allocate(ratios)] == (-m).allocate(ratios)


def test_decimal_inputs_keep_full_precision() -> None:
    assert (Money(Decimal("0.1"), "EUR") * 3).amount == Decimal("0.3")
