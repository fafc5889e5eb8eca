"""The catalog between tills and the server: edits travel, fields merge by clock, real conflicts
reach the inbox, a new till bootstraps (docs/sync-protocol.md, "Catalog")."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop.catalog.modifiers import attach_modifier_group, create_modifier_group
from desktop.catalog.service import (
    change_price,
    create_category,
    create_item,
    get_item,
    lookup_barcode,
    set_available,
    set_category,
    set_location_override,
    set_tile,
)
from desktop.db.uow import UnitOfWork
from desktop.sync import engine as sync_engine
from desktop.sync.engine import load_state
from desktop.till.counter import Counter
from desktop.till.runner import Runner
from shared.clock import FakeClock
from shared.money import Money
from tests.desktop.conftest import Shop
from tests.desktop.sync.conftest import Server, enroll, two_tills


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def manager(runner: Runner) -> Counter:
    counter = Counter(runner)
    counter.sign_in("1", "1111")
    return counter


def price(runner: Runner, item: object) -> Money:
    return runner.read(lambda u: get_item(u, item).price)  # type: ignore[arg-type]


def catalog_rows(runner: Runner) -> dict[str, Any]:
    """Everything a till shows of its catalog, comparable across tills."""

    def read(uow: UnitOfWork) -> dict[str, Any]:
        sql = uow.sql
        return {
            "items": sql.execute(
                "SELECT id, sku, name, category_id, price_minor, currency, tax_class, "
                "track_stock, active, available FROM items ORDER BY id"
            ).fetchall(),
            "barcodes": sql.execute("SELECT code, item_id FROM barcodes ORDER BY code").fetchall(),
            "categories": sql.execute("SELECT * FROM categories ORDER BY id").fetchall(),
            "rates": sql.execute("SELECT * FROM tax_rates ORDER BY tax_class, code").fetchall(),
            "groups": sql.execute("SELECT * FROM modifier_groups ORDER BY id").fetchall(),
            "modifiers": sql.execute("SELECT * FROM modifiers ORDER BY id").fetchall(),
            "attached": sql.execute("SELECT * FROM item_modifier_groups ORDER BY 1, 2").fetchall(),
            "overrides": sql.execute("SELECT * FROM location_overrides ORDER BY 1, 2").fetchall(),
        }

    return runner.read(read)


def inbox(server: Server) -> list[dict[str, Any]]:
    response = server.api.get("/v1/sync/inbox", headers=server.headers)
    assert response.status_code == 200, response.text
    return [i for i in response.json() if i["status"] == "field_conflict"]


def test_a_new_item_with_everything_reaches_the_other_till_which_can_scan_it(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    other, a, b = two_tills(shop, server, terminal_db, tmp_path)
    me = shop.counter.who()

    def add(uow: UnitOfWork) -> uuid.UUID:
        drinks = create_category(uow, me, name="Drinks", position=1)
        item = create_item(uow, me, sku="FLAT", name="Flat White", price=eur("3.90"),
                           tax_class="STD", barcodes=["4000000000017"])  # fmt: skip
        set_category(uow, me, item_id=item, category_id=drinks)
        milk = create_modifier_group(uow, me, name="Milk", min_choices=0, max_choices=1,
                                     modifiers=[("Oat", eur("0.40"))])  # fmt: skip
        attach_modifier_group(uow, me, item_id=item, group_id=milk)
        set_location_override(uow, me, item_id=item, location_code="MAIN", price=eur("4.50"))
        return item

    item = shop.runner.run(add)
    a.sync()
    report = b.sync()
    assert report.pulled > 0
    found = other.read(lambda u: lookup_barcode(u, "4000000000017"))
    assert (found.id, found.name, found.price) == (item, "Flat White", eur("3.90"))
    assert catalog_rows(other) == catalog_rows(shop.runner)

    shop.runner.run(lambda u: change_price(u, me, item_id=item, price=eur("4.10")))
    shop.runner.run(lambda u: set_tile(u, me, item_id=item, color="teal", position=2))
    a.sync()
    b.sync()
    assert price(other, item) == eur("4.10")
    there = other.read(lambda u: get_item(u, item))
    assert (there.tile_color, there.tile_position) == ("teal", 2)  # the back office's tile too


def test_two_tills_editing_different_fields_of_one_item_keep_both(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    other, a, b = two_tills(shop, server, terminal_db, tmp_path)
    latte = shop.items["LATTE"]
    shop.runner.run(
        lambda u: change_price(u, shop.counter.who(), item_id=latte, price=eur("3.60"))  # type: ignore[arg-type]
    )
    them = manager(other)
    other.run(lambda u: set_available(u, them.who(), item_id=latte, available=False))  # type: ignore[arg-type]
    a.sync()
    b.sync()
    a.sync()
    for till in (shop.runner, other):
        item = till.read(lambda u: get_item(u, latte))  # type: ignore[arg-type]
        assert (item.price, item.available) == (eur("3.60"), False)
    assert inbox(server) == []  # not a conflict: different fields


def test_the_same_field_edited_offline_at_two_tills_converges_and_reaches_the_inbox(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path, clock: FakeClock
) -> None:
    other_clock = FakeClock(clock.now())
    other, a, b = two_tills(shop, server, terminal_db, tmp_path, other_clock)
    latte = shop.items["LATTE"]
    me, them = shop.counter.who(), manager(other).who()
    clock.advance(timedelta(minutes=1))
    shop.runner.run(lambda u: change_price(u, me, item_id=latte, price=eur("3.00")))  # type: ignore[arg-type]
    other_clock.advance(timedelta(minutes=2))  # B's edit is the later one
    other.run(lambda u: change_price(u, them, item_id=latte, price=eur("3.50")))  # type: ignore[arg-type]
    b.sync()
    a.sync()  # A's edit arrives second but is older: B's value stays
    b.sync()
    assert price(shop.runner, latte) == price(other, latte) == eur("3.50")

    (conflict,) = inbox(server)
    details = conflict["payload"]
    assert (details["field"], details["mine"], details["theirs"]) == ("price_minor", 350, 300)
    assert details["choices"] == ["keep_mine", "keep_theirs", "custom"]

    url = f"/v1/sync/inbox/{conflict['id']}/resolve"
    bad = server.api.post(url, headers=server.headers, json={"resolution": "accept"})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "VALIDATION"
    done = server.api.post(url, headers=server.headers, json={"resolution": "keep_theirs"})
    assert done.status_code == 200, done.text
    again = server.api.post(url, headers=server.headers, json={"resolution": "keep_mine"})
    assert again.status_code == 409
    a.sync()
    b.sync()
    assert price(shop.runner, latte) == price(other, latte) == eur("3.00")
    assert inbox(server) == []


def test_an_older_edit_arriving_late_loses_to_a_later_edit_that_kept_the_value(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path, clock: FakeClock
) -> None:
    """A later edit that sets the value already there still counts as the later edit."""
    other_clock = FakeClock(clock.now())
    other, a, b = two_tills(shop, server, terminal_db, tmp_path, other_clock)
    cheese = shop.items["CHEESE"]
    me, them = shop.counter.who(), manager(other).who()
    other_clock.advance(timedelta(minutes=1))
    other.run(lambda u: set_available(u, them, item_id=cheese, available=False))  # type: ignore[arg-type]
    clock.advance(timedelta(minutes=5))
    shop.runner.run(lambda u: set_available(u, me, item_id=cheese, available=True))  # type: ignore[arg-type]
    a.sync()
    b.sync()  # B's older edit arrives last
    a.sync()
    for till in (shop.runner, other):
        assert till.read(lambda u: get_item(u, cheese)).available is True  # type: ignore[arg-type]
    assert [c["payload"]["field"] for c in inbox(server)] == ["available"]


def test_a_custom_value_settles_a_conflict_everywhere(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    other, a, b = two_tills(shop, server, terminal_db, tmp_path)
    bagel = shop.items["BAGEL"]
    me, them = shop.counter.who(), manager(other).who()
    shop.runner.run(lambda u: change_price(u, me, item_id=bagel, price=eur("2.20")))  # type: ignore[arg-type]
    other.run(lambda u: change_price(u, them, item_id=bagel, price=eur("2.30")))  # type: ignore[arg-type]
    a.sync()
    b.sync()
    (conflict,) = inbox(server)
    url = f"/v1/sync/inbox/{conflict['id']}/resolve"
    missing = server.api.post(url, headers=server.headers, json={"resolution": "custom"})
    assert missing.status_code == 422
    wrong = server.api.post(url, headers=server.headers, json={"resolution": "custom", "value": -1})
    assert wrong.status_code == 422
    done = server.api.post(
        url, headers=server.headers, json={"resolution": "custom", "value": 225, "note": "agreed"}
    )
    assert done.status_code == 200, done.text
    a.sync()
    b.sync()
    assert price(shop.runner, bagel) == price(other, bagel) == eur("2.25")


def test_the_same_sku_and_barcode_created_offline_at_two_tills_stay_unique_everywhere(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    other, a, b = two_tills(shop, server, terminal_db, tmp_path)
    me, them = shop.counter.who(), manager(other).who()
    first = shop.runner.run(
        lambda u: create_item(
            u,
            me,
            sku="MUFFIN",
            name="Muffin",
            price=eur("2.00"),
            tax_class="FOOD",
            barcodes=["2000000000015"],
        )
    )
    second = other.run(
        lambda u: create_item(
            u,
            them,
            sku="MUFFIN",
            name="Blueberry muffin",
            price=eur("2.40"),
            tax_class="FOOD",
            barcodes=["2000000000015", "2000000000022"],
        )
    )
    a.sync()
    b.sync()
    a.sync()
    renamed = f"MUFFIN~{str(second)[-8:]}"
    for till in (shop.runner, other):
        assert till.read(lambda u: get_item(u, first)).sku == "MUFFIN"
        assert till.read(lambda u: get_item(u, second)).sku == renamed
        assert till.read(lambda u: lookup_barcode(u, "2000000000015")).id == first
        assert till.read(lambda u: lookup_barcode(u, "2000000000022")).id == second
    assert catalog_rows(shop.runner) == catalog_rows(other)
    reasons = sorted(c["payload"]["reason"] for c in inbox(server))
    assert reasons == ["duplicate_barcode", "duplicate_sku"]


def test_a_clock_days_ahead_does_not_win_over_later_edits(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path, clock: FakeClock
) -> None:
    now = datetime.now(UTC)
    clock.set(now + timedelta(days=2))  # till A's clock runs two days ahead
    other_clock = FakeClock(now + timedelta(minutes=1))
    other, a, b = two_tills(shop, server, terminal_db, tmp_path, other_clock)
    latte = shop.items["LATTE"]
    me, them = shop.counter.who(), manager(other).who()
    shop.runner.run(lambda u: change_price(u, me, item_id=latte, price=eur("9.99")))  # type: ignore[arg-type]
    a.sync()
    # B edits a minute later in real time, without having seen A's edit: concurrent, and B's
    # real clock is later than the server's stamp for A's edit.
    other.run(lambda u: change_price(u, them, item_id=latte, price=eur("3.45")))  # type: ignore[arg-type]
    b.sync()
    a.sync()
    assert price(shop.runner, latte) == price(other, latte) == eur("3.45")

    clock.set(now - timedelta(hours=1))  # A's clock steps back: its next edit still wins
    shop.runner.run(lambda u: change_price(u, me, item_id=latte, price=eur("3.55")))  # type: ignore[arg-type]
    a.sync()
    b.sync()
    assert price(shop.runner, latte) == price(other, latte) == eur("3.55")


def test_a_new_till_bootstraps_the_catalog_in_pages_and_resumes_after_a_crash(
    shop: Shop, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = enroll(server, shop.runner, tmp_path / "a", "A")
    me = shop.counter.who()

    def many(uow: UnitOfWork) -> None:
        for n in range(120):
            create_item(uow, me, sku=f"SKU{n:03}", name=f"Item {n}", price=eur("1.00"),
                        tax_class="STD", barcodes=[f"99{n:011}"])  # fmt: skip

    shop.runner.run(many)
    a.sync()

    # A brand-new till: an empty database with its own identity.
    from desktop.db.engine import make_terminal_engine
    from desktop.db.migrate import prepare_terminal_db

    path = tmp_path / "new.db"
    prepare_terminal_db(path, tmp_path / "backups")
    fresh = Runner(make_terminal_engine(path), shop.runner.clock)
    link = enroll(server, fresh, tmp_path / "new", "New")

    class Crash(Exception):
        pass

    pages = 0

    def crash_after_two(name: str) -> None:
        nonlocal pages
        if name == "mid_bootstrap":
            pages += 1
            if pages == 2:
                raise Crash  # the second page's transaction never commits

    monkeypatch.setattr(sync_engine, "failpoint", crash_after_two)
    with pytest.raises(Crash):
        link.sync(bootstrap_page=50)
    state = fresh.read(load_state)
    assert state is not None
    assert state.catalog_as_of is None
    assert state.bootstrap_after is not None  # the first page is in, and where to go on
    assert fresh.read(lambda u: u.sql.execute("SELECT count(*) FROM items").fetchone()[0]) == 48

    monkeypatch.setattr(sync_engine, "failpoint", lambda _name: None)
    report = link.sync(bootstrap_page=50)
    assert report.bootstrapped == 2 + 123 - 50  # 2 tax classes + 123 items, 50 in already
    assert catalog_rows(fresh)["items"] == catalog_rows(shop.runner)["items"]
    assert fresh.read(lambda u: lookup_barcode(u, f"99{7:011}")).name == "Item 7"
    # The pull after the snapshot skips catalog changes the snapshot already holds.
    assert report.pulled < 20


def test_a_pulled_value_does_not_overwrite_a_local_edit_that_is_not_pushed_yet(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    other, a, b = two_tills(shop, server, terminal_db, tmp_path)
    latte = shop.items["LATTE"]
    them = manager(other).who()
    other.run(lambda u: change_price(u, them, item_id=latte, price=eur("5.00")))  # type: ignore[arg-type]
    b.sync()

    me = shop.counter.who()
    shop.runner.run(lambda u: change_price(u, me, item_id=latte, price=eur("6.00")))  # type: ignore[arg-type]

    from desktop.sync.inbound import apply_changes
    from shared.sync import Change, ChangeOp

    body = {"fields": {"price_minor": {"value": 500, "stamp": "0000000000001-00000-server"}}}
    change = Change(seq=1, entity="cat.item", entity_id=str(latte), op=ChangeOp.UPSERT, body=body)
    shop.runner.run(lambda u: apply_changes(u, [change], None))
    assert price(shop.runner, latte) == eur("6.00")  # still this till's own unpushed edit
    a.sync()
    b.sync()
    assert price(shop.runner, latte) == price(other, latte)


def test_an_invalid_catalog_edit_is_rejected_and_what_came_before_it_still_travels(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    """A rejected record in a batch is replayed on its own savepoint; rolling that back must not
    drop what the records before it published for the other tills."""
    from desktop.outbox.service import append

    other, a, b = two_tills(shop, server, terminal_db, tmp_path)
    latte = shop.items["LATTE"]
    me = shop.counter.who()
    shop.runner.run(lambda u: change_price(u, me, item_id=latte, price=eur("3.70")))  # type: ignore[arg-type]
    bad = {"entity": "cat.item", "id": "x", "stamp": "nope", "fields": {"price_minor": -5}}
    shop.runner.run(lambda u: append(u, kind="catalog.edited", entity_id=uuid.uuid4(), payload=bad))
    report = a.sync()
    assert report.issues == 1
    assert shop.counter.pending_changes() == 0
    b.sync()
    assert price(other, latte) == eur("3.70")


@pytest.mark.allow_warnings  # the mismatch is logged as a warning, as it should be
def test_the_health_check_finds_a_skipped_catalog_change_and_bootstraps_the_catalog_again(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    from sqlalchemy import text

    from syncserver.db import make_engine

    other, a, b = two_tills(shop, server, terminal_db, tmp_path)
    latte = shop.items["LATTE"]
    shop.runner.run(
        lambda u: change_price(u, shop.counter.who(), item_id=latte, price=eur("4.40"))  # type: ignore[arg-type]
    )
    a.sync()
    # A lost page: B's cursor moved past A's price change.
    engine = make_engine(server.db_url)
    with engine.connect() as conn:
        head = conn.execute(text("SELECT max(last_seq) FROM sync_change_counters")).scalar_one()
    engine.dispose()
    other.run(lambda uow: uow.conn.execute(text(f"UPDATE sync_state SET pull_cursor = {head}")))
    b.sync()
    assert price(other, latte) == eur("3.40")
    checker = b.engine()
    try:
        health = checker.run_once(health=True).health
    finally:
        checker.client.close()
    assert health is not None
    assert (health.mismatched, health.repaired) == (["catalog"], ["catalog"])
    assert price(other, latte) == eur("4.40")
    assert catalog_rows(other) == catalog_rows(shop.runner)


def test_a_shop_that_stops_carrying_an_item_tells_the_server_and_its_other_tills(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    other, a, b = two_tills(shop, server, terminal_db, tmp_path)
    bagel = shop.items["BAGEL"]
    assert isinstance(bagel, uuid.UUID)
    me = shop.counter.who()
    shop.runner.run(
        lambda u: set_location_override(u, me, item_id=bagel, location_code="MAIN", listed=False)
    )
    a.sync()
    r = server.api.get(f"/v1/catalog/items/{bagel}/locations", headers=server.headers)
    assert r.status_code == 200, r.text
    assert {x["location"]: x["listed"] for x in r.json()}["MAIN"] is False
    b.sync()
    assert "Bagel" not in [t.name for t in Counter(other).tiles(None)]
    # A later price edit at the till keeps the shop's assortment as it is.
    later = eur("2.50")
    shop.runner.run(
        lambda u: set_location_override(u, me, item_id=bagel, location_code="MAIN", price=later)
    )
    a.sync()
    b.sync()
    r = server.api.get(f"/v1/catalog/items/{bagel}/locations", headers=server.headers)
    assert {x["location"]: (x["price"], x["listed"]) for x in r.json()}["MAIN"] == ("2.50", False)
