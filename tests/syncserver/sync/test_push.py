"""Push: every mutation applied exactly once, in order, with a stored result per (replica, seq);
resends answered from the store, cloned databases and revoked tills quarantined, never dropped."""

from __future__ import annotations

import gzip
import json

import pytest
from sqlalchemy import func, select

from syncserver.db import make_engine
from syncserver.mail import MemoryMailSender
from syncserver.models import (
    ChangeLogEntry,
    Location,
    Sale,
    ServerLoyaltyEntry,
    ServerStockMovement,
    SyncMutation,
    SyncQuarantine,
)
from tests.syncserver.identity.conftest import onboard, rows
from tests.syncserver.sync.conftest import Shop, loyalty_entry, refund, sale

pytestmark = pytest.mark.usefixtures("db_url")


def count(db_url: str, model: object) -> int:
    return int(rows(db_url, select(func.count()).select_from(model))[0][0])  # type: ignore[arg-type]


class TestExactlyOnce:
    def test_a_resent_batch_gets_the_stored_results_and_changes_nothing(
        self, shop: Shop, db_url: str
    ) -> None:
        office = shop.enroll("Back office")
        item, customer = office.add_item(), office.add_customer()
        till = shop.enroll()
        batch = [
            till.mutation("ticket.finalized", sale(receipt="T1-1", item=item, customer=customer)),
            till.mutation("ticket.finalized", sale(receipt="T1-2", item=item)),
        ]
        assert till.push(batch) == ["applied", "applied"]
        # The response was lost: the till sends the same batch again, and then the next one.
        again = till.push_raw(batch).json()
        assert [r["status"] for r in again["results"]] == ["applied", "applied"]
        assert {r["detail"] for r in again["results"]} == {"resent"}
        assert again["applied_seq"] == 2
        assert till.push([*batch, till.mutation("shift.closed", {})]) == ["applied"] * 3
        assert count(db_url, Sale) == 2
        assert count(db_url, ServerStockMovement) == 2
        assert count(db_url, ServerLoyaltyEntry) == 1
        assert count(db_url, SyncMutation) == 3 + 2  # and the item and customer

    def test_a_shifts_cash_moves_are_kept_not_refused(self, shop: Shop) -> None:
        till = shop.enroll()
        moves = [
            till.mutation(f"cash.{kind}", {"amount_minor": 500, "reason": "safe"})
            for kind in ("paid_in", "paid_out", "drop", "no_sale")
        ]
        assert till.push(moves) == ["applied"] * 4

    def test_a_gap_is_refused_and_tells_where_to_resume(self, shop: Shop) -> None:
        till = shop.enroll()
        till.push([till.mutation("shift.opened", {})])
        till.seq += 1  # seq 2 never sent
        r = till.push_raw([till.mutation("shift.closed", {})])
        assert r.status_code == 409
        assert r.json()["error"]["details"] == {"reason": "gap", "applied_seq": 1}

    def test_a_bad_mutation_never_blocks_the_queue(self, shop: Shop, db_url: str) -> None:
        till = shop.enroll()
        broken = sale(receipt="T1-1")
        del broken["closed_at"]
        statuses = till.push(
            [
                till.mutation("ticket.finalized", broken),
                till.mutation("teleport.started", {}),
                till.mutation("ticket.finalized", sale(receipt="T1-2")),
            ]
        )
        assert statuses == ["rejected", "rejected", "applied"]
        assert count(db_url, Sale) == 1  # the broken one left nothing behind
        (stored,) = rows(
            db_url, select(SyncMutation.payload).where(SyncMutation.kind == "teleport.started")
        )
        assert stored.payload == "{}"  # kept for a person to look at

    def test_the_same_sale_id_from_another_record_is_a_duplicate_for_review(
        self, shop: Shop, db_url: str
    ) -> None:
        till = shop.enroll()
        once = sale(receipt="T1-1")
        assert till.push([till.mutation("ticket.finalized", once)]) == ["applied"]
        twice = {**once, "closed_at": once["closed_at"]}
        assert till.push([till.mutation("ticket.finalized", twice)]) == ["needs_review"]
        assert count(db_url, Sale) == 1

    def test_a_gzip_body_is_accepted_and_a_broken_one_refused(self, shop: Shop) -> None:
        till = shop.enroll()
        body = {
            "replica_id": str(till.replica_id),
            "epoch": till.epoch,
            "mutations": [till.mutation("ticket.finalized", sale(receipt="T1-1"))],
        }
        headers = {**till.headers, "Content-Encoding": "gzip"}
        headers["Content-Type"] = "application/json"
        packed = gzip.compress(json.dumps(body).encode())
        r = shop.api.post("/v1/sync/push", headers=headers, content=packed)
        assert r.status_code == 200, r.text
        assert r.json()["results"][0]["status"] == "applied"
        bad = shop.api.post("/v1/sync/push", headers=headers, content=b"not gzip at all")
        assert (bad.status_code, bad.json()["error"]["code"]) == (422, "VALIDATION")


