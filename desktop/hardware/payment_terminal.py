"""The card payment interface the till talks to, and a deterministic in-process double.

Semi-integrated: the terminal handles the card; we only ever see an approval code, the scheme
and the last four digits — never a PAN, track data or a PIN.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from shared.money import Money


@dataclass(frozen=True)
class CardResult:
    approved: bool
    approval_code: str | None = None
    last4: str | None = None
    scheme: str | None = None
    message: str = ""


class PaymentTerminal(Protocol):
    def charge(self, amount: Money, *, reference: str) -> CardResult:
        """Ask the card terminal to take `amount`; blocks until approved or declined."""
        ...

    def reverse(self, approval_code: str, *, reference: str) -> None:
        """Undo an approval (used when a later tender of the same sale fails)."""
        ...

    def refund(self, amount: Money, *, reference: str) -> CardResult:
        """Pay `amount` back to the customer's card."""
        ...


@dataclass
class SimulatedPaymentTerminal:
    """Approves everything except amounts listed in `decline`; records what it was asked."""

    decline: set[Money] = field(default_factory=set)
    charges: list[tuple[Money, str]] = field(default_factory=list)
    reversals: list[str] = field(default_factory=list)
    refunds: list[tuple[Money, str]] = field(default_factory=list)
    _counter: int = 0

    def charge(self, amount: Money, *, reference: str) -> CardResult:
        if amount in self.decline:
            return CardResult(approved=False, message="declined by issuer")
        self._counter += 1
        self.charges.append((amount, reference))
        return CardResult(True, approval_code=f"A{self._counter:05d}", last4="4242", scheme="VISA")

    def reverse(self, approval_code: str, *, reference: str) -> None:  # noqa: ARG002
        self.reversals.append(approval_code)

    def refund(self, amount: Money, *, reference: str) -> CardResult:
        self._counter += 1
        self.refunds.append((amount, reference))
        return CardResult(True, approval_code=f"R{self._counter:05d}", last4="4242", scheme="VISA")
