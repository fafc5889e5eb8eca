"""An item's price, availability and listing at one location, set on the server: only that
location's tills take it; null goes back to the item's own; who may; bad input."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from shared.catalog_sync import EDIT_KIND
from shared.clock import HlcStamp
from tests.syncserver.config.conftest import demote_owner_to_cashier, enroll, error, latest
from tests.syncserver.sync.conftest import Shop

ITEMS = "/v1/catalog/items"


def tea(shop: Shop) -> str:
    assert shop.api.post("/v1/tax/presets/DE/apply", headers=shop.headers).status_code == 200
    body = {"sku": "TEA", "name": "Tea", "price": "2.40", "tax_class": "STD"}
    r = shop.api.post(ITEMS, headers=shop.headers, json=body)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def put(shop: Shop, item: str, location: str, body: dict[str, Any]) -> Any:
    return shop.api.put(f"{ITEMS}/{item}/locations/{location}", headers=shop.headers, json=body)


def main_code(shop: Shop) -> str:
    return str(shop.api.get("/v1/locations", headers=shop.headers).json()[0]["code"])


class TestItemAtLocation:
    def test_a_price_and_availability_for_one_location_reach_its_tills(self, shop: Shop) -> None:
        item, here = tea(shop), main_code(shop)
        till, _ = enroll(shop)
        _, cursor = till.pull_all()
        r = put(shop, item, here, {"price": "2.10", "available": False})
        assert r.status_code == 200, r.text
        assert r.json() == {"location": here, "price": "2.10", "available": False,
                            "listed": None, "currency": "EUR"}  # fmt: skip
        changes, cursor = till.pull_all(cursor)
        doc = latest(changes, "cat.item_location", f"{item}@{here}")
        assert doc is not None
        fields = doc["body"]["fields"]
        assert (fields["price_minor"]["value"], fields["available"]["value"]) == (210, False)
        again = put(shop, item, here, {"price": "2.10", "available": False})
        assert again.status_code == 200
        changes, _ = till.pull_all(cursor)
        assert latest(changes, "cat.item_location", f"{item}@{here}") is None  # nothing new
        r = put(shop, item, here, {"price": "2.10", "available": False, "listed": False})
        assert r.json()["listed"] is False
        changes, _ = till.pull_all(cursor)
        doc = latest(changes, "cat.item_location", f"{item}@{here}")
        assert doc is not None
        assert doc["body"]["fields"]["listed"]["value"] is False  # the shop does not carry it

    @pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
    def test_a_till_sets_values_at_its_own_location_only(self, shop: Shop) -> None:
        item, here = tea(shop), main_code(shop)
        till, _ = enroll(shop)
        stamp = HlcStamp(int(datetime.now(UTC).timestamp() * 1000), 0, "till").encode()

        def edit(place: str) -> dict[str, Any]:
            fields = {"price_minor": 199, "available": None}
            body = {"entity": "cat.item_location", "id": f"{item}@{place}", "stamp": stamp,
                    "fields": fields, "base": dict.fromkeys(fields)}  # fmt: skip
            return till.mutation(EDIT_KIND, body)

        assert till.push([edit("ELSEWHERE")]) == ["rejected"]  # another shop's price: no
        assert till.push([edit(here)]) == ["applied"]
        held = shop.api.get(f"{ITEMS}/{item}/locations", headers=shop.headers).json()
        assert {(p["location"], p["price"]) for p in held} == {(here, "1.99")}

    def test_every_location_is_listed_side_by_side(self, shop: Shop) -> None:
        item, here = tea(shop), main_code(shop)
        shop.api.post("/v1/locations", headers=shop.headers, json={"code": "B", "name": "B"})
        put(shop, item, "b", {"price": "2.90"})
        r = shop.api.get(f"{ITEMS}/{item}/locations", headers=shop.headers)
        assert r.status_code == 200, r.text
        rows = {x["location"]: (x["price"], x["available"], x["listed"]) for x in r.json()}
        assert rows == {here: (None, None, None), "B": ("2.90", None, None)}
        put(shop, item, "B", {"price": None})
        rows = {x["location"]: x["price"] for x in
                shop.api.get(f"{ITEMS}/{item}/locations", headers=shop.headers).json()}  # fmt: skip
        assert rows["B"] is None  # the item's own price again

    def test_bad_input_is_refused_and_writes_nothing(self, shop: Shop) -> None:
        item, here = tea(shop), main_code(shop)
        assert put(shop, item, here, {"price": "1,20"}).status_code == 422
        assert put(shop, item, here, {"price": "2.105"}).status_code == 422  # EUR has 2 decimals
        assert put(shop, item, here, {"listed": "nope"}).status_code == 422
        r = put(shop, item, "NOWHERE", {"price": "2.00"})
        assert r.status_code == 404
        assert error(r)["details"]["field"] == "location"
        missing = "01900000-0000-7000-8000-0000000000ff"
        assert put(shop, missing, here, {"price": "2.00"}).status_code == 404
        rows = shop.api.get(f"{ITEMS}/{item}/locations", headers=shop.headers).json()
        assert [x["price"] for x in rows] == [None]

    def test_a_cashier_is_refused(self, shop: Shop) -> None:
        item, here = tea(shop), main_code(shop)
        demote_owner_to_cashier(shop)
        r = put(shop, item, here, {"price": "2.00"})
        assert r.status_code == 403
        assert error(r)["code"] == "AUTHZ"
