"""A seeded shop behind a `Counter`, as the cashier screens use it (one transaction per action)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import Engine

from desktop.db.uow import UnitOfWork
from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.till.counter import Counter
from desktop.till.runner import Runner
from shared.clock import FakeClock
from tests.desktop.conftest import seed_shop


@dataclass
class Shop:
    counter: Counter
    runner: Runner
    items: dict[str, object]
    card: SimulatedPaymentTerminal


@pytest.fixture
def shop(engine: Engine, clock: FakeClock) -> Shop:
    with UnitOfWork(engine, clock) as uow:
        seeded = seed_shop(uow)
    runner = Runner(engine, clock)
    counter = Counter(runner)
    counter.sign_in("1", "1111")  # the manager
    return Shop(counter, runner, seeded.items, SimulatedPaymentTerminal())
