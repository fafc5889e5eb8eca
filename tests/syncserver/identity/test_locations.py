"""Locations: everyone sees where they work, managers open new shops."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from syncserver.mail import MemoryMailSender
from tests.syncserver.identity.conftest import onboard


@pytest.fixture
def lima(api: TestClient, mailer: MemoryMailSender) -> dict[str, Any]:
    _, h = onboard(api, mailer, "Lima")
    return {"h": h}


def test_open_a_location_and_list_them(api: TestClient, lima: dict[str, Any]) -> None:
    h = lima["h"]
    opened = api.post("/v1/locations", headers=h, json={"code": "air-1", "name": "Airport"})
    assert opened.status_code == 201, opened.text
    assert opened.json()["code"] == "AIR-1"
    codes = [loc["code"] for loc in api.get("/v1/locations", headers=h).json()]
    assert codes == ["AIR-1", "MAIN"]
    again = api.post("/v1/locations", headers=h, json={"code": "AIR-1", "name": "Twice"})
    assert again.status_code == 409
    assert again.json()["error"]["details"]["field"] == "code"
    trail = api.get("/v1/audit-events", headers=h, params={"action": "location.opened"}).json()
    assert trail["items"][0]["after"] == {
        "code": "AIR-1", "name": "Airport", "address_lines": [], "timezone": None,
        "currency": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    "body", [{"code": "", "name": "x"}, {"code": "a b", "name": "x"}, {"code": "X", "name": ""}]
)
def test_bad_locations_are_validation_errors(
    api: TestClient, lima: dict[str, Any], body: dict[str, str]
) -> None:
    r = api.post("/v1/locations", headers=lima["h"], json=body)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "VALIDATION"


def test_other_tenants_locations_are_not_listed(
    api: TestClient, mailer: MemoryMailSender, lima: dict[str, Any]
) -> None:
    api.post("/v1/locations", headers=lima["h"], json={"code": "SECRET", "name": "Hidden"})
    _, other = onboard(api, mailer, "Mike")
    assert [loc["code"] for loc in api.get("/v1/locations", headers=other).json()] == ["MAIN"]
