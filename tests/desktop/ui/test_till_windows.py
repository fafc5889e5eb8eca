"""The terminal's composition: sign in, then the shell opens on the real sell screen for that
person, with the changes waiting to sync in the status bar."""

from __future__ import annotations

import os
from pathlib import Path

import serial
from pytestqt.qtbot import QtBot

from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.hardware.pole_display import TO_LINE_2, PoleDisplay
from desktop.hardware.serial_scanner import SerialScanner
from desktop.loyalty.customers import create_customer
from desktop.sales.checkout import TenderRequest
from desktop.till.demo import demo_counter
from desktop.till.views import SaleDone
from desktop.ui.sell.sell_screen import SellScreen
from desktop.ui.till_window import TillWindows
from shared.money import Money


def test_sign_in_opens_the_till_for_that_person(qtbot: QtBot, tmp_path: Path) -> None:
    counter = demo_counter(tmp_path)
    windows = TillWindows(counter, SimulatedPaymentTerminal())
    qtbot.addWidget(windows.sign_in)
    windows.show()
    windows.sign_in.code.edit.setText("2")
    for digit in "2222":
        windows.sign_in.keypad.press(digit)
    windows.sign_in.keypad.submit()
    window = windows.window
    assert window is not None
    qtbot.addWidget(window)
    assert not windows.sign_in.isVisible()
    assert window.status.user.text().endswith("Demo Cashier")
    # The cashier role sees the till screens it may open, and the sell screen is the real one.
    # Refunds: a manager approves each one; Shift: a cashier opens shifts and moves cash
    assert window.nav_ids() == ["sell", "refunds", "shift"]
    sell = window.open_screen("sell")
    assert isinstance(sell, SellScreen)
    assert "waiting to sync" in window.status.pending.text()
    before = counter.pending_changes()
    counter.scan("4006381333931")
    assert counter.pending_changes() == before  # an open ticket is not a change to sync yet
    counter.pay([TenderRequest("cash", counter.cart().total)], SimulatedPaymentTerminal())
    windows.show_pending()
    assert window.status.pending.text().endswith(f"{before + 1} changes waiting to sync")
    counter.runner.engine.dispose()


def test_idle_till_locks_and_parks_the_ticket_for_its_cashier(qtbot: QtBot, tmp_path: Path) -> None:
    counter = demo_counter(tmp_path)
    windows = TillWindows(counter, SimulatedPaymentTerminal(), idle_lock_ms=150)
    qtbot.addWidget(windows.sign_in)
    windows.show()
    counter.sign_in("2", "2222")
    window = windows.open_till(counter.who())
    qtbot.addWidget(window)
    counter.scan("4006381333931")
    ticket = counter.ticket_id
    qtbot.waitUntil(lambda: windows.window is None, timeout=3000)
    assert windows.sign_in.isVisible()
    assert "Locked" in windows.sign_in.message.text()
    assert counter.actor is None
    assert counter.parked() == [ticket]  # parked under the cashier who walked away …
    counter.sign_in("2", "2222")
    assert counter.ticket_id == ticket  # … and theirs again when they come back
    windows.idle.stop()
    counter.runner.engine.dispose()


def test_the_customer_display_follows_the_cart(qtbot: QtBot, tmp_path: Path) -> None:
    port = serial.serial_for_url("loop://", timeout=1)
    counter = demo_counter(tmp_path)
    windows = TillWindows(counter, SimulatedPaymentTerminal(), display=PoleDisplay(port))
    qtbot.addWidget(windows.sign_in)
    port.read(2)  # the display's reset
    counter.sign_in("2", "2222")
    window = windows.open_till(counter.who())
    qtbot.addWidget(window)
    sell = window.open_screen("sell")
    assert isinstance(sell, SellScreen)
    sell.scan_box.setText("4006381333931")
    sell.submit_scan_box()
    _, bottom = port.read(100)[1:].split(TO_LINE_2)
    assert bottom.decode("cp437") == "TOTAL           3.40"
    sell.sale_done.emit(SaleDone("T01-000001", Money("3.40", "EUR"), Money("6.60", "EUR")))
    _, change = port.read(100)[1:].split(TO_LINE_2)
    assert change.decode("cp437") == "CHANGE          6.60"
    counter.runner.engine.dispose()


