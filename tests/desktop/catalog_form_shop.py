"""A till as enrollment leaves it — selling configuration, the server's tax classes, a manager
and a cashier, an open shift — and no catalog at all: what the item form starts from."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select

from desktop.catalog.service import set_tax_class
from desktop.db.models import OutboxRecord
from desktop.db.uow import UnitOfWork
from desktop.sales.config import SellingConfig, configure
from desktop.sales.tickets import open_shift
from desktop.staff.service import create_role, create_user, sign_in
from desktop.till.counter import Counter
from desktop.till.runner import Runner
from shared.clock import FakeClock
from shared.money import Money
from shared.permissions import ALL_PERMISSIONS, Permission
from shared.tax import TaxRate


def enrolled_till(engine: Engine, clock: FakeClock, *, taxes: bool = True) -> Counter:
    """The till signed in as its manager (code 1, PIN 1111); a cashier is code 2, PIN 2222.
    `taxes=False`: no tax classes have arrived yet."""
    with UnitOfWork(engine, clock) as uow:
        configure(uow, SellingConfig(terminal_code="T01", currency="EUR"))
        if taxes:
            set_tax_class(uow, tax_class="STD", rates=[TaxRate("VAT19", Decimal(19))])
            set_tax_class(uow, tax_class="FOOD", rates=[TaxRate("VAT7", Decimal(7))])
        manager = create_role(uow, name="manager", permissions=set(ALL_PERMISSIONS))
        cashier = create_role(
            uow, name="cashier", permissions={Permission.POS_SELL, Permission.SHIFT_OPEN}
        )
        create_user(uow, code="1", name="Mia Manager", pin="1111", role_id=manager)
        create_user(uow, code="2", name="Carl Cashier", pin="2222", role_id=cashier)
        open_shift(uow, sign_in(uow, code="1", pin="1111"), float_amount=Money("100", "EUR"))
        uow.commit()
    counter = Counter(Runner(engine, clock))
    counter.sign_in("1", "1111")
    return counter


def catalog_edits(counter: Counter) -> list[dict[str, Any]]:
    """The `catalog.edited` payloads waiting in the outbox, oldest first (but the tax classes
    this fixture set up)."""

    def read(uow: UnitOfWork) -> list[dict[str, Any]]:
        rows = uow.conn.execute(
            select(OutboxRecord.payload)
            .where(OutboxRecord.kind == "catalog.edited")
            .order_by(OutboxRecord.seq)
        ).scalars()
        edits = [json.loads(r) for r in rows]
        return [e for e in edits if e["entity"] != "cat.tax_class"]

    return counter.runner.read(read)


def audit_actions(counter: Counter) -> list[str]:
    def read(uow: UnitOfWork) -> list[str]:
        rows = uow.conn.execute(
            select(OutboxRecord.payload)
            .where(OutboxRecord.kind == "audit.recorded")
            .order_by(OutboxRecord.seq)
        ).scalars()
        return [json.loads(r)["action"] for r in rows]

    return counter.runner.read(read)
