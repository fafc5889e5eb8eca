"""Superadmins suspend, reactivate and close businesses, and read every tenant's audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from syncserver.mail import MemoryMailSender
from syncserver.models import Location
from tests.syncserver.identity.conftest import OWNER, admin_headers, login, onboard, rows


@pytest.fixture
def echo(api: TestClient, mailer: MemoryMailSender, db_url: str) -> dict[str, Any]:
    tenant, owner = onboard(api, mailer, "Echo")
    (location,) = rows(db_url, select(Location.id).where(Location.tenant_id == tenant))
    return {
        "tenant": str(tenant),
        "owner": owner,
        "admin": admin_headers(api),
        "location": str(location.id),
    }


def set_status(api: TestClient, shop: dict[str, Any], status: str, reason: str = "unpaid") -> Any:
    return api.put(
        f"/v1/superadmin/tenants/{shop['tenant']}/status",
        headers=shop["admin"],
        json={"status": status, "reason": reason},
    )


def enroll(api: TestClient, shop: dict[str, Any]) -> dict[str, str]:
    code = api.post(
        "/v1/devices/enrollment-codes",
        headers=shop["owner"],
        json={"location_id": shop["location"]},
    ).json()["code"]
    cred = api.post("/v1/devices/enroll", json={"code": code, "name": "Till"}).json()
    return {"Authorization": f"Device {cred['device']['id']}:{cred['secret']}"}


class TestTenantStatus:
    def test_suspend_refuses_people_and_devices_and_reactivate_restores_them(
        self, api: TestClient, echo: dict[str, Any]
    ) -> None:
        device = enroll(api, echo)
        assert api.get("/v1/device/me", headers=device).status_code == 200

        r = set_status(api, echo, "suspended")
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "suspended"

        refused = api.get("/v1/roles", headers=echo["owner"])
        assert refused.status_code == 403
        assert "suspended" in refused.json()["error"]["message"]
        relogin = api.post(
            "/v1/auth/login", json={"email": "owner@echo.example", "password": OWNER["password"]}
        )
        assert relogin.status_code == 401
        assert "suspended" in relogin.json()["error"]["message"]
        paused = api.get("/v1/device/me", headers=device)
        assert paused.status_code == 403
        assert "sync is paused" in paused.json()["error"]["message"]
        assert set_status(api, echo, "suspended").status_code == 409

        assert set_status(api, echo, "active", "paid").status_code == 200
        assert api.get("/v1/roles", headers=echo["owner"]).status_code == 200
        assert api.get("/v1/device/me", headers=device).status_code == 200

    def test_closed_is_final(self, api: TestClient, echo: dict[str, Any]) -> None:
        assert set_status(api, echo, "closed", "shop sold").status_code == 200
        again = set_status(api, echo, "active", "oops")
        assert again.status_code == 409
        assert "closed" in again.json()["error"]["message"]
        assert login(api, "owner@echo.example", OWNER["password"])["error"]["code"] == "AUTHN"

    @pytest.mark.parametrize(
        "body",
        [{"status": "suspended", "reason": ""}, {"status": "frozen", "reason": "x"}, {}],
    )
    def test_bad_requests_change_nothing(
        self, api: TestClient, echo: dict[str, Any], body: dict[str, Any]
    ) -> None:
        r = api.put(
            f"/v1/superadmin/tenants/{echo['tenant']}/status", headers=echo["admin"], json=body
        )
        assert r.status_code == 422
        assert r.json()["error"]["code"] == "VALIDATION"
        assert api.get("/v1/roles", headers=echo["owner"]).status_code == 200

    def test_only_superadmins_and_only_known_tenants(
        self, api: TestClient, echo: dict[str, Any]
    ) -> None:
        by_owner = api.put(
            f"/v1/superadmin/tenants/{echo['tenant']}/status",
            headers=echo["owner"],
            json={"status": "suspended", "reason": "x"},
        )
        assert by_owner.status_code == 403
        unknown = api.put(
            "/v1/superadmin/tenants/01900000-0000-7000-8000-000000000000/status",
            headers=echo["admin"],
            json={"status": "suspended", "reason": "x"},
        )
        assert unknown.status_code == 404

    def test_tenants_are_listed_by_status(self, api: TestClient, echo: dict[str, Any]) -> None:
        set_status(api, echo, "suspended")
        suspended = api.get(
            "/v1/superadmin/tenants", headers=echo["admin"], params={"status": "suspended"}
        ).json()
        assert [t["id"] for t in suspended] == [echo["tenant"]]
        active = api.get(
            "/v1/superadmin/tenants", headers=echo["admin"], params={"status": "active"}
        ).json()
        assert active == []


class TestSuperadminAudit:
    def test_every_tenant_and_the_platform_with_filters_and_paging(
        self, api: TestClient, mailer: MemoryMailSender, echo: dict[str, Any]
    ) -> None:
        other, _ = onboard(api, mailer, "Foxtrot")
        set_status(api, echo, "suspended", "chargebacks")
        admin = echo["admin"]

        suspended = api.get(
            "/v1/superadmin/audit-events", headers=admin, params={"action": "tenant.suspended"}
        ).json()["items"]
        assert len(suspended) == 1
        assert suspended[0]["tenant_id"] == echo["tenant"]
        assert suspended[0]["before"] == {"status": "active"}
        assert suspended[0]["after"] == {"status": "suspended", "reason": "chargebacks"}

        everything = api.get(
            "/v1/superadmin/audit-events", headers=admin, params={"limit": 200}
        ).json()["items"]
        tenants = {e["tenant_id"] for e in everything}
        assert {echo["tenant"], str(other), None} <= tenants  # None: registrations

        only_other = api.get(
            "/v1/superadmin/audit-events",
            headers=admin,
            params={"tenant_id": str(other), "limit": 200},
        ).json()["items"]
        assert only_other
        assert {e["tenant_id"] for e in only_other} == {str(other)}

        seen, before = [], None
        while True:
            params: dict[str, Any] = {"limit": 3, **({"before": before} if before else {})}
            page = api.get("/v1/superadmin/audit-events", headers=admin, params=params).json()
            seen += [e["id"] for e in page["items"]]
            before = page["next_before"]
            if before is None:
                break
        assert seen == [e["id"] for e in everything]

    def test_owners_cannot_use_it(self, api: TestClient, echo: dict[str, Any]) -> None:
        r = api.get("/v1/superadmin/audit-events", headers=echo["owner"])
        assert r.status_code == 403
