"""Manager override at the counter: which refusals a manager may lift, and checking the manager.

A cashier's action is refused with an `AuthzError` naming the permission it needs. When that
permission is one a manager may grant for a single action (`OVERRIDABLE`), the screen asks for
a manager's staff code (or staff card swipe) and PIN, `OverrideDesk.approve` checks them, and
the screen runs the same action once more with the approver. The engine records both people
(`authorize(actor, permission, approver)` → `authorized_by` in the audit record).

Wrong PINs count on the manager's own sign-in counter: after `MAX_FAILED_OVERRIDE_PINS` the
code is locked exactly as at sign-in. Qt-free, so the rules are tested without a screen.
"""

from __future__ import annotations

from desktop.hardware.cards import looks_like_swipe, parse_swipe, scanned_staff_code
from desktop.staff.service import Actor, override
from desktop.till.counter import Counter
from shared.errors import AuthzError, NovaError, ValidationFailed
from shared.permissions import Permission

# What a manager may approve for one action, in a cashier's words (the dialog's heading).
OVERRIDABLE: dict[str, str] = {
    Permission.POS_VOID: "Void a line",
    Permission.POS_DISCOUNT: "Give a discount",
    Permission.POS_REFUND: "Refund",
    Permission.DRAWER_NO_SALE: "Open the drawer (no sale)",
    Permission.POS_PRICE_CHANGE: "Change a price",
    Permission.POS_OVER_TENDER: "More change than the limit",
}


def overridable(exc: NovaError) -> str | None:
    """The permission a manager could grant to lift this refusal, or None (not an override case:
    show the message as it is)."""
    if not isinstance(exc, AuthzError):
        return None
    permission = exc.details.get("permission")
    return permission if isinstance(permission, str) and permission in OVERRIDABLE else None


def staff_code(typed: str) -> str:
    """The staff code typed, or read from a swiped or scanned staff card.

    Raises:
        ValidationFailed: a bank card, an unreadable card, or nothing typed.
    """
    text = typed.strip()
    printed = scanned_staff_code(text)
    if printed is not None:
        return printed
    if looks_like_swipe(text):
        card = parse_swipe(text)
        if card is not None and card.payment_card:
            raise ValidationFailed("that is a bank card: swipe the manager's staff card")
        code = card.staff_code if card is not None else None
        if code is None:
            raise ValidationFailed("that card is not a staff card: type the manager's code")
        return code
    if not text:
        raise ValidationFailed("type the manager's staff code (or swipe their card)")
    return text


class OverrideDesk:
    """Checks a manager for one action on the counter's signed-in cashier."""

    def __init__(self, counter: Counter) -> None:
        self.counter = counter

    def approve(self, typed_code: str, pin: str, permission: str) -> Actor:
        """The approver for one action needing `permission`.

        Raises:
            ValidationFailed: no code, or a card that is not a staff card.
            AuthnError: wrong code or PIN, or the code is locked (a wrong PIN counts even
                though it is refused; the third in a row locks the code).
            AuthzError: the person may not approve this, or is the cashier themselves.
        """
        cashier = self.counter.who()
        code = staff_code(typed_code)
        try:
            approver = self.counter.runner.run(
                lambda uow: override(uow, code=code, pin=pin, permission=permission)
            )
        except AuthzError as exc:
            raise AuthzError(
                f"this person may not approve this ({OVERRIDABLE.get(permission, permission)}):"
                " ask a manager who may",
                details=exc.details,
            ) from None
        if approver.id == cashier.id:
            raise AuthzError(
                "someone else must approve: a manager other than the signed-in cashier",
                details={"permission": permission},
            )
        return approver
