"""Tax rates per location: a class's rates at one shop (another region), set by hand or from a
country preset, pulled by that shop's tills; the class's own rates and other shops stay."""

from __future__ import annotations

from typing import Any

from tests.syncserver.config.conftest import demote_owner_to_cashier, enroll, error, latest
from tests.syncserver.sync.conftest import Shop

CLASSES = "/v1/catalog/tax-classes"


def first_location(shop: Shop) -> str:
    r = shop.api.get("/v1/locations", headers=shop.headers)
    assert r.status_code == 200, r.text
    return str(r.json()[0]["code"])


def open_location(shop: Shop, code: str) -> None:
    body = {"code": code, "name": f"Shop {code}"}
    r = shop.api.post("/v1/locations", headers=shop.headers, json=body)
    assert r.status_code == 201, r.text


def by_code(shop: Shop) -> dict[str, dict[str, Any]]:
    r = shop.api.get(CLASSES, headers=shop.headers)
    assert r.status_code == 200, r.text
    return {c["code"]: c for c in r.json()}


def apply(shop: Shop, country: str, body: dict[str, Any] | None = None) -> Any:
    return shop.api.post(f"/v1/tax/presets/{country}/apply", headers=shop.headers, json=body)


def at(shop: Shop, code: str, location: str, percent: str = "20") -> Any:
    body = {"rates": [{"code": f"VAT{percent}", "percent": percent}]}
    return shop.api.put(f"{CLASSES}/{code}/locations/{location}", headers=shop.headers, json=body)


class TestLocationRates:
    def test_a_location_gets_its_own_rates_and_the_class_keeps_its_own(self, shop: Shop) -> None:
        apply(shop, "DE")
        open_location(shop, "WIEN")
        r = at(shop, "STD", "WIEN")
        assert r.status_code == 200, r.text
        assert r.json()["rates"] == [{"code": "VAT19", "percent": "19"}]
        assert r.json()["locations"] == {"WIEN": [{"code": "VAT20", "percent": "20"}]}
        assert by_code(shop)["STD"]["locations"] == {"WIEN": [{"code": "VAT20", "percent": "20"}]}
        assert by_code(shop)["REDUCED"]["locations"] == {}

    def test_clearing_goes_back_to_the_class_rates(self, shop: Shop) -> None:
        apply(shop, "DE")
        open_location(shop, "WIEN")
        at(shop, "STD", "WIEN")
        r = shop.api.delete(f"{CLASSES}/STD/locations/WIEN", headers=shop.headers)
        assert r.status_code == 200, r.text
        assert r.json()["locations"] == {}

    def test_the_same_rates_again_publish_nothing(self, shop: Shop) -> None:
        apply(shop, "DE")
        open_location(shop, "WIEN")
        till, _ = enroll(shop)
        at(shop, "STD", "WIEN")
        _, cursor = till.pull_all()
        at(shop, "STD", "WIEN")
        changes, _ = till.pull_all(cursor)
        assert latest(changes, "cat.tax_class_location", "STD@WIEN") is None

    def test_tills_pull_the_location_rates(self, shop: Shop) -> None:
        apply(shop, "DE")
        here = first_location(shop)
        till, _ = enroll(shop)
        _, cursor = till.pull_all()
        at(shop, "STD", here, "7")
        changes, _ = till.pull_all(cursor)
        doc = latest(changes, "cat.tax_class_location", f"STD@{here}")
        assert doc is not None
        assert doc["body"]["fields"]["rates"]["value"] == [["VAT7", "7"]]

    def test_unknown_class_or_location_is_not_found(self, shop: Shop) -> None:
        apply(shop, "DE")
        r = at(shop, "NOPE", first_location(shop))
        assert r.status_code == 404
        assert error(r)["details"]["field"] == "code"
        r = at(shop, "STD", "NOWHERE")
        assert r.status_code == 404
        assert error(r)["details"]["field"] == "location"

    def test_a_cashier_is_refused(self, shop: Shop) -> None:
        apply(shop, "DE")
        here = first_location(shop)
        demote_owner_to_cashier(shop)
        r = at(shop, "STD", here)
        assert r.status_code == 403
        assert error(r)["code"] == "AUTHZ"


class TestLocationPresets:
    def test_a_preset_at_a_location_writes_only_that_locations_rates(self, shop: Shop) -> None:
        apply(shop, "DE")
        open_location(shop, "PARIS")
        r = apply(shop, "FR", {"location": "PARIS"})
        assert r.status_code == 200, r.text
        assert r.json()["changed"] is True
        classes = by_code(shop)
        assert classes["STD"]["rates"] == [{"code": "VAT19", "percent": "19"}]
        assert classes["STD"]["locations"]["PARIS"] == [{"code": "TVA20", "percent": "20"}]
        again = apply(shop, "FR", {"location": "PARIS"})
        assert again.json()["changed"] is False

    def test_a_preset_that_disagrees_on_tax_inclusion_is_refused(self, shop: Shop) -> None:
        apply(shop, "DE")
        open_location(shop, "NYC")
        r = apply(shop, "US", {"location": "NYC", "rate_percent": "8.875"})
        assert r.status_code == 422
        assert error(r)["details"]["field"] == "country"
        assert by_code(shop)["STD"]["locations"] == {}