def test_a_serial_scanner_rings_up_on_the_sell_screen(qtbot: QtBot, tmp_path: Path) -> None:
    master, slave = os.openpty()
    counter = demo_counter(tmp_path)
    windows = TillWindows(counter, SimulatedPaymentTerminal())
    qtbot.addWidget(windows.sign_in)
    counter.sign_in("2", "2222")
    window = windows.open_till(counter.who())
    qtbot.addWidget(window)
    window.open_screen("sell")
    scanner = SerialScanner(os.ttyname(slave), windows.scans.scanned.emit)
    scanner.start()
    try:
        assert scanner.ready.wait(5)
        os.write(master, b"4006381333931\r\n4012345000011\r")
        qtbot.waitUntil(lambda: len(counter.cart().lines) == 2, timeout=5000)
    finally:
        scanner.stop()
        os.close(master)
        os.close(slave)
    assert [line.name for line in counter.cart().lines] == ["Café Latte", "Croissant"]
    counter.runner.engine.dispose()


def test_a_serial_card_reader_signs_in_and_finds_the_loyalty_customer(
    qtbot: QtBot, tmp_path: Path
) -> None:
    master, slave = os.openpty()
    counter = demo_counter(tmp_path)
    manager = counter.sign_in("1", "1234")
    counter.runner.run(
        lambda uow: create_customer(uow, manager, name="Ana Costa", card_number="6009123456789")
    )
    counter.sign_out()
    windows = TillWindows(counter, SimulatedPaymentTerminal())
    qtbot.addWidget(windows.sign_in)
    reader = SerialScanner(os.ttyname(slave), windows.scans.scanned.emit, name="card-reader")
    reader.start()
    try:
        assert reader.ready.wait(5)
        # A bank card at sign-in is refused and its number never lands anywhere.
        os.write(master, b"%B4111111111111111^DOE/JOHN^2512101000?\r")
        qtbot.waitUntil(lambda: "bank card" in windows.sign_in.message.text(), timeout=5000)
        assert windows.sign_in.code.edit.text() == ""
        os.write(master, b";EMP0002=0000?\r")  # the cashier's staff card
        qtbot.waitUntil(lambda: windows.sign_in.code.edit.text() == "2", timeout=5000)
        with qtbot.waitSignal(windows.sign_in.signed_in, timeout=5000):
            for digit in "2222":
                windows.sign_in.keypad.press(digit)
            windows.sign_in.keypad.submit()
        assert windows.window is not None
        qtbot.addWidget(windows.window)
        sell = windows.window.open_screen("sell")
        assert isinstance(sell, SellScreen)
        os.write(master, b"%B6009123456789^COSTA/ANA^2912101?\r")  # a loyalty card
        qtbot.waitUntil(lambda: sell.cart.customer.text() == "Ana Costa · 0 points", timeout=5000)
        os.write(master, b";4111111111111111=2512101?\r")
        qtbot.waitUntil(lambda: sell.last_toast is not None and "bank card" in sell.last_toast[1])
    finally:
        reader.stop()
        os.close(master)
        os.close(slave)
    dump = "\n".join(counter.runner.engine.raw_connection().iterdump())
    assert "4111111111111111" not in dump
    assert "DOE" not in dump
    counter.runner.engine.dispose()


def test_the_status_bar_shows_what_the_sync_worker_reports(qtbot: QtBot, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from desktop.sync.status import Connectivity, SyncStatus

    counter = demo_counter(tmp_path)
    reported = [SyncStatus(Connectivity.SYNCING, pending=0, progress=0.4)]
    windows = TillWindows(counter, SimulatedPaymentTerminal(), sync_status=lambda: reported[0])
    qtbot.addWidget(windows.sign_in)
    counter.sign_in("2", "2222")
    window = windows.open_till(counter.who())
    qtbot.addWidget(window)
    assert window.status.connectivity.text() == "Syncing 40%"
    # The count comes from the database (fresh), the state from the worker.
    assert window.status.pending.text().startswith(f"{counter.pending_changes()} change")
    reported[0] = SyncStatus(Connectivity.ONLINE, last_success=datetime(2026, 11, 25, tzinfo=UTC))
    windows.show_pending()
    assert window.status.connectivity.text() == "Online"
    assert window.status.last_sync.text().startswith("Last sync 2026-11-2")
    counter.runner.engine.dispose()
