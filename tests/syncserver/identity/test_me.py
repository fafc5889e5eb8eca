"""`GET /v1/me` and staff with an e-mail sign-in (the till's back office reads both)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.permissions import ALL_PERMISSIONS, DEFAULT_ROLES
from syncserver.mail import MemoryMailSender
from tests.syncserver.identity.conftest import admin_headers, login
from tests.syncserver.sync.conftest import Shop, open_shop

PASSWORD = "counter-pass-77"


@pytest.fixture
def shop(api: TestClient, mailer: MemoryMailSender, db_url: str) -> Shop:
    return open_shop(api, mailer, db_url, "Sierra")


def hire_with_email(shop: Shop, code: str, role: str, email: str) -> Any:
    body = {"name": f"Person {code}", "code": code, "pin": "2468", "email": email,
            "password": PASSWORD, "roles": [{"role_id": shop.roles[role]}]}  # fmt: skip
    return shop.api.post("/v1/staff", headers=shop.headers, json=body)


class TestMe:
    def test_the_owner_holds_every_permission_everywhere(self, shop: Shop) -> None:
        me = shop.api.get("/v1/me", headers=shop.headers).json()
        assert set(me["permissions"]) == ALL_PERMISSIONS
        assert me["tenant_id"] == str(shop.tenant)
        assert (me["currency"], me["country"], me["timezone"]) == ("EUR", "DE", "Europe/Berlin")
        assert me["business_name"] == "Sierra Shop"
        assert me["location_permissions"] == {}

    def test_a_location_grant_shows_under_its_location(self, shop: Shop) -> None:
        grant = {"role_id": shop.roles["manager"], "location_id": shop.location}
        body = {"name": "Local boss", "code": "71", "pin": "2468", "email": "boss@sierra.example",
                "password": PASSWORD, "roles": [grant]}  # fmt: skip
        assert shop.api.post("/v1/staff", headers=shop.headers, json=body).status_code == 201
        token = login(shop.api, "boss@sierra.example", PASSWORD)["token"]
        me = shop.api.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
        assert me["permissions"] == []
        assert set(me["location_permissions"][shop.location]) == DEFAULT_ROLES["manager"]

    def test_signed_out_is_refused(self, api: TestClient) -> None:
        r = api.get("/v1/me")
        assert r.status_code == 401
        assert r.json()["error"]["code"] == "AUTHN"

    def test_a_superadmin_is_not_a_shop_member(self, api: TestClient) -> None:
        r = api.get("/v1/me", headers=admin_headers(api))
        assert r.status_code == 403


class TestStaffWithEmail:
    def test_a_cashier_with_an_email_signs_in_and_holds_only_counter_rights(
        self, shop: Shop
    ) -> None:
        r = hire_with_email(shop, "42", "cashier", "mia@sierra.example")
        assert r.status_code == 201, r.text
        assert r.json()["email"] == "mia@sierra.example"
        token = login(shop.api, "mia@sierra.example", PASSWORD)["token"]
        me = shop.api.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
        assert set(me["permissions"]) == DEFAULT_ROLES["cashier"]

    def test_an_email_in_use_is_a_conflict_naming_the_field(self, shop: Shop) -> None:
        assert hire_with_email(shop, "42", "cashier", "mia@sierra.example").status_code == 201
        r = hire_with_email(shop, "43", "cashier", "mia@sierra.example")
        assert r.status_code == 409
        assert r.json()["error"]["details"] == {"field": "email"}

    def test_a_weak_password_is_refused(self, shop: Shop) -> None:
        body = {"name": "Weak", "code": "44", "pin": "2468", "email": "weak@sierra.example",
                "password": "short", "roles": [{"role_id": shop.roles["cashier"]}]}  # fmt: skip
        r = shop.api.post("/v1/staff", headers=shop.headers, json=body)
        assert r.status_code == 422
        assert "password" in r.json()["error"]["message"]

    def test_an_email_without_a_password_is_refused(self, shop: Shop) -> None:
        body = {"name": "Half", "code": "45", "pin": "2468", "email": "half@sierra.example",
                "roles": [{"role_id": shop.roles["cashier"]}]}  # fmt: skip
        assert shop.api.post("/v1/staff", headers=shop.headers, json=body).status_code == 422

    def test_staff_without_an_email_still_cannot_sign_in_by_password(self, shop: Shop) -> None:
        person = shop.hire("46")
        assert person["email"] is None
