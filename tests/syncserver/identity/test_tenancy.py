"""Dynamic roles, staff, preview-as-role, modules, audit — and no route crosses tenants."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from shared.permissions import Permission
from syncserver.db import make_engine
from syncserver.mail import MemoryMailSender
from syncserver.models import Tenant
from syncserver.openapi import api_routes, declared
from syncserver.tenancy import require
from tests.syncserver.identity.conftest import OWNER, admin_headers, onboard


def test_every_v1_route_declares_its_permission(app: FastAPI) -> None:
    routes = [(r, m) for r, m in api_routes(app.routes) if r.path.startswith("/v1")]
    assert len(routes) >= 10
    missing = [
        f"{sorted(r.methods)} {r.path}" for r, m in routes if not (m or declared(r.dependant))
    ]
    assert missing == []


def test_the_route_check_notices_an_undeclared_route(app: FastAPI) -> None:
    @app.get("/v1/leaky")
    def leaky() -> None: ...

    undeclared = [r.path for r, m in api_routes(app.routes) if not (m or declared(r.dependant))]
    assert "/v1/leaky" in undeclared


@pytest.fixture
def two(api: TestClient, mailer: MemoryMailSender) -> dict[str, Any]:
    a, ha = onboard(api, mailer, "Alpha")
    b, hb = onboard(api, mailer, "Beta")
    return {"a": a, "ha": ha, "b": b, "hb": hb}


def role_id(api: TestClient, headers: dict[str, str], name: str) -> str:
    return next(r["id"] for r in api.get("/v1/roles", headers=headers).json() if r["name"] == name)


class TestRolesAndStaff:
    def test_owner_creates_a_role_previews_it_and_adds_a_cashier(
        self, api: TestClient, two: dict[str, Any]
    ) -> None:
        h = two["ha"]
        created = api.post(
            "/v1/roles",
            headers=h,
            json={"name": "barista", "permissions": ["pos.sell", "loyalty.view"]},
        )
        assert created.status_code == 201
        rid = created.json()["id"]
        preview = api.get(f"/v1/roles/{rid}/preview", headers=h).json()
        assert preview["role"]["permissions"] == ["loyalty.view", "pos.sell"]
        assert [s["id"] for s in preview["navigation"]] == ["sell", "refunds", "loyalty"]
        changed = api.put(
            f"/v1/roles/{rid}/permissions",
            headers=h,
            json={"permissions": ["pos.sell", "pos.refund"]},
        )
        assert changed.json()["permissions"] == ["pos.refund", "pos.sell"]
        staff = api.post(
            "/v1/staff",
            headers=h,
            json={"name": "Ben", "code": "7", "pin": "4391", "roles": [{"role_id": rid}]},
        )
        assert staff.status_code == 201
        assert "4391" not in staff.text
        dup = api.post(
            "/v1/staff",
            headers=h,
            json={"name": "Bo", "code": "7", "pin": "1191", "roles": [{"role_id": rid}]},
        )
        assert dup.status_code == 409
        events = api.get("/v1/audit-events", headers=h, params={"limit": 2}).json()
        assert [e["action"] for e in events["items"]] == [
            "staff.created",
            "role.permissions_changed",
        ]
        assert events["next_before"] is not None
        older = api.get(
            "/v1/audit-events", headers=h, params={"limit": 50, "before": events["next_before"]}
        ).json()
        assert "role.created" in [e["action"] for e in older["items"]]
        changed_event = api.get(
            "/v1/audit-events", headers=h, params={"action": "role.permissions_changed"}
        ).json()["items"][0]
        assert changed_event["before"] == {"permissions": ["loyalty.view", "pos.sell"]}

    @pytest.mark.parametrize(
        "body",
        [{"name": "x", "permissions": []}, {"name": "ok name", "permissions": ["pos.fly"]}],
    )
    def test_bad_roles_are_refused(
        self, api: TestClient, two: dict[str, Any], body: dict[str, Any]
    ) -> None:
        r = api.post("/v1/roles", headers=two["ha"], json=body)
        assert r.status_code == 422

    def test_a_user_without_the_permission_is_refused(
        self, api: TestClient, two: dict[str, Any]
    ) -> None:
        h = two["ha"]
        # Someone else keeps staff.manage, or the change below would be refused (lockout guard).
        admins = api.post(
            "/v1/roles", headers=h, json={"name": "admins", "permissions": ["staff.manage"]}
        ).json()
        backup = {
            "name": "Backup",
            "code": "77",
            "pin": "7797",
            "roles": [{"role_id": admins["id"]}],
        }
        assert api.post("/v1/staff", headers=h, json=backup).status_code == 201
        owner = role_id(api, h, "owner")
        changed = api.put(
            f"/v1/roles/{owner}/permissions", headers=h, json={"permissions": ["pos.sell"]}
        )
        assert changed.status_code == 200, changed.text
        r = api.get("/v1/roles", headers=h)
        assert (r.status_code, r.json()["error"]["details"]) == (
            403,
            {"permission": "staff.manage"},
        )


class TestIsolation:
    def test_no_route_reads_or_writes_another_tenants_rows(
        self, api: TestClient, two: dict[str, Any]
    ) -> None:
        ha, hb = two["ha"], two["hb"]
        b_role = role_id(api, hb, "cashier")
        attempts = [
            api.get(f"/v1/roles/{b_role}/preview", headers=ha),
            api.put(f"/v1/roles/{b_role}/permissions", headers=ha, json={"permissions": []}),
            api.post(
                "/v1/staff",
                headers=ha,
                json={"name": "Eve", "code": "9", "pin": "2580", "roles": [{"role_id": b_role}]},
            ),
        ]
        for r in attempts:
            assert r.status_code == 404, r.text
            assert r.json()["error"]["code"] == "NOT_FOUND"
        names_a = {r["id"] for r in api.get("/v1/roles", headers=ha).json()}
        assert b_role not in names_a
        actions_a = api.get("/v1/audit-events", headers=ha, params={"limit": 200}).json()["items"]
        assert all(str(two["b"]) not in str(e) for e in actions_a)
        assert api.get(f"/v1/roles/{b_role}/preview", headers=hb).status_code == 200

    @pytest.mark.usefixtures("two")
    def test_superadmin_is_not_a_tenant_user(self, api: TestClient) -> None:
        assert api.get("/v1/roles", headers=admin_headers(api)).status_code == 403


class TestModulesAndStatus:
    def test_switching_a_module_off_is_enforced_audited_and_counted(
        self, api: TestClient, two: dict[str, Any]
    ) -> None:
        app = api.app
        assert isinstance(app, FastAPI)

        @app.get(
            "/v1/probe/loyalty",
            dependencies=[Depends(require(Permission.LOYALTY_VIEW, module="loyalty"))],
        )
        def probe() -> dict[str, bool]:
            return {"ok": True}

        assert api.get("/v1/probe/loyalty", headers=two["ha"]).status_code == 200
        url = f"/v1/superadmin/tenants/{two['a']}/modules/loyalty"
        assert api.put(url, json={"enabled": False}, headers=admin_headers(api)).status_code == 204
        r = api.get("/v1/probe/loyalty", headers=two["ha"])
        assert (r.status_code, r.json()["error"]["details"]) == (403, {"module": "loyalty"})
        assert api.get("/v1/probe/loyalty", headers=two["hb"]).status_code == 200
        assert (
            'nova_module_toggles_total{enabled="false",module="loyalty"} 1.0'
            in api.get("/metrics").text
        )
        bad = api.put(
            f"/v1/superadmin/tenants/{two['a']}/modules/teleport",
            json={"enabled": True},
            headers=admin_headers(api),
        )
        assert bad.status_code == 404
        listed = api.get(
            f"/v1/superadmin/tenants/{two['a']}/modules", headers=admin_headers(api)
        ).json()
        assert {m["code"]: m["enabled"] for m in listed} == {
            "inventory": True,
            "loyalty": False,
            "reports": True,
        }
        assert all(m["title"] and m["description"] for m in listed)

    def test_suspended_tenant_cannot_sign_in(
        self, api: TestClient, two: dict[str, Any], db_url: str
    ) -> None:
        engine = make_engine(db_url)
        with engine.begin() as conn:
            conn.execute(update(Tenant).where(Tenant.id == two["a"]).values(status="suspended"))
        engine.dispose()
        r = api.post(
            "/v1/auth/login", json={"email": "owner@alpha.example", "password": OWNER["password"]}
        )
        assert r.status_code == 401
        assert "suspended" in r.json()["error"]["message"]
        assert api.get("/v1/roles", headers=two["ha"]).status_code == 403
        assert uuid.UUID(str(two["b"]))
