"""Shapes of `/v1/tax/*` and `/v1/catalog/tax-classes`: percents are decimal strings."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

CLASS_CODE = r"^[A-Za-z0-9_-]{1,32}$"
RATE_CODE = r"^[A-Za-z0-9._-]{1,16}$"
LOCATION_CODE = r"^[A-Za-z0-9_-]{1,16}$"


def percent_text(value: str) -> str:
    """A tax percent as stored and sent: "19", "5.5", "8.875" (0 ≤ p < 100, ≤ 4 decimals).

    Raises:
        ValueError: not such a number (pydantic makes it a VALIDATION error naming the field).
    """
    if not value.isascii():  # Decimal() would take other scripts' digits too
        raise ValueError("a percent such as 19 or 5.5")
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise ValueError("a percent such as 19 or 5.5") from None
    if not number.is_finite() or not Decimal(0) <= number < Decimal(100):
        raise ValueError("a percent from 0 up to (not including) 100")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        raise ValueError("at most 4 decimals")
    return format(number.normalize(), "f")


Percent = Annotated[str, Field(min_length=1, max_length=12), AfterValidator(percent_text)]


class RateIO(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=RATE_CODE)
    percent: Percent


class TaxClassIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rates: list[RateIO] = Field(max_length=8)


class TaxClassOut(BaseModel):
    code: str
    rates: list[RateIO]
    # location code -> the class's rates there, where the business set its own
    locations: dict[str, list[RateIO]] = Field(default_factory=dict)


class PresetOut(BaseModel):
    country: str
    name: str
    prices_include_tax: bool
    classes: list[TaxClassOut]


class ApplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rate_percent: Percent | None = None
    # A location code: the preset becomes that shop's rates (the class's own stay as they are)
    location: str | None = Field(default=None, pattern=LOCATION_CODE)


class AppliedOut(BaseModel):
    country: str
    prices_include_tax: bool
    classes: list[TaxClassOut]
    changed: bool  # false when the preset was already in place
