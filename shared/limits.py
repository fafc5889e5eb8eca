"""The bounds every stored value keeps, checked once at each edge (till writes, server receives).

Postgres refuses a NUL character in text and an integer past its column (int4/int8) with a driver
error; SQLite stores the NUL and only fails past 2^63. Checking the same bounds on both sides,
before anything reaches a database, makes the two backends behave alike and turns a bad value
into a `ValidationFailed` that names the field instead of a 500 (docs/errors.md).
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from shared.errors import ValidationFailed

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

# Money in minor units: far above any real ticket (10^13 EUR), far below int8's edge, so sums of
# many amounts stay inside a BIGINT too.
MINOR_MAX = 10**15
# Stock and count quantities in thousandths (10^9 units of anything).
QTY_MILLI_MAX = 10**12
# Loyalty points of one entry.
POINTS_MAX = 10**12
# Sequence numbers and cursors (outbox seq, change-log cursor): BIGINT columns.
SEQ_MAX = INT64_MAX
# Small counters stored in INTEGER columns (protocol and schema versions).
SMALL_INT_MAX = INT32_MAX

RECEIPT_NO_MAX = 32
LOCATION_CODE_MAX = 16
TERMINAL_CODE_MAX = 8
NAME_MAX = 120
KIND_MAX = 48
TEXT_MAX = 2_000

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
LOCATION_CODE_RE = re.compile(r"^[A-Z0-9-]{1,16}$")
TERMINAL_CODE_RE = re.compile(r"^[A-Z0-9]{1,8}$")


def has_control(text: str) -> bool:
    """True for NUL and other control characters (tabs and newlines included: none of our
    one-line fields takes them)."""
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def check_text(value: Any, field: str, *, max_len: int, min_len: int = 0) -> str:
    """A one-line text field: a string, no control characters, within its column's length."""
    if not isinstance(value, str):
        raise ValidationFailed(f"{field} must be text", details={"field": field})
    if has_control(value):
        raise ValidationFailed(f"{field} contains a control character", details={"field": field})
    if not min_len <= len(value) <= max_len:
        raise ValidationFailed(
            f"{field} must be {min_len}–{max_len} characters long",
            details={"field": field, "max_length": max_len},
        )
    return value


def check_int(value: Any, field: str, *, low: int, high: int) -> int:
    """An integer (never a bool or a float such as 1.5) within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(f"{field} must be a whole number", details={"field": field})
    if not low <= value <= high:
        raise ValidationFailed(
            f"{field} must be between {low} and {high}",
            details={"field": field, "min": low, "max": high},
        )
    return value


def check_minor(value: Any, field: str, *, signed: bool = True) -> int:
    """A money amount in minor units."""
    return check_int(value, field, low=-MINOR_MAX if signed else 0, high=MINOR_MAX)


def check_currency(value: Any, field: str = "currency") -> str:
    text = check_text(value, field, max_len=3, min_len=3)
    if not CURRENCY_RE.match(text):
        raise ValidationFailed(f"{field} must be a 3-letter code", details={"field": field})
    return text


def check_location_code(value: Any, field: str = "location code") -> str:
    text = check_text(value, field, max_len=LOCATION_CODE_MAX, min_len=1)
    if not LOCATION_CODE_RE.match(text):
        raise ValidationFailed(
            f"{field} takes capital letters, digits and '-'", details={"field": field}
        )
    return text


def no_control_anywhere(value: Any, field: str = "payload", *, depth: int = 0) -> None:
    """Walk a JSON document: no control characters in any string or key, no integer outside
    BIGINT, nesting at most 12 deep (a fact's payload is stored and re-published as it came)."""
    if depth > 12:
        raise ValidationFailed(f"{field} is nested too deeply", details={"field": field})
    if isinstance(value, str):
        if "\x00" in value:
            raise ValidationFailed(f"{field} contains a NUL character", details={"field": field})
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationFailed(f"{field} is not a finite number", details={"field": field})
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        check_int(value, field, low=INT64_MIN, high=INT64_MAX)
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in str(key):
                raise ValidationFailed(f"{field} has a key with a NUL", details={"field": field})
            no_control_anywhere(item, f"{field}.{key}", depth=depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            no_control_anywhere(item, f"{field}[{i}]", depth=depth + 1)
