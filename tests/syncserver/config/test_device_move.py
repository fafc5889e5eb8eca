"""`PATCH /v1/devices/{id}`: a till moves to another location of the business — with
`devices.manage` at both, in the same currency, audited — and the till reads its new location's
document at its next pull."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from syncserver.mail import MemoryMailSender
from tests.syncserver.config.conftest import enroll, error
from tests.syncserver.identity.conftest import login
from tests.syncserver.sync.conftest import Shop, open_shop

LEAD_PASSWORD = "tills-move-2026"


def place(shop: Shop, code: str, currency: str | None = None) -> str:
    body = {"code": code, "name": f"Shop {code}", "address_lines": [], "timezone": None,
            "currency": currency}  # fmt: skip
    r = shop.api.post("/v1/locations", headers=shop.headers, json=body)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def move(shop: Shop, device: str, location: str, headers: dict[str, str] | None = None) -> Any:
    return shop.api.patch(f"/v1/devices/{device}", headers=headers or shop.headers,
                          json={"location_id": location})  # fmt: skip


def test_a_till_moves_is_audited_and_pulls_its_new_locations_document(shop: Shop) -> None:
    till, answer = enroll(shop, "Front")
    device = answer["device"]["id"]
    airport = place(shop, "AIR")
    cursor = till.pull_all()[1]  # read past everything, the new shop's creation too
    r = move(shop, device, airport)
    assert r.status_code == 200, r.text
    assert (r.json()["location_id"], r.json()["name"]) == (airport, "Front")
    hello = till.handshake()
    assert (hello["location_id"], hello["location_code"]) == (airport, "AIR")
    changes, _ = till.pull_all(cursor)
    docs = [c["body"] for c in changes if c["entity"] == "location"]
    assert [d["code"] for d in docs] == ["AIR"]  # its new shop's, not the old one's
    events = shop.api.get("/v1/audit-events", headers=shop.headers,
                          params={"action": "device.moved"}).json()["items"]  # fmt: skip
    assert len(events) == 1
    assert events[0]["target"] == f"device:{device}"
    assert move(shop, device, airport).status_code == 200  # the same again changes nothing
    again = shop.api.get("/v1/audit-events", headers=shop.headers,
                         params={"action": "device.moved"}).json()["items"]  # fmt: skip
    assert len(again) == 1


def test_moves_that_cannot_be_are_refused_with_the_reason(
    shop: Shop, api: TestClient, mailer: MemoryMailSender, db_url: str
) -> None:
    _, answer = enroll(shop, "Front")
    device = answer["device"]["id"]
    london = place(shop, "LDN", currency="GBP")
    r = move(shop, device, london)
    assert r.status_code == 409
    assert error(r)["details"]["field"] == "location_id"
    assert "GBP" in error(r)["message"]
    r = move(shop, device, "0190f5b0-0000-7000-8000-000000000000")
    assert r.status_code == 404
    assert error(r)["details"]["field"] == "location_id"
    other = open_shop(api, mailer, db_url, "Uniform")
    assert move(other, device, other.location).status_code == 404  # not their till
    assert move(shop, device, other.location).status_code == 404  # not our location
    shop.api.post(f"/v1/devices/{device}/revoke", headers=shop.headers)
    r = move(shop, device, place(shop, "AIR"))
    assert r.status_code == 409
    assert error(r)["details"]["reason"] == "revoked"


def test_a_shop_lead_cannot_move_a_till_to_a_shop_they_do_not_manage(shop: Shop) -> None:
    lead_role = {"name": "Shop lead", "permissions": ["devices.manage"]}
    role = shop.api.post("/v1/roles", headers=shop.headers, json=lead_role).json()
    lead = {"name": "Lead", "code": "77", "pin": "2468", "email": "lead@tango.example",
            "password": LEAD_PASSWORD,
            "roles": [{"role_id": role["id"], "location_id": shop.location}]}  # fmt: skip
    hired = shop.api.post("/v1/staff", headers=shop.headers, json=lead)
    assert hired.status_code == 201, hired.text
    token = login(shop.api, "lead@tango.example", LEAD_PASSWORD)["token"]
    headers = {"Authorization": f"Bearer {token}"}
    _, answer = enroll(shop, "Front")
    airport = place(shop, "AIR")
    r = move(shop, answer["device"]["id"], airport, headers)
    assert r.status_code == 403
    listed = shop.api.get("/v1/devices", headers=shop.headers).json()
    assert [d["location_id"] for d in listed] == [shop.location]  # nothing moved
