"""The whole identity path in one run, on Postgres and SQLite, with its audit trail."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from syncserver.mail import MemoryMailSender
from tests.syncserver.identity.conftest import OWNER, admin_headers, login


def test_register_to_enrolled_device(api: TestClient, mailer: MemoryMailSender) -> None:
    body = {**OWNER, "business_name": "Kilo Kaffee", "email": "owner@kilo.example"}
    reg = api.post("/v1/auth/register", json=body)
    assert reg.status_code == 201, reg.text

    decided = api.post(
        f"/v1/superadmin/registrations/{reg.json()['id']}/decision",
        json={"decision": "approve"},
        headers=admin_headers(api),
    )
    assert decided.status_code == 200, decided.text
    link = re.search(r"/activate\?token=([\w-]+)", mailer.sent[-1].body)
    assert link
    assert api.post("/activate", data={"token": link.group(1)}).status_code == 200  # the page

    token = login(api, "owner@kilo.example", OWNER["password"])["token"]
    owner = {"Authorization": f"Bearer {token}"}
    role = api.post(
        "/v1/roles", headers=owner, json={"name": "barista", "permissions": ["pos.sell"]}
    )
    assert role.status_code == 201, role.text
    staff = {"name": "Bo", "code": "5", "pin": "5857", "roles": [{"role_id": role.json()["id"]}]}
    assert api.post("/v1/staff", headers=owner, json=staff).status_code == 201

    (main,) = api.get("/v1/locations", headers=owner).json()
    assert main["code"] == "MAIN"
    code = api.post("/v1/devices/enrollment-codes", headers=owner, json={"location_id": main["id"]})
    assert code.status_code == 201, code.text
    enrolled = api.post("/v1/devices/enroll", json={"code": code.json()["code"], "name": "Till 1"})
    assert enrolled.status_code == 201, enrolled.text
    cred = enrolled.json()
    device = {"Authorization": f"Device {cred['device']['id']}:{cred['secret']}"}
    me = api.get("/v1/device/me", headers=device).json()
    assert (me["name"], me["location_id"]) == ("Till 1", main["id"])

    trail = api.get("/v1/audit-events", headers=owner, params={"limit": 200}).json()["items"]
    actions = [e["action"] for e in reversed(trail)]
    expected = [
        "user.activated",
        "user.signed_in",
        "role.created",
        "staff.created",
        "device.code_created",
        "device.enrolled",
    ]
    assert [a for a in actions if a in expected] == expected
    assert all(e["request_id"] for e in trail)
