"""Enrollment brings a terminal code and the location; till names are unique per business."""

from __future__ import annotations

from tests.syncserver.config.conftest import enroll, error
from tests.syncserver.sync.conftest import Shop


class TestTerminalCodes:
    def test_each_till_gets_the_lowest_free_code_and_its_location(self, shop: Shop) -> None:
        _, first = enroll(shop, "Front")
        _, second = enroll(shop, "Back")
        assert (first["terminal_code"], second["terminal_code"]) == ("T01", "T02")
        assert first["device"]["terminal_code"] == "T01"
        assert first["location"]["id"] == shop.location
        assert first["location"]["code"] == "MAIN"
        assert set(first["location"]) == {"id", "code", "name"}
        assert first["tenant_id"] == str(shop.tenant)
        listed = {d["name"]: d["terminal_code"] for d in shop.api.get(
            "/v1/devices", headers=shop.headers).json()}  # fmt: skip
        assert listed == {"Front": "T01", "Back": "T02"}

    def test_a_revoked_tills_code_and_name_are_free_again(self, shop: Shop) -> None:
        front, _ = enroll(shop, "Front")
        enroll(shop, "Back")
        r = shop.api.post(f"/v1/devices/{front.device_id}/revoke", headers=shop.headers)
        assert r.status_code == 200, r.text
        _, again = enroll(shop, "Front")
        assert again["terminal_code"] == "T01"

    def test_a_code_claimed_at_handshake_is_not_given_again(self, shop: Shop) -> None:
        till, _ = enroll(shop, "Front")  # T01
        body = {"replica_id": str(till.replica_id), "protocol_version": 1, "app_version": "t",
                "last_pushed_seq": 0, "terminal_code": "T02"}  # fmt: skip
        assert (
            shop.api.post("/v1/sync/handshake", headers=till.headers, json=body).status_code == 200
        )
        _, second = enroll(shop, "Back")
        assert second["terminal_code"] == "T03"


class TestTillNames:
    def test_a_taken_name_is_refused_and_the_code_still_works(self, shop: Shop) -> None:
        enroll(shop, "Front")
        code = shop.code()
        refused = shop.api.post("/v1/devices/enroll", json={"code": code, "name": " front "})
        assert refused.status_code == 409
        assert error(refused)["code"] == "CONFLICT"
        assert error(refused)["details"] == {"field": "name", "reason": "name_taken"}
        assert "Front" in error(refused)["message"]
        retried = shop.api.post("/v1/devices/enroll", json={"code": code, "name": "Side"})
        assert retried.status_code == 201, retried.text
        assert retried.json()["terminal_code"] == "T02"  # the refused attempt took no code
        used = shop.api.post("/v1/devices/enroll", json={"code": code, "name": "Other"})
        assert used.status_code == 401
