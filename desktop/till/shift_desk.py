"""The shift at the counter: open with a float, paid-in/out, cash drops, no-sale, X report,
a blind count checked before the close, the Z report and its reprints."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from desktop.db.uow import UnitOfWork
from desktop.outbox.service import audit
from desktop.printing.queue import enqueue
from desktop.printing.report import render_report
from desktop.printing.z_report import ZDoc, render_z, z_doc
from desktop.sales.config import load
from desktop.sales.shifts import (
    CountCheck,
    MovementKind,
    OpenShift,
    PastZ,
    cash_movement,
    check_count,
    close_shift,
    may_close,
    open_shift_summary,
    x_report,
    z_history,
)
from desktop.sales.tickets import open_shift
from desktop.staff.service import Actor
from desktop.till.counter import Counter
from shared.errors import Conflict, ValidationFailed
from shared.money import Money
from shared.permissions import Permission

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

    def summary(self) -> OpenShift | None:
        """The open shift at a glance (anyone signed in), or None when no shift is open."""
        return self.counter.runner.read(open_shift_summary)

    def manages_shifts(self) -> bool:
        """Whether the signed-in user may see the X report and the Z history (`shift.close`)."""
        return Permission.SHIFT_CLOSE in self.counter.who().permissions

    def may_count(self, shift: OpenShift | None) -> bool:
        """Whether the signed-in user may count and close `shift` (see `shifts.may_close`)."""
        return shift is not None and may_close(self.counter.who(), shift)

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

    def movement(
        self, kind: MovementKind, reason: str, amount: str | None = None,
        approver: Actor | None = None,
    ) -> None:  # fmt: skip
        """Paid-in, paid-out, cash drop (with an amount) or a no-sale drawer open, each with a
        reason; `approver` is the manager who approved a cashier's no-sale."""
        actor = self.counter.who()

        def op(uow: UnitOfWork) -> None:
            money = Money(amount, load(uow).currency) if amount else None
            cash_movement(uow, actor, kind=kind, reason=reason, amount=money, approver=approver)
            self.counter.kick_drawer(uow)  # every drawer open goes through the printer's kick

        self.counter.runner.run(op)

    def check(self, counted: Mapping[Money, int]) -> CountCheck:
        """Counted, expected and over/short of the count, before anything is final."""
        actor = self.counter.who()
        return self.counter.runner.read(lambda uow: check_count(uow, actor, counted=counted))

    def close(self, counted: Mapping[Money, int]) -> tuple[dict[str, Any], ZDoc]:
        """Count by denomination, close the shift; returns the frozen Z report and the Z as it
        printed (with a printer, queued in the same transaction as the close)."""
        actor = self.counter.who()

        def op(uow: UnitOfWork) -> tuple[dict[str, Any], ZDoc]:
            report = close_shift(uow, actor, counted=counted)
            doc = z_doc(uow, uuid.UUID(report["shift_id"]))
            if self.counter.printer:
                paper = render_z(doc, self.counter.report_paper)
                enqueue(uow, kind="report", payload=paper, printer="report")
            return report, doc

        return self.counter.runner.run(op)

    def history(self) -> list[PastZ]:
        """Past Z reports of this till, newest first."""
        actor = self.counter.who()
        return self.counter.runner.read(lambda uow: z_history(uow, actor))

    def past_z(self, shift_id: uuid.UUID) -> ZDoc:
        """A past Z as a reprint would say it (marked COPY)."""
        actor = self.counter.who()

        def query(uow: UnitOfWork) -> ZDoc:
            actor.require(Permission.SHIFT_CLOSE)
            return z_doc(uow, shift_id, copy=True)

        return self.counter.runner.read(query)

    def reprint(self, shift_id: uuid.UUID) -> ZDoc:
        """Print a past Z again, marked COPY (audited).

        Raises:
            ValidationFailed: this till has no printer for reports.
        """
        if not self.counter.printer:
            raise ValidationFailed("no report printer is set up on this till")
        actor = self.counter.who()

        def op(uow: UnitOfWork) -> ZDoc:
            actor.require(Permission.SHIFT_CLOSE)
            doc = z_doc(uow, shift_id, copy=True)
            paper = render_z(doc, self.counter.report_paper)
            enqueue(uow, kind="report", payload=paper, printer="report")
            audit(
                uow,
                actor_id=actor.id,
                action="z.copy",
                target_id=shift_id,
                details={"z_number": doc.z_number},
            )
            return doc

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
