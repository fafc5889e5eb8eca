"""Device changes take effect at once: a printer added in Back office → Devices while the till
runs prints the next sale (against the printer simulator); once removed, it is no longer used.
A card terminal, customer display and serial scanner follow Devices the same way."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.hardware.devices import list_peripherals
from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.hardware.sim_printer import SimulatedPrinter
from desktop.hardware.sim_zvt import SimulatedZvtTerminal
from desktop.hardware.zvt import ZvtTerminal
from desktop.sales.checkout import TenderRequest
from desktop.till.device_desk import DeviceDesk
from desktop.till.live_hardware import LiveHardware
from desktop.ui.backoffice.devices_screen import ROLE_DATA, DevicesScreen
from desktop.ui.components.primitives import ToastKind
from desktop.ui.shell.registry import Mode
from desktop.ui.till_window import TillWindows
from shared.errors import ValidationFailed
from shared.ids import uuid7
from shared.money import Money
from tests.desktop.conftest import Shop


@pytest.fixture(autouse=True)
def _own_shell_prefs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The shell remembers its mode: a back-office visit here must not open later tests there."""
    monkeypatch.setenv("NOVA_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def printer() -> Iterator[SimulatedPrinter]:
    sim = SimulatedPrinter().start()
    yield sim
    sim.stop()


@pytest.fixture
def hardware(shop: Shop) -> Iterator[LiveHardware]:
    live = LiveHardware(shop.counter, poll_s=0.05)
    live.apply()  # at start: no printer set up
    yield live
    live.stop()


def cash_sale(shop: Shop) -> uuid.UUID:
    shop.counter.scan("4006381333931")
    ticket = shop.counter.ticket_id
    assert ticket is not None
    shop.counter.pay([TenderRequest("cash", Money("5.00", "EUR"))], shop.card)
    return ticket


def test_a_printer_added_while_the_till_runs_prints_the_next_sale_and_stops_once_removed(
    qtbot: QtBot, shop: Shop, printer: SimulatedPrinter, hardware: LiveHardware
) -> None:
    windows = TillWindows(
        shop.counter,
        shop.card,
        printer_status=hardware.printer_status,
        devices_changed=hardware.apply,
    )
    qtbot.addWidget(windows.sign_in)
    window = windows.open_till(shop.counter.who())
    qtbot.addWidget(window)
    assert windows.printer_text() == ""
    with pytest.raises(ValidationFailed, match="no receipt printer"):
        shop.counter.print_copy(uuid7())

    window.set_mode(Mode.BACK_OFFICE)
    devices = window.open_screen("devices")
    assert isinstance(devices, DevicesScreen)
    devices.connection.set_text(printer.url)
    devices.add()

    ticket = cash_sale(shop)
    qtbot.waitUntil(lambda: len(printer.jobs) == 1, timeout=5_000)
    assert "RECEIPT T01-000001" in printer.texts()[0]
    shop.counter.print_copy(ticket)  # "Print a copy" finds the printer too
    qtbot.waitUntil(lambda: len(printer.jobs) == 2, timeout=5_000)
    windows.show_pending()
    assert windows.printer_text().startswith("Printer: ")

    devices.table.setCurrentCell(0, 0)
    devices.remove()
    assert hardware.workers == {}
    assert windows.printer_text() == ""
    cash_sale(shop)
    with pytest.raises(ValidationFailed, match="no receipt printer"):
        shop.counter.print_copy(ticket)
    waiting = shop.counter.runner.read(
        lambda u: u.sql.execute("SELECT count(*) FROM print_jobs").fetchone()[0]
    )
    assert waiting == 2  # nothing more was queued for a printer that is gone
    assert len(printer.jobs) == 2


def test_a_card_terminal_added_while_the_till_runs_takes_the_next_card_payment(
    qtbot: QtBot, shop: Shop, hardware: LiveHardware
) -> None:
    zvt = SimulatedZvtTerminal().start()
    try:
        devices = DevicesScreen(DeviceDesk(shop.counter, hardware.apply))
        qtbot.addWidget(devices)
        devices.role.setCurrentIndex(devices.role.findData("card_terminal"))
        assert not devices.paper.isVisibleTo(devices)  # a connection, no paper
        devices.connection.set_text(zvt.url)
        devices.add()
        assert devices.last_toast == (ToastKind.SUCCESS, "Card terminal added: in use now")
        assert isinstance(hardware.card.current, ZvtTerminal)

        shop.counter.scan("4006381333931")
        shop.counter.pay([TenderRequest("card", Money("3.40", "EUR"))], hardware.card)
        assert zvt.transactions == [("sale", 340)]

        row = [devices.table.item(r, 0).data(ROLE_DATA) for r in range(devices.table.rowCount())]  # type: ignore[union-attr]
        devices.table.setCurrentCell(row.index("card_terminal"), 0)
        devices.remove()
        assert devices.last_toast == (ToastKind.SUCCESS, "Card terminal removed")
        assert isinstance(hardware.card.current, SimulatedPaymentTerminal)  # the built-in one
    finally:
        zvt.stop()


def test_a_customer_display_and_a_serial_scanner_follow_devices(
    qtbot: QtBot, shop: Shop, hardware: LiveHardware
) -> None:
    desk = DeviceDesk(shop.counter, hardware.apply)
    scanned: list[str] = []
    hardware.listen(scanned.append)
    assert hardware.display.current is None
    hardware.display.show_item("Café Latte", Money("3.40", "EUR"), Money("3.40", "EUR"))  # nowhere

    display = desk.add_device(role="display", connection="loop://")
    assert hardware.display.current is not None
    hardware.display.welcome("Hello")
    assert b"Hello" in hardware.display.current.port.read(200)

    with socket.create_server(("127.0.0.1", 0)) as server:  # the scanner's end of the line
        scanner = desk.add_device(
            role="scanner", connection=f"socket://127.0.0.1:{server.getsockname()[1]}"
        )
        assert sorted(hardware.scanners) == ["scanner"]
        server.settimeout(10)
        conn, _ = server.accept()
        with conn:
            # pyserial empties its input when it opens the port: send once it is open.
            assert hardware.scanners["scanner"].ready.wait(10)
            conn.sendall(b"4006381333931\r\n")
            qtbot.waitUntil(lambda: scanned == ["4006381333931"], timeout=5_000)
        desk.remove(scanner)
    assert hardware.scanners == {}

    desk.remove(display)
    assert hardware.display.current is None


def test_a_bad_device_connection_is_refused_beside_the_field(
    qtbot: QtBot, shop: Shop, hardware: LiveHardware
) -> None:
    devices = DevicesScreen(DeviceDesk(shop.counter, hardware.apply))
    qtbot.addWidget(devices)
    devices.role.setCurrentIndex(devices.role.findData("card_terminal"))
    devices.connection.set_text("tcp://192.168.1.60:20007")
    devices.add()
    assert devices.connection.has_error
    assert devices.last_toast is not None
    assert "zvt://host[:port]" in devices.last_toast[1]
    assert shop.runner.read(list_peripherals) == []
