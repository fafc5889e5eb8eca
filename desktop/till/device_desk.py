"""The back office's devices desk (Qt-free): this till's printers — list, add, remove, a test
page, a drawer test — and its card terminal, serial scanner and card reader, customer display.
`devices.manage` on every change; tests of the hardware block for up to the printer's timeout,
so screens call them from a worker thread. Every add and remove calls `on_change` (the till's
`LiveHardware.apply`): the running till uses the change at once."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from desktop.hardware.device_actions import drawer_pulse, send_now, test_page
from desktop.hardware.devices import (
    PeripheralConfig,
    PrinterConfig,
    add_peripheral,
    add_printer,
    list_peripherals,
    list_printers,
    printer_for,
    remove_device,
)
from desktop.outbox.service import audit
from desktop.till.counter import Counter
from shared.errors import NotFound, ValidationFailed
from shared.permissions import Permission


class DeviceDesk:
    def __init__(self, counter: Counter, on_change: Callable[[], None] | None = None) -> None:
        self.counter = counter
        self.on_change = on_change

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
