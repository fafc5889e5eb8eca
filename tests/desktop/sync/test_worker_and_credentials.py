"""The background worker (backoff with jitter, one per database, status for the status bar) and
where the device credential is kept."""

from __future__ import annotations

import logging
import random
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from desktop.sync import credentials
from desktop.sync.credentials import CredentialStore
from desktop.sync.setup import build_engine
from desktop.sync.status import Connectivity, SyncStatus
from desktop.sync.worker import SyncWorker, backoff_delay
from shared.errors import Conflict
from tests.desktop.conftest import Shop
from tests.desktop.sync.conftest import Server, enroll
from tests.desktop.sync.faulty import FaultyTransport
from tests.desktop.sync.test_sync_round import sell


class MemoryKeyring(KeyringBackend):
    # Below the "no keyring" backend: merely defining a backend class registers it, and keyring
    # would pick it by priority for the rest of the test run (and the crash tests' subprocesses
    # would not see the secrets kept in it).
    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture(autouse=True)
def _restore_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


def test_backoff_grows_to_a_cap_with_jitter() -> None:
    rng = random.Random(7)
    delays = [backoff_delay(n, base=2, cap=60, rng=rng) for n in range(12)]
    assert all(1 <= d <= 60 for d in delays)
    assert max(delays[:2]) <= 8
    assert max(delays[6:]) > 8
    spread = {round(backoff_delay(8, base=2, cap=60, rng=rng)) for _ in range(20)}
    assert len(spread) > 5  # two tills that failed together do not retry together


def test_the_credential_uses_the_keyring_when_there_is_one(tmp_path: Path) -> None:
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    store = CredentialStore(tmp_path)
    assert store.save("dev-1", "s3cret") == "keyring"
    assert store.load("dev-1") == "s3cret"
    assert not store.fallback.exists()


def test_without_a_keyring_the_credential_is_a_private_file_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from keyring.backends.fail import Keyring as NoKeyring

    keyring.set_keyring(NoKeyring())
    monkeypatch.setattr(credentials, "_warned", False)
    store = CredentialStore(tmp_path)
    with caplog.at_level(logging.WARNING):
        where = store.save("dev-1", "s3cret")
    assert where == str(store.fallback)
    assert stat.S_IMODE(store.fallback.stat().st_mode) == 0o600
    assert store.load("dev-1") == "s3cret"
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "readable only by this user" in warning.getMessage()
    caplog.clear()  # seen and checked: not a stray warning
    store.forget("dev-1")
    assert store.load("dev-1") is None


def test_the_worker_reports_offline_then_online_and_pushes(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    link = enroll(server, shop.runner, tmp_path)
    seen: list[SyncStatus] = []
    down = FaultyTransport(server.transport(), seed=0, rate=1.0)
    down.faults = {"drop": 0}  # every request dropped: the network is down
    transports = [down]

    def make(progress: object) -> object:
        chosen = transports[0]
        return build_engine(shop.runner, link.store, transport=chosen, progress=progress)  # type: ignore[arg-type]

    worker = SyncWorker(terminal_db, shop.runner, make, seen.append, rng=random.Random(1))  # type: ignore[arg-type]
    sell(shop)
    wait = worker.run_round()
    assert worker.status.state is Connectivity.OFFLINE
    assert worker.status.pending > 0
    assert worker.failures == 1
    assert 0 < wait <= worker.max_delay
    assert worker.last_error is not None
    transports[0] = server.transport()  # the network is back
    assert worker.run_round() == worker.interval
    assert worker.status.state is Connectivity.ONLINE
    assert worker.status.pending == 0
    assert worker.status.last_success is not None
    assert any(s.state is Connectivity.SYNCING for s in seen)


def test_one_worker_per_database(shop: Shop, terminal_db: Path) -> None:
    def never(_progress: object) -> object:
        raise AssertionError("not started")

    first = SyncWorker(terminal_db, shop.runner, never, lambda _s: None, interval=3600)  # type: ignore[arg-type]
    second = SyncWorker(terminal_db, shop.runner, never, lambda _s: None)  # type: ignore[arg-type]
    first._halt.set()  # the loop ends at once; the guard is what we test
    first.start()
    try:
        with pytest.raises(Conflict):
            second.start()
    finally:
        first.stop()