class TestConflicts:
    def test_a_refund_waits_for_its_sale_from_another_till(self, shop: Shop, db_url: str) -> None:
        a, b = shop.enroll("A"), shop.enroll("B")
        original = sale(receipt="A-1", gross=1000)
        # B refunded A's sale (the customer came back) before A came online.
        back = b.mutation("ticket.refunded", refund(original, receipt="B-R1", gross=400))
        assert b.push([back]) == ["deferred"]
        assert count(db_url, Sale) == 0
        assert a.push([a.mutation("ticket.finalized", original)]) == ["applied"]
        assert count(db_url, Sale) == 2
        assert b.push([back]) == ["applied"]  # the stored result moved on

    def test_refunds_beyond_the_sale_are_kept_and_reviewed(self, shop: Shop, db_url: str) -> None:
        a, b = shop.enroll("A"), shop.enroll("B")
        original = sale(receipt="A-1", gross=1000)
        a.push([a.mutation("ticket.finalized", original)])
        assert a.push([a.mutation("ticket.refunded", refund(original, receipt="A-R1", gross=800))])
        # Offline, B refunded the same sale again: the cash left the drawer, so it is recorded.
        late = b.mutation("ticket.refunded", refund(original, receipt="B-R1", gross=800))
        assert b.push([late]) == ["needs_review"]
        assert count(db_url, Sale) == 3

    def test_an_offline_double_redemption_is_an_overdraft_for_review(self, shop: Shop) -> None:
        a, b = shop.enroll("A"), shop.enroll("B")
        customer = a.add_customer()
        a.push([a.mutation("loyalty.adjusted", loyalty_entry(customer, 100, "adjust"))])
        spend_a = sale(receipt="A-1")
        spend_a["loyalty"] = [loyalty_entry(customer, -80, "redeem")]
        spend_b = sale(receipt="B-1")
        spend_b["loyalty"] = [loyalty_entry(customer, -80, "redeem")]
        assert a.push([a.mutation("ticket.finalized", spend_a)]) == ["applied"]
        assert b.push([b.mutation("ticket.finalized", spend_b)]) == ["needs_review"]

    def test_adjusting_an_overdraft_credits_the_balance_back_to_zero_once(
        self, shop: Shop, db_url: str
    ) -> None:
        a, b = shop.enroll("A"), shop.enroll("B")
        customer = a.add_customer()
        a.push([a.mutation("loyalty.adjusted", loyalty_entry(customer, 100, "adjust"))])
        for till, receipt in ((a, "A-1"), (b, "B-1")):
            spend = sale(receipt=receipt)
            spend["loyalty"] = [loyalty_entry(customer, -80, "redeem")]
            till.push([till.mutation("ticket.finalized", spend)])
        (item,) = shop.api.get("/v1/sync/inbox", headers=shop.headers).json()
        assert item["detail"].startswith("overdraft")
        url = f"/v1/sync/inbox/{item['id']}/resolve"
        done = shop.api.post(url, headers=shop.headers, json={"resolution": "adjusted"}).json()
        assert [(e["kind"], e["points"]) for e in done["entries"]] == [("adjust", 60)]
        engine = make_engine(db_url)
        with engine.connect() as conn:
            total = conn.execute(
                select(func.sum(ServerLoyaltyEntry.points)).where(
                    ServerLoyaltyEntry.customer_id == customer
                )
            ).scalar_one()
            published = conn.execute(
                select(func.count())
                .select_from(ChangeLogEntry)
                .where(
                    ChangeLogEntry.entity == "loyalty_entry",
                    ChangeLogEntry.entity_id == done["entries"][0]["id"],
                )
            ).scalar_one()
        engine.dispose()
        assert (total, published) == (0, 1)  # back to zero, and every till hears of it
        again = shop.api.post(url, headers=shop.headers, json={"resolution": "adjusted"})
        assert again.status_code == 409


