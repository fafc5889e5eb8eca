"""The live printers follow the device registry: the counter's paper and drawer and one worker
per print queue are rebuilt from the stored settings on every `apply()`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from desktop.hardware.devices import add_peripheral, add_printer, list_printers, remove_device
from desktop.hardware.paper import Paper
from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.hardware.sim_printer import SimulatedPrinter
from desktop.sales.checkout import TenderRequest
from desktop.till.live_hardware import Fallbacks, LiveHardware
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


PERIPHERAL_FALLBACKS = {  # role → (the Fallbacks field, its start-up setting, a stored device)
    "card_terminal": ("card_terminal", "zvt://192.168.1.60:20007", "zvt://192.168.1.61:20007"),
    "display": ("customer_display", "loop://", "loop://?logging=debug"),
    "scanner": ("scanner", "loop://", "loop://?logging=debug"),
    "card_reader": ("card_reader", "loop://", "loop://?logging=debug"),
}


@pytest.mark.parametrize("role", sorted(PERIPHERAL_FALLBACKS))
def test_a_stored_device_wins_over_its_start_up_setting_and_removing_it_gives_it_back(
    shop: Shop, role: str
) -> None:
    """docs/hardware.md "Start-up settings": NOVA_TERMINAL_… stands in only for a role that
    Devices stores nothing for — for every kind of device, not just printers."""
    field, env_url, stored_url = PERIPHERAL_FALLBACKS[role]
    built: list[str] = []

    def make_card(url: str) -> SimulatedPaymentTerminal:
        built.append(url)
        return SimulatedPaymentTerminal()

    live = LiveHardware(
        shop.counter, poll_s=0.05, fallbacks=Fallbacks(**{field: env_url}), make_card=make_card
    )
    try:
        live.apply()
        live.listen(lambda _line: None)  # serial readers run on their port, as in the app
        assert live.in_use(role) == env_url
        device = shop.runner.run(lambda uow: add_peripheral(uow, role=role, connection=stored_url))
        live.apply()
        assert live.in_use(role) == stored_url
        shop.runner.run(lambda uow: remove_device(uow, device))
        live.apply()
        assert live.in_use(role) == env_url
        if role == "card_terminal":
            assert built == [env_url, stored_url, env_url]  # the terminal a payment goes to
        if role in ("scanner", "card_reader"):
            assert live.scanners[role].url == env_url  # the reader thread is on that port
    finally:
        live.stop()
