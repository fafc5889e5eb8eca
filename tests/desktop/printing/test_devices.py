"""The device registry and `nova devices`: add, list, test-print and drawer-test a printer."""

from __future__ import annotations

import os
import tty
from pathlib import Path

import pytest

from desktop.db.migrate import upgrade_terminal
from desktop.hardware.devices import add_printer, drawer_kick, printer_for
from desktop.hardware.printer_link import Address
from desktop.hardware.sim_printer import SimulatedPrinter
from desktop.printing.worker import PrintWorker
from desktop.sales.checkout import TenderRequest
from desktop.till.counter import Counter
from nova.cli import main
from shared.errors import Conflict, ValidationFailed
from shared.money import Money
from tests.desktop.conftest import Shop


def test_one_printer_per_role_and_reports_fall_back(shop: Shop) -> None:
    device = shop.runner.run(
        lambda uow: add_printer(uow, role="receipt", connection="tcp://10.0.0.9", drawer_pin=5)
    )
    receipt = shop.runner.read(lambda uow: printer_for(uow, "receipt"))
    assert receipt is not None
    assert (receipt.id, receipt.link, receipt.drawer_pin) == (device, Address("10.0.0.9", 9100), 5)
    assert shop.runner.read(lambda uow: printer_for(uow, "report")) == receipt
    with pytest.raises(Conflict, match="already has a printer"):
        shop.runner.run(lambda uow: add_printer(uow, role="receipt", connection="tcp://10.0.0.8"))


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"role": "bar", "connection": "tcp://10.0.0.8"}, "role is one of"),
        ({"role": "receipt", "connection": "usb://epson"}, "usb://vendor:product in hex"),
        ({"role": "receipt", "connection": "cups://"}, "cups://queue"),
        ({"role": "receipt", "connection": "lpt://1"}, "unknown connection"),
        (
            {"role": "receipt", "connection": "tcp://10.0.0.8", "paper_mm": 58, "columns": 42},
            "prints 32",
        ),
        (
            {"role": "receipt", "connection": "tcp://10.0.0.8", "code_page": "CP999"},
            "code page is one",
        ),
        ({"role": "receipt", "connection": "tcp://10.0.0.8", "paper_mm": 76}, "58 or 80"),
        ({"role": "receipt", "connection": "tcp://10.0.0.8", "drawer_pin": 3}, "pin 2 or 5"),
    ],
)
def test_bad_devices(shop: Shop, kwargs: dict[str, object], text: str) -> None:
    with pytest.raises(ValidationFailed, match=text):
        shop.runner.run(lambda uow: add_printer(uow, **kwargs))  # type: ignore[arg-type]


def test_drawer_pins() -> None:
    assert drawer_kick(2) == b"\x1bp\x00\x19\xfa"
    assert drawer_kick(5) == b"\x1bp\x01\x19\xfa"


def test_nova_devices_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "terminal.db"
    upgrade_terminal(db)
    printer = SimulatedPrinter().start()
    try:
        base = ["devices", "--database", str(db)]
        assert main([*base, "list"]) == 0
        assert "no printers configured" in capsys.readouterr().out
        assert main([*base, "add-printer", "--connection", printer.url, "--paper", "58"]) == 0
        assert main([*base, "list"]) == 0
        assert printer.url in capsys.readouterr().out
        assert main([*base, "test-print"]) == 0
        assert "printer status: ok" in capsys.readouterr().out
        assert main([*base, "drawer-test"]) == 0
        page, drawer = printer.texts()
        assert "Nova POS test print" in page
        assert "€ é ü ß ñ" in page
        assert drawer.strip() == "[drawer]"
        assert main([*base, "add-printer", "--connection", "tcp://10.0.0.8"]) == 1
        assert "already has a printer" in capsys.readouterr().out
        report = ["--role", "report", "--columns", "42", "--qr", "--no-cutter"]
        assert main([*base, "add-printer", "--connection", printer.url, *report]) == 0
        assert main([*base, "list"]) == 0
        assert "80 mm/42 col" in capsys.readouterr().out
        assert main([*base, "test-print", "--role", "report"]) == 0
        test_page = printer.texts()[-1]
        assert "80 mm, 42 columns, code page auto, QR" in test_page
        assert "123456789012345678901234567890123456789012\n" in test_page  # the ruler fits
        assert "[qr NOVA-TEST]" in test_page
        assert "[cut]" not in test_page
    finally:
        printer.stop()
    assert main([*base, "test-print"]) == 1
    assert "could not reach the printer" in capsys.readouterr().out


def test_the_cli_offers_the_code_pages_the_printers_have() -> None:
    from desktop.hardware.paper import CODE_PAGES
    from nova.commands import devices

    assert devices.CODE_PAGES == CODE_PAGES


def test_the_cli_offers_the_device_roles_the_registry_has() -> None:
    from desktop.hardware.devices import PERIPHERALS
    from nova.commands import devices

    hints = {role: hint for role, (_, hint) in PERIPHERALS.items()}
    assert hints == devices.PERIPHERALS


def test_the_cli_adds_and_lists_a_card_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "till.db"
    upgrade_terminal(db)
    base = ["devices", "--database", str(db)]
    terminal = ["--role", "card_terminal", "--connection", "zvt://192.168.1.60:20007"]
    assert main([*base, "add-device", *terminal, "--name", "Ingenico"]) == 0
    assert "added card_terminal" in capsys.readouterr().out
    assert main([*base, "list"]) == 0
    listed = capsys.readouterr().out
    assert "card_terminal" in listed
    assert "zvt://192.168.1.60:20007" in listed
    assert main([*base, "add-device", *terminal]) == 1  # one per role
    assert "nova devices:" in capsys.readouterr().out


def test_a_drawer_on_its_own_serial_port_opens_on_a_cash_sale(shop: Shop) -> None:
    """No receipt printer at all: the kick goes through the drawer's own queue and worker to
    its serial port, with the configured pin and pulse."""
    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        url = f"serial://{os.ttyname(slave)}"
        shop.runner.run(
            lambda uow: add_printer(
                uow, role="drawer", connection=url, drawer_pin=5, drawer_pulse_ms=120
            )
        )
        drawer = shop.runner.read(lambda uow: printer_for(uow, "drawer"))
        assert drawer is not None
        counter = Counter(
            shop.runner,
            printer=False,
            drawer_pin=drawer.drawer_pin,
            drawer_pulse_ms=drawer.drawer_pulse_ms,
            drawer_queue="drawer",
        )
        counter.sign_in("1", "1111")
        counter.scan("4006381333931")
        counter.pay([TenderRequest("cash", Money("5.00", "EUR"))], shop.card)
        worker = PrintWorker(shop.runner, drawer.link, printer="drawer")
        assert worker.work_once()
        assert os.read(master, 16) == drawer_kick(5, 120) == b"\x1bp\x01\x3c\xfa"
        assert not PrintWorker(shop.runner, drawer.link, printer="receipt").work_once()
    finally:
        os.close(master)
        os.close(slave)


def test_a_drawer_device_needs_its_pin_and_a_sane_pulse(shop: Shop) -> None:
    for kwargs, message in (
        ({"drawer_pin": None}, "needs its pin"),
        ({"drawer_pulse_ms": 400}, "10 to 250 ms"),
    ):
        with pytest.raises(ValidationFailed, match=message):
            shop.runner.run(
                lambda uow, k=kwargs: add_printer(  # type: ignore[misc]
                    uow, role="drawer", connection="serial:///dev/ttyS1", **k
                )
            )
