"""The till's live hardware (Qt-free): printers and drawer, card terminal, serial scanner and card
reader, customer display — built from the stored device settings at start and built again on
every change in Back office → Devices, so a device added, changed or removed there is used (or no
longer used) by the next sale — no restart. The start-up settings (NOVA_TERMINAL_…) stand in for
a role that Devices does not set."""

from __future__ import annotations

import functools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from desktop.hardware.devices import WEDGE, PrinterConfig, list_peripherals, printer_for
from desktop.hardware.live_peripherals import LiveCardTerminal, LiveDisplay
from desktop.hardware.paper import Paper
from desktop.hardware.payment_terminal import PaymentTerminal, SimulatedPaymentTerminal
from desktop.hardware.pole_display import PoleDisplay
from desktop.hardware.printer_link import parse_link
from desktop.hardware.serial_scanner import SerialScanner
from desktop.printing.worker import PrinterStatus, PrintWorker
from desktop.till.counter import Counter
from shared.errors import Unavailable

log = logging.getLogger("desktop.hardware")


@dataclass(frozen=True)
class _Plan:
    """What the device settings ask for: the connection each print queue is sent to, and how
    the counter queues receipts and drawer kicks."""

    links: dict[str, str]  # queue ("receipt", "report", "drawer") → connection URL
    printer: bool
    paper: Paper
    report_paper: Paper | None
    drawer_pin: int | None
    drawer_pulse_ms: int
    drawer_queue: str


def _plan(
    receipt: PrinterConfig | None,
    report: PrinterConfig | None,
    drawer: PrinterConfig | None,
    *,
    fallback_connection: str,
    fallback_paper: Paper,
) -> _Plan:
    # The back office's receipt printer wins over NOVA_TERMINAL_RECEIPT_PRINTER (set-up scripts).
    connection = receipt.connection if receipt else fallback_connection
    kicks = drawer or receipt
    links: dict[str, str] = {}
    if connection:
        # One worker per queue, so a dead report printer never holds up receipts (or the drawer).
        links["receipt"] = connection
        links["report"] = report.connection if report else connection
    if drawer:
        links["drawer"] = drawer.connection
    return _Plan(
        links=links,
        printer=bool(connection),
        paper=receipt.paper if receipt else fallback_paper,
        report_paper=report.paper if report else None,
        drawer_pin=kicks.drawer_pin if kicks else 2,
        drawer_pulse_ms=kicks.drawer_pulse_ms if kicks else 50,
        drawer_queue="drawer" if drawer else "receipt",
    )


@dataclass(frozen=True)
class Fallbacks:
    """The start-up settings' devices (NOVA_TERMINAL_CARD_TERMINAL, …): used for a role the
    back office's Devices has no device for."""

    card_terminal: str = ""
    customer_display: str = ""
    scanner: str = ""
    card_reader: str = ""


def _open_display(url: str) -> PoleDisplay | None:
    if not url:
        return None
    try:
        return PoleDisplay.open(url)
    except OSError as exc:  # unplugged or busy: the till sells on without it (the world's fault)
        log.info("customer display %s unavailable: %s", url, exc)
        return None


