"""A demo shop for an unconfigured terminal (embedded defaults, screenshots, the guide).

Loaded only when `NOVA_TERMINAL_DEMO_DATA` is on and the database was never set up for selling;
a real terminal gets its configuration, catalog and staff from the server when it is enrolled.
Sign in with code 1 / PIN 1234 (manager) or code 2 / PIN 2222 (cashier).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from desktop.catalog.service import (
    create_category,
    create_item,
    set_category,
    set_tax_class,
    set_tile,
)
from desktop.db.engine import make_terminal_engine
from desktop.db.migrate import upgrade_terminal
from desktop.db.models import LocalMeta
from desktop.db.uow import UnitOfWork
from desktop.sales.config import PREFIX, SellingConfig, configure
from desktop.sales.tickets import open_shift
from desktop.staff.service import create_role, create_user, sign_in
from desktop.till.counter import Counter
from desktop.till.runner import Runner
from shared.clock import Clock
from shared.money import Money
from shared.permissions import ALL_PERMISSIONS, DEFAULT_ROLES
from shared.tax import TaxRate

# (category, sku, name, price, tax class, barcode)
ITEMS = (
    ("Coffee", "ESP", "Espresso", "2.20", "STD", "4006381000017"),
    ("Coffee", "LAT", "Café Latte", "3.40", "STD", "4006381333931"),
    ("Coffee", "CAP", "Cappuccino", "3.20", "STD", "4006381000024"),
    ("Coffee", "TEA", "Green tea", "2.60", "STD", "4006381000031"),
    ("Bakery", "CRO", "Croissant", "1.90", "FOOD", "4012345000011"),
    ("Bakery", "BAG", "Bagel", "2.10", "FOOD", "4012345678901"),
    ("Bakery", "BRE", "Brötchen", "0.60", "FOOD", "4012345000028"),
    ("Bakery", "CAK", "Cheesecake slice", "3.90", "FOOD", "4012345000035"),
)


# Product-tile colours of the demo (positions stay automatic: by name).
TILES = {"ESP": "amber", "LAT": "amber", "CAP": "amber", "TEA": "green", "CRO": "rose"}


def is_configured(uow: UnitOfWork) -> bool:
    return (
        uow.conn.execute(select(LocalMeta.key).where(LocalMeta.key.startswith(PREFIX))).first()
        is not None
    )


def seed_demo(uow: UnitOfWork) -> bool:
    """Load the demo shop into an unconfigured database; returns whether it did."""
    if is_configured(uow):
        return False
    configure(uow, SellingConfig(terminal_code="T01", currency="EUR", cash_rounding_minor=1))
    set_tax_class(uow, tax_class="STD", rates=[TaxRate("VAT19", Decimal(19))])
    set_tax_class(uow, tax_class="FOOD", rates=[TaxRate("VAT7", Decimal(7))])
    manager_role = create_role(uow, name="manager", permissions=set(ALL_PERMISSIONS))
    cashier_role = create_role(uow, name="cashier", permissions=set(DEFAULT_ROLES["cashier"]))
    create_user(uow, code="1", name="Demo Manager", pin="1234", role_id=manager_role)
    create_user(uow, code="2", name="Demo Cashier", pin="2222", role_id=cashier_role)
    manager = sign_in(uow, code="1", pin="1234")
    categories: dict[str, uuid.UUID] = {}
    for position, (category, sku, name, price, tax_class, barcode) in enumerate(ITEMS):
        if category not in categories:
            categories[category] = create_category(uow, manager, name=category, position=position)
        item = create_item(
            uow,
            manager,
            sku=sku,
            name=name,
            price=Money(price, "EUR"),
            tax_class=tax_class,
            barcodes=[barcode],
        )
        set_category(uow, manager, item_id=item, category_id=categories[category])
        if sku in TILES:
            set_tile(uow, manager, item_id=item, color=TILES[sku], position=None)
    open_shift(uow, manager, float_amount=Money("100.00", "EUR"))
    return True


def demo_counter(folder: Path, clock: Clock | None = None) -> Counter:
    """A migrated demo database in `folder` behind a `Counter` (screenshots, benchmarks)."""
    db = folder / "demo-terminal.db"
    upgrade_terminal(db)
    runner = Runner(make_terminal_engine(db), clock)
    runner.run(seed_demo)
    return Counter(runner)
