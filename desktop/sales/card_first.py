"""Charge cards before the sale's write transaction, then finalize with the approvals.

A card terminal can take a minute (the customer hunting for their PIN). Charging inside the
write transaction would hold SQLite's write lock all that time; the print worker and sync would
wait. So the till asks `card_amounts` (every check `finalize` makes), charges the cards with no
transaction open, and runs `finalize` with `PreCharged`, which hands back those approvals in
order. If anything fails after an approval, the approvals are reversed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from desktop.hardware.payment_terminal import CardResult, PaymentTerminal
from shared.errors import Conflict, InternalError
from shared.money import Money


def charge_first(
    terminal: PaymentTerminal, amounts: Sequence[Money], reference: str
) -> list[CardResult]:
    """Charge each amount; a decline reverses the approvals before it and raises Conflict."""
    results: list[CardResult] = []
    for amount in amounts:
        result = terminal.charge(amount, reference=reference)
        if not result.approved:
            reverse_all(terminal, results, reference)
            raise Conflict(
                f"card declined ({result.message or 'no reason given'}); the ticket is still "
                "open — try another card or tender",
                details={"amount": str(amount)},
            )
        results.append(result)
    return results


def reverse_all(terminal: PaymentTerminal, results: Sequence[CardResult], reference: str) -> None:
    for result in results:
        if result.approval_code:
            terminal.reverse(result.approval_code, reference=reference)


@dataclass
class PreCharged:
    """A `PaymentTerminal` for `finalize` that replays approvals already obtained."""

    terminal: PaymentTerminal
    results: list[CardResult]
    amounts: list[Money]
    _next: int = field(default=0)

    def charge(self, amount: Money, *, reference: str) -> CardResult:  # noqa: ARG002
        if self._next >= len(self.results) or self.amounts[self._next] != amount:
            raise InternalError("the sale changed while its cards were charged")
        self._next += 1
        return self.results[self._next - 1]

    def reverse(self, approval_code: str, *, reference: str) -> None:
        self.terminal.reverse(approval_code, reference=reference)

    def refund(self, amount: Money, *, reference: str) -> CardResult:
        return self.terminal.refund(amount, reference=reference)
