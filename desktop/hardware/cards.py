"""Magnetic-stripe cards read by a keyboard-wedge or serial reader (ISO/IEC 7813 tracks).

A reader "types" `%B<number>^<NAME>^<data>?` (track 1) and/or `;<number>=<data>?` (track 2).
Employee cards carry the staff code as their number with the prefix `EMP`; loyalty cards carry
the customer's card number. Only the number and name are ever kept — never the rest of a track.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TRACK1 = re.compile(r"%B(?P<number>[0-9A-Z]{1,19})\^(?P<name>[^^]{0,26})\^[^?]*\?")
TRACK2 = re.compile(r";(?P<number>[0-9A-Z]{1,19})=[^?]*\?")
EMPLOYEE_PREFIX = "EMP"


@dataclass(frozen=True)
class Swipe:
    number: str
    name: str | None = None

    @property
    def staff_code(self) -> str | None:
        """The staff code of an employee card (`EMP0012` → `12`), else None."""
        if not self.number.startswith(EMPLOYEE_PREFIX):
            return None
        code = self.number.removeprefix(EMPLOYEE_PREFIX).lstrip("0")
        return code or "0"


def looks_like_swipe(text: str) -> bool:
    return text.startswith(("%", ";")) and text.endswith("?")


def parse_swipe(text: str) -> Swipe | None:
    """The card in a reader's burst of text, or None when it is not a (readable) swipe."""
    raw = text.strip()
    first = TRACK1.search(raw)
    if first is not None:
        name = " ".join(reversed([p.strip() for p in first["name"].split("/")])).strip()
        return Swipe(first["number"], name or None)
    second = TRACK2.search(raw)
    return Swipe(second["number"]) if second is not None else None
