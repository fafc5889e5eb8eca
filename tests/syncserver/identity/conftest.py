"""Identity fixtures: an app with a captured mailbox and a superadmin; tenants on demand."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from syncserver.db import make_engine, make_sessionmaker
from syncserver.mail import MemoryMailSender
from syncserver.superadmin.accounts import create_superadmin

ADMIN_PASSWORD = "operator-pass-2026"
OWNER = {
    "business_name": "Café Müller",
    "owner_name": "Anna Müller",
    "email": "anna@cafe-mueller.example",
    "password": "latte-art-42x",
    "country": "DE",
    "currency": "EUR",
    "timezone": "Europe/Berlin",
}


@pytest.fixture
def mailer() -> MemoryMailSender:
    return MemoryMailSender()


@pytest.fixture
def api(
    make_app: Callable[..., FastAPI], mailer: MemoryMailSender, db_url: str
) -> Iterator[TestClient]:
    yield from serve(make_app, mailer, db_url, register_limit_per_hour=3)


def serve(
    make_app: Callable[..., FastAPI],
    mailer: MemoryMailSender,
    db_url: str,
    *,
    register_limit_per_hour: int,
) -> Iterator[TestClient]:
    """The server app with a captured mailbox and the operator account (`ops@nova.example`),
    as a test client; fixtures that need more room for registrations or enrollments (they share
    one limiter per address) pass a larger limit."""
    app = make_app(register_limit_per_hour=register_limit_per_hour)
    app.state.mailer = mailer
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session, session.begin():
        create_superadmin(session, email="ops@nova.example", name="Ops", password=ADMIN_PASSWORD)
    engine.dispose()
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def login(api: TestClient, email: str, password: str) -> dict[str, Any]:
    return api.post("/v1/auth/login", json={"email": email, "password": password}).json()


def admin_headers(api: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {login(api, 'ops@nova.example', ADMIN_PASSWORD)['token']}"}


def rows(db_url: str, stmt: Any) -> list[Any]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(stmt).all())
    finally:
        engine.dispose()


def onboard(
    api: TestClient, mailer: MemoryMailSender, name: str
) -> tuple[uuid.UUID, dict[str, str]]:
    """Register, approve, activate and sign in a new business; returns (tenant id, headers)."""
    email = f"owner@{name.lower()}.example"
    body = {**OWNER, "business_name": f"{name} Shop", "email": email}
    reg = api.post("/v1/auth/register", json=body).json()
    decided = api.post(
        f"/v1/superadmin/registrations/{reg['id']}/decision",
        json={"decision": "approve"},
        headers=admin_headers(api),
    ).json()
    token = re.search(r"token=([\w-]+)", mailer.sent[-1].body).group(1)  # type: ignore[union-attr]
    api.post("/v1/auth/activate", json={"token": token})
    session = login(api, email, OWNER["password"])
    return uuid.UUID(decided["tenant_id"]), {"Authorization": f"Bearer {session['token']}"}