class LiveHardware:
    """Owns the print workers and keeps the counter's printer settings in step with the
    device registry. `apply()` is the one place that turns stored settings into live hardware:
    the app calls it at start, the devices desk after every add or remove. Jobs already queued
    stay in the queue and go out on whichever printer serves their queue next."""

    def __init__(
        self,
        counter: Counter,
        *,
        fallback_connection: str = "",
        fallback_paper: Paper | None = None,
        poll_s: float = 0.5,
        fallbacks: Fallbacks | None = None,
        make_card: Callable[[str], PaymentTerminal] | None = None,
    ) -> None:
        """`make_card`: builds the card terminal for a connection (the app's: a ZVT terminal
        with its unsettled-payment memory file); without one, `ZvtTerminal.from_url`."""
        self.make_card = make_card
        self.counter = counter
        self.fallback_connection = fallback_connection
        self.fallback_paper = fallback_paper or Paper()
        self.poll_s = poll_s
        self.workers: dict[str, PrintWorker] = {}
        self.fallbacks = fallbacks or Fallbacks()
        self.card = LiveCardTerminal(self._card_for(""))
        self.display = LiveDisplay()
        self.scanners: dict[str, SerialScanner] = {}  # role → the reader thread on its port
        self._sink: Callable[[str], None] | None = None
        self._peripherals: dict[str, str] = {}  # role → connection now in use
        self._urls: dict[str, str] = {}  # queue → the connection its worker sends to
        self._lock = threading.Lock()  # a device change from a worker thread and the app's stop
        self._taps: dict[str, queue.Queue[str]] = {}  # role → a Devices test waiting for a line

    def apply(self) -> None:
        """Read the device settings and reconfigure: the counter's paper and drawer, a worker
        per print queue, the card terminal, the display and the serial readers (a device whose
        connection did not change is left as it is)."""
        runner = self.counter.runner
        plan = _plan(
            runner.read(lambda uow: printer_for(uow, "receipt")),
            runner.read(lambda uow: printer_for(uow, "report")),
            runner.read(lambda uow: printer_for(uow, "drawer")),
            fallback_connection=self.fallback_connection,
            fallback_paper=self.fallback_paper,
        )
        with self._lock:
            counter = self.counter
            counter.printer = plan.printer
            counter.paper = plan.paper
            counter.report_paper = plan.report_paper or plan.paper
            counter.drawer_pin = plan.drawer_pin
            counter.drawer_pulse_ms = plan.drawer_pulse_ms
            counter.drawer_queue = plan.drawer_queue
            for queue in list(self.workers):
                worker = self.workers[queue]
                if plan.links.get(queue) != self._urls[queue]:
                    worker.stop()  # its unsent jobs wait in the queue for the next worker
                    del self.workers[queue], self._urls[queue]
            for queue, url in plan.links.items():
                if queue not in self.workers:
                    worker = PrintWorker(runner, parse_link(url), printer=queue, poll_s=self.poll_s)
                    worker.start()
                    self.workers[queue] = worker
                    self._urls[queue] = url
            self._apply_peripherals()
        log.info("devices applied: %s", ", ".join(sorted(plan.links)) or "no printer")

    def listen(self, sink: Callable[[str], None]) -> None:
        """Where lines from serial scanners and card readers go (from their threads); starts
        the readers the settings name."""
        with self._lock:
            self._sink = sink
            self._peripherals.pop("scanner", None)  # (re)start the readers with this sink
            self._peripherals.pop("card_reader", None)
            self._apply_peripherals()

    def _apply_peripherals(self) -> None:
        stored = {p.role: p.connection for p in self.counter.runner.read(list_peripherals)}
        wanted = {
            "card_terminal": stored.get("card_terminal", self.fallbacks.card_terminal),
            "display": stored.get("display", self.fallbacks.customer_display),
            "scanner": stored.get("scanner", self.fallbacks.scanner),
            "card_reader": stored.get("card_reader", self.fallbacks.card_reader),
        }
        for role, url in wanted.items():
            if role in self._peripherals and self._peripherals[role] == url:
                continue
            self._peripherals[role] = url
            if role == "card_terminal":
                self.card.use(self._card_for(url))
            elif role == "display":
                self.display.use(_open_display(url))
            else:
                self._restart_reader(role, url)

    def in_use(self, role: str) -> str:
        """The connection the till drives `role` ("card_terminal", "display", "scanner",
        "card_reader") on now — the stored device's, else the start-up setting's; "" for none
        (the card terminal then is the built-in simulator)."""
        with self._lock:
            return self._peripherals.get(role, "")

    def _card_for(self, url: str) -> PaymentTerminal:
        if not url:
            return SimulatedPaymentTerminal()  # the built-in simulator (demo, development)
        if self.make_card is not None:
            return self.make_card(url)
        from desktop.hardware.zvt import ZvtTerminal

        return ZvtTerminal.from_url(url)

    def _restart_reader(self, role: str, url: str) -> None:
        old = self.scanners.pop(role, None)
        if old is not None:
            old.stop()
        if url and url != WEDGE and self._sink is not None:  # a wedge types: no port
            reader = SerialScanner(
                url, functools.partial(self._deliver, role), name=role.replace("_", "-")
            )
            reader.start()
            self.scanners[role] = reader

    def _deliver(self, role: str, line: str) -> None:
        tap = self._taps.get(role)
        if tap is not None:
            tap.put(line)  # a Devices test is waiting: the line is its, not the sale's
        elif self._sink is not None:
            self._sink(line)

    def next_line(self, role: str, timeout_s: float) -> str | None:
        """The next line the running reader of `role` ("scanner", "card_reader") reads, for a
        test in Devices — the reader holds the port, so the test cannot open it alongside.
        None when no reader runs for the role (the test opens the port itself).

        Raises:
            TimeoutError: the reader runs but nothing came within `timeout_s`.
        """
        if role not in self.scanners:
            return None
        tap: queue.Queue[str] = queue.Queue()
        self._taps[role] = tap
        try:
            return tap.get(timeout=timeout_s)
        except queue.Empty:
            raise TimeoutError from None
        finally:
            self._taps.pop(role, None)

    def show_text(self, top: str, bottom: str) -> bool:
        """Two lines on the customer display in use, for a test in Devices; False when none is
        open (the test opens the port itself and says why it cannot).

        Raises:
            Unavailable: the display is open but does not take the text.
        """
        display = self.display.current
        if display is None:
            return False
        try:
            display.show(top, bottom)
        except OSError as exc:
            raise Unavailable(f"the customer display did not take the text: {exc}") from None
        return True

    def printer_status(self) -> PrinterStatus | None:
        """The receipt printer's status for the status bar; None when the till has none."""
        worker = self.workers.get("receipt")
        return worker.status if worker is not None else None

    def stop(self) -> None:
        """Stop every worker (unprinted jobs stay queued for the next start)."""
        with self._lock:
            for worker in self.workers.values():
                worker.stop()
            self.workers.clear()
            self._urls.clear()
            for reader in self.scanners.values():
                reader.stop()
            self.scanners.clear()
            self.display.use(None)
            self._peripherals.clear()
