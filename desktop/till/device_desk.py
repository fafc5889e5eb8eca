"""The back office's devices desk (Qt-free): this till's printers — list, add, remove, a test
page, a drawer test — and its card terminal (a 0.01 payment and its reversal), barcode scanner
(one code), card reader (one swipe) and customer display (a line of text).
`devices.manage` on every change; tests of the hardware block for up to the printer's timeout,
so screens call them from a worker thread. Every add and remove calls `on_change` (the till's
`LiveHardware.apply`): the running till uses the change at once."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping
from typing import Protocol

from desktop.hardware import device_checks
from desktop.hardware.device_actions import drawer_pulse, send_now, test_page
from desktop.hardware.devices import (
    PERIPHERALS,
    WEDGE,
    PeripheralConfig,
    PrinterConfig,
    add_peripheral,
    add_printer,
    list_peripherals,
    list_printers,
    peripheral_for,
    printer_for,
    remove_device,
)
from desktop.hardware.payment_terminal import PaymentTerminal
from desktop.hardware.zvt import ZvtTerminal
from desktop.outbox.service import audit
from desktop.sales.config import load
from desktop.till.counter import Counter
from shared.errors import NotFound, Unavailable, ValidationFailed
from shared.permissions import Permission


class RunningDevices(Protocol):
    """The till's devices in use (`LiveHardware`): a test goes through the port the till holds
    open rather than open it a second time (a COM port on Windows is exclusive; a reader
    thread would take the line meant for the test)."""

    @property
    def card(self) -> PaymentTerminal: ...

    def next_line(self, role: str, timeout_s: float) -> str | None: ...

    def show_text(self, top: str, bottom: str) -> bool: ...


# The start-up setting that stands in for each role while Devices stores none for it.
ENV_SETTINGS = {
    "receipt": "NOVA_TERMINAL_RECEIPT_PRINTER",
    "card_terminal": "NOVA_TERMINAL_CARD_TERMINAL",
    "scanner": "NOVA_TERMINAL_SCANNER",
    "card_reader": "NOVA_TERMINAL_CARD_READER",
    "display": "NOVA_TERMINAL_CUSTOMER_DISPLAY",
}


class DeviceDesk:
    def __init__(
        self,
        counter: Counter,
        on_change: Callable[[], None] | None = None,
        *,
        env: Mapping[str, str] | None = None,
        read_timeout_s: float = device_checks.READ_TIMEOUT_S,
        live: RunningDevices | None = None,
    ) -> None:
        """`env`: where the start-up settings are read (the process environment). `live`:
        the till's devices in use, so a scan, swipe or display test does not fight the till
        for the port (without it, tests open the port themselves)."""
        self.live = live
        self.counter = counter
        self.on_change = on_change
        self.env = os.environ if env is None else env
        self.read_timeout_s = read_timeout_s

    def env_notes(self) -> list[str]:
        """For each NOVA_TERMINAL_… device setting that is set: whether the till uses it (no
        device of its role stored here) or the stored device wins over it."""
        stored = {p.role for p in self.printers()} | {p.role for p in self.peripherals()}
        notes = []
        for role, variable in ENV_SETTINGS.items():
            value = self.env.get(variable, "")
            if not value:
                continue
            what = PERIPHERALS[role][0] if role in PERIPHERALS else "receipt printer"
            notes.append(
                f"{variable} is set, but the {what.lower()} stored here wins over it"
                if role in stored
                else f"{variable}={value} is the {what.lower()} in use (none is stored here)"
            )
        return notes

    def printers(self) -> list[PrinterConfig]:
        return self.counter.runner.read(list_printers)

    def add(
        self,
        *,
        role: str,
        connection: str,
        name: str,
        paper_mm: int,
        drawer_pin: int | None,
        columns: int | None = None,
        qr: bool = False,
        logo: bool = False,
        code_page: str = "auto",
        cutter: bool = True,
        drawer_pulse_ms: int = 50,
    ) -> uuid.UUID:
        """Raises ValidationFailed (role, paper, columns, code page, pin, connection) or
        Conflict (role taken)."""
        self.counter.who().require(Permission.DEVICES_MANAGE)
        device_id = self.counter.runner.run(
            lambda uow: add_printer(
                uow, role=role, connection=connection, name=name, paper_mm=paper_mm,
                drawer_pin=drawer_pin, columns=columns, qr=qr, logo=logo, code_page=code_page,
                cutter=cutter, drawer_pulse_ms=drawer_pulse_ms,
            )
        )  # fmt: skip
        self._changed()
        return device_id

    def peripherals(self) -> list[PeripheralConfig]:
        return self.counter.runner.read(list_peripherals)

    def add_device(self, *, role: str, connection: str, name: str = "") -> uuid.UUID:
        """A card terminal, serial scanner or card reader, or customer display. Raises
        ValidationFailed (role, connection) or Conflict (role taken)."""
        self.counter.who().require(Permission.DEVICES_MANAGE)
        device_id = self.counter.runner.run(
            lambda uow: add_peripheral(uow, role=role, connection=connection, name=name)
        )
        self._changed()
        return device_id

    def remove(self, device_id: uuid.UUID) -> None:
        self.counter.who().require(Permission.DEVICES_MANAGE)
        self.counter.runner.run(lambda uow: remove_device(uow, device_id))
        self._changed()

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def _printer(self, role: str) -> PrinterConfig:
        printer = self.counter.runner.read(lambda uow: printer_for(uow, role))
        if printer is None:
            raise NotFound(f"no {role} printer is set up: add one first")
        return printer

    def _peripheral(self, role: str) -> PeripheralConfig:
        self.counter.who().require(Permission.DEVICES_MANAGE)
        device = self.counter.runner.read(lambda uow: peripheral_for(uow, role))
        if device is None:
            raise NotFound(f"no {PERIPHERALS[role][0].lower()} is set up: add one first")
        return device

    def payment_test(self) -> str:
        """Charge 0.01 on the stored card terminal and reverse it (through the ZVT code the
        sales use). Raises NotFound, Unavailable."""
        stored = self._peripheral("card_terminal")
        currency = self.counter.runner.read(lambda uow: load(uow).currency)
        # The till's own terminal when it runs: it remembers a payment whose answer was lost
        # (in its file) and settles it before the next sale.
        terminal = (
            self.live.card if self.live is not None else ZvtTerminal.from_url(stored.connection)
        )
        return device_checks.payment_test(terminal, currency)

    def display_test(self) -> str:
        """Show a test text on the customer display. Raises NotFound, Unavailable."""
        display = self._peripheral("display")
        if self.live is not None and self.live.show_text(*device_checks.TEST_TEXT):
            return " / ".join(device_checks.TEST_TEXT)
        return device_checks.display_test(display.connection)

    def scan_test(self) -> str:
        """The next code the serial scanner sends. A wedge is tested in the window (it types
        into a field): asking here is a ValidationFailed. Raises NotFound, Unavailable."""
        scanner = self._peripheral("scanner")
        if scanner.connection == WEDGE:
            raise ValidationFailed("a keyboard scanner types: scan into the field beside it")
        return self._read(scanner, "code") or device_checks.read_line(
            scanner.connection, timeout_s=self.read_timeout_s
        )

    def swipe_test(self) -> str:
        """One card swiped on the serial card reader. Raises NotFound, Unavailable."""
        reader = self._peripheral("card_reader")
        line = self._read(reader, "card swipe")
        if line is not None:
            return device_checks.describe_swipe(line)
        return device_checks.swipe_test(reader.connection, timeout_s=self.read_timeout_s)

    def _read(self, device: PeripheralConfig, what: str) -> str | None:
        """A line from the till's running reader of `device`; None when none runs."""
        if self.live is None:
            return None
        try:
            return self.live.next_line(device.role, self.read_timeout_s)
        except TimeoutError:
            raise Unavailable(f"no {what} arrived within {self.read_timeout_s:g} seconds") from None

    def test_print(self, role: str) -> str:
        """Print a test page now; returns the printer's status. Raises Unavailable."""
        self.counter.who().require(Permission.DEVICES_MANAGE)
        if role == "drawer":
            raise ValidationFailed("a cash drawer does not print: use Open drawer to test it")
        printer = self._printer(role)
        return send_now(printer, test_page(printer))

    def drawer_test(self) -> str:
        """Open the drawer now; the opening is audited like every drawer open. Returns the
        printer's status."""
        actor = self.counter.who()
        actor.require(Permission.DEVICES_MANAGE)
        own = self.counter.runner.read(lambda uow: printer_for(uow, "drawer"))
        printer = own or self._printer("receipt")  # a drawer on its own port, or the printer's
        status = send_now(printer, drawer_pulse(printer))
        self.counter.runner.run(
            lambda uow: audit(
                uow, actor_id=actor.id, action="drawer.test", target_id=printer.id,
                details={"printer": printer.name},
            )
        )  # fmt: skip
        return status
