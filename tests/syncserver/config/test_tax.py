"""Tax presets and tax classes: applying a country's preset, editing a class, who may, what
tills pull — and that a finished sale keeps the taxes it was made with."""

from __future__ import annotations

from typing import Any

import pytest

from tests.syncserver.config.conftest import demote_owner_to_cashier, enroll, error, latest
from tests.syncserver.sync.conftest import Shop, sale

CLASSES = "/v1/catalog/tax-classes"


def apply(shop: Shop, country: str, body: dict[str, Any] | None = None) -> Any:
    return shop.api.post(f"/v1/tax/presets/{country}/apply", headers=shop.headers, json=body)


def classes(shop: Shop) -> dict[str, list[dict[str, str]]]:
    r = shop.api.get(CLASSES, headers=shop.headers)
    assert r.status_code == 200, r.text
    return {c["code"]: c["rates"] for c in r.json()}


class TestPresets:
    def test_the_four_countries_are_listed(self, shop: Shop) -> None:
        r = shop.api.get("/v1/tax/presets", headers=shop.headers)
        assert r.status_code == 200
        by_country = {p["country"]: p for p in r.json()}
        assert set(by_country) == {"DE", "FR", "GB", "US"}
        fr = {c["code"]: c["rates"] for c in by_country["FR"]["classes"]}
        assert fr["REDUCED"] == [{"code": "TVA5.5", "percent": "5.5"}]
        assert by_country["GB"]["prices_include_tax"] is True
        assert by_country["US"]["prices_include_tax"] is False

    def test_applying_de_writes_its_classes_once(self, shop: Shop) -> None:
        first = apply(shop, "de")
        assert first.status_code == 200, first.text
        assert first.json()["changed"] is True
        assert classes(shop) == {"STD": [{"code": "VAT19", "percent": "19"}],
                                 "REDUCED": [{"code": "VAT7", "percent": "7"}]}  # fmt: skip
        rules = shop.api.get("/v1/selling-rules", headers=shop.headers).json()
        assert rules["prices_include_tax"] is True
        again = apply(shop, "DE")
        assert again.status_code == 200
        assert again.json()["changed"] is False
        assert again.json()["classes"] == first.json()["classes"]

    def test_us_takes_the_local_rate_and_excludes_tax(self, shop: Shop) -> None:
        missing = apply(shop, "US")
        assert missing.status_code == 422
        assert error(missing)["details"]["field"] == "rate_percent"
        r = apply(shop, "US", {"rate_percent": "8.875"})
        assert r.status_code == 200, r.text
        assert classes(shop) == {"TAX": [{"code": "SALES", "percent": "8.875"}], "EXEMPT": []}
        rules = shop.api.get("/v1/selling-rules", headers=shop.headers).json()
        assert rules["prices_include_tax"] is False

    @pytest.mark.parametrize(("country", "body"), [("XX", None), ("DE", {"rate_percent": "5"}),
                                                   ("US", {"rate_percent": "abc"}),
                                                   ("US", {"rate_percent": "100"})])  # fmt: skip
    def test_bad_requests_are_refused(
        self, shop: Shop, country: str, body: dict[str, Any] | None
    ) -> None:
        r = apply(shop, country, body)
        assert r.status_code == 422, r.text
        assert error(r)["code"] == "VALIDATION"
        assert classes(shop) == {}

    def test_a_cashier_is_refused(self, shop: Shop) -> None:
        demote_owner_to_cashier(shop)
        assert apply(shop, "DE").status_code == 403
        r = shop.api.put(f"{CLASSES}/STD", headers=shop.headers, json={"rates": []})
        assert r.status_code == 403
        assert error(r)["details"]["permission"] == "catalog.edit"


class TestTaxClasses:
    def test_put_creates_and_changes_a_class(self, shop: Shop) -> None:
        body = {"rates": [{"code": "VAT19", "percent": "19.000"}]}
        r = shop.api.put(f"{CLASSES}/STD", headers=shop.headers, json=body)
        assert r.status_code == 200, r.text
        assert r.json() == {
            "code": "STD",
            "rates": [{"code": "VAT19", "percent": "19"}],
            "locations": {},
        }
        two = {"rates": [{"code": "VAT19", "percent": "19"}, {"code": "ECO", "percent": "0.5"}]}
        assert shop.api.put(f"{CLASSES}/STD", headers=shop.headers, json=two).status_code == 200
        assert classes(shop)["STD"][1] == {"code": "ECO", "percent": "0.5"}

    @pytest.mark.parametrize(
        "rates",
        [
            [{"code": "X", "percent": "-1"}],
            [{"code": "X", "percent": "1e3"}],
            [{"code": "X", "percent": "NaN"}],
            [{"code": "X", "percent": "1.23456"}],
            [{"code": "X", "percent": 19}],
            [{"code": "X", "percent": "19"}, {"code": "X", "percent": "7"}],
            [{"code": "", "percent": "19"}],
        ],
    )
    def test_bad_percents_and_codes_are_refused(
        self, shop: Shop, rates: list[dict[str, Any]]
    ) -> None:
        r = shop.api.put(f"{CLASSES}/STD", headers=shop.headers, json={"rates": rates})
        assert r.status_code == 422, r.text
        assert error(r)["code"] == "VALIDATION"

    def test_tills_pull_each_class_change(self, shop: Shop) -> None:
        till, _ = enroll(shop)
        apply(shop, "DE")
        changes, cursor = till.pull_all()
        doc = latest(changes, "cat.tax_class", "STD")
        assert doc is not None
        assert doc["body"]["fields"]["rates"]["value"] == [["VAT19", "19"]]
        body = {"rates": [{"code": "VAT20", "percent": "20"}]}
        shop.api.put(f"{CLASSES}/STD", headers=shop.headers, json=body)
        changes, _ = till.pull_all(cursor)
        doc = latest(changes, "cat.tax_class", "STD")
        assert doc is not None
        assert doc["body"]["fields"]["rates"]["value"] == [["VAT20", "20"]]


class TestFinishedSales:
    def test_a_rate_change_leaves_a_finalized_sales_taxes_alone(self, shop: Shop) -> None:
        apply(shop, "DE")
        seller, _ = enroll(shop, "Front")
        other, _ = enroll(shop, "Back")
        payload = sale(receipt="T01-1")  # 11.90 with 1.90 of VAT19 at 19 %, as the till stored it
        payload["lines"][0]["tax_class"] = "STD"
        assert seller.push([seller.mutation("ticket.finalized", payload)]) == ["applied"]
        _, cursor = other.pull_all()
        body = {"rates": [{"code": "VAT19", "percent": "21"}]}
        assert shop.api.put(f"{CLASSES}/STD", headers=shop.headers, json=body).status_code == 200
        changes, _ = other.pull_all(0)
        sold = latest(changes, "sale", payload["ticket_id"])
        assert sold is not None
        assert sold["body"]["tax_minor"] == 190
        assert sold["body"]["lines"][0]["taxes"] == [["VAT19", "19", 190]]
        later, _ = other.pull_all(cursor)
        assert latest(later, "sale", payload["ticket_id"]) is None  # never sent again
        assert latest(later, "cat.tax_class", "STD") is not None
