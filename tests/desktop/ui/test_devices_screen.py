"""Back office, devices: add a printer, print a test page and open the drawer through the real
link against the printer simulator (off the UI thread), remove it; bad input is a toast."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.hardware.devices import drawer_kick, list_printers
from desktop.hardware.paper import Paper
from desktop.hardware.sim_printer import SimulatedPrinter
from desktop.till.device_desk import DeviceDesk
from desktop.ui.backoffice.devices_screen import DevicesScreen
from desktop.ui.components.primitives import ToastKind
from tests.desktop.conftest import Shop


def test_add_test_print_open_the_drawer_and_remove(qtbot: QtBot, shop: Shop) -> None:
    printer = SimulatedPrinter().start()
    try:
        screen = DevicesScreen(DeviceDesk(shop.counter))
        qtbot.addWidget(screen)
        screen.connection.set_text(printer.url)
        screen.name.set_text("Counter printer")
        screen.paper.setCurrentIndex(screen.paper.findData("80/42"))
        screen.code_page.setCurrentIndex(screen.code_page.findData("CP858"))
        screen.qr.setChecked(True)
        screen.drawer.setCurrentIndex(screen.drawer.findData(5))
        screen.add()
        assert screen.last_toast == (ToastKind.SUCCESS, "Printer added: try a test print")
        (saved,) = shop.runner.read(list_printers)
        assert (saved.role, saved.connection, saved.paper_mm, saved.drawer_pin) == (
            "receipt", printer.url, 80, 5,
        )  # fmt: skip
        assert saved.paper == Paper.of(80, columns=42, qr=True, code_page="CP858")
        assert screen.table.rowCount() == 1
        assert screen.table.item(0, 5).text() == "cutter, QR, CP858"

        screen.test_print()
        assert screen.test_button.busy  # the UI thread is free while the page goes out
        qtbot.waitUntil(lambda: not screen.test_button.busy, timeout=10_000)
        assert screen.last_toast is not None
        assert screen.last_toast[0] is ToastKind.SUCCESS
        qtbot.waitUntil(lambda: len(printer.jobs) == 1, timeout=5_000)
        assert "Nova POS test print" in printer.texts()[0]
        assert "[qr NOVA-TEST]" in printer.texts()[0]

        screen.drawer_test()
        qtbot.waitUntil(lambda: not screen.test_button.busy, timeout=10_000)
        qtbot.waitUntil(lambda: len(printer.jobs) == 2, timeout=5_000)
        assert drawer_kick(5) in printer.jobs[1]
        audited = shop.runner.read(
            lambda u: u.sql.execute(
                "SELECT count(*) FROM audit_log WHERE action = 'drawer.test'"
            ).fetchone()[0]
        )
        assert audited == 1

        screen.table.setCurrentCell(0, 0)
        screen.remove()
        assert shop.runner.read(list_printers) == []
        assert screen.table.rowCount() == 0
    finally:
        printer.stop()


def test_a_bad_connection_or_a_dead_printer_is_a_toast(qtbot: QtBot, shop: Shop) -> None:
    screen = DevicesScreen(DeviceDesk(shop.counter))
    qtbot.addWidget(screen)
    screen.connection.set_text("lpt://kitchen")
    screen.add()
    assert screen.last_toast is not None
    assert screen.last_toast[0] is ToastKind.ERROR
    assert screen.connection.has_error
    assert shop.runner.read(list_printers) == []

    screen.connection.set_text("tcp://127.0.0.1:9")  # nothing listens there
    screen.add()
    screen.test_print()
    qtbot.waitUntil(lambda: not screen.test_button.busy, timeout=15_000)
    assert screen.last_toast is not None
    assert screen.last_toast[0] is ToastKind.ERROR
    assert "could not reach the printer" in screen.last_toast[1]


def test_a_drawer_on_its_own_port_is_tested_with_open_drawer_not_a_page(
    qtbot: QtBot, shop: Shop
) -> None:
    screen = DevicesScreen(DeviceDesk(shop.counter))
    qtbot.addWidget(screen)
    screen.role.setCurrentIndex(screen.role.findData("drawer"))
    screen.connection.set_text("serial:///dev/ttyS1")
    screen.drawer.setCurrentIndex(screen.drawer.findData(2))
    screen.add()
    assert screen.last_toast == (ToastKind.SUCCESS, "Cash drawer added: try Open drawer")
    assert [screen.table.item(0, c).text() for c in (3, 4, 5)] == ["—", "pin 2", "pulse 50 ms"]  # type: ignore[union-attr]
    screen.table.setCurrentCell(0, 0)
    screen.test_print()
    qtbot.waitUntil(lambda: not screen.test_button.busy, timeout=10_000)
    assert screen.last_toast == (
        ToastKind.ERROR,
        "a cash drawer does not print: use Open drawer to test it",
    )
