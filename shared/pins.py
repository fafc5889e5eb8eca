"""The one rule for a staff PIN, stated in the words the manager sees: the server checks it when
a PIN is set through the back office and the back office checks it before sending."""

from __future__ import annotations

from itertools import pairwise

from shared.errors import ValidationFailed

MIN_PIN, MAX_PIN = 4, 8
PIN_RULE = (
    f"A PIN is {MIN_PIN} to {MAX_PIN} digits, not one digit repeated (1111) "
    "and not a run up or down (1234, 9876)"
)


def is_weak(pin: str) -> bool:
    """One digit repeated, or every step +1 or every step -1: the PINs tried first."""
    steps = {int(b) - int(a) for a, b in pairwise(pin)}
    return steps in ({0}, {1}, {-1})


def check_pin(pin: str, *, field: str = "pin") -> None:
    """Raises ValidationFailed (details.field) stating the rule for a malformed or weak PIN."""
    if not (pin.isascii() and pin.isdigit() and MIN_PIN <= len(pin) <= MAX_PIN) or is_weak(pin):
        raise ValidationFailed(PIN_RULE, details={"field": field})
