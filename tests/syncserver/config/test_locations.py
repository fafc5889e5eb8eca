"""Locations carry an address and a time zone; their tills receive them as the `location`
document."""

from __future__ import annotations

from typing import Any

from tests.syncserver.config.conftest import demote_owner_to_cashier, enroll, error, latest
from tests.syncserver.sync.conftest import Shop


def audit(shop: Shop, action: str) -> list[dict[str, Any]]:
    r = shop.api.get("/v1/audit-events", headers=shop.headers, params={"action": action})
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


class TestLocationsApi:
    def test_open_with_address_and_time_zone(self, shop: Shop) -> None:
        body = {"code": "north", "name": "North shop", "timezone": "Europe/Berlin",
                "address_lines": ["Hafen 1", " 20457 Hamburg "]}  # fmt: skip
        r = shop.api.post("/v1/locations", headers=shop.headers, json=body)
        assert r.status_code == 201, r.text
        made = r.json()
        assert made["code"] == "NORTH"
        assert made["address_lines"] == ["Hafen 1", "20457 Hamburg"]
        assert made["timezone"] == "Europe/Berlin"
        listed = shop.api.get("/v1/locations", headers=shop.headers).json()
        main = next(loc for loc in listed if loc["code"] == "MAIN")
        assert main["address_lines"] == []
        assert main["timezone"] is None  # the business's

    def test_patch_changes_only_what_is_given_and_is_audited_once(self, shop: Shop) -> None:
        url = f"/v1/locations/{shop.location}"
        r = shop.api.patch(url, headers=shop.headers, json={"address_lines": ["Markt 3"]})
        assert r.status_code == 200, r.text
        assert r.json()["address_lines"] == ["Markt 3"]
        r = shop.api.patch(
            url, headers=shop.headers, json={"timezone": "Europe/Paris", "name": "Main"}
        )
        assert r.json() == {**r.json(), "name": "Main", "timezone": "Europe/Paris",
                            "address_lines": ["Markt 3"]}  # fmt: skip
        again = shop.api.patch(url, headers=shop.headers, json={"timezone": "Europe/Paris"})
        assert again.status_code == 200
        assert len(audit(shop, "location.changed")) == 2  # the repeat changed nothing
        back = shop.api.patch(url, headers=shop.headers, json={"timezone": None})
        assert back.json()["timezone"] is None

    def test_a_bad_time_zone_is_refused(self, shop: Shop) -> None:
        for bad in ("Mars/Olympus", "../etc", "", "localtime", "America", "zone.tab"):
            r = shop.api.patch(
                f"/v1/locations/{shop.location}", headers=shop.headers, json={"timezone": bad}
            )
            assert r.status_code == 422, bad
            assert error(r)["code"] == "VALIDATION"
        r = shop.api.post("/v1/locations", headers=shop.headers,
                          json={"code": "X", "name": "X", "timezone": "Nowhere"})  # fmt: skip
        assert r.status_code == 422

    def test_an_unknown_location_is_not_found(self, shop: Shop) -> None:
        r = shop.api.patch(
            "/v1/locations/0190f0e0-0000-7000-8000-000000000000", headers=shop.headers,
            json={"name": "Ghost"},
        )  # fmt: skip
        assert r.status_code == 404

    def test_a_cashier_is_refused(self, shop: Shop) -> None:
        demote_owner_to_cashier(shop)
        r = shop.api.patch(
            f"/v1/locations/{shop.location}", headers=shop.headers, json={"name": "Mine"}
        )
        assert r.status_code == 403
        assert error(r)["code"] == "AUTHZ"


