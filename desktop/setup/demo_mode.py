"""The demo till: practice data that never reaches a business.

`start_demo` loads the demo shop and marks the database as a demo (`local_meta` "demo.active").
A demo till cannot be enrolled (`refuse_if_demo`, called first thing by
`desktop.sync.setup.enroll_terminal`) until `wipe_demo` — an explicit, confirmed step — has
deleted every business row the demo made, in one transaction. Printer settings stay: they
describe this machine's hardware, not the demo shop.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select, text

from desktop.db.models import Base, LocalMeta
from desktop.db.models.local_meta import REPLICA_ID_KEY
from desktop.db.uow import UnitOfWork
from desktop.till.demo import is_configured, seed_demo
from shared.errors import Conflict
from shared.ids import uuid7

DEMO_KEY = "demo.active"
DEMO_REFUSAL = "this till holds demo data: wipe it first"
# Kept by the wipe: this machine's printers and drawers (hardware, not business data).
KEPT_TABLES = frozenset({"local_devices"})
# What the confirmation names, in the words a shop owner uses.
WIPED = (
    "sales, payments and receipts",
    "shifts and cash movements",
    "staff and roles (the demo PINs stop working)",
    "the catalog, prices and tax rates",
    "stock and counts",
    "customers and loyalty points",
    "waiting print jobs",
    "changes waiting to sync",
)


def is_demo(uow: UnitOfWork) -> bool:
    value = uow.conn.execute(select(LocalMeta.value).where(LocalMeta.key == DEMO_KEY)).scalar()
    return value == "1"


def start_demo(uow: UnitOfWork) -> bool:
    """Load the demo shop into an unconfigured till and mark it as a demo; returns whether it
    loaded now. A till already set up for selling is left alone (never mixed with a demo).

    Raises:
        Conflict: the till is enrolled with a server (it is somebody's business).
    """
    if is_demo(uow):
        return False
    enrolled = uow.sql.execute("SELECT 1 FROM sync_state WHERE id = 1").fetchone()
    if enrolled is not None or is_configured(uow):
        raise Conflict("this till is already set up for a business: it cannot hold a demo")
    seed_demo(uow)
    uow.conn.execute(insert(LocalMeta).values(key=DEMO_KEY, value="1"))
    return True


def refuse_if_demo(uow: UnitOfWork) -> None:
    """Raises Conflict on a demo till: its practice sales and staff must never reach a tenant."""
    if is_demo(uow):
        raise Conflict(DEMO_REFUSAL, details={"reason": "demo"})


def wipe_demo(uow: UnitOfWork) -> None:
    """Delete every business row the demo made (sales, payments, lines, shifts, staff, roles,
    catalog, stock, customers, loyalty, print jobs, outbox, sync state, the demo marker and the
    selling config) and give the database a fresh replica id, all in this one transaction.

    Raises:
        Conflict: this is not a demo till (a real till's data is never wiped here).
    """
    if not is_demo(uow):
        raise Conflict("this till holds no demo data: nothing to wipe")
    for table in reversed(Base.metadata.sorted_tables):  # children before their parents
        if table.name in KEPT_TABLES or table.name == LocalMeta.__tablename__:
            continue
        _delete_all(uow, table.name)
    # Everything in local_meta is business configuration (selling, business, loyalty, modules,
    # the demo marker) except the replica id, which is replaced: to the server this is a new
    # till, sharing nothing with the demo's numbering.
    uow.conn.execute(delete(LocalMeta))
    uow.conn.execute(insert(LocalMeta).values(key=REPLICA_ID_KEY, value=str(uuid7())))
    uow.cache.clear()


def _delete_all(uow: UnitOfWork, table: str) -> None:
    """Ledgers refuse deletes by trigger (facts are corrected, never removed): lift the
    trigger for this statement and put it back, inside the same transaction."""
    guards = uow.conn.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t "
            "AND sql LIKE '%BEFORE DELETE%'"
        ),
        {"t": table},
    ).all()
    for name, _sql in guards:
        uow.conn.execute(text(f'DROP TRIGGER "{name}"'))
    uow.conn.execute(text(f'DELETE FROM "{table}"'))
    for _name, sql in guards:
        uow.conn.execute(text(sql))
