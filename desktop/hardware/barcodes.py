"""EAN-13 / UPC-A check digits and in-store scale labels (prefixes 20–29).

A scale prints `2` + a 1-digit prefix + a 5-digit item number (PLU) + 5 digits + the check
digit. On a *weight* label the 5 digits are grams: `2 1 00123 00385 C` is PLU 00123 weighing
0.385 kg. On a *price* label (the prefixes a shop sets for them, e.g. 28 and 29) they are the
pack's price in minor units: `2 8 00123 00459 C` is a pack of PLU 00123 at 4.59. Either way the
item's barcode in the catalog is the 7-digit `2800123` / `2100123`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


def check_digit(digits: str) -> int:
    """The GS1 check digit for the 11 (UPC-A) or 12 (EAN-13) digits before it."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def is_valid(code: str) -> bool:
    """A well-formed EAN-13 or UPC-A: a misread scan fails this."""
    return code.isdigit() and len(code) in (12, 13) and check_digit(code[:-1]) == int(code[-1])


@dataclass(frozen=True)
class ScaleLabel:
    item_code: str  # the catalog barcode to look up, e.g. "2100123"
    quantity: Decimal  # kilograms on a weight label; 1 (one pack) on a price label
    price_minor: int | None = None  # the pack's price, on a price label


def scale_label(code: str, price_prefixes: frozenset[str] = frozenset()) -> ScaleLabel | None:
    """Decode an in-store scale label; None for any other code (or a misread one).

    Args:
        price_prefixes: the two-digit prefixes (e.g. {"28", "29"}) whose labels carry a price;
            every other 2x prefix carries a weight.
    """
    if len(code) != 13 or not code.startswith("2") or not is_valid(code):
        return None
    value = int(code[7:12])
    if code[:2] in price_prefixes:
        return ScaleLabel(code[:7], Decimal(1), value)
    return ScaleLabel(code[:7], Decimal(value) / 1000)


def parse_prefixes(text: str) -> frozenset[str]:
    """`"28,29"` → {"28", "29"}.

    Raises:
        ValueError: anything but two-digit prefixes from 20 to 29.
    """
    prefixes = frozenset(p.strip() for p in text.split(",") if p.strip())
    bad = sorted(p for p in prefixes if not (len(p) == 2 and p.isdigit() and p[0] == "2"))
    if bad:
        raise ValueError(f"price label prefixes are 20 to 29, not {', '.join(bad)}")
    return prefixes
