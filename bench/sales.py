"""Selling benchmark: finalize N tickets of 5 lines; barcode lookup and search on a big catalog.

Baseline, measured in the same run on the same disk: raw sqlite3 durable commits (WAL,
synchronous=FULL) of one comparable row per transaction. Prints figures and ratios.

    .venv/bin/python bench/sales.py [--tickets 10000] [--items 100000]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert

from desktop.catalog.service import lookup_barcode, search, search_key, set_tax_class
from desktop.db.engine import make_terminal_engine
from desktop.db.migrate import upgrade_terminal
from desktop.db.models import Barcode, Item
from desktop.db.uow import UnitOfWork
from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.sales.checkout import TenderRequest, finalize
from desktop.sales.config import SellingConfig, configure
from desktop.sales.tickets import add_line, open_shift, open_ticket
from desktop.staff.service import create_role, create_user, sign_in
from shared.ids import uuid7
from shared.money import Money
from shared.permissions import ALL_PERMISSIONS
from shared.tax import TaxRate

WORDS = [
    "Café",
    "Crème",
    "Bagel",
    "Latte",
    "Tomato",
    "Brötchen",
    "Olive",
    "Pasta",
    "Salmon",
    "Cheddar",
    "Mango",
    "Spinach",
    "Walnut",
    "Espresso",
    "Butter",
    "Yoghurt",
]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def raw_baseline(folder: Path, n: int) -> float:
    """Durable commits per second of one ~ticket-sized row per transaction, plain sqlite3."""
    conn = sqlite3.connect(folder / "raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, receipt TEXT, gross INTEGER, body TEXT)")
    body = "x" * 400
    start = time.perf_counter()
    for i in range(n):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (?, ?, ?, ?)", (str(uuid7()), f"T-{i}", i, body))
        conn.execute("COMMIT")
    rate = n / (time.perf_counter() - start)
    conn.close()
    return rate


def seed_catalog(uow: UnitOfWork, n_items: int) -> list[str]:
    rows, codes = [], []
    now = uow.clock.now()
    for i in range(n_items):
        name = f"{WORDS[i % len(WORDS)]} {WORDS[(i // 16) % len(WORDS)]} {i}"
        sku = f"SKU{i:07d}"
        rows.append(
            {
                "id": uuid7(),
                "sku": sku,
                "name": name,
                "search_key": search_key(name, sku),
                "category_id": None,
                "price_minor": 100 + i % 900,
                "currency": "EUR",
                "tax_class": "STD",
                "track_stock": True,
                "active": True,
                "available": True,
                "updated_at": now,
            }
        )
        codes.append(f"{4000000000000 + i}")
    uow.conn.execute(insert(Item), rows)
    uow.conn.execute(
        insert(Barcode), [{"code": c, "item_id": r["id"]} for c, r in zip(codes, rows, strict=True)]
    )
    return codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        baseline = raw_baseline(folder, min(args.tickets, 5_000))
        db = folder / "terminal.db"
        upgrade_terminal(db)
        engine = make_terminal_engine(db)
        with UnitOfWork(engine) as uow:
            configure(uow, SellingConfig(terminal_code="B1", currency="EUR"))
            set_tax_class(uow, tax_class="STD", rates=[TaxRate("VAT19", Decimal(19))])
            role = create_role(uow, name="manager", permissions=set(ALL_PERMISSIONS))
            create_user(uow, code="1", name="Bench", pin="1111", role_id=role)
            actor = sign_in(uow, code="1", pin="1111")
            open_shift(uow, actor, float_amount=Money("100", "EUR"))
            codes = seed_catalog(uow, args.items)
            uow.commit()
            items = [lookup_barcode(uow, codes[i]).id for i in range(5)]
            card = SimulatedPaymentTerminal()
            cash = [TenderRequest("cash", Money("100.00", "EUR"))]

            latencies, whole, commits = [], [], []
            start = time.perf_counter()
            for _ in range(args.tickets):
                t0 = time.perf_counter()
                ticket = open_ticket(uow, actor)
                for item in items:
                    add_line(uow, actor, ticket_id=ticket, item_id=item)
                t1 = time.perf_counter()
                finalize(uow, actor, ticket_id=ticket, tenders=cash, payment_terminal=card)
                tc = time.perf_counter()
                uow.commit()
                t2 = time.perf_counter()
                commits.append((t2 - tc) * 1000)
                latencies.append((t2 - t1) * 1000)
                whole.append((t2 - t0) * 1000)
            rate = args.tickets / (time.perf_counter() - start)

            lookups, searches = [], []
            for i in range(2_000):
                t0 = time.perf_counter()
                lookup_barcode(uow, codes[(i * 7919) % len(codes)])
                lookups.append((time.perf_counter() - t0) * 1000)
            for i in range(300):
                # Common words (thousands of matches) and rare SKU digit runs (a handful).
                word = WORDS[i % len(WORDS)][: 3 + i % 3] if i % 2 else f"{i * 7919:07d}"[-5:]
                t0 = time.perf_counter()
                search(uow, word, limit=50)
                searches.append((time.perf_counter() - t0) * 1000)
        engine.dispose()

    print(f"raw sqlite3 durable commits (WAL, FULL), 1 row/tx: {baseline:,.0f}/s  [baseline]")
    print(f"finalized tickets (5 lines, open+add+finalize+commit): {rate:,.0f}/s")
    print(f"  ratio to baseline: {rate / baseline:.2f}  (target >= 0.5)")
    print(
        f"  finalize+commit latency p50 {statistics.median(latencies):.2f} ms, "
        f"p99 {pct(latencies, 0.99):.2f} ms  (target p99 < 10 ms)"
    )
    print(f"  whole ticket p50 {statistics.median(whole):.2f} ms, p99 {pct(whole, 0.99):.2f} ms")
    # The commit alone writes every page the sale touched (tickets, lines, taxes, tenders,
    # outbox, counter and their indexes) and fsyncs: no Python time at all could beat this.
    commit_ms = statistics.median(commits)
    print(
        f"  of which the durable commit alone: p50 {commit_ms:.2f} ms; ceiling ratio with zero "
        f"Python time: {1000 / commit_ms / baseline:.2f}"
    )
    print(
        f"barcode lookup on {args.items:,} items: p50 {statistics.median(lookups):.3f} ms, "
        f"p99 {pct(lookups, 0.99):.3f} ms  (target < 5 ms)"
    )
    print(
        f"name search on {args.items:,} items: p50 {statistics.median(searches):.2f} ms, "
        f"p99 {pct(searches, 0.99):.2f} ms  (target < 5 ms)"
    )


if __name__ == "__main__":
    main()
