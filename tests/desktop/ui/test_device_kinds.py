"""Every kind of device from Back office → Devices, against the simulators: added, tested with
its own button (a test page, a 0.01 payment and its reversal, a text on the display, a scan, a
swipe), used by the next sale without a restart, removed. Serial devices are pty pairs: the
till opens the pty's device path with pyserial exactly as it opens /dev/ttyUSB0."""

from __future__ import annotations

import os
import select
import time
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.hardware.devices import WEDGE, list_peripherals, list_printers
from desktop.hardware.pole_display import render_display
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
from shared.money import Money
from tests.desktop.conftest import Shop
from tests.desktop.ui.fit import SCREENS, Screen, assert_fits

CODE = "4006381333931"


@pytest.fixture(autouse=True)
def _own_shell_prefs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NOVA_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def hardware(shop: Shop) -> Iterator[LiveHardware]:
    live = LiveHardware(shop.counter, poll_s=0.05)
    live.apply()
    yield live
    live.stop()


@pytest.fixture
def pty() -> Iterator[tuple[int, str]]:
    """(the device's end, the path the till opens)."""
    master, slave = os.openpty()
    tty.setraw(slave)  # a byte pipe like a real port: no echo, no line editing
    yield master, os.ttyname(slave)
    os.close(master)
    os.close(slave)


