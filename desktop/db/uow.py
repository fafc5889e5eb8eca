"""Unit of work for terminal services: one connection, one `BEGIN IMMEDIATE` transaction.

Services take the uow first and only execute statements; the caller (an operation runner, a
CLI command, a test) decides to commit. Leaving the `with` block without `commit()` rolls back,
so a refusal half-way through a sale writes nothing.

`uow.sql` is the sqlite3 connection under `uow.conn`, in the same transaction. The selling hot
path (open a ticket, add lines, finalize) uses it with plain SQL strings: sqlite3 keeps them
prepared, while building SQLAlchemy statements cost most of a sale's time (see bench/sales.py).
"""

from __future__ import annotations

import sqlite3
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, RootTransaction

from shared.clock import Clock, SystemClock


class UnitOfWork:
    def __init__(self, engine: Engine, clock: Clock | None = None) -> None:
        self.engine = engine
        self.clock = clock or SystemClock()
        self._conn: Connection | None = None
        self._tx: RootTransaction | None = None
        self._sql: sqlite3.Connection | None = None
        # Read-mostly lookups (selling config, tax rates) reused across calls on the hot path;
        # services that write them clear their key. Dropped on rollback.
        self.cache: dict[str, Any] = {}

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("unit of work used outside its `with` block")
        return self._conn

    @property
    def sql(self) -> sqlite3.Connection:
        if self._sql is None:
            raise RuntimeError("unit of work used outside its `with` block")
        return self._sql

    def __enter__(self) -> Self:
        self._conn = self.engine.connect()
        self._tx = self._conn.begin()
        driver = self._conn.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        self._sql = driver
        return self

    def commit(self) -> None:
        assert self._tx is not None
        self._tx.commit()
        self._tx = self.conn.begin()

    def rollback(self) -> None:
        """Drop what was written since the last commit and carry on in a fresh transaction."""
        assert self._tx is not None
        self._tx.rollback()
        self.cache.clear()
        self._tx = self.conn.begin()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._tx is not None
        assert self._conn is not None
        self._tx.rollback()
        self._conn.close()
        self._conn = self._tx = None
        self._sql = None