class TestQuarantine:
    @pytest.mark.allow_warnings
    def test_a_cloned_database_is_quarantined_not_merged(self, shop: Shop, db_url: str) -> None:
        till = shop.enroll()
        till.push([till.mutation("ticket.finalized", sale(receipt="T1-1"))])
        # A copy of the file sold something else under the same sequence number.
        till.seq = 0
        clone = [till.mutation("ticket.finalized", sale(receipt="T1-1b"))]
        r = till.push_raw(clone).json()
        assert r["replica_status"] == "quarantined"
        assert [x["status"] for x in r["results"]] == ["quarantined"]
        assert till.push([till.mutation("ticket.finalized", sale(receipt="T1-2b"))]) == [
            "quarantined"
        ]
        assert count(db_url, Sale) == 1
        assert count(db_url, SyncQuarantine) == 2

    def test_a_revoked_till_hands_over_its_sales_into_quarantine(
        self, shop: Shop, db_url: str
    ) -> None:
        till = shop.enroll()
        revoked = shop.api.post(f"/v1/devices/{till.device_id}/revoke", headers=shop.headers)
        assert revoked.status_code == 200
        assert till.push([till.mutation("ticket.finalized", sale(receipt="T1-1"))]) == [
            "quarantined"
        ]
        assert count(db_url, SyncQuarantine) == 1
        refused = shop.api.get(
            "/v1/sync/pull", headers=till.headers, params={"replica_id": str(till.replica_id)}
        )
        assert refused.status_code == 401

    def test_a_replica_of_another_business_is_refused(
        self, shop: Shop, mailer: MemoryMailSender, db_url: str
    ) -> None:
        mine = shop.enroll()
        mine.push([mine.mutation("shift.opened", {})])
        tenant, headers = onboard(shop.api, mailer, "Tango")
        (loc,) = rows(db_url, select(Location.id).where(Location.tenant_id == tenant))
        other = Shop(shop.api, tenant, headers, str(loc.id), {}).enroll()
        other.replica_id, other.seq = mine.replica_id, 1
        r = shop.api.post(
            "/v1/sync/handshake",
            headers=other.headers,
            json={
                "replica_id": str(mine.replica_id),
                "protocol_version": 1,
                "app_version": "x",
                "last_pushed_seq": 0,
            },
        )
        assert (r.status_code, r.json()["error"]["code"]) == (403, "AUTHZ")
        assert other.push_raw([other.mutation("shift.closed", {})]).status_code == 403


class TestInbox:
    def test_review_items_are_listed_resolved_once_and_scoped(
        self, shop: Shop, mailer: MemoryMailSender
    ) -> None:
        a, b = shop.enroll("A"), shop.enroll("B")
        original = sale(receipt="A-1", gross=1000)
        a.push([a.mutation("ticket.finalized", original)])
        a.push([a.mutation("ticket.refunded", refund(original, receipt="A-R1", gross=800))])
        b.push([b.mutation("ticket.refunded", refund(original, receipt="B-R1", gross=800))])
        items = shop.api.get("/v1/sync/inbox", headers=shop.headers).json()
        (item,) = items
        assert item["status"] == "needs_review"
        assert item["kind"] == "ticket.refunded"
        assert "exceed" in item["detail"]
        assert item["payload"]["receipt_no"] == "B-R1"
        metrics = shop.api.get("/metrics").text
        assert 'nova_sync_conflicts_open{status="needs_review"} 1.0' in metrics
        wrong = shop.api.post(
            f"/v1/sync/inbox/{item['id']}/resolve", headers=shop.headers,
            json={"resolution": "dismiss"},
        )  # fmt: skip
        assert wrong.status_code == 422
        _, other = onboard(shop.api, mailer, "Uniform")
        foreign = shop.api.post(
            f"/v1/sync/inbox/{item['id']}/resolve", headers=other, json={"resolution": "accept"}
        )
        assert foreign.status_code == 404
        done = shop.api.post(
            f"/v1/sync/inbox/{item['id']}/resolve", headers=shop.headers,
            json={"resolution": "accept", "note": "cash was given twice; Ana repaid"},
        )  # fmt: skip
        assert done.status_code == 200, done.text
        again = shop.api.post(
            f"/v1/sync/inbox/{item['id']}/resolve", headers=shop.headers,
            json={"resolution": "accept"},
        )  # fmt: skip
        assert again.status_code == 409
        assert shop.api.get("/v1/sync/inbox", headers=shop.headers).json() == []
        events = shop.api.get(
            "/v1/audit-events", headers=shop.headers, params={"action": "sync.resolved"}
        ).json()["items"]
        assert len(events) == 1
        # Who decided what, and when, stays readable after the item left the inbox.
        (decided,) = shop.api.get("/v1/sync/inbox/resolved", headers=shop.headers).json()
        assert (decided["id"], decided["kind"], decided["resolution"]) == (
            item["id"], "ticket.refunded", "accept")  # fmt: skip
        assert decided["note"] == "cash was given twice; Ana repaid"
        assert decided["by"]  # the owner's name
        assert shop.api.get("/v1/sync/inbox/resolved", headers=other).json() == []
