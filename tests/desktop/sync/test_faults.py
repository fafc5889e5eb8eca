"""Through a faulty network, retried until it goes through: nothing lost, nothing twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.net.http import ServerUnreachable
from desktop.sync.engine import SyncReport
from syncserver.models import Sale, ServerStockMovement, SyncMutation
from tests.desktop.conftest import Shop
from tests.desktop.sync.conftest import Link, Server, enroll
from tests.desktop.sync.faulty import FaultyTransport
from tests.desktop.sync.test_sync_round import sell, server_count


def sync_until_done(link: Link, faulty: FaultyTransport, attempts: int = 60) -> SyncReport:
    for _ in range(attempts):
        try:
            return link.sync(faulty, batch=3)  # many small pushes: many chances to fail
        except ServerUnreachable:
            continue
    raise AssertionError(f"never got through: {faulty.faults}")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_drops_duplicates_and_lost_answers_never_lose_or_double_a_sale(
    shop: Shop, server: Server, tmp_path: Path, seed: int
) -> None:
    link = enroll(server, shop.runner, tmp_path)
    faulty = FaultyTransport(server.transport(), seed)
    receipts = []
    for round_ in range(4):
        receipts += [sell(shop) for _ in range(4)]
        if round_ % 2:
            sync_until_done(link, faulty)
    sync_until_done(link, faulty)
    assert sum(faulty.faults.values()) > 0
    assert shop.counter.pending_changes() == 0
    assert server_count(server, Sale) == len(receipts) == 16
    assert server_count(server, ServerStockMovement) == 16
    last = shop.runner.read(lambda u: u.sql.execute("SELECT max(seq) FROM outbox").fetchone()[0])
    assert server_count(server, SyncMutation) == last