class TestLocationDocument:
    def test_tills_of_the_location_receive_it_after_each_change(self, shop: Shop) -> None:
        till, _ = enroll(shop, "Front")
        changes, cursor = till.pull_all()
        doc = latest(changes, "location", shop.location)
        assert doc is not None
        assert doc["body"] == {"id": shop.location, "code": "MAIN", "name": doc["body"]["name"],
                               "address_lines": [], "timezone": "Europe/Berlin",
                               "currency": "EUR"}  # fmt: skip
        change = {"address_lines": ["Markt 3"], "timezone": "Europe/Vienna"}
        shop.api.patch(f"/v1/locations/{shop.location}", headers=shop.headers, json=change)
        changes, _ = till.pull_all(cursor)
        doc = latest(changes, "location", shop.location)
        assert doc is not None
        assert doc["body"]["address_lines"] == ["Markt 3"]
        assert doc["body"]["timezone"] == "Europe/Vienna"

    def test_another_locations_document_stays_with_its_own_tills(self, shop: Shop) -> None:
        till, _ = enroll(shop, "Front")
        other = shop.api.post("/v1/locations", headers=shop.headers,
                              json={"code": "B", "name": "Second"}).json()  # fmt: skip
        changes, _ = till.pull_all()
        assert latest(changes, "location", other["id"]) is None
        r = shop.api.post("/v1/devices/enroll",
                          json={"code": shop.code(other["id"]), "name": "B1"})  # fmt: skip
        assert r.status_code == 201, r.text
        assert r.json()["location"]["code"] == "B"


class TestLocationCurrency:
    """A shop in another country sells in its own currency; items can be priced in it."""

    def open_london(self, shop: Shop) -> dict[str, Any]:
        body = {"code": "LDN", "name": "London", "currency": "gbp", "timezone": "Europe/London"}
        r = shop.api.post("/v1/locations", headers=shop.headers, json=body)
        assert r.status_code == 201, r.text
        return dict(r.json())

    def test_a_location_opens_in_its_own_currency_and_its_tills_get_it(self, shop: Shop) -> None:
        london = self.open_london(shop)
        assert london["currency"] == "GBP"
        r = shop.api.post("/v1/devices/enroll",
                          json={"code": shop.code(london["id"]), "name": "L1"})  # fmt: skip
        assert r.status_code == 201, r.text
        main = next(x for x in shop.api.get("/v1/locations", headers=shop.headers).json()
                    if x["code"] == "MAIN")  # fmt: skip
        assert main["currency"] is None  # the business's

    def test_a_bad_currency_is_refused(self, shop: Shop) -> None:
        body = {"code": "X", "name": "X", "currency": "EURO"}
        r = shop.api.post("/v1/locations", headers=shop.headers, json=body)
        assert r.status_code == 422
        body = {"code": "X", "name": "X", "currency": "ZZZ"}
        r = shop.api.post("/v1/locations", headers=shop.headers, json=body)
        assert r.status_code == 422
        assert error(r)["code"] == "VALIDATION"

    def test_the_currency_is_fixed_once_a_till_is_enrolled(self, shop: Shop) -> None:
        url = f"/v1/locations/{shop.location}"
        r = shop.api.patch(url, headers=shop.headers, json={"currency": "CHF"})
        assert r.status_code == 200, r.text  # no till yet
        assert r.json()["currency"] == "CHF"
        till, _ = enroll(shop, "Front")
        changes, _ = till.pull_all()
        doc = latest(changes, "location", shop.location)
        assert doc is not None
        assert doc["body"]["currency"] == "CHF"
        r = shop.api.patch(url, headers=shop.headers, json={"currency": "EUR"})
        assert r.status_code == 409
        assert error(r)["details"]["field"] == "currency"
        r = shop.api.patch(url, headers=shop.headers, json={"name": "Still fine"})
        assert r.status_code == 200, r.text

    def test_items_are_priced_in_a_currency_a_location_sells_in(self, shop: Shop) -> None:
        assert shop.api.post("/v1/tax/presets/GB/apply", headers=shop.headers).status_code == 200
        body = {"sku": "TEA", "name": "Tea", "price": "2.40", "tax_class": "STD",
                "currency": "GBP"}  # fmt: skip
        r = shop.api.post("/v1/catalog/items", headers=shop.headers, json=body)
        assert r.status_code == 422
        assert error(r)["details"]["field"] == "currency"
        self.open_london(shop)
        r = shop.api.post("/v1/catalog/items", headers=shop.headers, json=body)
        assert r.status_code == 201, r.text
        assert (r.json()["currency"], r.json()["price"]) == ("GBP", "2.40")
