"""Random days at three tills and one server, through a faulty network and crashes mid-sync,
with purchases brought back to any till and points spent offline: after everyone has synced,
every sale and refund is on the server exactly once, server stock is the sum of all movements,
every till's stock equals the server's, every till and the server hold the same catalog with
the last edit of each field and the same points balance, and every till's health check is
clean (hypothesis stateful test; bounded in CI, longer with NOVA_TEST_PROFILE=long)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select, text

from desktop.catalog.service import change_price, set_available
from desktop.db.engine import make_terminal_engine
from desktop.db.migrate import upgrade_terminal
from desktop.db.uow import UnitOfWork
from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.inventory.adjustments import adjust
from desktop.inventory.counts import count_item, post_count, start_count
from desktop.loyalty.ledger import balance, redeemable
from desktop.loyalty.program import Program, configure_program
from desktop.net.http import ServerUnreachable
from desktop.outbox.service import pending_count
from desktop.sales.checkout import TenderRequest
from desktop.sales.config import SellingConfig, configure
from desktop.sync import engine as sync_engine
from desktop.till.counter import Counter
from desktop.till.extras import Extras
from desktop.till.refund_desk import RefundDesk
from desktop.till.runner import Runner
from migrations.runner import upgrade_server
from shared.clock import FakeClock
from shared.errors import NotFound
from shared.ids import uuid7
from shared.money import Money
from syncserver.app import create_app
from syncserver.db import make_engine, make_sessionmaker
from syncserver.mail import MemoryMailSender
from syncserver.models import (
    CatalogDocument,
    Location,
    Sale,
    ServerLoyaltyEntry,
    ServerStockMovement,
    SyncMutation,
)
from syncserver.settings import ServerSettings
from syncserver.superadmin.accounts import create_superadmin
from tests.desktop.conftest import seed_shop
from tests.desktop.sync.conftest import SERVER, Link, Server
from tests.desktop.sync.faulty import FaultyTransport
from tests.syncserver.identity.conftest import ADMIN_PASSWORD, onboard

TILLS = 3
LONG = os.environ.get("NOVA_TEST_PROFILE") == "long"
_templates: dict[str, Path] = {}


def template(kind: str, make: Any) -> Path:
    """Built once per test run, copied per example (migrating each time would dominate)."""
    if kind not in _templates:
        folder = Path(tempfile.mkdtemp(prefix=f"nova-model-{kind}-"))
        _templates[kind] = make(folder)
    return _templates[kind]


def server_template(folder: Path) -> Path:
    path = folder / "server.db"
    upgrade_server(f"sqlite+pysqlite:///{path}")
    return path


def till_template(folder: Path) -> Path:
    path = folder / "till.db"
    upgrade_terminal(path)
    engine = make_terminal_engine(path)
    # Seeded before the model's days begin: the tills' clocks then order every later edit.
    with UnitOfWork(engine, FakeClock(datetime(2025, 12, 1, tzinfo=UTC))) as uow:
        seed_shop(uow)
        # Generous points, so that a few sales earn enough to redeem within one run.
        configure_program(uow, Program(points_per_unit=Decimal(50)))
        uow.commit()
    engine.dispose()
    return path


def _stock(uow: UnitOfWork, item: str) -> int:
    sql = "SELECT coalesce(sum(qty_milli), 0) FROM stock_movements WHERE item_id = ?"
    return int(uow.sql.execute(sql, (item,)).fetchone()[0])


def _has_customer(uow: UnitOfWork, customer: uuid.UUID) -> bool:
    found = uow.sql.execute("SELECT 1 FROM customers WHERE id = ?", (str(customer),))
    return found.fetchone() is not None


def _catalog(uow: UnitOfWork) -> dict[str, dict[str, object]]:
    rows = uow.sql.execute("SELECT sku, name, price_minor, available, active FROM items")
    return {
        sku: {"name": name, "price_minor": price, "available": bool(available), "active": active}
        for sku, name, price, available, active in rows
    }


class Shops(RuleBasedStateMachine):
    """The system under test and a sequential model of what must end up true."""

    @initialize()
    def open_shops(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="nova-model-"))
        server_db = self.folder / "server.db"
        shutil.copyfile(template("server", server_template), server_db)
        self.url = f"sqlite+pysqlite:///{server_db}"
        engine = make_engine(self.url)
        with make_sessionmaker(engine)() as session, session.begin():
            create_superadmin(
                session, email="ops@nova.example", name="Ops", password=ADMIN_PASSWORD
            )
        engine.dispose()
        self.mailer = MemoryMailSender()
        app = create_app(ServerSettings(database_url=self.url, register_limit_per_hour=1000))
        app.state.mailer = self.mailer
        self.api = TestClient(app, raise_server_exceptions=False).__enter__()
        tenant, headers = onboard(self.api, self.mailer, "Model")
        with make_engine(self.url).connect() as conn:
            location = conn.execute(
                select(Location.id).where(Location.tenant_id == tenant)
            ).scalar_one()
        roles = {r["name"]: r["id"] for r in self.api.get("/v1/roles", headers=headers).json()}
        self.server = Server(self.api, tenant, headers, str(location), roles, self.url)
        self.tills: list[tuple[Runner, Counter, Link]] = []
        self.clock = FakeClock()  # one clock for all tills: the model orders facts by it
        for n in range(TILLS):
            path = self.folder / f"till{n}.db"
            shutil.copyfile(template("till", till_template), path)
            runner = Runner(make_terminal_engine(path), self.clock)

            def own_identity(uow: UnitOfWork, n: int = n) -> None:
                uow.conn.execute(
                    text("UPDATE local_meta SET value = :v WHERE key = 'replica_id'"),
                    {"v": str(uuid7())},
                )
                configure(uow, SellingConfig(terminal_code=f"T{n}", currency="EUR"))

            runner.run(own_identity)
            from desktop.sync.credentials import CredentialStore
            from desktop.sync.setup import enroll_terminal

            store = CredentialStore(self.folder / f"cred{n}")
            enroll_terminal(runner, store, server_url=SERVER, code=self.server.code(),
                            name=f"Till {n}", transport=self.server.transport())  # fmt: skip
            counter = Counter(runner)
            counter.sign_in("1", "1111")
            self.tills.append((runner, counter, Link(runner, store, self.server.transport())))
        # A regular customer, enrolled at the first till; the others learn of her by sync.
        self.lou = Extras(self.tills[0][1]).enrol("Loyal Lou", "+49 30 1234567")
        self.items = runner.read(
            lambda u: [r[0] for r in u.sql.execute("SELECT sku FROM items ORDER BY sku")]
        )
        self.sold = 0
        self.receipts: list[tuple[str, str, int]] = []  # (receipt no, sku, till) of every sale
        self.refunds = 0
        self.catalog: dict[tuple[str, str], object] = {}  # (sku, field) -> the last edit's value
        # sku -> every stock fact at any till: (moment, "move" or "count", qty_milli)
        self.facts: dict[str, list[tuple[datetime, str, int]]] = {"LATTE": [], "BAGEL": []}

    def teardown(self) -> None:
        if hasattr(self, "api"):
            for runner, _, _ in self.tills:
                runner.engine.dispose()
            self.api.__exit__(None, None, None)
            shutil.rmtree(self.folder, ignore_errors=True)

    def _item(self, runner: Runner, sku: str) -> Any:
        return runner.read(
            lambda u: u.sql.execute("SELECT id FROM items WHERE sku = ?", (sku,)).fetchone()[0]
        )

    def _knows_lou(self, runner: Runner) -> bool:
        return bool(runner.read(lambda u: _has_customer(u, self.lou)))

    @rule(
        till=st.integers(0, TILLS - 1), sku=st.sampled_from(["LATTE", "BAGEL"]),
        n=st.integers(1, 3), online=st.booleans(), lou=st.booleans(),
    )  # fmt: skip
    def sell(self, till: int, sku: str, n: int, online: bool, lou: bool) -> None:
        """A sale; Lou's when she is known here (she earns points)."""
        self.clock.advance(timedelta(seconds=1))
        runner, counter, link = self.tills[till]
        for _ in range(n):
            counter.add(uuid.UUID(self._item(runner, sku)))
        if lou and self._knows_lou(runner):
            Extras(counter).attach(self.lou)
        paid = counter.pay([TenderRequest("cash", counter.cart().total)], None)  # type: ignore[arg-type]
        self.sold += 1
        self.receipts.append((paid.receipt_no, sku, till))
        if online:
            link.sync()
        self.facts[sku].append((self.clock.now(), "move", -1000 * n))

    @rule(
        till=st.integers(0, TILLS - 1), pick=st.integers(0, 1_000), qty=st.integers(1, 2),
        online=st.booleans(),
    )  # fmt: skip
    def bring_a_purchase_back(self, till: int, pick: int, qty: int, online: bool) -> None:
        """To any till: refunded there if that till has the sale and, as far as it knows, enough
        is left. Two tills may each refund the last one offline: both are kept (the money left
        the drawers) and the server flags the second for review."""
        if not self.receipts:
            return
        receipt, sku, sold_at = self.receipts[pick % len(self.receipts)]
        self.clock.advance(timedelta(seconds=1))
        _, counter, link = self.tills[till]
        desk = RefundDesk(counter)
        if online:
            link.sync()  # an online till has whatever the selling till pushed
        try:
            sale = desk.find(receipt)
        except NotFound:
            return  # this till has not pulled that sale yet
        (line,) = sale.lines
        if line.left < qty:
            return
        desk.refund(sale, [(line.line_id, Decimal(qty), True)], tender="cash", reason="back",
                    payment_terminal=SimulatedPaymentTerminal())  # fmt: skip
        self.refunds += 1
        event("refund at the till that sold" if till == sold_at else "refund at another till")
        self.facts[sku].append((self.clock.now(), "move", 1000 * qty))  # restocked

    @rule(till=st.integers(0, TILLS - 1), hundreds=st.integers(1, 3))
    def lou_pays_with_points(self, till: int, hundreds: int) -> None:
        """A latte partly paid with points: only what this till may redeem offline (the
        server-confirmed balance less its own unsynced redemptions). Two tills may still spend
        the same points offline: the server keeps both and flags the overdraft."""
        runner, counter, _ = self.tills[till]
        if not self._knows_lou(runner):
            return
        points = 100 * hundreds
        if runner.read(lambda u: redeemable(u, self.lou)) < points:
            return
        self.clock.advance(timedelta(seconds=1))
        counter.add(uuid.UUID(self._item(runner, "LATTE")))
        Extras(counter).attach(self.lou)
        with_points = Money.from_minor(points, "EUR")  # a point pays 0.01
        rest = counter.cart().total - with_points
        paid = counter.pay(
            [TenderRequest("points", with_points), TenderRequest("cash", rest)],
            None,  # type: ignore[arg-type]
        )
        self.sold += 1
        self.receipts.append((paid.receipt_no, "LATTE", till))
        self.facts["LATTE"].append((self.clock.now(), "move", -1000))
        event("points redeemed")

    @rule(till=st.integers(0, TILLS - 1), change=st.integers(-5, 5).filter(bool))
    def adjust_stock(self, till: int, change: int) -> None:
        self.clock.advance(timedelta(seconds=1))
        runner, counter, _ = self.tills[till]
        item = uuid.UUID(self._item(runner, "LATTE"))
        reason = "received" if change > 0 else "damage"
        runner.run(
            lambda u: adjust(u, counter.who(), item_id=item, change=Decimal(change), reason=reason)
        )
        self.facts["LATTE"].append((self.clock.now(), "move", 1000 * change))

    @rule(till=st.integers(0, TILLS - 1), counted=st.integers(0, 20))
    def count_the_shelf(self, till: int, counted: int) -> None:
        self.clock.advance(timedelta(seconds=1))
        runner, counter, _ = self.tills[till]
        item = uuid.UUID(self._item(runner, "LATTE"))

        def count(uow: UnitOfWork) -> None:
            session = start_count(uow, counter.who(), scope="selection", items=[item])
            count_item(uow, counter.who(), session_id=session, item_id=item, quantity=counted,
                       mode="set")  # fmt: skip
            post_count(uow, counter.who(), session_id=session)

        runner.run(count)
        self.facts["LATTE"].append((self.clock.now(), "count", 1000 * counted))

    @rule(
        till=st.integers(0, TILLS - 1),
        sku=st.sampled_from(["LATTE", "BAGEL"]),
        cents=st.integers(100, 999),
    )
    def change_a_price(self, till: int, sku: str, cents: int) -> None:
        """Tills edit prices offline, often the same one: the last edit (by the shared clock)
        must win everywhere."""
        self.clock.advance(timedelta(seconds=1))
        runner, counter, _ = self.tills[till]
        item = uuid.UUID(self._item(runner, sku))
        price = Money.from_minor(cents, "EUR")
        runner.run(lambda u: change_price(u, counter.who(), item_id=item, price=price))
        self.catalog[(sku, "price_minor")] = cents

    @rule(till=st.integers(0, TILLS - 1), available=st.booleans())
    def eighty_six_the_cheese(self, till: int, available: bool) -> None:
        self.clock.advance(timedelta(seconds=1))
        runner, counter, _ = self.tills[till]
        item = uuid.UUID(self._item(runner, "CHEESE"))
        runner.run(lambda u: set_available(u, counter.who(), item_id=item, available=available))
        self.catalog[("CHEESE", "available")] = available

    def truth(self, sku: str) -> int:
        """What the shelf holds: the last count, plus every movement after it."""
        facts = sorted(self.facts[sku], key=lambda f: f[0])
        counts = [i for i, f in enumerate(facts) if f[1] == "count"]
        start = counts[-1] if counts else -1
        base = facts[start][2] if counts else 0
        return base + sum(q for _, kind, q in facts[start + 1 :] if kind == "move")

    @rule(till=st.integers(0, TILLS - 1))
    def sync(self, till: int) -> None:
        self.tills[till][2].sync()

    @rule(till=st.integers(0, TILLS - 1), seed=st.integers(0, 10_000))
    def sync_on_a_bad_network(self, till: int, seed: int) -> None:
        bad = FaultyTransport(self.server.transport(), seed, rate=0.5)
        with contextlib.suppress(ServerUnreachable):  # the next sync goes on from where it stopped
            self.tills[till][2].sync(bad, batch=2)

    @rule(
        till=st.integers(0, TILLS - 1),
        at=st.sampled_from(
            ["before_push", "after_push_answer", "mid_bootstrap", "before_cursor_commit"]
        ),
    )
    def crash_mid_sync(self, till: int, at: str) -> None:
        """The till dies at `at`: what it had not committed is gone, as after a power cut
        (the SIGKILL tests do this to a real process; here the step raises instead)."""

        class PowerCut(Exception):
            pass

        def die(name: str) -> None:
            if name == at:
                raise PowerCut

        real = sync_engine.failpoint
        sync_engine.failpoint = die
        try:
            with contextlib.suppress(PowerCut):
                self.tills[till][2].sync()
        finally:
            sync_engine.failpoint = real

    @invariant()
    def nothing_on_the_server_twice(self) -> None:
        if not hasattr(self, "url"):
            return
        engine = make_engine(self.url)
        with engine.connect() as conn:
            sales = conn.execute(select(func.count()).select_from(Sale)).scalar_one()
            receipts = conn.execute(select(func.count(func.distinct(Sale.receipt_no)))).scalar_one()
        engine.dispose()
        assert sales == receipts <= self.sold + self.refunds

    def drained(self) -> None:
        """Everyone syncs twice (all push, then all pull what the others pushed)."""
        for _ in range(2):
            for _, _, link in self.tills:
                link.sync()
        engine = make_engine(self.url)
        with engine.connect() as conn:
            tickets = conn.execute(select(func.count()).select_from(Sale)).scalar_one()
            assert tickets == self.sold + self.refunds
            server_stock = dict(
                conn.execute(
                    select(
                        ServerStockMovement.item_id, func.sum(ServerStockMovement.qty_milli)
                    ).group_by(ServerStockMovement.item_id)
                ).all()
            )
            documents = {
                (entity_id, name): value
                for entity_id, text_ in conn.execute(
                    select(CatalogDocument.entity_id, CatalogDocument.fields).where(
                        CatalogDocument.entity == "cat.item"
                    )
                )
                for name, (value, _stamp, _origin) in json.loads(text_).items()
            }
        engine.dispose()
        catalogs = [runner.read(_catalog) for runner, _, _ in self.tills]
        assert all(c == catalogs[0] for c in catalogs)  # every till shows the same catalog
        for (sku, name), value in self.catalog.items():
            item = self._item(self.tills[0][0], sku)
            assert catalogs[0][sku][name] == value == documents[(item, name)]
        for runner, _, _ in self.tills:
            for sku in ("LATTE", "BAGEL"):
                item = self._item(runner, sku)
                local = runner.read(partial(_stock, item=item))
                assert local == self.truth(sku) == int(server_stock.get(uuid.UUID(item), 0))
            assert runner.read(pending_count) == 0
        engine = make_engine(self.url)
        with engine.connect() as conn:
            points = conn.execute(
                select(func.coalesce(func.sum(ServerLoyaltyEntry.points), 0)).where(
                    ServerLoyaltyEntry.customer_id == self.lou
                )
            ).scalar_one()
        engine.dispose()
        for runner, _, _ in self.tills:  # every point exactly once, everywhere
            assert runner.read(lambda u: balance(u, self.lou)) == points
        for _, _, link in self.tills:  # and each till's own health check agrees
            engine = link.engine()
            try:
                health = engine.run_once(health=True).health
            finally:
                engine.client.close()
            assert health is not None
            assert health.mismatched == []


