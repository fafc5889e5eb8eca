"""Hardening of push: no poison record blocks a till, no sale is parked as a "duplicate" of
another till's receipt number, the server re-checks what tills push (both backends alike)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from shared.catalog_sync import EDIT_KIND
from shared.ids import uuid7
from syncserver.mail import MemoryMailSender
from syncserver.models import Sale, SalePayment, ServerStockMovement, SyncMutation
from tests.syncserver.identity.conftest import rows
from tests.syncserver.sync.conftest import Shop, Till, item_edit, open_shop, sale

pytestmark = pytest.mark.usefixtures("db_url")


def count(db_url: str, model: Any, *where: Any) -> int:
    stmt = select(func.count()).select_from(model).where(*where)
    return int(rows(db_url, stmt)[0][0])


def inbox(shop: Shop) -> list[dict[str, Any]]:
    r = shop.api.get("/v1/sync/inbox", headers=shop.headers)
    assert r.status_code == 200, r.text
    return list(r.json())


def poisoned(kind: str) -> dict[str, Any]:
    """A sale carrying one value the database could not hold (each seen blocking a queue)."""
    bad = sale(receipt="T1-BAD")
    if kind == "huge_amount":
        bad["gross_minor"] = 2**63
    elif kind == "huge_quantity":
        bad["lines"][0]["quantity"] = str(2**63)
    elif kind == "long_receipt":
        bad["receipt_no"] = "R" * 33
    elif kind == "long_currency":
        bad["currency"] = "EURO"
    elif kind == "nul":
        bad["lines"][0]["name"] = "Caf\x00e"
    elif kind == "huge_tender":
        bad["tenders"][0]["amount_minor"] = -(2**64)
    elif kind == "float_points":
        bad["loyalty"] = [{"id": str(uuid7()), "customer_id": str(uuid7()), "kind": "earn",
                           "points": 1.5, "at": bad["closed_at"]}]  # fmt: skip
    return bad


POISONS = ["huge_amount", "huge_quantity", "long_receipt", "long_currency", "nul", "huge_tender",
           "float_points"]  # fmt: skip


TILLS: dict[Any, Till] = {}  # one till per business across a property's examples


class TestPoisonRecords:
    @pytest.mark.parametrize("poison", POISONS)
    def test_one_bad_value_is_rejected_alone_and_the_queue_moves_on(
        self, shop: Shop, db_url: str, poison: str
    ) -> None:
        till = shop.enroll()
        batch = [
            till.mutation("ticket.finalized", sale(receipt="T1-1")),
            till.mutation("ticket.finalized", poisoned(poison)),
            till.mutation("ticket.finalized", sale(receipt="T1-2")),
        ]
        r = till.push_raw(batch)
        assert r.status_code == 200, r.text
        body = r.json()
        assert [x["status"] for x in body["results"]] == ["applied", "rejected", "applied"]
        assert body["results"][1]["detail"].startswith("invalid:")
        assert body["applied_seq"] == 3  # the till's queue moves past it
        assert count(db_url, Sale) == 2
        (item,) = [i for i in inbox(shop) if i["status"] == "rejected"]
        assert item["seq"] == 2
        assert item["detail"] == body["results"][1]["detail"]

    def test_a_value_the_database_refuses_is_that_mutations_result_not_a_500(
        self, shop: Shop, db_url: str
    ) -> None:
        # An unknown kind carries no shape: only the generic walk guards it (and it is rejected
        # as unknown anyway); a known kind with a NUL deep inside an extra field is rejected.
        till = shop.enroll()
        odd = sale(receipt="T1-1")
        odd["note"] = {"deep": ["fine", "not\x00fine"]}
        assert till.push([till.mutation("ticket.finalized", odd)]) == ["rejected"]
        assert count(db_url, Sale) == 0

    @settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        size=st.integers(min_value=1, max_value=12),
        data=st.data(),
    )
    def test_a_random_batch_with_one_bad_mutation_drains(
        self, shop: Shop, db_url: str, size: int, data: Any
    ) -> None:
        till = TILLS.get(shop.tenant) or TILLS.setdefault(shop.tenant, shop.enroll())
        applied_before = count(db_url, Sale, Sale.replica_id == till.replica_id)
        run = uuid7().hex[-6:]  # receipt numbers of this example
        where = data.draw(st.integers(min_value=0, max_value=size - 1), label="bad at")
        poison = data.draw(st.sampled_from(POISONS), label="poison")
        batch = []
        for i in range(size):
            payload = poisoned(poison) if i == where else sale(receipt=f"T1-{run}-{i}")
            batch.append(till.mutation("ticket.finalized", payload))
        statuses = till.push(batch)
        expected = ["applied"] * size
        expected[where] = "rejected"
        assert statuses == expected
        assert count(db_url, Sale, Sale.replica_id == till.replica_id) == applied_before + size - 1
        # The next push starts after the batch: nothing is left to resend.
        assert till.push([till.mutation("shift.closed", {})]) == ["applied"]


class TestReceiptNumbers:
    def test_two_tills_printing_the_same_number_both_keep_their_sales(
        self, shop: Shop, db_url: str
    ) -> None:
        a, b = shop.enroll("A"), shop.enroll("B")
        item = a.add_item()
        first, second = sale(receipt="T01-000001", item=item), sale(receipt="T01-000001", item=item)
        assert a.push([a.mutation("ticket.finalized", first)]) == ["applied"]
        assert b.push([b.mutation("ticket.finalized", second)]) == ["needs_review"]
        assert count(db_url, Sale, Sale.receipt_no == "T01-000001") == 2
        assert count(db_url, SalePayment) == 2
        assert count(db_url, ServerStockMovement, ServerStockMovement.item_id == item) == 2
        (warning,) = [i for i in inbox(shop) if i["status"] == "needs_review"]
        assert "also printed by another till" in warning["detail"]

    def test_a_till_reusing_its_own_number_is_kept_for_review_and_accepting_applies_nothing_twice(
        self, shop: Shop, db_url: str
    ) -> None:
        till = shop.enroll()
        one = sale(receipt="T1-7")
        again = {**one}  # the same ticket id recorded under a second outbox number
        assert till.push([till.mutation("ticket.finalized", one)]) == ["applied"]
        assert till.push([till.mutation("ticket.finalized", again)]) == ["needs_review"]
        (held,) = [i for i in inbox(shop) if i["status"] == "needs_review"]
        assert held["detail"].startswith("duplicate")
        url = f"/v1/sync/inbox/{held['id']}/resolve"
        r = shop.api.post(url, headers=shop.headers, json={"resolution": "accept"})
        assert r.status_code == 200, r.text
        assert count(db_url, Sale) == 1


class TestHeldFacts:
    def test_a_movement_at_an_unknown_location_is_held_and_applied_once_it_exists(
        self, shop: Shop, db_url: str
    ) -> None:
        till = shop.enroll()
        item = till.add_item()
        transfer = {
            "movements": [str(uuid7()), str(uuid7())], "item_id": str(item), "qty_milli": 2000,
            "at": sale(receipt="x")["closed_at"], "from": till.handshake()["location_code"],
            "to": "ANNEX",
        }  # fmt: skip
        assert till.push([till.mutation("inventory.transferred", transfer)]) == ["needs_review"]
        assert count(db_url, ServerStockMovement) == 0  # held: no effects
        (held,) = [i for i in inbox(shop) if i["status"] == "needs_review"]
        assert "ANNEX" in held["detail"]
        url = f"/v1/sync/inbox/{held['id']}/resolve"
        refused = shop.api.post(url, headers=shop.headers, json={"resolution": "accept"})
        assert refused.status_code == 409  # the location still does not exist: nothing changes
        assert count(db_url, ServerStockMovement) == 0
        opened = shop.api.post(
            "/v1/locations", headers=shop.headers, json={"code": "ANNEX", "name": "Annex"}
        )
        assert opened.status_code == 201, opened.text
        r = shop.api.post(url, headers=shop.headers, json={"resolution": "accept"})
        assert r.status_code == 200, r.text
        assert count(db_url, ServerStockMovement) == 2
        again = shop.api.post(url, headers=shop.headers, json={"resolution": "accept"})
        assert again.status_code == 409  # decided once
        assert count(db_url, ServerStockMovement) == 2

    def test_a_sale_naming_an_item_not_on_record_waits_for_it(
        self, shop: Shop, db_url: str
    ) -> None:
        a, b = shop.enroll("A"), shop.enroll("B")
        item = uuid7()
        assert a.push([a.mutation("ticket.finalized", sale(receipt="A-1", item=item))]) == [
            "deferred"
        ]
        assert count(db_url, Sale) == 0
        assert b.push([b.mutation(EDIT_KIND, item_edit(item))]) == ["applied"]
        assert count(db_url, Sale) == 1  # released in the push that brought the item
        stored = select(SyncMutation.status).where(
            SyncMutation.replica_id == a.replica_id, SyncMutation.seq == 1
        )
        assert rows(db_url, stored)[0].status == "applied"


class TestTenants:
    def test_the_same_ids_in_two_businesses_never_collide(
        self, shop: Shop, api: TestClient, mailer: MemoryMailSender, db_url: str
    ) -> None:
        other = open_shop(api, mailer, db_url, "Tango")
        ours, theirs = shop.enroll(), other.enroll()
        payload = sale(receipt="T1-1")
        assert ours.push([ours.mutation("ticket.finalized", payload)]) == ["applied"]
        assert theirs.push([theirs.mutation("ticket.finalized", payload)]) == ["applied"]
        assert count(db_url, Sale) == 2

    def test_a_cashier_of_another_business_is_rejected_without_saying_why(
        self, shop: Shop, api: TestClient, mailer: MemoryMailSender, db_url: str
    ) -> None:
        other = open_shop(api, mailer, db_url, "Uniform")
        stranger = other.hire("4321")
        till = shop.enroll()
        payload = sale(receipt="T1-1")
        payload["cashier_id"] = stranger["id"]
        r = till.push_raw([till.mutation("ticket.finalized", payload)]).json()
        (result,) = r["results"]
        assert result["status"] == "rejected"
        assert "another" not in result["detail"]
        assert "business" not in result["detail"]


class TestRecheck:
    @pytest.mark.parametrize(
        ("tamper", "figure"),
        [
            ({"tax_minor": -500}, "tax is negative: -500"),
            ({"net_minor": 900}, "net 900 + tax 190 = 1090, the ticket says gross 1190"),
            ({"gross_minor": 2000}, "lines add up to 1190, the ticket says 2000"),
        ],
    )
    def test_a_sale_that_does_not_add_up_is_kept_and_shows_both_figures(
        self, shop: Shop, db_url: str, tamper: dict[str, int], figure: str
    ) -> None:
        till = shop.enroll()
        payload = {**sale(receipt="T1-1"), **tamper}
        payload["tenders"][0]["amount_minor"] = payload["gross_minor"]
        assert till.push([till.mutation("ticket.finalized", payload)]) == ["needs_review"]
        assert count(db_url, Sale) == 1  # kept as the till recorded it, never "fixed"
        (item,) = inbox(shop)
        assert figure in item["detail"]

    def test_a_line_priced_wrong_for_its_unit_and_quantity_is_recomputed_with_the_tills_rates(
        self, shop: Shop, db_url: str
    ) -> None:
        till = shop.enroll()
        payload = sale(receipt="T1-1")
        payload["pricing"] = {"inclusive": True, "rounding": "half_up", "tax_rounding": "per_line"}
        line = payload["lines"][0]
        line.update(quantity="2", unit_price_minor=595, discount_minor=0)  # 2 × 5.95 = 11.90
        assert till.push([till.mutation("ticket.finalized", payload)]) == ["applied"]

        wrong = sale(receipt="T1-2")
        wrong["pricing"] = payload["pricing"]
        wrong["lines"][0].update(quantity="3", unit_price_minor=595, discount_minor=0)
        assert till.push([till.mutation("ticket.finalized", wrong)]) == ["needs_review"]
        (item,) = inbox(shop)
        assert "line 1: gross 1190, but 595 × 3 − discount 0 gives 1785" in item["detail"]
        assert count(db_url, Sale) == 2


def hello(till: Till, code: str) -> Any:
    body = {"replica_id": str(till.replica_id), "protocol_version": 1, "app_version": "test",
            "last_pushed_seq": till.seq, "terminal_code": code}  # fmt: skip
    return till.api.post("/v1/sync/handshake", headers=till.headers, json=body)


class TestTerminalCodes:
    def test_a_code_another_active_till_holds_is_refused_at_handshake(self, shop: Shop) -> None:
        a, b = shop.enroll("Front"), shop.enroll("Back")
        assert hello(a, "T01").status_code == 200
        refused = hello(b, "t01")
        assert refused.status_code == 409
        error = refused.json()["error"]
        assert error["details"] == {"reason": "terminal_code", "terminal_code": "T01"}
        assert "'Front'" in error["message"]
        assert hello(a, "T01").status_code == 200  # the holder keeps it
        assert hello(b, "T02").status_code == 200

    def test_a_revoked_tills_code_is_free_again(self, shop: Shop) -> None:
        a, b = shop.enroll("Old"), shop.enroll("New")
        assert hello(a, "T05").status_code == 200
        r = shop.api.post(f"/v1/devices/{a.device_id}/revoke", headers=shop.headers)
        assert r.status_code == 200, r.text
        assert hello(b, "T05").status_code == 200
