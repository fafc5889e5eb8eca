"""The terminal's SQLite engine, set up for durable sales (see FIELD-NOTES: SQLite on the terminal).

- WAL journal with `synchronous=FULL`: a committed sale survives a power cut.
- Python 3.11's sqlite3 emits BEGIN lazily and breaks SAVEPOINT/transactional DDL, so we turn its
  transaction handling off and emit `BEGIN IMMEDIATE` ourselves: the write lock is taken at the
  start of a transaction, never half-way through a sale.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 5_000


def configure_connection(dbapi_conn: Any, *, foreign_keys: bool = True) -> None:
    """Per-connection pragmas; `foreign_keys=False` only for the migration connection."""
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def make_terminal_engine(path: Path, *, foreign_keys: bool = True) -> Engine:
    """Engine on the local DB file at `path` (parent folders are created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite+pysqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        configure_connection(dbapi_conn, foreign_keys=foreign_keys)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
