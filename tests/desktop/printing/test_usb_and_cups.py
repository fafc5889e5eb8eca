"""Printers by USB id (resolved through a sysfs tree laid out like the kernel's) and CUPS queues
(a real private cupsd passing jobs raw to the printer simulator)."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop.hardware.cups_link import CupsLink
from desktop.hardware.devices import add_printer, printer_for
from desktop.hardware.printer_link import PrinterState, parse_link
from desktop.hardware.sim_printer import SimulatedPrinter, render_text
from desktop.hardware.usb_printers import UsbLink, find_usb_printers
from desktop.printing.worker import PrintWorker
from desktop.sales.checkout import TenderRequest
from desktop.till.counter import Counter
from shared.money import Money
from tests.conftest import missing_service
from tests.desktop.conftest import Shop
from tests.support import cups_server
from tests.support.cups_server import CupsServer


class FakeUsbBus:
    """`/sys` and `/dev` as the usblp driver lays them out, with regular files as devices."""

    def __init__(self, root: Path) -> None:
        self.sysfs, self.dev = root / "sys", root / "dev"
        (self.dev / "usb").mkdir(parents=True)

    def plug(self, node: str, vendor: int, product: int, serial: str, port: str) -> Path:
        usb = self.sysfs / "devices/pci0000:00/0000:00:14.0/usb1" / port
        interface = usb / f"{port}:1.0"
        interface.mkdir(parents=True)
        for name, value in (
            ("idVendor", f"{vendor:04x}"), ("idProduct", f"{product:04x}"), ("serial", serial),
            ("manufacturer", "EPSON"), ("product", "TM-T20III"),
        ):  # fmt: skip
            (usb / name).write_text(value + "\n")
        (self.sysfs / "class/usbmisc" / node).mkdir(parents=True)
        (self.sysfs / "class/usbmisc" / node / "device").symlink_to(interface)
        device = self.dev / "usb" / node
        device.write_bytes(b"")
        return device

    def unplug(self, node: str) -> None:
        (self.sysfs / "class/usbmisc" / node / "device").unlink()
        (self.sysfs / "class/usbmisc" / node).rmdir()
        (self.dev / "usb" / node).unlink()


class TestUsb:
    def test_found_by_id_wherever_the_kernel_put_it(self, tmp_path: Path) -> None:
        bus = FakeUsbBus(tmp_path)
        lp0 = bus.plug("lp0", 0x04B8, 0x0E15, "X1", "1-1")
        found = find_usb_printers(bus.sysfs, bus.dev)
        assert [(p.url, p.name, p.device) for p in found] == [
            ("usb://04b8:0e15?serial=X1", "EPSON TM-T20III", lp0)
        ]
        link = UsbLink.parse("usb://04b8:0e15", sysfs=bus.sysfs, dev=bus.dev)
        link.send(b"first")
        assert lp0.read_bytes() == b"first"
        # Unplugged: unreachable, and a job fails (the worker keeps it for later).
        bus.unplug("lp0")
        assert link.status() is PrinterState.UNREACHABLE
        with pytest.raises(FileNotFoundError, match="04b8:0e15 is plugged in"):
            link.send(b"lost?")
        # Back on another port, as lp1: the same connection finds it.
        lp1 = bus.plug("lp1", 0x04B8, 0x0E15, "X1", "1-2")
        link.send(b"second")
        assert lp1.read_bytes() == b"second"
        assert link.status() is PrinterState.UNKNOWN  # usblp is write-only: no DLE EOT answer

    def test_two_alike_printers_are_told_apart_by_serial(self, tmp_path: Path) -> None:
        bus = FakeUsbBus(tmp_path)
        bus.plug("lp0", 0x04B8, 0x0E15, "KITCHEN", "1-1")
        counter = bus.plug("lp1", 0x04B8, 0x0E15, "COUNTER", "1-2")
        link = UsbLink.parse("usb://04b8:0e15?serial=COUNTER", sysfs=bus.sysfs, dev=bus.dev)
        link.send(b"receipt")
        assert counter.read_bytes() == b"receipt"

    def test_connection_urls(self, shop: Shop) -> None:
        assert parse_link("usb://04b8:0e15") == UsbLink(0x04B8, 0x0E15)
        with pytest.raises(ValueError, match="usb://vendor:product in hex"):
            parse_link("usb://epson")
        device = shop.runner.run(
            lambda uow: add_printer(uow, role="receipt", connection="usb://04b8:0e15?serial=X1")
        )
        saved = shop.runner.read(lambda uow: printer_for(uow, "receipt"))
        assert saved is not None
        assert saved.id == device
        assert saved.link == UsbLink(0x04B8, 0x0E15, "X1")


@pytest.fixture(scope="module")
def cups() -> Iterator[CupsServer]:
    if not cups_server.available():
        missing_service("CUPS (Debian packages cups, cups-client)")
    # Not under pytest's tmp dir: that is private to us, and CUPS's backends run as user lp.
    root = Path(tempfile.mkdtemp(prefix="nova-cups-"))
    server = cups_server.start_cups(root)
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def printer() -> Iterator[SimulatedPrinter]:
    sim = SimulatedPrinter().start()
    yield sim
    sim.stop()


class TestCups:
    def test_a_raw_job_reaches_the_printer_byte_for_byte(
        self, cups: CupsServer, printer: SimulatedPrinter
    ) -> None:
        cups.add_raw_queue("counter", f"socket://127.0.0.1:{printer.port}")
        link = parse_link(f"cups://{cups.server}/counter")
        assert link == CupsLink("counter", cups.server)
        assert link.status() is PrinterState.OK
        data = b"\x1b@Caf\x82 Nova \x1bt\x13\xd5 4.50\n\x1dV\x00"
        link.send(data)
        wait_for(lambda: printer.jobs == [data])

    def test_a_stopped_queue_is_offline_and_a_missing_one_unreachable(
        self, cups: CupsServer, printer: SimulatedPrinter
    ) -> None:
        cups.add_raw_queue("stopped", f"socket://127.0.0.1:{printer.port}")
        cups.lp("cupsdisable", "stopped")
        assert CupsLink("stopped", cups.server).status() is PrinterState.OFFLINE
        missing = CupsLink("nosuchqueue", cups.server)
        assert missing.status() is PrinterState.UNREACHABLE
        with pytest.raises(ConnectionError, match="CUPS refused the job"):
            missing.send(b"x")

    def test_a_sale_prints_through_cups(
        self, cups: CupsServer, printer: SimulatedPrinter, shop: Shop
    ) -> None:
        cups.add_raw_queue("till", f"socket://127.0.0.1:{printer.port}")
        url = f"cups://{cups.server}/till"
        shop.runner.run(lambda uow: add_printer(uow, role="receipt", connection=url))
        config = shop.runner.read(lambda uow: printer_for(uow, "receipt"))
        assert config is not None
        counter = Counter(shop.runner, printer=True, paper=config.paper, drawer_pin=None)
        counter.sign_in("1", "1111")
        counter.scan("4006381333931")
        done = counter.pay([TenderRequest("cash", Money("5.00", "EUR"))], shop.card)
        worker = PrintWorker(shop.runner, config.link)
        assert worker.work_once()
        wait_for(lambda: len(printer.jobs) == 1)
        assert f"RECEIPT {done.receipt_no}" in render_text(printer.jobs[0])


def wait_for(condition: Callable[[], bool], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the printer did not receive the job in time")
        time.sleep(0.05)
