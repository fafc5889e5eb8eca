"""The live printers follow the device registry: the counter's paper and drawer and one worker
per print queue are rebuilt from the stored settings on every `apply()`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from desktop.hardware.devices import add_printer, list_printers, remove_device
from desktop.hardware.paper import Paper
from desktop.hardware.sim_printer import SimulatedPrinter
from desktop.sales.checkout import TenderRequest
from desktop.till.live_hardware import LiveHardware
from shared.money import Money
from tests.desktop.conftest import Shop


def until(condition: Callable[[], bool], timeout_s: float = 10.0) -> bool:
    """Wait for a print worker's thread to get there (bounded; no fixed sleep)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.fixture
def hardware(shop: Shop) -> Iterator[LiveHardware]:
    live = LiveHardware(shop.counter, poll_s=0.05)
    yield live
    live.stop()


class TestApply:
    def test_without_a_printer_the_counter_queues_no_paper(
        self, shop: Shop, hardware: LiveHardware
    ) -> None:
        hardware.apply()
        assert (shop.counter.printer, hardware.workers, hardware.printer_status()) == (
            False, {}, None,
        )  # fmt: skip

    def test_the_start_up_printer_setting_is_used_until_devices_has_one(self, shop: Shop) -> None:
        live = LiveHardware(shop.counter, fallback_connection="tcp://127.0.0.1:9", poll_s=0.05)
        try:
            live.apply()
            assert shop.counter.printer
            assert sorted(live.workers) == ["receipt", "report"]
        finally:
            live.stop()

    def test_a_drawer_on_its_own_port_gets_its_own_queue(
        self, shop: Shop, hardware: LiveHardware
    ) -> None:
        shop.runner.run(
            lambda uow: add_printer(
                uow, role="drawer", connection="serial:///dev/ttyS1", drawer_pin=5,
                drawer_pulse_ms=120,
            )
        )  # fmt: skip
        hardware.apply()
        counter = shop.counter
        assert (counter.drawer_queue, counter.drawer_pin, counter.drawer_pulse_ms) == (
            "drawer", 5, 120,
        )  # fmt: skip
        assert sorted(hardware.workers) == ["drawer"]

    def test_a_changed_printer_takes_over_the_queue_and_the_paper(
        self, shop: Shop, hardware: LiveHardware
    ) -> None:
        first, second = SimulatedPrinter().start(), SimulatedPrinter().start()
        try:
            shop.runner.run(lambda uow: add_printer(uow, role="receipt", connection=first.url))
            hardware.apply()
            kept = hardware.workers["report"]
            (old,) = shop.runner.read(list_printers)
            shop.runner.run(lambda uow: remove_device(uow, old.id))
            shop.runner.run(
                lambda uow: add_printer(
                    uow, role="receipt", connection=second.url, paper_mm=58, drawer_pin=None
                )
            )
            shop.runner.run(lambda uow: add_printer(uow, role="report", connection=first.url))
            hardware.apply()
            assert shop.counter.paper == Paper.of(58)
            assert shop.counter.drawer_pin is None
            assert hardware.workers["report"] is kept  # same connection: same worker

            shop.counter.scan("4006381333931")
            shop.counter.pay([TenderRequest("cash", Money("5.00", "EUR"))], shop.card)
            assert until(lambda: len(second.jobs) == 1)
            assert first.jobs == []
        finally:
            first.stop()
            second.stop()
