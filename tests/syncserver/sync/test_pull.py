"""Pull: server-authored documents (staff with PIN hashes, module switches) and other tills' facts,
from a per-tenant change log whose numbers follow commit order — no change is ever skipped."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest
from sqlalchemy.orm import Session

from shared.sync import ChangeOp
from syncserver.db import make_engine, make_sessionmaker
from syncserver.sync import changes
from syncserver.sync.changes import ChangeDraft, publish
from tests.syncserver.identity.conftest import admin_headers
from tests.syncserver.sync.conftest import Shop, sale


def by_entity(changes_: list[dict[str, Any]], entity: str) -> dict[str, dict[str, Any]]:
    """The latest version of each document of `entity`."""
    return {c["entity_id"]: c for c in changes_ if c["entity"] == entity}


class TestDocuments:
    def test_staff_arrive_with_pin_hashes_and_grants_then_revocations(self, shop: Shop) -> None:
        till = shop.enroll()
        ana = shop.hire("21", pin="4711")
        changes_, cursor = till.pull_all()
        doc = by_entity(changes_, "staff")[ana["id"]]["body"]
        assert doc["code"] == "21"
        assert doc["active"] is True
        assert doc["pin_hash"].startswith("$argon2id$")
        assert "4711" not in str(doc)
        assert "pos.sell" in doc["everywhere"]
        off = shop.api.put(
            f"/v1/staff/{ana['id']}/status", headers=shop.headers, json={"active": False}
        )
        assert off.status_code == 200, off.text
        later, cursor2 = till.pull_all(cursor)
        assert [c["entity_id"] for c in later] == [ana["id"]]  # only what changed
        assert later[0]["body"]["active"] is False
        assert cursor2 > cursor
        assert till.pull(cursor2)["changes"] == []

    def test_module_switches_arrive(self, shop: Shop) -> None:
        till = shop.enroll()
        _, cursor = till.pull_all()
        r = shop.api.put(
            f"/v1/superadmin/tenants/{shop.tenant}/modules/loyalty",
            headers=admin_headers(shop.api),
            json={"enabled": False},
        )
        assert r.status_code == 204, r.text
        later, _ = till.pull_all(cursor)
        (modules,) = [c for c in later if c["entity"] == "modules"]
        assert modules["body"]["loyalty"] is False
        assert modules["body"]["inventory"] is True

    def test_paging_is_bounded_and_complete(self, shop: Shop) -> None:
        till = shop.enroll()
        for code in ("31", "32", "33"):
            shop.hire(code)
        everything, _ = till.pull_all()
        seen, cursor = [], 0
        while True:
            page = till.pull(cursor, limit=2)
            assert len(page["changes"]) <= 2
            seen += page["changes"]
            cursor = page["cursor"]
            if not page["more"]:
                break
        assert [c["seq"] for c in seen] == [c["seq"] for c in everything]


class TestFacts:
    def test_other_tills_stock_reaches_the_location_but_not_the_sender_or_elsewhere(
        self, shop: Shop
    ) -> None:
        a, b = shop.enroll("A"), shop.enroll("B")
        far_location = shop.api.post(
            "/v1/locations", headers=shop.headers, json={"code": "FAR", "name": "Far away"}
        ).json()["id"]
        far = shop.enroll("Far", location=far_location)
        item = a.add_item()
        a.push([a.mutation("ticket.finalized", sale(receipt="A-1", item=item))])
        mine, _ = a.pull_all()
        theirs, _ = b.pull_all()
        elsewhere, _ = far.pull_all()
        assert by_entity(mine, "stock_movement") == {}
        (moved,) = by_entity(theirs, "stock_movement").values()
        assert moved["op"] == "append"
        assert moved["body"]["qty_milli"] == -1000
        assert moved["body"]["item_id"] == str(item)
        assert by_entity(elsewhere, "stock_movement") == {}


@pytest.mark.pg
@pytest.mark.parametrize("empty_db_url", ["pg"], indirect=True)  # SQLite has a single writer
def test_a_reader_never_skips_a_change_that_commits_late(
    shop: Shop, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writers pause between taking their number and committing while a reader pulls in a loop."""
    till = shop.enroll()
    _, start = till.pull_all()
    taken = changes._take_numbers

    def slow_take(session: Session, tenant_id: uuid.UUID, count: int) -> int:
        first = taken(session, tenant_id, count)
        time.sleep(0.002 * (first % 5))  # commit late, by a varying amount
        return first

    monkeypatch.setattr(changes, "_take_numbers", slow_take)
    engine = make_engine(db_url)
    maker = make_sessionmaker(engine)
    writers, per_writer = 6, 15

    def write(n: int) -> None:
        for i in range(per_writer):
            with maker() as session, session.begin():
                publish(
                    session,
                    ChangeDraft(shop.tenant, "probe", f"{n}-{i}", ChangeOp.APPEND, {"n": n}),
                )

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    seen: list[int] = []
    cursor = start
    while True:
        # Asked before the pull: a writer that commits during an empty pull is read next round.
        writers_done = not any(t.is_alive() for t in threads)
        page = till.pull(cursor, limit=7)
        seen += [c["seq"] for c in page["changes"] if c["entity"] == "probe"]
        cursor = page["cursor"]
        if not page["changes"] and writers_done:
            break
    for t in threads:
        t.join()
    engine.dispose()
    assert len(seen) == writers * per_writer
    assert seen == sorted(seen)
    assert len(set(seen)) == len(seen)
    assert seen == list(range(start + 1, start + 1 + writers * per_writer))
