"""A real terminal database syncing with a real server: sales arrive exactly once, staff and
module switches come back, lost answers and restores lose and duplicate nothing."""

from __future__ import annotations

import shutil
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text, update

from desktop.db.engine import make_terminal_engine
from desktop.db.models import SyncIssue
from desktop.sales.checkout import TenderRequest
from desktop.sync.engine import load_state
from desktop.till.counter import Counter
from desktop.till.runner import Runner
from shared.clock import FakeClock
from shared.errors import AuthnError
from shared.money import Money
from syncserver.db import make_engine, make_sessionmaker
from syncserver.models import (
    Sale,
    ServerStockMovement,
    SyncMutation,
    SyncQuarantine,
    SyncReplica,
)
from syncserver.sync.service import new_epoch
from tests.desktop.conftest import Shop
from tests.desktop.sync.conftest import Link, Server, enroll, second_till

EUR = "EUR"


def sell(shop: Shop, sku: str = "LATTE", n: int = 1) -> str:
    for _ in range(n):
        shop.counter.add(shop.items[sku])  # type: ignore[arg-type]
    total = shop.counter.cart().total
    return shop.counter.pay([TenderRequest("cash", total)], shop.card).receipt_no


def server_count(server: Server, model: object, *where: object) -> int:
    engine = make_engine(server.db_url)
    try:
        with engine.connect() as conn:
            stmt = select(func.count()).select_from(model).where(*where)  # type: ignore[arg-type]
            return int(conn.execute(stmt).scalar_one())
    finally:
        engine.dispose()


def test_offline_sales_arrive_once_even_when_the_answer_is_lost(
    shop: Shop, server: Server, tmp_path: Path
) -> None:
    receipts = [sell(shop) for _ in range(3)]
    assert shop.counter.pending_changes() > 3  # sales, stock and audit records wait
    link = enroll(server, shop.runner, tmp_path)
    report = link.sync()
    assert report.pushed == shop.runner.read(
        lambda u: u.sql.execute("SELECT max(seq) FROM outbox").fetchone()[0]
    )
    assert shop.counter.pending_changes() == 0
    assert server_count(server, Sale) == 3
    assert server_count(server, ServerStockMovement) == 3  # one latte each (tracked)
    # The answer to the last push never arrived: the till still thinks nothing was confirmed.
    shop.runner.run(lambda uow: uow.conn.execute(text("UPDATE sync_state SET pushed_seq = 0")))
    link.sync()
    assert server_count(server, Sale) == 3
    found = server_count(server, Sale, Sale.receipt_no.in_(receipts))
    assert found == 3


def test_server_staff_sign_in_at_the_till_and_lose_access_when_disabled(
    shop: Shop, server: Server, tmp_path: Path
) -> None:
    link = enroll(server, shop.runner, tmp_path)
    ana = server.hire("77", pin="4711")
    link.sync()
    counter = Counter(shop.runner)
    actor = counter.sign_in("77", "4711")
    assert actor.name == "Person 77"
    assert "pos.sell" in actor.permissions
    assert "staff.manage" not in actor.permissions
    counter.sign_out()
    off = server.api.put(
        f"/v1/staff/{ana['id']}/status", headers=server.headers, json={"active": False}
    )
    assert off.status_code == 200
    link.sync()
    with pytest.raises(AuthnError):
        counter.sign_in("77", "4711")


def test_module_switches_reach_the_till(shop: Shop, server: Server, tmp_path: Path) -> None:
    from tests.syncserver.identity.conftest import admin_headers

    link = enroll(server, shop.runner, tmp_path)
    link.sync()
    assert "loyalty" in shop.counter.enabled_modules()
    r = server.api.put(
        f"/v1/superadmin/tenants/{server.tenant}/modules/loyalty",
        headers=admin_headers(server.api),
        json={"enabled": False},
    )
    assert r.status_code == 204
    link.sync()
    assert "loyalty" not in shop.counter.enabled_modules()


