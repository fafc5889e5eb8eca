"""Ten tills syncing at once against the embedded SQLite server on loopback: no errors, every
sale once (writers take turns; a busy answer is waited out by the till)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desktop.sales.checkout import TenderRequest
from desktop.sync.credentials import CredentialStore
from desktop.sync.engine import SyncReport
from desktop.sync.setup import build_engine, enroll_terminal
from desktop.till.counter import Counter
from desktop.till.runner import Runner
from syncserver.auth.rate_limit import SlidingWindowLimiter
from syncserver.models import Sale, SyncMutation
from tests.desktop.conftest import Shop
from tests.desktop.sync.conftest import Server, second_till
from tests.desktop.sync.test_sync_round import server_count
from tests.support.live_server import live_server

TILLS = 10
SALES_EACH = 4


def sell_on(runner: Runner, shop: Shop, n: int) -> list[str]:
    counter = Counter(runner)
    counter.sign_in("1", "1111")
    receipts = []
    for _ in range(n):
        counter.add(shop.items["LATTE"])  # type: ignore[arg-type]
        counter.add(shop.items["BAGEL"])  # type: ignore[arg-type]
        total = counter.cart().total
        receipts.append(counter.pay([TenderRequest("cash", total)], shop.card).receipt_no)
    return receipts


def outbox_top(runner: Runner) -> int:
    return int(runner.read(lambda u: u.sql.execute("SELECT max(seq) FROM outbox").fetchone()[0]))


@pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
def test_ten_tills_syncing_at_once_get_no_error_and_every_sale_lands_once(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    app = server.api.app
    app.state.register_limiter = SlidingWindowLimiter(TILLS, 3600)  # type: ignore[attr-defined]
    runners = [shop.runner] + [second_till(shop, terminal_db, tmp_path) for _ in range(TILLS - 1)]
    with live_server(app) as url:  # type: ignore[arg-type]
        stores = []
        for n, runner in enumerate(runners):
            store = CredentialStore(tmp_path / f"cred{n}")
            enroll_terminal(runner, store, server_url=url, code=server.code(), name=f"Till {n}")
            stores.append(store)
        receipts = [r for runner in runners for r in sell_on(runner, shop, SALES_EACH)]

        def round_of_all() -> dict[int, SyncReport | BaseException]:
            results: dict[int, SyncReport | BaseException] = {}

            def run(n: int) -> None:
                engine = build_engine(runners[n], stores[n])
                try:
                    results[n] = engine.run_once()
                except BaseException as exc:  # counted below
                    results[n] = exc
                finally:
                    engine.client.close()

            threads = [threading.Thread(target=run, args=(n,)) for n in range(TILLS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=240)
            return results

        first = round_of_all()
        receipts += [r for runner in runners for r in sell_on(runner, shop, 1)]
        second = round_of_all()  # everyone pulls what the others pushed, and pushes again
    errors = [r for r in [*first.values(), *second.values()] if isinstance(r, BaseException)]
    assert errors == []
    assert len(first) == len(second) == TILLS
    assert len(set(receipts)) == len(receipts) == TILLS * (SALES_EACH + 1)
    assert server_count(server, Sale) == len(receipts)  # every sale once
    assert server_count(server, SyncMutation) == sum(outbox_top(r) for r in runners)
    assert all(r.pending_changes() == 0 for r in (Counter(x) for x in runners))
