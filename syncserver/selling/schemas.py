"""Request and answer shapes of `/v1/selling-rules`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from shared.money import RoundingMode
from shared.tax import TaxRounding

# A cash total is rounded to a multiple of this (1 = to the cent; 5 = to 0.05 as in CHF);
# more than 100 units of a currency is no rounding anyone uses.
CASH_ROUNDING_MAX = 10_000
MAX_CHANGE_MAX = 10**12


class SellingRulesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prices_include_tax: bool = Field(strict=True)
    cash_rounding_minor: int = Field(ge=1, le=CASH_ROUNDING_MAX, strict=True)
    max_change_minor: int = Field(ge=0, le=MAX_CHANGE_MAX, strict=True)
    rounding: RoundingMode
    tax_rounding: TaxRounding


class SellingRulesOut(SellingRulesIn):
    pass
