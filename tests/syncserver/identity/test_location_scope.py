"""Roles assigned to one location: a shop lead manages that shop's terminals and staff only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from shared.ids import uuid7
from syncserver.auth.secrets import hash_password
from syncserver.db import make_engine, make_sessionmaker
from syncserver.mail import MemoryMailSender
from syncserver.models import Location, User, UserRole
from tests.syncserver.identity.conftest import login, onboard, rows

LEAD_PASSWORD = "lead-pass-2026"


@pytest.fixture
def chain(api: TestClient, mailer: MemoryMailSender, db_url: str) -> dict[str, Any]:
    """Tenant with locations A (MAIN) and B; a lead whose role holds only at A."""
    tenant, owner = onboard(api, mailer, "Delta")
    (main,) = rows(db_url, select(Location.id).where(Location.tenant_id == tenant))
    role = api.post(
        "/v1/roles",
        headers=owner,
        json={"name": "Shop lead", "permissions": ["devices.manage", "staff.manage"]},
    ).json()
    other = uuid7()
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session, session.begin():
        # Locations and back-office accounts have no API yet: the fixture writes them directly.
        session.add(Location(id=other, tenant_id=tenant, code="B", name="Second shop"))
        lead = User(
            id=uuid7(),
            tenant_id=tenant,
            email="lead@delta.example",
            name="Lead",
            password_hash=hash_password(LEAD_PASSWORD),
            is_superadmin=False,
            status="active",
            failed_logins=0,
            created_at=datetime.now(UTC),
        )
        session.add(lead)
        session.flush()
        session.add(
            UserRole(
                id=uuid7(),
                tenant_id=tenant,
                user_id=lead.id,
                role_id=uuid.UUID(role["id"]),
                location_id=main.id,
            )
        )
    engine.dispose()
    token = login(api, "lead@delta.example", LEAD_PASSWORD)["token"]
    return {
        "owner": owner,
        "lead": {"Authorization": f"Bearer {token}"},
        "a": str(main.id),
        "b": str(other),
        "role": role["id"],
    }


def code_for(api: TestClient, headers: dict[str, str], location: str) -> Any:
    return api.post("/v1/devices/enrollment-codes", headers=headers, json={"location_id": location})


def enroll_at(api: TestClient, chain: dict[str, Any], location: str, name: str) -> str:
    code = code_for(api, chain["owner"], location).json()["code"]
    device = api.post("/v1/devices/enroll", json={"code": code, "name": name}).json()
    return str(device["device"]["id"])


class TestLocationScopedRoles:
    def test_codes_only_for_the_leads_location(
        self, api: TestClient, chain: dict[str, Any]
    ) -> None:
        assert code_for(api, chain["lead"], chain["a"]).status_code == 201
        refused = code_for(api, chain["lead"], chain["b"])
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "AUTHZ"
        assert "at that location" in refused.json()["error"]["message"]

    def test_devices_of_other_locations_are_invisible_and_untouchable(
        self, api: TestClient, chain: dict[str, Any]
    ) -> None:
        at_a = enroll_at(api, chain, chain["a"], "Till A")
        at_b = enroll_at(api, chain, chain["b"], "Till B")
        listed = api.get("/v1/devices", headers=chain["lead"]).json()
        assert [d["id"] for d in listed] == [at_a]
        assert len(api.get("/v1/devices", headers=chain["owner"]).json()) == 2
        assert api.post(f"/v1/devices/{at_b}/revoke", headers=chain["lead"]).status_code == 403
        assert api.post(f"/v1/devices/{at_b}/rotate", headers=chain["lead"]).status_code == 403
        assert api.post(f"/v1/devices/{at_a}/revoke", headers=chain["lead"]).status_code == 200

    @pytest.mark.parametrize(("where", "expected"), [("a", 201), ("b", 403), (None, 403)])
    def test_hiring_only_for_the_leads_location(
        self, api: TestClient, chain: dict[str, Any], where: str | None, expected: int
    ) -> None:
        body = {
            "name": "New cashier",
            "code": "42",
            "pin": "4242",
            "roles": [{"role_id": chain["role"], "location_id": chain[where] if where else None}],
        }
        r = api.post("/v1/staff", headers=chain["lead"], json=body)
        assert r.status_code == expected, r.text

    def test_tenant_wide_routes_still_need_an_all_locations_grant(
        self, api: TestClient, chain: dict[str, Any]
    ) -> None:
        assert api.get("/v1/roles", headers=chain["lead"]).status_code == 403
        assert api.get("/v1/roles", headers=chain["owner"]).status_code == 200

    def test_staff_of_other_locations_are_invisible_and_untouchable(
        self, api: TestClient, chain: dict[str, Any]
    ) -> None:
        def hire(headers: dict[str, str], code: str, where: str) -> str:
            body = {
                "name": f"Cashier {code}",
                "code": code,
                "pin": "2580",
                "roles": [{"role_id": chain["role"], "location_id": chain[where]}],
            }
            r = api.post("/v1/staff", headers=headers, json=body)
            assert r.status_code == 201, r.text
            return str(r.json()["id"])

        at_a = hire(chain["lead"], "51", "a")
        at_b = hire(chain["owner"], "52", "b")
        listed = [s["id"] for s in api.get("/v1/staff", headers=chain["lead"]).json()]
        assert at_a in listed
        assert at_b not in listed
        off = {"active": False}
        assert (
            api.put(f"/v1/staff/{at_b}/status", headers=chain["lead"], json=off).status_code == 403
        )
        move_to_a = {"roles": [{"role_id": chain["role"], "location_id": chain["a"]}]}
        moved = api.put(f"/v1/staff/{at_b}/roles", headers=chain["lead"], json=move_to_a)
        assert moved.status_code == 403
        assert (
            api.put(f"/v1/staff/{at_a}/status", headers=chain["lead"], json=off).status_code == 200
        )

    def test_a_lead_lists_only_their_location_and_cannot_open_one(
        self, api: TestClient, chain: dict[str, Any]
    ) -> None:
        assert [loc["id"] for loc in api.get("/v1/locations", headers=chain["lead"]).json()] == [
            chain["a"]
        ]
        assert len(api.get("/v1/locations", headers=chain["owner"]).json()) == 2
        body = {"code": "NEW", "name": "New shop"}
        assert api.post("/v1/locations", headers=chain["lead"], json=body).status_code == 403
