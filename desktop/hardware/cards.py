"""Magnetic-stripe cards read by a keyboard-wedge or serial reader (ISO/IEC 7813 tracks).

A reader "types" `%B<number>^<NAME>^<data>?` (track 1) and/or `;<number>=<data>?` (track 2).
Employee cards carry the staff code as their number with the prefix `EMP`; loyalty cards carry
the customer's card number. A printed staff card (Staff & roles → Print card) carries the same
number as a Code 128 barcode, so a scanner signs in as a swipe does. Only the number and name
are ever kept — never the rest of a track.

A bank card swiped by mistake is recognised (a card scheme's number range and a valid Luhn check
digit) and its number dropped on the spot: card data stays on the payment terminal (FIELD-NOTES:
holding track data would put the till in PCI scope).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TRACK1 = re.compile(r"%B(?P<number>[0-9A-Z]{1,19})\^(?P<name>[^^]{0,26})\^[^?]*\?")
TRACK2 = re.compile(r";(?P<number>[0-9A-Z]{1,19})=[^?]*\?")
EMPLOYEE_PREFIX = "EMP"
# Issuer ranges of the payment schemes (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay).
PAYMENT_RANGES = re.compile(
    r"4|5[1-5]|2(22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|3[47]|6011|65|35|3[068]|62"
)


@dataclass(frozen=True)
class Swipe:
    number: str
    name: str | None = None
    payment_card: bool = False  # a bank card: number and name already dropped

    @property
    def staff_code(self) -> str | None:
        """The staff code of an employee card (`EMP0012` → `12`), else None."""
        if not self.number.startswith(EMPLOYEE_PREFIX):
            return None
        code = self.number.removeprefix(EMPLOYEE_PREFIX).lstrip("0")
        return code or "0"


PRINTED_CARD = re.compile(rf"{EMPLOYEE_PREFIX}[0-9]{{1,8}}")


def card_number(staff_code: str) -> str:
    """The number a staff card carries for `staff_code` (`12` → `EMP0012`)."""
    return EMPLOYEE_PREFIX + staff_code.zfill(4)


def scanned_staff_code(text: str) -> str | None:
    """The staff code in a scanned staff-card barcode (`EMP0012` → `12`), else None."""
    raw = text.strip().upper()
    return Swipe(raw).staff_code if PRINTED_CARD.fullmatch(raw) else None


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def is_payment_card(number: str) -> bool:
    """A bank card's number: 13–19 digits in a scheme's range with a valid check digit."""
    return (
        number.isdigit()
        and 13 <= len(number) <= 19
        and PAYMENT_RANGES.match(number) is not None
        and luhn_valid(number)
    )


def looks_like_swipe(text: str) -> bool:
    return text.startswith(("%", ";")) and text.endswith("?")


def parse_swipe(text: str) -> Swipe | None:
    """The card in a reader's burst of text, or None when it is not a (readable) swipe."""
    raw = text.strip()
    first = TRACK1.search(raw)
    second = TRACK2.search(raw)
    number = first["number"] if first else second["number"] if second else None
    if number is None:
        return None
    if is_payment_card(number):
        return Swipe("", payment_card=True)
    if first is not None:
        name = " ".join(reversed([p.strip() for p in first["name"].split("/")])).strip()
        return Swipe(number, name or None)
    return Swipe(number)
