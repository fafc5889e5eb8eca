"""Device enrollment: one-time codes, credentials bound to tenant and location, rotate, revoke."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from syncserver.db import make_engine
from syncserver.mail import MemoryMailSender
from syncserver.models import Device, EnrollmentCode, Location
from tests.syncserver.identity.conftest import onboard, rows


@pytest.fixture
def shop(api: TestClient, mailer: MemoryMailSender, db_url: str) -> dict[str, Any]:
    tenant, headers = onboard(api, mailer, "Gamma")
    (location,) = rows(db_url, select(Location.id).where(Location.tenant_id == tenant))
    return {"tenant": tenant, "h": headers, "location": str(location.id)}


def enroll_new(api: TestClient, shop: dict[str, Any], name: str = "Till 1") -> dict[str, Any]:
    code = api.post(
        "/v1/devices/enrollment-codes", headers=shop["h"], json={"location_id": shop["location"]}
    ).json()["code"]
    r = api.post("/v1/devices/enroll", json={"code": code, "name": name})
    assert r.status_code == 201, r.text
    return {"code": code, **r.json()}


def device_auth(cred: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Device {cred['device']['id']}:{cred['secret']}"}


class TestEnrollment:
    def test_code_becomes_a_credential_bound_to_tenant_and_location(
        self, api: TestClient, shop: dict[str, Any], db_url: str
    ) -> None:
        cred = enroll_new(api, shop)
        assert cred["tenant_id"] == str(shop["tenant"])
        assert cred["device"]["location_id"] == shop["location"]
        me = api.get("/v1/device/me", headers=device_auth(cred))
        assert (me.status_code, me.json()["name"]) == (200, "Till 1")
        (stored,) = rows(db_url, select(Device.secret_hash))
        assert cred["secret"] not in stored.secret_hash
        assert [d["name"] for d in api.get("/v1/devices", headers=shop["h"]).json()] == ["Till 1"]

    def test_a_code_works_once_and_typing_mistakes_in_case_and_dashes_are_forgiven(
        self, api: TestClient, shop: dict[str, Any]
    ) -> None:
        code = api.post(
            "/v1/devices/enrollment-codes",
            headers=shop["h"],
            json={"location_id": shop["location"]},
        ).json()["code"]
        typed = code.replace("-", " ").lower()
        assert api.post("/v1/devices/enroll", json={"code": typed, "name": "A"}).status_code == 201
        reused = api.post("/v1/devices/enroll", json={"code": code, "name": "B"})
        assert (reused.status_code, reused.json()["error"]["code"]) == (401, "AUTHN")

    def test_expired_code_is_refused(
        self, api: TestClient, shop: dict[str, Any], db_url: str
    ) -> None:
        code = api.post(
            "/v1/devices/enrollment-codes",
            headers=shop["h"],
            json={"location_id": shop["location"], "ttl_minutes": 5},
        ).json()["code"]
        engine = make_engine(db_url)
        with engine.begin() as conn:
            conn.execute(update(EnrollmentCode).values(expires_at=datetime(2020, 1, 1, tzinfo=UTC)))
        engine.dispose()
        assert (
            api.post("/v1/devices/enroll", json={"code": code, "name": "Late"}).status_code == 401
        )

    def test_code_for_a_location_of_another_tenant_is_not_found(
        self, api: TestClient, shop: dict[str, Any], mailer: MemoryMailSender
    ) -> None:
        _, other = onboard(api, mailer, "Delta")
        r = api.post(
            "/v1/devices/enrollment-codes", headers=other, json={"location_id": shop["location"]}
        )
        assert r.status_code == 404


class TestCredentials:
    def test_rotation_replaces_the_secret(self, api: TestClient, shop: dict[str, Any]) -> None:
        cred = enroll_new(api, shop)
        rotated = api.post(f"/v1/devices/{cred['device']['id']}/rotate", headers=shop["h"]).json()
        assert api.get("/v1/device/me", headers=device_auth(cred)).status_code == 401
        assert api.get("/v1/device/me", headers=device_auth(rotated)).status_code == 200

    def test_revoked_device_is_refused(self, api: TestClient, shop: dict[str, Any]) -> None:
        cred = enroll_new(api, shop)
        r = api.post(f"/v1/devices/{cred['device']['id']}/revoke", headers=shop["h"])
        assert r.json()["status"] == "revoked"
        refused = api.get("/v1/device/me", headers=device_auth(cred))
        assert refused.status_code == 401
        assert "revoked" in refused.json()["error"]["message"]

    @pytest.mark.parametrize(
        "header",
        ["", "Bearer abc", "Device nonsense", "Device 0197aaaa-0000-7000-8000-000000000000:x"],
    )
    def test_malformed_or_unknown_credentials(self, api: TestClient, header: str) -> None:
        r = api.get("/v1/device/me", headers={"Authorization": header} if header else {})
        assert (r.status_code, r.json()["error"]["code"]) == (401, "AUTHN")

    def test_another_tenant_cannot_touch_the_device(
        self, api: TestClient, shop: dict[str, Any], mailer: MemoryMailSender
    ) -> None:
        cred = enroll_new(api, shop)
        _, other = onboard(api, mailer, "Epsilon")
        for action in ("rotate", "revoke"):
            r = api.post(f"/v1/devices/{cred['device']['id']}/{action}", headers=other)
            assert r.status_code == 404
        assert api.get("/v1/device/me", headers=device_auth(cred)).status_code == 200
