"""Cashier screen benchmark: a scanner's Enter to the line visible in the cart; cold start.

1,000 keyboard-wedge scans on the real sell screen (offscreen Qt) over a 100,000-item catalog;
every 25 scans the ticket is paid (untimed) so tickets stay a realistic size. Baseline in the
same run: the raw sqlite3 barcode lookup alone. Cold start: `nova terminal` from process start
until its sign-in screen is shown.

    .venv/bin/python bench/scan.py [--items 100000] [--scans 1000]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.sales.checkout import TenderRequest
from desktop.till.demo import demo_counter
from desktop.ui.sell.sell_screen import SellScreen
from shared.ids import uuid7
from shared.money import Money


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def grow_catalog(sql: sqlite3.Connection, n: int) -> list[str]:
    """`n` items with one barcode each, straight into the demo database."""
    now = "2026-11-25T00:00:00.000000+00:00"
    rows, codes = [], []
    for i in range(n):
        name = f"Bench item {i}"
        rows.append((str(uuid7()), f"B{i:07d}", name, name.lower(), 100 + i % 900, now))
        codes.append(f"{5000000000000 + i}")
    sql.executemany(
        "INSERT INTO items (id, sku, name, search_key, price_minor, currency, tax_class, "
        "track_stock, active, available, updated_at) "
        "VALUES (?, ?, ?, ?, ?, 'EUR', 'STD', 1, 1, 1, ?)",
        rows,
    )
    sql.executemany(
        "INSERT INTO barcodes (code, item_id) VALUES (?, ?)",
        [(c, r[0]) for c, r in zip(codes, rows, strict=True)],
    )
    return codes


def cold_start(folder: Path) -> float:
    env = dict(os.environ)
    env.update(
        NOVA_TERMINAL_DATABASE_PATH=str(folder / "cold.db"),
        NOVA_TERMINAL_BACKUP_DIR=str(folder / "backups"),
        NOVA_TERMINAL_DEMO_DATA="true",
        QT_QPA_PLATFORM="offscreen",
    )
    # First run migrates and seeds; the measured run is a normal day's start.
    for attempt in range(2):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "nova", "terminal", "--quit-after-ms", "3000"],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stderr is not None
        ready = None
        for line in proc.stderr:
            if "sign-in screen ready" in line and ready is None:
                ready = time.perf_counter() - start
        proc.wait()
        if attempt == 1 and ready is not None:
            return ready
    raise SystemExit("the terminal never reported its sign-in screen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--scans", type=int, default=1_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        counter = demo_counter(folder)
        codes = counter.runner.run(lambda uow: grow_catalog(uow.sql, args.items))
        counter.sign_in("1", "1234")
        screen = SellScreen(counter, SimulatedPaymentTerminal())
        screen.resize(1280, 800)
        screen.show()
        app.processEvents()

        timings, lookups = [], []
        for n in range(args.scans):
            code = codes[(n * 7919) % len(codes)]
            screen.scan_box.setText(code)
            t0 = time.perf_counter()
            QTest.keyClick(screen.scan_box, Qt.Key.Key_Return)
            app.processEvents()  # the cart repaints: the line is visible
            timings.append((time.perf_counter() - t0) * 1000)
            assert screen.cart.lines.count() >= 1
            if n % 25 == 24:
                total = counter.cart().total
                counter.pay(
                    [TenderRequest("cash", Money(total.amount, "EUR"))], screen.payment_terminal
                )
                screen.cart.show_cart(counter.cart())
        raw = counter.runner.engine.raw_connection()
        try:
            for n in range(args.scans):
                code = codes[(n * 104729) % len(codes)]
                t0 = time.perf_counter()
                raw.cursor().execute(
                    "SELECT i.id FROM barcodes b JOIN items i ON i.id = b.item_id WHERE b.code = ?",
                    (code,),
                ).fetchone()
                lookups.append((time.perf_counter() - t0) * 1000)
        finally:
            raw.close()
        screen.close()
        counter.runner.engine.dispose()
        start_s = cold_start(folder)

    print(f"catalog {args.items:,} items; {args.scans:,} scans on the sell screen (offscreen Qt)")
    print(
        f"scan Enter -> line visible in the cart: p50 {statistics.median(timings):.2f} ms, "
        f"p99 {pct(timings, 0.99):.2f} ms (target < 30 ms)"
    )
    print(
        f"raw sqlite3 barcode lookup alone: p50 {statistics.median(lookups):.3f} ms, "
        f"p99 {pct(lookups, 0.99):.3f} ms [baseline]"
    )
    print(f"cold start to the sign-in screen: {start_s:.2f} s (target < 1.5 s)")


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    # PySide6 can crash while garbage-collecting Qt objects at interpreter exit (FIELD-NOTES:
    # Qt teardown); the figures are printed, so leave without the finalizer pass.
    os._exit(0)