class DrainedShops(Shops):
    def teardown(self) -> None:
        try:
            if hasattr(self, "url"):
                self.drained()
        finally:
            super().teardown()


DrainedShops.TestCase.settings = settings(
    max_examples=200 if LONG else 6, stateful_step_count=25 if LONG else 20, deadline=None
)


@pytest.mark.timeout(3600 if LONG else 300)  # the long profile runs 200 days of 25 steps
def test_random_days_at_three_tills_converge() -> None:
    DrainedShops.TestCase().runTest()


def test_a_scripted_day_through_the_same_model() -> None:
    """The paths random runs reach only sometimes, every time: a purchase refunded at another
    till and again at the till that sold it, points earned at one till and spent at two tills
    offline (an overdraft the server keeps), a price edited at two tills, then the same checks."""
    events: list[str] = []
    day = DrainedShops()
    global event
    real_event, event = event, events.append
    try:
        day.open_shops()
        day.sell(till=0, sku="LATTE", n=3, online=True, lou=True)  # Lou earns 510 points
        day.sell(till=0, sku="BAGEL", n=2, online=True, lou=False)
        day.bring_a_purchase_back(till=1, pick=1, qty=1, online=True)  # a bagel back at B
        day.sync(till=1)
        day.sync(till=0)
        day.bring_a_purchase_back(till=0, pick=1, qty=1, online=False)  # the other, at A
        day.sync(till=1)
        day.sync(till=2)
        # B and C both see 510 confirmed points and each spend 300 of them offline.
        day.lou_pays_with_points(till=1, hundreds=3)
        day.lou_pays_with_points(till=2, hundreds=3)
        day.change_a_price(till=1, sku="BAGEL", cents=250)
        day.change_a_price(till=2, sku="BAGEL", cents=260)
        day.count_the_shelf(till=2, counted=7)
        day.sync_on_a_bad_network(till=1, seed=3)
        day.drained()  # every check of the random runs
        engine = make_engine(day.url)
        with engine.connect() as conn:
            flagged = conn.execute(
                select(SyncMutation.detail).where(SyncMutation.status == "needs_review")
            ).scalars()
            overdrafts = [d for d in flagged if d and "overdraft" in d]
        engine.dispose()
        assert len(overdrafts) == 1  # the second spender's sale is kept, and flagged
        # A manager settles it: the business absorbs the overdraft, and every till hears of it.
        inbox = day.api.get("/v1/sync/inbox", headers=day.server.headers).json()
        (item,) = [i for i in inbox if "overdraft" in (i["detail"] or "")]
        settled = day.api.post(
            f"/v1/sync/inbox/{item['id']}/resolve", headers=day.server.headers,
            json={"resolution": "adjusted", "note": "goodwill"},
        )  # fmt: skip
        assert [e["points"] for e in settled.json()["entries"]] == [50]
        day.drained()
        assert {r.read(lambda u: balance(u, day.lou)) for r, _, _ in day.tills} == {0}
    finally:
        event = real_event
        Shops.teardown(day)
    assert events == [
        "refund at another till", "refund at the till that sold", "points redeemed",
        "points redeemed",
    ]  # fmt: skip
