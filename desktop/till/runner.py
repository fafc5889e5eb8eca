"""One unit of work per operation: commit on success, roll back on any refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine

from desktop.db.uow import UnitOfWork
from shared.clock import Clock, SystemClock

T = TypeVar("T")


class Runner:
    def __init__(self, engine: Engine, clock: Clock | None = None) -> None:
        self.engine = engine
        self.clock = clock or SystemClock()

    def run(self, operation: Callable[[UnitOfWork], T]) -> T:
        """Run `operation` in its own transaction and commit it (`synchronous=FULL`)."""
        with UnitOfWork(self.engine, self.clock) as uow:
            result = operation(uow)
            uow.commit()
            return result

    def read(self, query: Callable[[UnitOfWork], T]) -> T:
        """Run a read; nothing is committed."""
        with UnitOfWork(self.engine, self.clock) as uow:
            return query(uow)
