"""The catalog API: categories, modifier groups and items written as server catalog edits —
idempotent by client id, SKUs and barcodes unique, references checked — and tills pulling them."""

from __future__ import annotations

from typing import Any

import pytest

from shared.ids import uuid7
from tests.syncserver.config.conftest import demote_owner_to_cashier, enroll, error, latest
from tests.syncserver.sync.conftest import Shop

C = "/v1/catalog"


@pytest.fixture
def menu(shop: Shop) -> dict[str, Any]:
    """DE taxes, a category and a modifier group."""
    assert shop.api.post("/v1/tax/presets/DE/apply", headers=shop.headers).status_code == 200
    drinks = shop.api.post(f"{C}/categories", headers=shop.headers, json={"name": "Drinks"})
    assert drinks.status_code == 201, drinks.text
    milk = shop.api.post(f"{C}/modifier-groups", headers=shop.headers, json={
        "name": "Milk", "min_choices": 0, "max_choices": 1,
        "modifiers": [{"name": "Oat", "price_delta": "0.50"}, {"name": "None"}]})  # fmt: skip
    assert milk.status_code == 201, milk.text
    return {"category": drinks.json(), "group": milk.json()}


def latte(menu: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"sku": "LAT-1", "name": "Latte", "price": "3.40", "tax_class": "STD",
            "category_id": menu["category"]["id"], "barcodes": ["4006381333931"],
            "modifier_group_ids": [menu["group"]["id"]], **extra}  # fmt: skip


class TestItems:
    def test_create_read_list_and_patch(self, shop: Shop, menu: dict[str, Any]) -> None:
        r = shop.api.post(f"{C}/items", headers=shop.headers, json=latte(menu))
        assert r.status_code == 201, r.text
        item = r.json()
        assert item["price"] == "3.40"
        assert item["currency"] == "EUR"
        assert item["modifier_group_ids"] == [menu["group"]["id"]]
        assert (item["active"], item["available"], item["track_stock"]) == (True, True, True)
        assert shop.api.get(f"{C}/items/{item['id']}", headers=shop.headers).json() == item
        assert shop.api.get(f"{C}/items", headers=shop.headers).json() == [item]
        patched = shop.api.patch(f"{C}/items/{item['id']}", headers=shop.headers,
                                 json={"price": "3.6", "category_id": None,
                                       "tile_color": "amber"})  # fmt: skip
        assert patched.status_code == 200, patched.text
        assert patched.json() == {**item, "price": "3.60", "category_id": None,
                                  "tile_color": "amber"}  # fmt: skip

    def test_a_repeated_post_is_the_same_item_and_another_body_is_a_conflict(
        self, shop: Shop, menu: dict[str, Any]
    ) -> None:
        body = latte(menu, id=str(uuid7()))
        first = shop.api.post(f"{C}/items", headers=shop.headers, json=body)
        again = shop.api.post(f"{C}/items", headers=shop.headers, json=body)
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json()
        assert len(shop.api.get(f"{C}/items", headers=shop.headers).json()) == 1
        other = shop.api.post(f"{C}/items", headers=shop.headers, json={**body, "price": "9.99"})
        assert other.status_code == 409
        assert error(other)["details"]["field"] == "id"

    def test_a_taken_sku_or_barcode_is_a_conflict(self, shop: Shop, menu: dict[str, Any]) -> None:
        assert (
            shop.api.post(f"{C}/items", headers=shop.headers, json=latte(menu)).status_code == 201
        )
        same_sku = shop.api.post(f"{C}/items", headers=shop.headers,
                                 json=latte(menu, barcodes=[]))  # fmt: skip
        assert same_sku.status_code == 409
        assert error(same_sku)["details"]["field"] == "sku"
        same_code = shop.api.post(f"{C}/items", headers=shop.headers,
                                  json=latte(menu, sku="LAT-2"))  # fmt: skip
        assert same_code.status_code == 409
        assert error(same_code)["details"]["field"] == "barcodes"
        tea = shop.api.post(f"{C}/items", headers=shop.headers,
                            json=latte(menu, sku="TEA", barcodes=["123"])).json()  # fmt: skip
        taken = shop.api.patch(f"{C}/items/{tea['id']}", headers=shop.headers,
                               json={"sku": "LAT-1"})  # fmt: skip
        assert taken.status_code == 409
        assert error(taken)["details"]["field"] == "sku"

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"tax_class": "NOPE"}, "tax_class"),
            ({"category_id": "01a23b9b-0000-7000-8000-000000000000"}, "category_id"),
            ({"modifier_group_ids": ["01a23b9b-0000-7000-8000-000000000000"]},
             "modifier_group_ids"),
            ({"price": "3.405"}, "price"),
        ],
    )  # fmt: skip
    def test_unknown_references_and_bad_prices_are_refused(
        self, shop: Shop, menu: dict[str, Any], change: dict[str, Any], field: str
    ) -> None:
        r = shop.api.post(f"{C}/items", headers=shop.headers, json=latte(menu, **change))
        assert r.status_code == 422, r.text
        assert error(r)["code"] == "VALIDATION"
        assert error(r)["details"]["field"] == field
        assert shop.api.get(f"{C}/items", headers=shop.headers).json() == []

    @pytest.mark.parametrize("bad", [{"price": "-1"}, {"price": 3.4}, {"tile_color": "pink"},
                                     {"sku": " "}, {"extra": 1}, {"price": "３.40"},
                                     {"unit": "litre"}, {"cost": "-0.10"}])  # fmt: skip
    def test_malformed_bodies_are_refused(
        self, shop: Shop, menu: dict[str, Any], bad: dict[str, Any]
    ) -> None:
        r = shop.api.post(f"{C}/items", headers=shop.headers, json=latte(menu, **bad))
        assert r.status_code == 422, r.text

    def test_an_unknown_item_is_not_found(self, shop: Shop) -> None:
        ghost = f"{C}/items/01a23b9b-0000-7000-8000-000000000000"
        assert shop.api.get(ghost, headers=shop.headers).status_code == 404
        assert shop.api.patch(ghost, headers=shop.headers, json={"name": "X"}).status_code == 404


