"""The print worker: takes queued jobs oldest first and sends them; a dead printer only waits.

A job is marked `sending` before its bytes leave and `printed` after; one found in `sending`
(the app died in between) may have printed already, so a receipt goes out again headed
"REPRINT" and a drawer kick is dropped (a drawer must not spring open twice).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError as SqlOperationalError

from desktop.hardware.printer_link import Link, PrinterState
from desktop.printing.queue import mark_failed, mark_printed, take_next, waiting
from desktop.till.runner import Runner

log = logging.getLogger("desktop.printing")
REPRINT = b"\x1ba\x01\x1bE\x01*** REPRINT ***\n\x1bE\x00\x1ba\x00"


@dataclass
class PrinterStatus:
    """What the status bar shows about a printer."""

    state: PrinterState = PrinterState.UNKNOWN
    waiting: int = 0
    last_error: str | None = None


class PrintWorker(threading.Thread):
    def __init__(
        self,
        runner: Runner,
        link: Link,
        *,
        printer: str = "receipt",
        poll_s: float = 0.5,
        max_backoff_s: float = 30.0,
        status_every_s: float = 30.0,
    ) -> None:
        super().__init__(name=f"print-{printer}", daemon=True)
        self.runner = runner
        self.link = link
        self.printer = printer
        self.poll_s = poll_s
        self.max_backoff_s = max_backoff_s
        self.status_every_s = status_every_s
        self._status_at = 0.0
        self.status = PrinterStatus()
        self._stopping = threading.Event()
        self._wake = threading.Event()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wake.set()
        self.join(timeout)

    def wake(self) -> None:
        """A job was queued: do not wait for the next poll."""
        self._wake.set()

    def run(self) -> None:
        backoff = self.poll_s
        while not self._stopping.is_set():
            try:
                printed = self.work_once()
            except (sqlite3.OperationalError, SqlOperationalError) as exc:
                # The database is busy (a sale holding its write lock while a card terminal
                # works): nothing was lost, try again shortly.
                log.info("print queue busy (%s); retrying", exc)
                printed = False
            if printed:
                backoff = self.poll_s
                continue
            self.refresh_status()
            self._wake.wait(backoff if self.status.last_error else self.poll_s)
            self._wake.clear()
            if self.status.last_error:
                backoff = min(backoff * 2, self.max_backoff_s)

    def refresh_status(self, *, now: float | None = None) -> None:
        """While idle, ask the printer how it is every `status_every_s` (paper low, cover or
        drawer open show on the status bar before the next sale needs the printer)."""
        now = time.monotonic() if now is None else now
        if now - self._status_at < self.status_every_s:
            return
        self._status_at = now
        self.status.state = self.link.status()

    def work_once(self) -> bool:
        """Print the next job if there is one; True when a job was printed."""
        job = self.runner.run(lambda uow: take_next(uow, self.printer))
        if job is None:
            self.status.waiting = 0
            return False
        if job.reprint and job.kind == "drawer":
            self.runner.run(lambda uow: mark_printed(uow, job.id))
            return True
        data = REPRINT + job.payload if job.reprint else job.payload
        try:
            self.link.send(data)
        except OSError as exc:
            message = f"{type(exc).__name__}: {exc}"
            self.runner.run(lambda uow: mark_failed(uow, job.id, message))
            self.status.state = self.link.status()
            self.status.last_error = message
            self.status.waiting = self.runner.read(lambda uow: waiting(uow, self.printer))
            log.info("printer %s: %s (job kept, will retry)", self.printer, message)
            return False
        self.runner.run(lambda uow: mark_printed(uow, job.id))
        self.status.state = PrinterState.OK
        self.status.last_error = None
        self.status.waiting = self.runner.read(lambda uow: waiting(uow, self.printer))
        return True
