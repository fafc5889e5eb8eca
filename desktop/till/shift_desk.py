"""The shift at the counter: open with a float, paid-in/out, no-sale, X report, count and close."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from desktop.db.uow import UnitOfWork
from desktop.printing.queue import enqueue
from desktop.printing.report import render_report
from desktop.sales.config import load
from desktop.sales.shifts import MovementKind, cash_movement, close_shift, x_report
from desktop.sales.tickets import open_shift
from desktop.till.counter import Counter
from shared.errors import Conflict
from shared.money import Money

# Notes and coins in the drawer, largest first (the count form's rows).
DENOMINATIONS: dict[str, tuple[str, ...]] = {
    "EUR": ("500", "200", "100", "50", "20", "10", "5", "2", "1", "0.50", "0.20", "0.10",
            "0.05", "0.02", "0.01"),
    "USD": ("100", "50", "20", "10", "5", "1", "0.25", "0.10", "0.05", "0.01"),
    "GBP": ("50", "20", "10", "5", "2", "1", "0.50", "0.20", "0.10", "0.05", "0.02", "0.01"),
    "CHF": ("1000", "200", "100", "50", "20", "10", "5", "2", "1", "0.50", "0.20", "0.10",
            "0.05"),
}  # fmt: skip
FALLBACK = ("100", "50", "20", "10", "5", "1", "0.50", "0.10", "0.05", "0.01")


class ShiftDesk:
    def __init__(self, counter: Counter) -> None:
        self.counter = counter

    def denominations(self) -> list[Money]:
        currency = self.counter.currency()
        return [Money(Decimal(d), currency) for d in DENOMINATIONS.get(currency, FALLBACK)]

    def report(self) -> dict[str, Any] | None:
        """The X report of the open shift, or None when no shift is open."""
        actor = self.counter.who()

        def query(uow: UnitOfWork) -> dict[str, Any] | None:
            try:
                return x_report(uow, actor)
            except Conflict:
                return None  # no shift open

        return self.counter.runner.read(query)

    def open(self, float_amount: str) -> None:
        actor = self.counter.who()

        def op(uow: UnitOfWork) -> None:
            open_shift(uow, actor, float_amount=Money(float_amount, load(uow).currency))

        self.counter.runner.run(op)

    def movement(self, kind: MovementKind, reason: str, amount: str | None = None) -> None:
        """Paid-in, paid-out (with an amount) or a no-sale drawer open, each with a reason."""
        actor = self.counter.who()

        def op(uow: UnitOfWork) -> None:
            money = Money(amount, load(uow).currency) if amount else None
            cash_movement(uow, actor, kind=kind, reason=reason, amount=money)
            self.counter.kick_drawer(uow)  # every drawer open goes through the printer's kick

        self.counter.runner.run(op)

    def close(self, counted: Mapping[Money, int]) -> dict[str, Any]:
        """Count by denomination, close the shift; returns the frozen Z report (printed too)."""
        actor = self.counter.who()

        def op(uow: UnitOfWork) -> dict[str, Any]:
            report = close_shift(uow, actor, counted=counted)
            if self.counter.printer:
                paper = render_report(report, "Z REPORT", self.counter.report_paper)
                enqueue(uow, kind="report", payload=paper, printer="report")
            return report

        return self.counter.runner.run(op)

    def print_x(self) -> None:
        """The X report on paper (mid-shift; changes nothing)."""
        report = self.report()
        if report is None or not self.counter.printer:
            return
        paper = render_report(report, "X REPORT", self.counter.report_paper)
        self.counter.runner.run(
            lambda uow: enqueue(uow, kind="report", payload=paper, printer="report")
        )
