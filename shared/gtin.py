"""EAN/UPC (GTIN) check digits, as both the till's catalog forms and the server's CSV import
check them: a typo or a misread scan fails the check digit."""

from __future__ import annotations

# EAN-8 / UPC-E, UPC-A, EAN-13, GTIN-14: the last digit checks the others.
CHECKED_LENGTHS = (8, 12, 13, 14)
SCALE_CODE_LENGTH = 7  # the item part of an in-store scale label: 2 + prefix + 5-digit PLU


def check_digit(digits: str) -> int:
    """The GS1 check digit for the digits before it (any GTIN length)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def _upc_e_to_a(code: str) -> str | None:
    """UPC-E (8 digits, number system 0 or 1) expanded to its UPC-A, check digit included."""
    if code[0] not in "01":
        return None
    system, body, check = code[0], code[1:7], code[7]
    last = body[5]
    if last in "012":
        core = body[0:2] + last + "0000" + body[2:5]
    elif last == "3":
        core = body[0:3] + "00000" + body[3:5]
    elif last == "4":
        core = body[0:4] + "00000" + body[4]
    else:
        core = body[0:5] + "0000" + last
    return system + core + check


def _checks(code: str) -> bool:
    return check_digit(code[:-1]) == int(code[-1])


def is_checked(code: str) -> bool:
    """Whether `code` is an EAN-8/UPC-E, UPC-A, EAN-13 or GTIN-14 (so has a check digit)."""
    return code.isascii() and code.isdigit() and len(code) in CHECKED_LENGTHS


def check_digit_problem(code: str) -> str | None:
    """For a code of a checked length: why its check digit is wrong (None: it is right)."""
    if _checks(code):
        return None
    if len(code) == 8:  # EAN-8 or UPC-E: either reading may hold
        expanded = _upc_e_to_a(code)
        if expanded is not None and _checks(expanded):
            return None
    right = check_digit(code[:-1])
    return f"{code} has a wrong check digit (it should end in {right}): type or scan it again"


def barcode_problem(code: str) -> str | None:
    """Why `code` cannot be an item's barcode (None: it can).

    EAN-13, UPC-A, EAN-8/UPC-E and GTIN-14 codes must carry the right check digit (a typo or a
    misread scan fails it); a 7-digit code starting with 2 is the item part of an in-store
    scale label and has none.
    """
    if not code.isascii() or not code.isdigit():
        return f"{code} is not a barcode: digits only (EAN-13, EAN-8 or UPC-A)"
    if len(code) == SCALE_CODE_LENGTH and code.startswith("2"):
        return None
    if len(code) not in CHECKED_LENGTHS:
        return (
            f"{code} has {len(code)} digits: a barcode has 8, 12, 13 or 14 "
            "(or 7 starting with 2 for scale labels)"
        )
    return check_digit_problem(code)