class TestCategoriesAndGroups:
    def test_groups_keep_modifier_ids_and_convert_prices(
        self, shop: Shop, menu: dict[str, Any]
    ) -> None:
        group = menu["group"]
        assert [m["price_delta"] for m in group["modifiers"]] == ["0.50", "0.00"]
        oat = group["modifiers"][0]["id"]
        r = shop.api.patch(f"{C}/modifier-groups/{group['id']}", headers=shop.headers, json={
            "modifiers": [{"name": "Soy", "price_delta": "0.40"},
                          {"name": "Oat", "price_delta": "0.60"}]})  # fmt: skip
        assert r.status_code == 200, r.text
        soy, oat_again = r.json()["modifiers"]
        assert oat_again == {"id": oat, "name": "Oat", "price_delta": "0.60", "default": False}
        assert soy["id"] != oat
        bad = shop.api.patch(f"{C}/modifier-groups/{group['id']}", headers=shop.headers,
                             json={"min_choices": 3})  # fmt: skip
        assert bad.status_code == 422
        assert error(bad)["details"]["field"] == "min_choices"

    def test_a_repeated_group_post_without_modifier_ids_is_the_same_group(self, shop: Shop) -> None:
        body = {"id": str(uuid7()), "name": "Size", "min_choices": 1, "max_choices": 1,
                "modifiers": [{"name": "Large", "price_delta": "0.80"}]}  # fmt: skip
        first = shop.api.post(f"{C}/modifier-groups", headers=shop.headers, json=body)
        again = shop.api.post(f"{C}/modifier-groups", headers=shop.headers, json=body)
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json()

    def test_categories_are_listed_and_renamed(self, shop: Shop, menu: dict[str, Any]) -> None:
        cat = menu["category"]
        assert cat["position"] == 0
        r = shop.api.patch(f"{C}/categories/{cat['id']}", headers=shop.headers,
                           json={"name": "Hot drinks", "position": 2})  # fmt: skip
        assert r.json() == {"id": cat["id"], "name": "Hot drinks", "position": 2, "color": None}
        assert shop.api.get(f"{C}/categories", headers=shop.headers).json() == [r.json()]