def test_stock_sold_at_one_till_reaches_the_other(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    other = second_till(shop, terminal_db, tmp_path)
    a = enroll(server, shop.runner, tmp_path / "a", "A")
    b = enroll(server, other, tmp_path / "b", "B")
    item = shop.items["LATTE"]
    level = "SELECT coalesce(sum(qty_milli), 0) FROM stock_movements WHERE item_id = ?"
    before = other.read(lambda u: u.sql.execute(level, (str(item),)).fetchone()[0])  # type: ignore[attr-defined]
    sell(shop, "LATTE", 2)
    a.sync()
    b.sync()
    after = other.read(lambda u: u.sql.execute(level, (str(item),)).fetchone()[0])  # type: ignore[attr-defined]
    assert after - before == -2000
    b.sync()  # pulling again changes nothing
    again = other.read(lambda u: u.sql.execute(level, (str(item),)).fetchone()[0])  # type: ignore[attr-defined]
    assert again == after


@pytest.mark.allow_warnings
def test_a_copied_database_is_quarantined_and_loses_nothing(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    a = enroll(server, shop.runner, tmp_path / "a", "A")
    sell(shop)
    a.sync()
    # Someone copied the till's file to a second machine and enrolled that one too.
    shop.runner.engine.dispose()
    copy = tmp_path / "copy.db"
    shutil.copyfile(terminal_db, copy)
    clone = Runner(make_terminal_engine(copy), shop.runner.clock)
    clone.run(lambda uow: uow.conn.execute(text("DELETE FROM sync_state")))
    cloned = enroll(server, clone, tmp_path / "c", "Copy")
    Counter(clone).sign_in("1", "1111")
    c_counter = Counter(clone)
    c_counter.sign_in("1", "1111")
    c_counter.add(shop.items["BAGEL"])  # type: ignore[arg-type]
    c_counter.pay([TenderRequest("cash", Money("5.00", EUR))], shop.card)
    report = cloned.sync()
    assert report.quarantined
    assert server_count(server, Sale) == 1  # only the original till's sale
    assert clone.read(load_state).replica_status == "quarantined"  # type: ignore[union-attr]
    assert (
        clone.read(
            lambda u: u.conn.execute(select(func.count()).select_from(SyncIssue)).scalar_one()
        )
        > 0
    )


def test_after_a_server_restore_the_till_pushes_again_what_the_server_lost(
    shop: Shop, server: Server, tmp_path: Path
) -> None:
    link = enroll(server, shop.runner, tmp_path)
    sell(shop)
    link.sync()
    sell(shop)
    link.sync()
    assert server_count(server, Sale) == 2
    # Restore from a backup taken before both pushes: the sales, results and cursor are gone,
    # and the operator marks the new incarnation (`nova admin restored`).
    engine = make_engine(server.db_url)
    with engine.begin() as conn:
        conn.execute(delete(ServerStockMovement))
        conn.execute(text("DELETE FROM sale_payments"))
        conn.execute(text("DELETE FROM sale_taxes"))
        conn.execute(text("DELETE FROM sale_lines"))
        conn.execute(delete(Sale))
        conn.execute(delete(SyncMutation))
        conn.execute(update(SyncReplica).values(applied_seq=0))
    with make_sessionmaker(engine)() as session, session.begin():
        new_epoch(session)  # what `nova admin restored` does
    engine.dispose()
    report = link.sync()
    assert report.epoch_changed
    assert server_count(server, Sale) == 2
    assert shop.counter.pending_changes() == 0


def test_loyalty_points_reach_the_other_till_which_may_redeem_what_the_server_confirmed(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    from desktop.loyalty.ledger import balance, redeemable
    from desktop.till.extras import Extras

    other = second_till(shop, terminal_db, tmp_path)
    a = enroll(server, shop.runner, tmp_path / "a", "A")
    b = enroll(server, other, tmp_path / "b", "B")
    extras = Extras(shop.counter)
    lou = extras.enrol("Loyal Lou", "+49 30 1234567")
    for _ in range(4):
        shop.counter.add(shop.items["CHEESE"], quantity="1")  # type: ignore[arg-type]
        extras.attach(lou)
        shop.counter.pay([TenderRequest("cash", shop.counter.cart().total)], shop.card)
    earned = shop.runner.read(lambda u: balance(u, lou))
    assert earned > 0
    assert shop.runner.read(lambda u: redeemable(u, lou)) == 0  # nothing confirmed yet
    a.sync()
    assert shop.runner.read(lambda u: redeemable(u, lou)) == earned  # confirmed by the server
    b.sync()
    assert other.read(lambda u: balance(u, lou)) == earned  # the customer and entries came over
    assert other.read(lambda u: redeemable(u, lou)) == earned


def test_a_till_clock_two_days_off_or_stepping_back_loses_nothing(
    shop: Shop, server: Server, tmp_path: Path, clock: FakeClock
) -> None:
    link = enroll(server, shop.runner, tmp_path)
    real = clock.now()
    receipts = []
    for offset in (timedelta(days=2), timedelta(days=-2), timedelta(hours=-1), timedelta(0)):
        clock.set(real + offset)  # ahead, behind, then stepping backwards, then right again
        receipts.append(sell(shop))
        link.sync()
    assert len(set(receipts)) == 4
    assert server_count(server, Sale, Sale.receipt_no.in_(receipts)) == 4
    assert shop.counter.pending_changes() == 0


@pytest.mark.allow_warnings  # the mismatch is logged as a warning, as it should be
def test_the_health_check_finds_a_skipped_change_and_repairs_only_that_scope(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    from desktop.sync.health import MISMATCH_COUNTER

    other = second_till(shop, terminal_db, tmp_path)
    a = enroll(server, shop.runner, tmp_path / "a", "A")
    b = enroll(server, other, tmp_path / "b", "B")
    b.sync()
    sell(shop, "LATTE", 3)
    a.sync()
    # A bug (or a lost page) moved B's cursor past A's sale: B never saw those movements.
    engine = make_engine(server.db_url)
    with engine.connect() as conn:
        head = conn.execute(text("SELECT max(last_seq) FROM sync_change_counters")).scalar_one()
    engine.dispose()
    other.run(lambda uow: uow.conn.execute(text(f"UPDATE sync_state SET pull_cursor = {head}")))
    item = str(shop.items["LATTE"])
    level = "SELECT coalesce(sum(qty_milli), 0) FROM stock_movements WHERE item_id = ?"
    assert other.read(lambda u: u.sql.execute(level, (item,)).fetchone()[0]) == 0
    assert b.sync().health is None  # an ordinary round does not look
    engine_b = b.engine()
    try:
        report = engine_b.run_once(health=True)
    finally:
        engine_b.client.close()
    assert report.health is not None
    assert report.health.mismatched == ["stock"]
    assert report.health.repaired == ["stock"]
    assert other.read(lambda u: u.sql.execute(level, (item,)).fetchone()[0]) == -3000
    counted = other.read(
        lambda u: u.sql.execute(
            "SELECT value FROM local_meta WHERE key = ?", (MISMATCH_COUNTER,)
        ).fetchone()[0]
    )
    assert counted == "1"
    again = b.engine()
    try:
        assert again.run_once(health=True).health.mismatched == []  # type: ignore[union-attr]
    finally:
        again.client.close()


@pytest.mark.parametrize("b_syncs_first", [False, True])
def test_a_count_is_not_undone_by_a_sale_from_before_it_that_arrives_late(
    shop: Shop,
    server: Server,
    terminal_db: Path,
    tmp_path: Path,
    clock: FakeClock,
    b_syncs_first: bool,
) -> None:
    """B sells 2 lattes offline; later A counts 10 on the shelf (after that sale). Whatever the
    order the facts reach the server, stock ends at 10 everywhere."""
    from desktop.inventory.counts import count_item, post_count, start_count

    other = second_till(shop, terminal_db, tmp_path)
    a = enroll(server, shop.runner, tmp_path / "a", "A")
    b = enroll(server, other, tmp_path / "b", "B")
    a.sync()
    b.sync()
    latte = shop.items["LATTE"]
    b_counter = Counter(other)
    b_counter.sign_in("1", "1111")
    b_counter.add(latte)  # type: ignore[arg-type]
    b_counter.add(latte)  # type: ignore[arg-type]
    b_counter.pay([TenderRequest("cash", b_counter.cart().total)], shop.card)
    clock.advance(timedelta(minutes=30))
    if b_syncs_first:
        b.sync()  # the server knows the sale, A has not pulled it when it counts

    def count(uow: object) -> None:
        actor = shop.counter.who()
        session = start_count(uow, actor, scope="selection", items=[latte])  # type: ignore[arg-type]
        count_item(uow, actor, session_id=session, item_id=latte, quantity=10, mode="set")  # type: ignore[arg-type]
        post_count(uow, actor, session_id=session)  # type: ignore[arg-type]

    shop.runner.run(count)
    for link in (a, b, a, b):
        link.sync()
    level = "SELECT coalesce(sum(qty_milli), 0) FROM stock_movements WHERE item_id = ?"
    for runner in (shop.runner, other):
        assert runner.read(lambda u: u.sql.execute(level, (str(latte),)).fetchone()[0]) == 10_000
    engine = make_engine(server.db_url)
    with engine.connect() as conn:
        total = conn.execute(
            select(func.sum(ServerStockMovement.qty_milli)).where(
                ServerStockMovement.item_id == latte
            )
        ).scalar_one()
    engine.dispose()
    assert total == 10_000


@pytest.mark.allow_warnings  # the quarantine is logged
def test_a_till_restored_from_an_older_copy_is_quarantined_not_skipped(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    import sqlite3
    from contextlib import closing

    link = enroll(server, shop.runner, tmp_path)
    sell(shop)
    link.sync()
    backup = tmp_path / "older.db"
    with closing(sqlite3.connect(terminal_db)) as src, closing(sqlite3.connect(backup)) as dst:
        src.backup(dst)
    sell(shop)
    link.sync()
    # The till's disk died; it is restored from the older copy and sells again.
    shop.runner.engine.dispose()
    with closing(sqlite3.connect(backup)) as src, closing(sqlite3.connect(terminal_db)) as dst:
        src.backup(dst)
    restored = Runner(make_terminal_engine(terminal_db), shop.runner.clock)
    counter = Counter(restored)
    counter.sign_in("1", "1111")
    counter.add(shop.items["BAGEL"])  # type: ignore[arg-type]
    counter.pay([TenderRequest("cash", counter.cart().total)], shop.card)
    report = Link(restored, link.store, link.transport).sync()
    assert report.quarantined
    assert server_count(server, Sale) == 2  # the two sales before; the new one is quarantined
    assert server_count(server, SyncQuarantine) >= 1
    restored.engine.dispose()


def test_a_revoked_till_hands_its_sales_over_to_quarantine_and_keeps_them(
    shop: Shop, server: Server, tmp_path: Path
) -> None:
    link = enroll(server, shop.runner, tmp_path)
    link.sync()
    sell(shop)
    state = shop.runner.read(load_state)
    assert state is not None
    revoked = server.api.post(f"/v1/devices/{state.device_id}/revoke", headers=server.headers)
    assert revoked.status_code == 200
    waiting = shop.counter.pending_changes()
    report = link.sync()
    assert report.quarantined
    assert server_count(server, Sale) == 0
    assert server_count(server, SyncQuarantine) == waiting  # every record handed over
    assert shop.counter.pending_changes() == waiting  # and still here: not synced, not lost


def test_business_settings_saved_on_the_server_print_on_the_till(
    shop: Shop, server: Server, tmp_path: Path
) -> None:
    from desktop.printing.receipt import receipt_for, text_lines

    link = enroll(server, shop.runner, tmp_path)
    receipt = sell(shop)
    settings = {
        "receipt_name": "Juliet's Café",
        "address_lines": ["1 Market Street"],
        "tax_id": "DE123456789",
        "receipt_footer": "See you soon",
    }
    saved = server.api.put("/v1/business/settings", headers=server.headers, json=settings)
    assert saved.status_code == 200, saved.text
    link.sync()

    def printed(uow: object) -> list[str]:
        sql = uow.sql  # type: ignore[attr-defined]
        (ticket,) = sql.execute(
            "SELECT id FROM tickets WHERE receipt_no = ?", (receipt,)
        ).fetchone()
        return text_lines(receipt_for(uow, uuid.UUID(ticket), "Mia"), 32)  # type: ignore[arg-type]

    lines = shop.runner.read(printed)
    assert [line.strip() for line in lines[:3]] == [
        "Juliet's Café",
        "1 Market Street",
        "Tax ID DE123456789",
    ]
    assert lines[-1].strip() == "See you soon"

    # The logo uploaded on the server prints above the receipt on a printer that prints images.
    logo = server.api.put(
        "/v1/business/logo", headers=server.headers, content=logo_upload(600, 300)
    )
    assert logo.status_code == 200, logo.text
    link.sync()

    def paper(uow: object) -> str:
        from desktop.hardware.paper import Paper
        from desktop.hardware.sim_printer import render_text
        from desktop.printing.receipt import render

        sql = uow.sql  # type: ignore[attr-defined]
        (ticket,) = sql.execute(
            "SELECT id FROM tickets WHERE receipt_no = ?", (receipt,)
        ).fetchone()
        doc = receipt_for(uow, uuid.UUID(ticket), "Mia")  # type: ignore[arg-type]
        return render_text(render(doc, Paper.of(58, logo=True)))

    assert shop.runner.read(paper).startswith("[image 320x160]")  # 2:1, fitted to 160 dots
    assert server.api.delete("/v1/business/logo", headers=server.headers).status_code == 204
    link.sync()
    assert not shop.runner.read(paper).startswith("[image")


def logo_upload(width: int, height: int) -> bytes:
    """A colour PNG with a transparent border, as an owner would upload."""
    import io

    from PIL import Image

    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (10, 10, width - 10, height - 10))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
