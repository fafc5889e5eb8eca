"""EAN-13 / UPC-A check digits and in-store weight barcodes (prefixes 20–29).

A scale prints `2` + a 1-digit prefix + a 5-digit item number (PLU) + a 5-digit weight in grams
+ the check digit: `2 1 00123 00385 C` is PLU 00123 weighing 0.385 kg. The item's barcode in the
catalog is then the 7-digit `2100123`.
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
class WeighedItem:
    item_code: str  # the catalog barcode to look up, e.g. "2100123"
    quantity: Decimal  # kilograms


def weighed(code: str) -> WeighedItem | None:
    """Decode an in-store weight barcode; None for any other code."""
    if len(code) != 13 or not code.startswith("2") or not is_valid(code):
        return None
    return WeighedItem(code[:7], Decimal(int(code[7:12])) / 1000)
