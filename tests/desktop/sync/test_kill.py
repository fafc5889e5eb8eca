"""SIGKILL the syncing terminal process at its worst moments; the next sync loses nothing and
duplicates nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.db.engine import make_terminal_engine
from desktop.sync.credentials import CredentialStore
from desktop.sync.engine import KILL_AT_ENV
from desktop.sync.setup import build_engine, enroll_terminal
from desktop.till.runner import Runner
from syncserver.models import Sale, SyncMutation
from tests.desktop.conftest import Shop
from tests.desktop.sync.conftest import Server
from tests.desktop.sync.test_sync_round import sell, server_count
from tests.support.live_server import live_server


def nova_sync_now(db: Path, kill_at: str | None) -> tuple[int, str]:
    env = {**os.environ, KILL_AT_ENV: kill_at or ""}
    done = subprocess.run(
        [sys.executable, "-m", "nova", "sync", "--database", str(db), "now"],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stderr.decode(errors="replace")[-2000:]


@pytest.mark.parametrize(
    "kill_at", ["before_push", "after_push_answer", "mid_bootstrap", "before_cursor_commit"]
)
def test_a_killed_sync_resumes_without_loss_or_duplicates(
    shop: Shop, server: Server, terminal_db: Path, kill_at: str
) -> None:
    with live_server(server.api.app) as url:  # type: ignore[arg-type]
        store = CredentialStore(terminal_db.parent)
        where = enroll_terminal(shop.runner, store, server_url=url, code=server.code(), name="Till")
        server.hire("55", pin="5857")  # something to pull
        receipts = [sell(shop) for _ in range(3)]
        shop.runner.engine.dispose()  # the till app is closed; `nova sync now` runs alone
        code, errors = nova_sync_now(terminal_db, kill_at)
        assert code == -signal.SIGKILL, f"{errors} (credential kept in {where})"
        runner = Runner(make_terminal_engine(terminal_db))
        engine = build_engine(runner, store)
        try:
            engine.run_once()
        finally:
            engine.client.close()
        last = runner.read(lambda u: u.sql.execute("SELECT max(seq) FROM outbox").fetchone()[0])
        staff = runner.read(
            lambda u: u.sql.execute("SELECT count(*) FROM users WHERE code = '55'").fetchone()[0]
        )
        booted = runner.read(
            lambda u: u.sql.execute("SELECT catalog_as_of FROM sync_state").fetchone()[0]
        )
        runner.engine.dispose()
    assert server_count(server, Sale) == len(receipts)
    assert server_count(server, SyncMutation) == last
    assert staff == 1
    assert booted is not None  # the catalog snapshot completed on the second try
