"""What a catalog form's fields may hold, as plain rules (no database): prices as typed, EAN/UPC
barcodes with their check digit, SKUs and the SKU a name suggests.

Each check returns the problem in a shop owner's words (None: fine), so a form can show every
problem beside its field at once instead of stopping at the first.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from shared.currency import minor_units
from shared.errors import ValidationFailed
from shared.gtin import barcode_problem as barcode_problem  # its home is shared (server CSV too)
from shared.limits import MINOR_MAX, has_control
from shared.money import Money

SKU_MAX = 64  # items.sku
NAME_MAX = 200  # items.name
GROUP_NAME_MAX = 120  # categories.name, modifier_groups.name, modifiers.name
SKU_SUGGESTED_MAX = 24  # a suggestion stays short enough to type and print
SKU_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")


def invalid(problems: dict[str, str]) -> ValidationFailed:
    """One refusal naming every field that needs fixing (`details["fields"]`: field -> words)."""
    listed = "; ".join(problems.values())
    return ValidationFailed(f"Please check: {listed}", details={"fields": dict(problems)})


def text_problem(value: str, what: str, *, max_len: int, required: bool = True) -> str | None:
    """A one-line name or label: present (when required), no control characters, not too long."""
    text = value.strip()
    if required and not text:
        return f"{what} is needed"
    if has_control(value):
        return f"{what} cannot hold tabs, line breaks or other control characters"
    if len(text) > max_len:
        return f"{what} is at most {max_len} characters ({len(text)} now)"
    return None


def parse_amount(text: str, currency: str, what: str = "the price") -> Money:
    """A price or price change as typed ("3.40", "3,40", "3"), in `currency`.

    Raises:
        ValidationFailed: not a number, negative, more decimals than the currency has, too big.
    """
    raw = text.strip().replace(",", ".")
    digits = minor_units(currency)
    example = "3" if digits == 0 else "3." + "4".ljust(digits, "0")
    if not raw:
        raise ValidationFailed(f"{what} is needed, like {example}")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise ValidationFailed(f"{what} is a number like {example}") from None
    if not amount.is_finite() or "e" in raw.lower():  # "1e3" is a number, not a price
        raise ValidationFailed(f"{what} is a number like {example}")
    if amount < 0:
        raise ValidationFailed(f"{what} cannot be negative")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > digits:
        places = "no decimals" if digits == 0 else f"at most {digits} decimals"
        raise ValidationFailed(f"{what} has {places} in {currency}")
    money = Money(amount, currency)
    if money.minor_units > MINOR_MAX:
        raise ValidationFailed(f"{what} is too large")
    return money


def margin_percent(price: Decimal | None, cost: Decimal | None) -> Decimal | None:
    """What is left of the price after the cost, in whole percent of the price (None unless
    both are there and the price is above zero): price 3.40, cost 1.19 → 65."""
    if price is None or cost is None or price <= 0:
        return None
    return ((price - cost) / price * 100).quantize(Decimal(1))


def normalize_barcodes(text: str) -> list[str]:
    """The codes typed into a barcodes box: one per line or separated by commas or spaces."""
    seen: list[str] = []
    for part in re.split(r"[\s,;]+", text):
        if part and part not in seen:
            seen.append(part)
    return seen


def sku_problem(sku: str) -> str | None:
    text = sku.strip()
    if not text:
        return "the SKU is needed (one is suggested from the name)"
    if len(text) > SKU_MAX:
        return f"the SKU is at most {SKU_MAX} characters"
    if not SKU_RE.match(text):
        return "a SKU takes letters, digits and . _ / - (no spaces)"
    return None


def sku_from_name(name: str) -> str:
    """ "Café Crème (large)" -> "CAFE-CREME-LARGE": accents dropped, words joined by '-'."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.findall(r"[A-Za-z0-9]+", plain)
    sku = ""
    for word in words:
        candidate = f"{sku}-{word}" if sku else word
        if len(candidate) > SKU_SUGGESTED_MAX:
            break
        sku = candidate
    if not sku and words:
        sku = words[0][:SKU_SUGGESTED_MAX]
    return sku.upper()
