"""The till's live printers and drawer (Qt-free): built from the stored device settings at start
and built again on every change in Back office → Devices, so a printer added, changed or removed
there is used (or no longer used) by the next sale — no restart."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from desktop.hardware.devices import PrinterConfig, printer_for
from desktop.hardware.paper import Paper
from desktop.hardware.printer_link import parse_link
from desktop.printing.worker import PrinterStatus, PrintWorker
from desktop.till.counter import Counter

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
    ) -> None:
        self.counter = counter
        self.fallback_connection = fallback_connection
        self.fallback_paper = fallback_paper or Paper()
        self.poll_s = poll_s
        self.workers: dict[str, PrintWorker] = {}
        self._urls: dict[str, str] = {}  # queue → the connection its worker sends to
        self._lock = threading.Lock()  # a device change from a worker thread and the app's stop

    def apply(self) -> None:
        """Read the device settings and reconfigure: the counter's paper and drawer, and a
        worker per print queue (a queue whose connection did not change keeps its worker)."""
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
        log.info("devices applied: %s", ", ".join(sorted(plan.links)) or "no printer")

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