def screen_for(qtbot: QtBot, shop: Shop, hardware: LiveHardware, **kwargs: object) -> DevicesScreen:
    desk = DeviceDesk(
        shop.counter, hardware.apply, live=hardware, read_timeout_s=10, env={},
        **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip
    screen = DevicesScreen(desk)
    qtbot.addWidget(screen)
    return screen


def add(screen: DevicesScreen, role: str, connection: str) -> None:
    screen.role.setCurrentIndex(screen.role.findData(role))
    screen.connection.set_text(connection)
    screen.add()
    assert screen.last_toast is not None
    assert screen.last_toast[0] is ToastKind.SUCCESS, screen.last_toast


def select_row(screen: DevicesScreen, role: str) -> None:
    roles = [screen.table.item(r, 0).data(ROLE_DATA) for r in range(screen.table.rowCount())]  # type: ignore[union-attr]
    screen.table.setCurrentCell(roles.index(role), 0)


def run_test(qtbot: QtBot, screen: DevicesScreen) -> tuple[ToastKind, str]:
    screen.test_selected()
    qtbot.waitUntil(lambda: not screen.test_button.busy, timeout=20_000)
    assert screen.last_toast is not None
    return screen.last_toast


def remove(screen: DevicesScreen, role: str) -> None:
    select_row(screen, role)
    screen.remove()
    assert screen.last_toast is not None
    assert screen.last_toast[0] is ToastKind.SUCCESS


def read_pty(master: int, until: bytes, timeout_s: float = 5) -> bytes:
    data, deadline = b"", time.monotonic() + timeout_s
    while until not in data and time.monotonic() < deadline:
        if select.select([master], [], [], 0.1)[0]:
            data += os.read(master, 4096)
    return data


def test_a_kitchen_printer_is_added_test_printed_and_removed(
    qtbot: QtBot, shop: Shop, hardware: LiveHardware
) -> None:
    printer = SimulatedPrinter().start()
    try:
        screen = screen_for(qtbot, shop, hardware)
        add(screen, "kitchen", printer.url)
        assert screen.last_toast == (ToastKind.SUCCESS, "Printer added: try a test print")
        select_row(screen, "kitchen")
        assert screen.test_button.text() == "Test print"
        assert run_test(qtbot, screen)[0] is ToastKind.SUCCESS
        qtbot.waitUntil(lambda: len(printer.jobs) == 1, timeout=5_000)
        assert "Nova POS test print" in printer.texts()[0]
        remove(screen, "kitchen")
        assert shop.runner.read(list_printers) == []
    finally:
        printer.stop()


def test_the_card_terminal_test_pays_a_cent_and_reverses_it_then_the_next_sale_uses_it(
    qtbot: QtBot, shop: Shop, hardware: LiveHardware
) -> None:
    zvt = SimulatedZvtTerminal().start()
    try:
        screen = screen_for(qtbot, shop, hardware)
        add(screen, "card_terminal", zvt.url)
        select_row(screen, "card_terminal")
        assert screen.test_button.text() == "Pay 0.01 and reverse"
        kind, message = run_test(qtbot, screen)
        assert kind is ToastKind.SUCCESS, message
        assert "reversed" in message
        assert zvt.transactions == [("sale", 1), ("reversal", 0)]  # the real ZVT dialogue

        assert isinstance(hardware.card.current, ZvtTerminal)
        shop.counter.scan(CODE)
        shop.counter.pay([TenderRequest("card", Money("3.40", "EUR"))], hardware.card)
        assert zvt.transactions[-1] == ("sale", 340)
        remove(screen, "card_terminal")
    finally:
        zvt.stop()
    assert shop.runner.read(list_peripherals) == []


def test_a_declined_test_payment_is_an_error_toast(
    qtbot: QtBot, shop: Shop, hardware: LiveHardware
) -> None:
    zvt = SimulatedZvtTerminal(decline_minor={1}).start()
    try:
        screen = DevicesScreen(DeviceDesk(shop.counter, hardware.apply, env={}))  # not running:
        qtbot.addWidget(screen)  # the test talks ZVT to the stored connection itself
        add(screen, "card_terminal", zvt.url)
        select_row(screen, "card_terminal")
        kind, message = run_test(qtbot, screen)
        assert kind is ToastKind.ERROR
        assert "declined" in message
        assert zvt.transactions == []  # nothing taken, nothing to reverse
    finally:
        zvt.stop()


def test_the_customer_display_shows_a_test_text_then_the_next_sale(
    qtbot: QtBot, shop: Shop, hardware: LiveHardware, pty: tuple[int, str]
) -> None:
    master, path = pty
    screen = screen_for(qtbot, shop, hardware)
    add(screen, "display", path)
    assert hardware.display.current is not None  # opened at once
    select_row(screen, "display")
    assert screen.test_button.text() == "Show text"
    kind, message = run_test(qtbot, screen)
    assert kind is ToastKind.SUCCESS, message
    shown = render_display(read_pty(master, b"display test"))  # on the port the till holds
    assert [line.strip() for line in shown] == ["Nova POS", "display test"]
    own_port = DevicesScreen(DeviceDesk(shop.counter, env={}))  # no running till: opens it
    qtbot.addWidget(own_port)
    select_row(own_port, "display")
    assert run_test(qtbot, own_port)[0] is ToastKind.SUCCESS
    shown = render_display(read_pty(master, b"display test"))
    assert [line.strip() for line in shown] == ["Nova POS", "display test"]

    hardware.display.show_item("Cafe Latte", Money("3.40", "EUR"), Money("3.40", "EUR"))
    assert render_display(read_pty(master, b"TOTAL"))[0].startswith("Cafe Latte")
    remove(screen, "display")
    assert hardware.display.current is None


def test_a_serial_scanner_test_reads_a_code_then_the_next_scan_goes_to_the_sale(
    qtbot: QtBot, shop: Shop, hardware: LiveHardware, pty: tuple[int, str]
) -> None:
    master, path = pty
    scanned: list[str] = []
    hardware.listen(scanned.append)
    screen = screen_for(qtbot, shop, hardware)
    add(screen, "scanner", path)
    assert hardware.scanners["scanner"].ready.wait(10)  # the till's reader holds the port
    select_row(screen, "scanner")
    assert screen.test_button.text() == "Scan a code now"
    screen.test_selected()
    assert screen.test_button.busy
    qtbot.waitUntil(lambda: "scanner" in hardware._taps, timeout=5_000)  # the test waits
    os.write(master, f"{CODE}\r\n".encode())
    qtbot.waitUntil(lambda: not screen.test_button.busy, timeout=10_000)
    assert screen.last_toast == (ToastKind.SUCCESS, f"Scanner read {CODE}")
    assert scanned == []  # the test's code is not sold

    os.write(master, b"4000417020000\r\n")
    qtbot.waitUntil(lambda: scanned == ["4000417020000"], timeout=5_000)
    remove(screen, "scanner")
    assert hardware.scanners == {}


def test_nothing_scanned_in_time_is_an_error_toast(
    qtbot: QtBot, shop: Shop, hardware: LiveHardware, pty: tuple[int, str]
) -> None:
    screen = screen_for(qtbot, shop, hardware)
    screen.desk.read_timeout_s = 0.5
    add(screen, "scanner", pty[1])
    select_row(screen, "scanner")
    assert run_test(qtbot, screen) == (ToastKind.ERROR, "no code arrived within 0.5 seconds")


def test_a_keyboard_wedge_scanner_needs_no_port_and_is_tested_in_a_field(
    qtbot: QtBot, shop: Shop, hardware: LiveHardware
) -> None:
    scanned: list[str] = []
    hardware.listen(scanned.append)
    screen = screen_for(qtbot, shop, hardware)
    screen.show()
    add(screen, "scanner", "")  # a wedge: nothing to type
    assert [p.connection for p in shop.runner.read(list_peripherals)] == [WEDGE]
    assert hardware.scanners == {}  # no port to read: it types
    select_row(screen, "scanner")
    screen.test_selected()
    assert screen.wedge.isVisible()
    qtbot.waitUntil(screen.wedge.edit.hasFocus, timeout=2_000)
    qtbot.keyClicks(screen.wedge.edit, CODE)
    qtbot.keyClick(screen.wedge.edit, Qt.Key.Key_Return)
    assert screen.last_toast == (ToastKind.SUCCESS, f"Scanner read {CODE}")
    remove(screen, "scanner")


def test_a_card_reader_test_reads_one_swipe_then_swipes_reach_the_till(
    qtbot: QtBot, shop: Shop, hardware: LiveHardware, pty: tuple[int, str]
) -> None:
    master, path = pty
    screen = screen_for(qtbot, shop, hardware)
    add(screen, "card_reader", path)
    select_row(screen, "card_reader")
    assert screen.test_button.text() == "Swipe a card now"
    screen.test_selected()  # no reader runs yet (not listening): the test opens the port
    time.sleep(0.5)  # pyserial empties the input when it opens the port
    os.write(master, b"%BEMP0012^DOE/JANE^?\r\n")
    qtbot.waitUntil(lambda: not screen.test_button.busy, timeout=15_000)
    assert screen.last_toast == (ToastKind.SUCCESS, "Card reader read card EMP0012 (JANE DOE)")

    swiped: list[str] = []
    hardware.listen(swiped.append)
    assert hardware.scanners["card_reader"].ready.wait(10)
    os.write(master, b";EMP0012=?\r\n")
    qtbot.waitUntil(lambda: swiped == [";EMP0012=?"], timeout=5_000)
    remove(screen, "card_reader")
    assert hardware.scanners == {}


@pytest.mark.parametrize(
    ("role", "connection", "expected"),
    [
        ("receipt", "hello", "tcp://192.168.1.50:9100"),
        ("receipt", "tcp://hello", "not a printer's address"),
        ("receipt", "tcp://192.168.1.50:99999", "no valid port"),
        ("kitchen", "hello", "usb://04b8:0e15"),
        ("scanner", "hello", "is not a port"),
        ("display", "socket://hello:4000", "is not a port"),
        ("card_reader", "hello", "/dev/ttyUSB1"),
    ],
)
def test_a_connection_that_cannot_be_a_device_is_refused_beside_the_field(
    qtbot: QtBot, shop: Shop, hardware: LiveHardware, role: str, connection: str, expected: str
) -> None:
    screen = screen_for(qtbot, shop, hardware)
    screen.role.setCurrentIndex(screen.role.findData(role))
    screen.connection.set_text(connection)
    screen.add()
    assert screen.connection.has_error
    assert screen.last_toast is not None
    assert screen.last_toast[0] is ToastKind.ERROR
    assert expected in screen.last_toast[1]
    assert shop.runner.read(list_printers) == []
    assert shop.runner.read(list_peripherals) == []


def test_a_device_file_and_a_dotted_host_name_are_accepted(
    qtbot: QtBot, shop: Shop, hardware: LiveHardware
) -> None:
    screen = screen_for(qtbot, shop, hardware)
    add(screen, "report", "/dev/usb/lp0")
    add(screen, "kitchen", "tcp://kitchen-printer.shop.lan:9100")  # no DNS on save
    assert {p.role: p.connection for p in shop.runner.read(list_printers)} == {
        "report": "/dev/usb/lp0", "kitchen": "tcp://kitchen-printer.shop.lan:9100",
    }  # fmt: skip


def test_the_window_says_when_a_start_up_setting_stands_in_for_a_device(
    qtbot: QtBot, shop: Shop, hardware: LiveHardware, pty: tuple[int, str]
) -> None:
    desk = DeviceDesk(shop.counter, hardware.apply, env={"NOVA_TERMINAL_SCANNER": "/dev/ttyACM9"})
    screen = DevicesScreen(desk)
    qtbot.addWidget(screen)
    assert not screen.env_note.isHidden()
    assert "NOVA_TERMINAL_SCANNER=/dev/ttyACM9 is the barcode scanner in use" in (
        screen.env_note.text()
    )
    add(screen, "scanner", pty[1])
    assert "the barcode scanner stored here wins over it" in screen.env_note.text()


@pytest.mark.parametrize("screen_size", SCREENS, ids=lambda s: s.name)
def test_the_window_with_its_note_test_labels_and_scan_field_fits(
    qtbot: QtBot, shop: Shop, hardware: LiveHardware, screen_size: Screen,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("NOVA_TERMINAL_CARD_READER", "COM4")
    desk = DeviceDesk(shop.counter, hardware.apply)
    for role, connection in (("card_terminal", "zvt://192.168.1.60:20007"), ("scanner", "")):
        desk.add_device(role=role, connection=connection)
    desk.add(role="receipt", connection="tcp://192.168.1.50:9100", name="", paper_mm=80,
             drawer_pin=2)  # fmt: skip
    windows = TillWindows(shop.counter, shop.card, devices_changed=hardware.apply)
    qtbot.addWidget(windows.sign_in)
    window = windows.open_till(shop.counter.who())
    qtbot.addWidget(window)
    window.set_mode(Mode.BACK_OFFICE)
    screen = window.open_screen("devices")
    assert isinstance(screen, DevicesScreen)
    assert "NOVA_TERMINAL_CARD_READER=COM4" in screen.env_note.text()
    select_row(screen, "card_terminal")
    assert screen.test_button.text() == "Pay 0.01 and reverse"
    assert_fits(window, screen_size)  # the longest test label whole beside the navigation
    select_row(screen, "scanner")
    screen.test_selected()  # the wedge field shows
    assert_fits(window, screen_size)
    window.grab().save(f"/tmp/h-devices/devices-{screen_size.name}.png")
    windows.close()


def test_the_list_names_each_device_in_the_managers_words() -> None:
    from desktop.ui.backoffice.devices_screen import role_label

    assert [role_label(r) for r in ("receipt", "kitchen", "drawer", "card_terminal")] == [
        "Receipt printer", "Kitchen printer", "Cash drawer", "Card terminal"
    ]  # fmt: skip
