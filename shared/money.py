"""`Money`: a Decimal amount in one ISO 4217 currency. Never float; mixing currencies is an error.

Stored in databases as integer minor units beside a currency column (`to_storage`).
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Self

from shared.currency import check_currency, minor_units
from shared.errors import ValidationFailed


class RoundingMode(StrEnum):
    """How a tenant rounds amounts to the currency's minor unit."""

    HALF_UP = "half_up"  # 0.005 -> 0.01, -0.005 -> -0.01 (away from zero)
    HALF_EVEN = "half_even"  # banker's rounding: 0.005 -> 0.00, 0.015 -> 0.02

    @property
    def decimal_mode(self) -> str:
        return decimal.ROUND_HALF_UP if self is RoundingMode.HALF_UP else decimal.ROUND_HALF_EVEN


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, bool | float):
        raise TypeError("money is never float: pass a Decimal, int or str")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationFailed("amount must be a finite number")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            parsed = Decimal(value.strip())
        except decimal.InvalidOperation:
            raise ValidationFailed(f"not an amount: {value!r}") from None
        return _to_decimal(parsed)
    raise TypeError(f"cannot make money from {type(value).__name__}")


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount; may carry more decimals than the currency until `quantize`d."""

    amount: Decimal
    currency: str

    def __init__(self, amount: Decimal | int | str, currency: str) -> None:
        object.__setattr__(self, "amount", _to_decimal(amount))
        object.__setattr__(self, "currency", check_currency(currency))

    # ------------------------------------------------------------------ constructors
    @classmethod
    def _of(cls, amount: Decimal, currency: str) -> Self:
        """Trusted constructor: `amount` comes from Decimal arithmetic on checked money and
        `currency` from a Money already made. Skips validation on the selling hot path."""
        made = object.__new__(cls)
        object.__setattr__(made, "amount", amount)
        object.__setattr__(made, "currency", currency)
        return made

    @classmethod
    def zero(cls, currency: str) -> Self:
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Self:
        """`Money.from_minor(1999, "EUR")` is EUR 19.99."""
        if type(minor) is not int:  # bool is an int subclass: refused too
            raise TypeError("minor units are an int")
        return cls._of(Decimal(minor).scaleb(-minor_units(currency)), currency)

    from_storage = from_minor

    # ------------------------------------------------------------------ conversions
    @property
    def exponent(self) -> int:
        return minor_units(self.currency)

    @property
    def minor_units(self) -> int:
        """The amount in minor units, exactly.

        Raises:
            ValidationFailed: the amount has more decimals than the currency (round first).
        """
        scaled = self.amount.scaleb(self.exponent)
        if scaled != scaled.to_integral_value():
            raise ValidationFailed(
                f"{self} has more decimals than {self.currency} allows; round it first",
                details={"amount": str(self.amount), "currency": self.currency},
            )
        return int(scaled)

    def to_storage(self) -> tuple[int, str]:
        """(minor units, currency) for an integer column beside a currency column."""
        return self.minor_units, self.currency

    def quantize(self, rounding: RoundingMode = RoundingMode.HALF_UP) -> Money:
        """Round to the currency's minor unit with the tenant's rounding mode."""
        quantum = Decimal(1).scaleb(-self.exponent)
        return Money._of(
            self.amount.quantize(quantum, rounding=rounding.decimal_mode), self.currency
        )

    @property
    def is_quantized(self) -> bool:
        return self.amount == self.quantize().amount

    # ------------------------------------------------------------------ arithmetic
    def _same(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise ValidationFailed(
                f"cannot mix {self.currency} and {other.currency}",
                details={"currencies": [self.currency, other.currency]},
            )
        return other

    def __add__(self, other: Money) -> Money:
        return Money._of(self.amount + self._same(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money._of(self.amount - self._same(other).amount, self.currency)

    def __neg__(self) -> Money:
        return Money._of(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money._of(abs(self.amount), self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        # _to_decimal refuses Money (and float): money times money has no meaning.
        return Money._of(self.amount * _to_decimal(factor), self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other).amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other).amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other).amount

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.currency == other.currency and self.amount == other.amount

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))

    def is_zero(self) -> bool:
        return self.amount == 0

    def allocate(self, ratios: Sequence[Decimal | int]) -> list[Money]:
        """Split into parts proportional to `ratios` that sum back exactly.

        The amount is first rounded half-up to minor units; leftover minor units go to the
        parts with the largest remainders, ties to the lowest index (deterministic).

        Raises:
            ValidationFailed: no ratios, a negative ratio, or all ratios zero.
        """
        weights = [_to_decimal(r) for r in ratios]
        if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
            raise ValidationFailed("allocation needs non-negative ratios with a positive sum")
        total = self.quantize().minor_units
        sign = -1 if total < 0 else 1
        magnitude = abs(total)
        weight_sum = sum(weights)
        exact = [Decimal(magnitude) * w / weight_sum for w in weights]
        parts = [int(x.to_integral_value(rounding=decimal.ROUND_FLOOR)) for x in exact]
        leftover = magnitude - sum(parts)
        order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - parts[i]), i))
        for i in order[:leftover]:
            parts[i] += 1
        return [Money.from_minor(sign * p, self.currency) for p in parts]

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:.{max(self.exponent, 0)}f}"

    def __repr__(self) -> str:
        return f"Money('{self.amount}', '{self.currency}')"


def sum_money(items: Iterable[Money], currency: str) -> Money:
    """Sum of `items` (zero in `currency` when empty); mixing currencies raises."""
    total = Money.zero(currency)
    for item in items:
        total = total + item
    return total
