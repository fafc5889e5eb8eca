"""The background sync loop: push then pull, retry with exponential backoff and jitter.

Qt-free (a plain thread); it reports a `SyncStatus` through a callback, which the shell turns
into a Qt signal. One per database: a second worker on the same file is refused (the process
already holds the database's writer lock, and within the process a registry guards it).
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from desktop.outbox.service import pending_count, review_count
from desktop.sync.engine import NotEnrolled, SyncEngine, SyncReport
from desktop.sync.status import Connectivity, Stalled, SyncStatus, reason_for, skew_reason
from desktop.till.runner import Runner
from shared.errors import AuthnError, Conflict, NovaError

log = logging.getLogger(__name__)
_running: set[Path] = set()
_registry_lock = threading.Lock()


class Stoppable(Protocol):
    def stop(self, timeout: float = ...) -> None: ...


def backoff_delay(failures: int, *, base: float, cap: float, rng: random.Random) -> float:
    """Full jitter: a random wait up to base·2^failures (capped), so tills do not stampede."""
    ceiling = min(cap, base * (2 ** min(failures, 16)))
    return rng.uniform(base / 2, max(base / 2, ceiling))


class SyncWorker:
    def __init__(
        self,
        db_path: Path,
        runner: Runner,
        make_engine: Callable[[Callable[[float], None]], SyncEngine],
        on_status: Callable[[SyncStatus], None],
        *,
        interval: float = 15.0,
        base_delay: float = 2.0,
        max_delay: float = 300.0,
        health_every: int = 20,
        rng: random.Random | None = None,
    ) -> None:
        self.db_path = db_path.resolve()
        self.runner = runner
        self.make_engine = make_engine
        self.on_status = on_status
        self.interval, self.base_delay, self.max_delay = interval, base_delay, max_delay
        self.rng = rng or random.Random()
        self.failures = 0
        self.health_every = health_every  # compare ledgers with the server every N rounds
        self.rounds = 0
        self.status = SyncStatus()
        self.last_report: SyncReport | None = None
        self.last_error: NovaError | None = None
        self._wake = threading.Event()
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None
        self.listener: Stoppable | None = None  # the server-poke listener, when there is one

    def start(self) -> None:
        with _registry_lock:
            if self.db_path in _running:
                raise Conflict("a sync worker already runs for this database")
            _running.add(self.db_path)
        self._thread = threading.Thread(target=self._loop, name="nova-sync", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        """Sync soon (after a sale, or when the network comes back)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the loop to end and wait for it; a round in flight finishes its step first."""
        self._halt.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        with _registry_lock:
            _running.discard(self.db_path)

    def _publish(self, **changes: object) -> None:
        values = {
            "state": self.status.state,
            "pending": self.status.pending,
            "last_success": self.status.last_success,
            "progress": None,
            "review": self.status.review,
            "reason": self.status.reason,  # what the last round ended with, until the next ends
            "clock_skew": self.status.clock_skew,
        }
        if "pending" in changes:  # a round ended: what the server kept for a person, too
            values["review"] = self.runner.read(review_count)
        values.update(changes)
        self.status = SyncStatus(**values)  # type: ignore[arg-type]
        self.on_status(self.status)

    def run_round(self) -> float:
        """One round; returns how long to wait before the next."""
        self._publish(state=Connectivity.SYNCING, progress=0.0)
        engine = self.make_engine(lambda f: self._publish(state=Connectivity.SYNCING, progress=f))
        self.rounds += 1
        try:
            check = (self.rounds - 1) % self.health_every == 0  # the first round, then every N
            report = self.last_report = engine.run_once(health=check)
            reason = self._held_reason(engine) if report.quarantined else None
        except NotEnrolled:
            self._publish(state=Connectivity.OFFLINE, pending=self.runner.read(pending_count))
            return self.max_delay
        except NovaError as exc:
            self.failures += 1
            self.last_error = exc
            log.info("sync failed (%s): %s", exc.code, exc.message)
            self._publish(
                state=Connectivity.OFFLINE,
                pending=self.runner.read(pending_count),
                reason=reason_for(exc),
            )
            return backoff_delay(
                self.failures, base=self.base_delay, cap=self.max_delay, rng=self.rng
            )
        finally:
            engine.client.close()
        self.failures, self.last_error = 0, None
        self._publish(
            state=Connectivity.ONLINE,
            pending=self.runner.read(pending_count),
            last_success=datetime.now(UTC),
            reason=reason or skew_reason(report.clock_skew),
            clock_skew=report.clock_skew,
            moved_to=report.moved_to,  # only this status carries it: the toast shows once
        )
        return self.interval

    @staticmethod
    def _held_reason(engine: SyncEngine) -> Stalled:
        """The server keeps this till's pushes for review: revoked, or a copied database? The
        handshake does not say; a read that needs an active credential does."""
        try:
            engine.client.digest()
        except AuthnError as exc:
            return reason_for(exc)
        except NovaError:
            pass  # unreachable again or refused otherwise: the pushes are still held
        return Stalled.REVIEW

    def _loop(self) -> None:
        while not self._halt.is_set():
            try:
                delay = self.run_round()
            except Exception:  # a bug must not kill sync for the rest of the day
                log.exception("sync round crashed")
                self.failures += 1
                delay = backoff_delay(
                    self.failures, base=self.base_delay, cap=self.max_delay, rng=self.rng
                )
            self._wake.wait(delay)
            self._wake.clear()
