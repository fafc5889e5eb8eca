"""Stand-ins the screens hold for the card terminal and the customer display, so that a device
swapped in Back office → Devices is used by the next payment or cart line without rebuilding
any screen (desktop/till/live_hardware.py points them at the device of the moment)."""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from desktop.hardware.payment_terminal import CardResult, PaymentTerminal
from desktop.hardware.pole_display import PoleDisplay
from shared.money import Money

log = logging.getLogger("desktop.hardware")


class CustomerDisplay(Protocol):
    """What the till shows the customer (a `PoleDisplay`, or `LiveDisplay` in front of one)."""

    def show_item(self, name: str, price: Money, total: Money) -> None: ...

    def show_change(self, total: Money, change: Money) -> None: ...

    def welcome(self, text: str = ...) -> None: ...


class LiveCardTerminal:
    """A `PaymentTerminal` that forwards to the terminal set up now. A payment under way keeps
    the terminal it started on (it holds its own reference while it runs)."""

    def __init__(self, terminal: PaymentTerminal) -> None:
        self.current = terminal

    def use(self, terminal: PaymentTerminal) -> None:
        self.current = terminal

    def charge(self, amount: Money, *, reference: str) -> CardResult:
        return self.current.charge(amount, reference=reference)

    def reverse(self, approval_code: str, *, reference: str) -> None:
        self.current.reverse(approval_code, reference=reference)

    def refund(self, amount: Money, *, reference: str) -> CardResult:
        return self.current.refund(amount, reference=reference)

    def cancel(self) -> None:
        """Abort a card payment waiting on the terminal (a terminal that cannot: nothing)."""
        cancel = getattr(self.current, "cancel", None)
        if cancel is not None:
            cancel()


class LiveDisplay:
    """The customer display of the moment, or none: what is shown on a display that is gone or
    unplugged goes nowhere (the sale never waits for a display)."""

    def __init__(self) -> None:
        self.current: PoleDisplay | None = None
        self._lock = threading.Lock()

    def use(self, display: PoleDisplay | None) -> None:
        with self._lock:
            old, self.current = self.current, display
        if old is not None and old is not display:
            old.port.close()

    def show_item(self, name: str, price: Money, total: Money) -> None:
        if self.current is not None:
            self.current.show_item(name, price, total)

    def show_change(self, total: Money, change: Money) -> None:
        if self.current is not None:
            self.current.show_change(total, change)

    def welcome(self, text: str = "Welcome") -> None:
        if self.current is not None:
            self.current.welcome(text)