class TestIssue19Fields:
    """Unit and cost of an item, a category's colour, a group's default options."""

    def test_unit_and_cost_are_created_changed_and_cleared(
        self, shop: Shop, menu: dict[str, Any]
    ) -> None:
        plain = shop.api.post(f"{C}/items", headers=shop.headers, json=latte(menu)).json()
        assert (plain["unit"], plain["cost"]) == ("piece", None)
        body = latte(menu, sku="CHEESE", barcodes=[], unit="weighed", cost="7.5", price="12.90")
        r = shop.api.post(f"{C}/items", headers=shop.headers, json=body)
        assert r.status_code == 201, r.text
        cheese = r.json()
        assert (cheese["unit"], cheese["cost"], cheese["price"]) == ("weighed", "7.50", "12.90")
        r = shop.api.patch(f"{C}/items/{cheese['id']}", headers=shop.headers,
                           json={"unit": "piece", "cost": None})  # fmt: skip
        assert r.status_code == 200, r.text
        assert (r.json()["unit"], r.json()["cost"]) == ("piece", None)
        r = shop.api.patch(f"{C}/items/{cheese['id']}", headers=shop.headers,
                           json={"cost": "1.005"})  # fmt: skip
        assert r.status_code == 422
        assert error(r)["details"]["field"] == "cost"

    def test_a_category_has_a_colour_and_a_group_default_options(
        self, shop: Shop, menu: dict[str, Any]
    ) -> None:
        r = shop.api.post(f"{C}/categories", headers=shop.headers,
                          json={"name": "Cakes", "position": 1, "color": "rose"})  # fmt: skip
        assert r.status_code == 201, r.text
        assert r.json()["color"] == "rose"
        cakes = r.json()["id"]
        r = shop.api.patch(f"{C}/categories/{cakes}", headers=shop.headers, json={"name": "Cake"})
        assert r.json()["color"] == "rose"  # untouched when not given
        r = shop.api.patch(f"{C}/categories/{cakes}", headers=shop.headers, json={"color": None})
        assert r.json()["color"] is None
        bad = shop.api.patch(f"{C}/categories/{cakes}", headers=shop.headers,
                             json={"color": "pink"})  # fmt: skip
        assert bad.status_code == 422
        group = menu["group"]
        r = shop.api.patch(f"{C}/modifier-groups/{group['id']}", headers=shop.headers, json={
            "modifiers": [{"name": "Oat", "price_delta": "0.50"},
                          {"name": "None", "default": True}]})  # fmt: skip
        assert r.status_code == 200, r.text
        assert [m["default"] for m in r.json()["modifiers"]] == [False, True]
        both = shop.api.patch(f"{C}/modifier-groups/{group['id']}", headers=shop.headers, json={
            "modifiers": [{"name": "Oat", "default": True},
                          {"name": "None", "default": True}]})  # fmt: skip
        assert both.status_code == 422  # max_choices is 1
        assert error(both)["details"]["field"] == "modifiers"
        held = shop.api.get(f"{C}/modifier-groups", headers=shop.headers).json()
        assert [m["default"] for m in held[0]["modifiers"]] == [False, True]  # nothing written


class TestWhoMay:
    def test_a_cashier_reads_but_cannot_write(self, shop: Shop, menu: dict[str, Any]) -> None:
        shop.api.post(f"{C}/items", headers=shop.headers, json=latte(menu))
        demote_owner_to_cashier(shop)
        assert len(shop.api.get(f"{C}/items", headers=shop.headers).json()) == 1
        assert shop.api.get(f"{C}/categories", headers=shop.headers).status_code == 200
        for url, body in ((f"{C}/items", latte(menu, sku="X", barcodes=[])),
                          (f"{C}/categories", {"name": "X"}),
                          (f"{C}/modifier-groups", {"name": "X"})):  # fmt: skip
            r = shop.api.post(url, headers=shop.headers, json=body)
            assert r.status_code == 403, url
            assert error(r)["details"]["permission"] == "catalog.edit"


class TestTillsReceiveServerEdits:
    def test_each_write_reaches_a_till_through_the_catalog_channel(
        self, shop: Shop, menu: dict[str, Any]
    ) -> None:
        till, _ = enroll(shop)
        changes, cursor = till.pull_all()
        category = latest(changes, "cat.category", menu["category"]["id"])
        assert category is not None
        assert category["body"]["fields"]["name"]["value"] == "Drinks"
        group = latest(changes, "cat.modifier_group", menu["group"]["id"])
        assert group is not None
        modifiers = group["body"]["fields"]["modifiers"]["value"]
        assert modifiers[0] == {"id": menu["group"]["modifiers"][0]["id"], "name": "Oat",
                                "price_delta_minor": 50, "default": False}  # fmt: skip
        item = shop.api.post(f"{C}/items", headers=shop.headers, json=latte(menu)).json()
        changes, cursor = till.pull_all(cursor)
        doc = latest(changes, "cat.item", item["id"])
        assert doc is not None
        fields = {k: v["value"] for k, v in doc["body"]["fields"].items()}
        assert fields["price_minor"] == 340
        assert (fields["unit"], fields["cost_minor"]) == ("piece", None)
        assert fields["tax_class"] == "STD"
        assert fields["modifier_groups"] == [menu["group"]["id"]]
        stamp = doc["body"]["fields"]["price_minor"]["stamp"]
        assert stamp.endswith("server")  # a server stamp: no till's clock
        shop.api.patch(f"{C}/items/{item['id']}", headers=shop.headers, json={"price": "3.90"})
        changes, cursor = till.pull_all(cursor)
        doc = latest(changes, "cat.item", item["id"])
        assert doc is not None
        assert doc["body"]["fields"]["price_minor"]["value"] == 390
        assert doc["body"]["fields"]["price_minor"]["stamp"] > stamp
        shop.api.patch(f"{C}/items/{item['id']}", headers=shop.headers, json={"price": "3.90"})
        changes, _ = till.pull_all(cursor)
        assert latest(changes, "cat.item", item["id"]) is None  # nothing changed, nothing sent
