"""Roles and staff over time: delete unused roles, list staff, change assignments, disable —
audited, per location, and never locking the business out of its own roles."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from syncserver.mail import MemoryMailSender
from tests.syncserver.identity.conftest import onboard


@pytest.fixture
def india(api: TestClient, mailer: MemoryMailSender) -> dict[str, Any]:
    _, h = onboard(api, mailer, "India")
    roles = {r["name"]: r["id"] for r in api.get("/v1/roles", headers=h).json()}
    return {"h": h, "roles": roles}


def hire(api: TestClient, shop: dict[str, Any], code: str, role: str = "cashier") -> Any:
    body = {
        "name": f"Person {code}",
        "code": code,
        "pin": "2580",
        "roles": [{"role_id": shop["roles"][role]}],
    }
    r = api.post("/v1/staff", headers=shop["h"], json=body)
    assert r.status_code == 201, r.text
    return r.json()


def audit(api: TestClient, shop: dict[str, Any], action: str) -> list[Any]:
    page = api.get("/v1/audit-events", headers=shop["h"], params={"action": action}).json()
    return list(page["items"])


class TestRoles:
    def test_an_unused_role_can_be_deleted_a_held_one_cannot(
        self, api: TestClient, india: dict[str, Any]
    ) -> None:
        h = india["h"]
        hire(api, india, "11")
        held = api.delete(f"/v1/roles/{india['roles']['cashier']}", headers=h)
        assert held.status_code == 409
        assert held.json()["error"]["details"]["holders"] == 1
        spare = api.post(
            "/v1/roles", headers=h, json={"name": "spare", "permissions": ["pos.sell"]}
        ).json()
        assert api.delete(f"/v1/roles/{spare['id']}", headers=h).status_code == 204
        assert "spare" not in {r["name"] for r in api.get("/v1/roles", headers=h).json()}
        (event,) = audit(api, india, "role.deleted")
        assert event["before"] == {"name": "spare", "permissions": ["pos.sell"]}
        assert api.delete(f"/v1/roles/{spare['id']}", headers=h).status_code == 404

    def test_the_business_cannot_lock_itself_out(
        self, api: TestClient, india: dict[str, Any]
    ) -> None:
        owner = india["roles"]["owner"]
        r = api.put(
            f"/v1/roles/{owner}/permissions", headers=india["h"], json={"permissions": ["pos.sell"]}
        )
        assert r.status_code == 409
        assert "nobody could manage staff" in r.json()["error"]["message"]
        roles = {x["name"]: x for x in api.get("/v1/roles", headers=india["h"]).json()}
        assert "staff.manage" in roles["owner"]["permissions"]  # nothing changed


class TestStaff:
    def test_list_change_roles_disable_and_enable(
        self, api: TestClient, india: dict[str, Any]
    ) -> None:
        h = india["h"]
        ana = hire(api, india, "21")
        hire(api, india, "22")
        listed = api.get("/v1/staff", headers=h).json()
        assert [(s["code"], s["status"]) for s in listed] == [("21", "active"), ("22", "active")]

        manager = [{"role_id": india["roles"]["manager"]}]
        promoted = api.put(f"/v1/staff/{ana['id']}/roles", headers=h, json={"roles": manager})
        assert promoted.status_code == 200, promoted.text
        assert promoted.json()["roles"] == [
            {"role_id": india["roles"]["manager"], "location_id": None}
        ]
        (changed,) = audit(api, india, "staff.roles_changed")
        assert changed["before"]["roles"][0]["role_id"] == india["roles"]["cashier"]

        left = api.put(f"/v1/staff/{ana['id']}/status", headers=h, json={"active": False})
        assert left.json()["status"] == "disabled"
        again = api.put(f"/v1/staff/{ana['id']}/status", headers=h, json={"active": False})
        assert again.status_code == 409
        back = api.put(f"/v1/staff/{ana['id']}/status", headers=h, json={"active": True})
        assert back.json()["status"] == "active"
        assert [e["after"] for e in audit(api, india, "staff.disabled")] == [{"status": "disabled"}]

    @pytest.mark.parametrize(
        "body",
        [{"roles": []}, {"roles": [{"role_id": "not-a-uuid"}]}, {}],
    )
    def test_bad_assignments_are_validation_errors(
        self, api: TestClient, india: dict[str, Any], body: dict[str, Any]
    ) -> None:
        ana = hire(api, india, "31")
        r = api.put(f"/v1/staff/{ana['id']}/roles", headers=india["h"], json=body)
        assert r.status_code == 422
        assert r.json()["error"]["code"] == "VALIDATION"

    def test_other_tenants_staff_is_not_found(
        self, api: TestClient, mailer: MemoryMailSender, india: dict[str, Any]
    ) -> None:
        ana = hire(api, india, "41")
        _, other = onboard(api, mailer, "Juliet")
        assert api.get("/v1/staff", headers=other).json() == []
        for r in (
            api.put(f"/v1/staff/{ana['id']}/status", headers=other, json={"active": False}),
            api.put(
                f"/v1/staff/{ana['id']}/roles",
                headers=other,
                json={"roles": [{"role_id": india["roles"]["cashier"]}]},
            ),
            api.delete(f"/v1/roles/{india['roles']['cashier']}", headers=other),
        ):
            assert r.status_code == 404, r.text
