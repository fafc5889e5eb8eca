"""`nova inventory check`: prove every running stock balance equals the sum of its movements."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from nova.commands._types import SubParsers


def register(sub: SubParsers) -> None:
    p = sub.add_parser(
        "inventory",
        help="terminal inventory tools",
        description="Inventory tools for a terminal database (NOVA_TERMINAL_DATABASE_PATH).",
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check",
        help="compare every stock balance with its ledger (exit 1 on a mismatch)",
        description="Recompute stock per item and location from the movements and compare it "
        "with the running balances. Read-only. Exit code 1 lists the mismatches.",
    )
    check.add_argument("--database", type=Path, default=None, help="terminal DB file to check")
    check.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    from desktop.inventory.ledger import check_balances
    from desktop.settings import TerminalSettings

    path = args.database or TerminalSettings().database_path
    if not path.exists():
        print(f"no terminal database at {path}")
        return 2
    # Read-only and lock-free under WAL: safe while the till keeps selling.
    sql = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        sql.execute("BEGIN")  # one snapshot for the count and the comparison
        (movements,) = sql.execute("SELECT count(*) FROM stock_movements").fetchone()
        mismatches = check_balances(sql)
    finally:
        sql.close()
    for m in mismatches:
        print(
            f"MISMATCH item {m.item_id} at {m.location_code}: ledger {m.ledger_milli / 1000} "
            f"vs balance {m.balance_milli / 1000}"
        )
    verdict = "FAILED" if mismatches else "ok"
    print(f"{verdict}: {movements} movements, {len(mismatches)} mismatching balance(s)")
    return 1 if mismatches else 0
