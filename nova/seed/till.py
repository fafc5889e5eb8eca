"""The till half of `nova seed tenant`: enroll a till database, sync it, make one sale, sync it.

The till is the real one (`desktop.sync.setup`, `desktop.till.counter.Counter`): it gets its
configuration, menu and staff from the server by sync, the cashier signs in with code and PIN
and sells as at the counter. Re-runnable like the server half: an enrolled till with its sale
synced is left alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy import func, select

from desktop.catalog.modifiers import item_modifier_groups
from desktop.catalog.service import search
from desktop.db.engine import make_terminal_engine
from desktop.db.instance_lock import WriterLock
from desktop.db.migrate import prepare_terminal_db
from desktop.db.models.selling import Ticket
from desktop.db.uow import UnitOfWork
from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.inventory.adjustments import adjust
from desktop.inventory.ledger import stock_level
from desktop.outbox.service import pending_count
from desktop.sales.checkout import TenderRequest
from desktop.sales.config import load
from desktop.sales.tickets import open_shift_id
from desktop.staff.service import sign_in
from desktop.sync.credentials import CredentialStore
from desktop.sync.engine import load_state
from desktop.sync.setup import build_engine, enroll_terminal
from desktop.till.counter import Counter
from desktop.till.demo import is_configured
from desktop.till.runner import Runner
from desktop.till.shift_desk import ShiftDesk
from nova.seed import demo
from nova.seed.api import Api
from nova.seed.tenant import Progress, SeedOptions, Tenant
from shared.errors import Conflict, NotFound
from shared.money import Money

MAX_TILL_NAMES = 20  # "Till 1" taken by another till: try "Till 1 (2)", …


@dataclass
class Till:
    """A till database opened the way `nova terminal` opens it: the writer lock first (a
    running till on the same file is refused with `DatabaseInUse`), backed up and migrated."""

    runner: Runner
    store: CredentialStore
    lock: WriterLock

    @classmethod
    def open(cls, path: Path) -> Till:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = WriterLock(path)
        lock.acquire()
        try:
            prepare_terminal_db(path, path.parent / "backups")
        except BaseException:
            lock.release()
            raise
        return cls(Runner(make_terminal_engine(path)), CredentialStore(path.parent), lock)

    def close(self) -> None:
        self.runner.engine.dispose()
        self.lock.release()


def _holds_data(uow: UnitOfWork) -> bool:
    """An unenrolled database that sold, queued changes or was set up for selling (the
    till-only demo): enrolling it would push its own staff, menu and sales into the business."""
    return is_configured(uow) or pending_count(uow) > 0 or _sales(uow) > 0


def enroll(api: Api, till: Till, opts: SeedOptions, tenant: Tenant, progress: Progress) -> None:
    """Enroll with a fresh one-time code unless this database already belongs to the tenant.

    Raises:
        Conflict: the database belongs to another business (`reason` "other_business") or
            holds data of its own (`reason` "till_has_data"); nothing is changed.
    """
    state = till.runner.read(load_state)
    if state is None and till.runner.read(_holds_data):
        raise Conflict(
            f"{opts.till_database} holds a till of its own (a till-only demo, or sales): the "
            "seed enrolls only a fresh till database (--till-database)",
            details={"reason": "till_has_data"},
        )
    if state is not None:
        if str(state.tenant_id) != tenant.tenant_id:
            raise Conflict(
                f"{opts.till_database} is enrolled with another business: "
                "give the seed another till database (--till-database)",
                details={"reason": "other_business", "tenant_id": str(state.tenant_id)},
            )
        return
    for n in range(1, MAX_TILL_NAMES + 1):
        name = opts.till_name if n == 1 else f"{opts.till_name} ({n})"
        code = api.post("/v1/devices/enrollment-codes", {"location_id": tenant.location_id})
        try:
            enroll_terminal(
                till.runner, till.store, server_url=opts.server_url, code=code["code"], name=name
            )
        except Conflict as exc:
            if exc.details.get("reason") == "name_taken":
                continue  # the code was not spent; it simply expires
            raise
        progress.did(f"till enrolled as {name!r} with a one-time enrollment code")
        return
    raise Conflict(f"every till name up to {opts.till_name} ({MAX_TILL_NAMES}) is taken")


def sync(till: Till, progress: Progress, why: str) -> None:
    """One full round (push, pull); the till must end with nothing waiting."""
    engine = build_engine(till.runner, till.store)
    try:
        report = engine.run_once()
    finally:
        engine.client.close()
    waiting = till.runner.read(pending_count)
    if report.quarantined or waiting:
        raise Conflict(
            f"the till did not sync everything ({waiting} changes waiting"
            f"{', quarantined' if report.quarantined else ''}): see `nova sync status`"
        )
    progress.did(f"synced ({why}): pushed {report.pushed}, pulled {report.pulled}")


def _sales(uow: UnitOfWork) -> int:
    stmt = select(func.count()).where(Ticket.kind == "sale", Ticket.status == "paid")
    return int(uow.conn.execute(stmt).scalar_one())


def _item(uow: UnitOfWork, sku: str) -> uuid.UUID:
    for found in search(uow, sku, limit=50):
        if found.sku == sku:
            return found.id
    raise NotFound(f"item {sku} is not on the till: did the first sync bring the menu?")


def _modifier(uow: UnitOfWork, item_id: uuid.UUID, name: str) -> uuid.UUID:
    for *_group, choices in item_modifier_groups(uow, item_id):
        for choice in choices:
            if choice.name == name:
                return choice.id
    raise NotFound(f"the choice {name} is not offered on the till")


def _shift_open(uow: UnitOfWork) -> bool:
    try:
        open_shift_id(uow)
    except Conflict:
        return False
    return True


def _line(uow: UnitOfWork, sku: str, choice: str | None) -> tuple[uuid.UUID, list[uuid.UUID]]:
    item = _item(uow, sku)
    return item, [] if choice is None else [_modifier(uow, item, choice)]


def sell(till: Till, progress: Progress) -> bool:
    """The cashier's first sale, as at the counter; returns whether it made one."""
    if till.runner.read(_sales):
        return False
    counter = Counter(till.runner)
    counter.sign_in(demo.CASHIER.code, demo.CASHIER.pin)
    if not till.runner.read(_shift_open):
        ShiftDesk(counter).open(demo.OPENING_FLOAT)
        progress.did(f"{demo.CASHIER.name} opened a shift with a {demo.OPENING_FLOAT} float")
    for sku, choice in demo.SALE:
        item, modifiers = till.runner.read(partial(_line, sku=sku, choice=choice))
        counter.add(item, 1, modifiers)
    cash = Money(demo.SALE_CASH, counter.currency())
    done = counter.pay([TenderRequest("cash", cash)], SimulatedPaymentTerminal(), receipt=False)
    progress.did(
        f"{demo.CASHIER.name} sold {done.total} in cash (receipt {done.receipt_no}, "
        f"change {done.change})"
    )
    return True


def _unstocked(uow: UnitOfWork) -> list[tuple[uuid.UUID, str, int]]:
    """The opening stock still to book: items whose stock never moved at this location."""
    location = load(uow).location_code
    todo = []
    for sku, quantity in demo.OPENING_STOCK:
        item = _item(uow, sku)
        if stock_level(uow, item, location).quantity == 0:
            todo.append((item, sku, quantity))
    return todo


def receive_opening_stock(till: Till, progress: Progress) -> None:
    """The manager books the opening stock on the till, as in the back office's stock screen;
    sync takes it to the server's ledger (the server has no stock-writing API of its own)."""
    todo = till.runner.read(_unstocked)
    if not todo:
        return
    manager = till.runner.run(
        lambda uow: sign_in(uow, code=demo.MANAGER.code, pin=demo.MANAGER.pin)
    )
    for item, sku, quantity in todo:
        till.runner.run(
            partial(
                adjust,
                actor=manager,
                item_id=item,
                change=quantity,
                reason="received",
                note="opening stock",
            )
        )
        progress.did(f"opening stock of {sku}: {quantity} received by {demo.MANAGER.name}")
