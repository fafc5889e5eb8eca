"""A manager moves a till to another location of the business: what it sold before it heard
of the move stays at the old location (sales and stock), everything after is at the new one,
and the till takes the new location's name, address and stock (docs/sync-protocol.md, "A till
moves")."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop.sales.config import load
from desktop.sync.engine import SyncEngine
from desktop.sync.setup import build_engine
from desktop.sync.status import SyncStatus
from desktop.sync.till_config import location
from desktop.sync.worker import SyncWorker
from syncserver.db import make_engine
from syncserver.models import ServerStockMovement
from tests.desktop.conftest import Shop
from tests.desktop.sync.conftest import Server, enroll
from tests.desktop.sync.test_sync_round import sell


def new_location(server: Server, code: str, name: str) -> dict[str, Any]:
    body = {"code": code, "name": name, "address_lines": ["1 Gate Road"], "timezone": None}
    r = server.api.post("/v1/locations", headers=server.headers, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def sales_at(server: Server) -> dict[str, str]:
    r = server.api.get("/v1/sales", headers=server.headers)
    assert r.status_code == 200, r.text
    return {x["receipt_no"]: x["location"] for x in r.json()}


def stock_places(server: Server) -> set[str]:
    engine = make_engine(server.db_url)
    try:
        with engine.connect() as conn:
            query = select(ServerStockMovement.location_code).distinct()
            return {str(code) for (code,) in conn.execute(query)}
    finally:
        engine.dispose()


def test_a_moved_till_books_what_it_sold_before_at_the_old_location_and_after_at_the_new(
    shop: Shop, server: Server, tmp_path: Path
) -> None:
    till = enroll(server, shop.runner, tmp_path / "a", "Front")
    till.sync()
    home = shop.runner.read(load).location_code
    airport = new_location(server, "AIR", "Airport")
    (device,) = server.api.get("/v1/devices", headers=server.headers).json()
    before = sell(shop, "LATTE")  # sold offline, before the till hears of the move

    r = server.api.patch(f"/v1/devices/{device['id']}", headers=server.headers,
                         json={"location_id": airport["id"]})  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["location_id"] == airport["id"]
    report = till.sync()
    assert report.moved_to == "AIR"
    assert shop.runner.read(load).location_code == "AIR"  # it sells there now
    here = shop.runner.read(location)
    assert here is not None
    assert (here.name, here.address_lines) == ("Airport", ("1 Gate Road",))  # its document came
    moved = shop.runner.read(
        lambda u: u.sql.execute("SELECT payload FROM outbox WHERE kind = 'till.moved'").fetchall()
    )
    assert [json.loads(p)["location_id"] for (p,) in moved] == [airport["id"]]

    after = sell(shop, "LATTE")
    till.sync()
    assert sales_at(server) == {before: home, after: "AIR"}
    assert stock_places(server) == {home, "AIR"}  # the first sale's stock left the old shop
    assert till.sync().moved_to is None  # told once


def test_a_till_that_syncs_after_two_moves_lands_at_the_last_one(
    shop: Shop, server: Server, tmp_path: Path
) -> None:
    till = enroll(server, shop.runner, tmp_path / "a", "Front")
    till.sync()
    (device,) = server.api.get("/v1/devices", headers=server.headers).json()
    for place in (new_location(server, "AIR", "Airport"), new_location(server, "MALL", "Mall")):
        r = server.api.patch(f"/v1/devices/{device['id']}", headers=server.headers,
                             json={"location_id": place["id"]})  # fmt: skip
        assert r.status_code == 200, r.text
    assert till.sync().moved_to == "MALL"
    sold = sell(shop, "LATTE")
    till.sync()
    assert sales_at(server)[sold] == "MALL"


def test_the_sync_worker_says_the_move_once_in_its_status(
    shop: Shop, server: Server, tmp_path: Path, terminal_db: Path
) -> None:
    """What the status bar's toast reads: the worker's status of the round that noticed."""
    link = enroll(server, shop.runner, tmp_path / "a", "Front")
    link.sync()
    airport = new_location(server, "AIR", "Airport")
    (device,) = server.api.get("/v1/devices", headers=server.headers).json()
    server.api.patch(f"/v1/devices/{device['id']}", headers=server.headers,
                     json={"location_id": airport["id"]})  # fmt: skip
    seen: list[SyncStatus] = []

    def make(progress: object) -> SyncEngine:
        return build_engine(shop.runner, link.store, transport=server.transport(),
                            progress=progress)  # type: ignore[arg-type]  # fmt: skip

    worker = SyncWorker(terminal_db, shop.runner, make, seen.append, rng=random.Random(1))  # type: ignore[arg-type]
    worker.run_round()
    assert worker.status.moved_to == "AIR"
    assert "location AIR" in (worker.status.moved_text() or "")
    worker.run_round()
    assert worker.status.moved_to is None  # the next round's status does not say it again
    assert [s.moved_to for s in seen if s.moved_to] == ["AIR"]
