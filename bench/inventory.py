"""Inventory benchmark: stock level of one item after 1M movements over 100k items × 10 locations.

Baseline, measured in the same run: a raw sqlite3 primary-key lookup on a table of the same
size. Also times the full ledger check (`nova inventory check`) and movement inserts through the
ledger (triggers included) against raw inserts without the running balance.

    .venv/bin/python bench/inventory.py [--items 100000] [--locations 10] [--movements 1000000]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from desktop.db.engine import make_terminal_engine
from desktop.db.migrate import upgrade_terminal
from desktop.db.uow import UnitOfWork
from desktop.inventory.ledger import Movement, check_balances, record, stock_level
from shared.ids import uuid7


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def seed_items(sql: sqlite3.Connection, n: int) -> list[str]:
    now = datetime.now(UTC).isoformat()
    ids = [str(uuid7()) for _ in range(n)]
    sql.executemany(
        "INSERT INTO items (id, sku, name, search_key, price_minor, currency, tax_class, "
        "track_stock, active, available, updated_at) VALUES (?, ?, ?, ?, 100, 'EUR', 'STD', 1, 1, "
        "1, ?)",
        [(i, f"S{k}", f"Item {k}", f"item {k}", now) for k, i in enumerate(ids)],
    )
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--locations", type=int, default=10)
    parser.add_argument("--movements", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = random.Random(7)
    locations = [f"L{n:02d}" for n in range(args.locations)]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "terminal.db"
        upgrade_terminal(db)
        engine = make_terminal_engine(db)
        with UnitOfWork(engine) as uow:
            items = seed_items(uow.sql, args.items)
            actor = uuid7()
            batch = 50_000
            start = time.perf_counter()
            for offset in range(0, args.movements, batch):
                moves = [
                    Movement(
                        item_id=uuid.UUID(rng.choice(items)),
                        location_code=rng.choice(locations),
                        qty_milli=rng.randint(-5_000, 5_000),
                        kind="adjustment",
                        actor_id=actor,
                        reason="correction",
                    )
                    for _ in range(min(batch, args.movements - offset))
                ]
                record(uow, moves, datetime.now(UTC))
                uow.commit()
            ledger_rate = args.movements / (time.perf_counter() - start)

            raw = sqlite3.connect(Path(tmp) / "raw.db", isolation_level=None)
            raw.execute("CREATE TABLE m (id TEXT PRIMARY KEY, item TEXT, loc TEXT, q INTEGER)")
            raw.execute("BEGIN")
            start = time.perf_counter()
            raw.executemany(
                "INSERT INTO m VALUES (?, ?, ?, ?)",
                (
                    (str(uuid7()), rng.choice(items), rng.choice(locations), 1)
                    for _ in range(min(args.movements, 200_000))
                ),
            )
            raw.execute("COMMIT")
            raw_rate = min(args.movements, 200_000) / (time.perf_counter() - start)

            lookups = []
            for _ in range(5_000):
                item, loc = uuid.UUID(rng.choice(items)), rng.choice(locations)
                t0 = time.perf_counter()
                stock_level(uow, item, loc)
                lookups.append((time.perf_counter() - t0) * 1000)

            raw_lookups = []
            keys = [r[0] for r in raw.execute("SELECT id FROM m LIMIT 5000")]
            for key in keys:
                t0 = time.perf_counter()
                raw.execute("SELECT q FROM m WHERE id = ?", (key,)).fetchone()
                raw_lookups.append((time.perf_counter() - t0) * 1000)
            raw.close()

            t0 = time.perf_counter()
            mismatches = check_balances(uow.sql)
            check_s = time.perf_counter() - t0
        engine.dispose()

    print(f"{args.movements:,} movements over {args.items:,} items x {args.locations} locations")
    print(
        f"movement inserts through the ledger (running balance by trigger): {ledger_rate:,.0f}/s; "
        f"raw inserts, no balance: {raw_rate:,.0f}/s [baseline]; ratio {ledger_rate / raw_rate:.2f}"
    )
    print(
        f"stock level of one item: p50 {statistics.median(lookups):.3f} ms, "
        f"p99 {pct(lookups, 0.99):.3f} ms (target < 5 ms); raw sqlite3 PK lookup p99 "
        f"{pct(raw_lookups, 0.99):.3f} ms [baseline]"
    )
    print(f"ledger check: {check_s:.2f} s, {len(mismatches)} mismatches (must be 0)")


if __name__ == "__main__":
    main()
