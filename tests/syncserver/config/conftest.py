"""Tenant-configuration fixtures: an onboarded shop (its owner signed in), a cashier's and a
manager's sessions, tills that enroll and pull — all through the public API."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from syncserver.mail import MemoryMailSender
from tests.syncserver.identity.conftest import ADMIN_PASSWORD, login, mailer, serve  # noqa: F401
from tests.syncserver.sync.conftest import Shop, Till, open_shop


@pytest.fixture
def api(
    make_app: Callable[..., FastAPI],
    mailer: MemoryMailSender,  # noqa: F811
    db_url: str,
) -> Iterator[TestClient]:
    # Enrollment shares the registration limiter: these tests enroll more than 3 tills.
    yield from serve(make_app, mailer, db_url, register_limit_per_hour=50)


@pytest.fixture
def shop(api: TestClient, mailer: MemoryMailSender, db_url: str) -> Shop:  # noqa: F811
    return open_shop(api, mailer, db_url, "Tango")


def enroll(shop: Shop, name: str = "Till") -> tuple[Till, dict[str, Any]]:
    """A till enrolled at the shop's location (handshake done) and the enrollment answer."""
    r = shop.api.post("/v1/devices/enroll", json={"code": shop.code(), "name": name})
    assert r.status_code == 201, r.text
    answer = r.json()
    headers = {"Authorization": f"Device {answer['device']['id']}:{answer['secret']}"}
    till = Till(shop.api, headers, answer["device"]["id"])
    till.handshake()
    return till, dict(answer)


def demote_owner_to_cashier(shop: Shop) -> None:
    """The owner's role keeps only a cashier's permissions (and staff.manage, so the business
    is not locked out of its roles): the owner's session then stands for a cashier's.

    Back-office accounts other than the owner have no API yet; this goes through the roles API.
    """
    cashier = shop.api.get("/v1/roles", headers=shop.headers).json()
    perms = next(r["permissions"] for r in cashier if r["name"] == "cashier")
    r = shop.api.put(
        f"/v1/roles/{shop.roles['owner']}/permissions",
        headers=shop.headers,
        json={"permissions": [*perms, "staff.manage"]},
    )
    assert r.status_code == 200, r.text


def latest(changes: list[dict[str, Any]], entity: str, entity_id: str) -> dict[str, Any] | None:
    """The last pulled change of one document (None when it was not pulled)."""
    found = [c for c in changes if c["entity"] == entity and c["entity_id"] == entity_id]
    return found[-1] if found else None


def error(r: Any) -> dict[str, Any]:
    return dict(r.json()["error"])
