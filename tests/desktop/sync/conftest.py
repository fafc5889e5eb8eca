"""A terminal and a real sync server (SQLite and Postgres) wired through the server's ASGI app."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from desktop.sync import credentials
from desktop.sync.credentials import CredentialStore
from desktop.sync.engine import SyncEngine, SyncReport
from desktop.sync.setup import build_engine, enroll_terminal
from desktop.till.runner import Runner
from syncserver.mail import MemoryMailSender
from syncserver.models import Location
from tests.syncserver.conftest import make_app  # noqa: F401
from tests.syncserver.identity.conftest import api, mailer, onboard, rows  # noqa: F401

SERVER = "http://testserver"


@dataclass
class Server:
    api: TestClient
    tenant: Any
    headers: dict[str, str]
    location: str
    roles: dict[str, str]
    db_url: str

    def code(self, location: str | None = None) -> str:
        r = self.api.post(
            "/v1/devices/enrollment-codes",
            headers=self.headers,
            json={"location_id": location or self.location},
        )
        assert r.status_code == 201, r.text
        return str(r.json()["code"])

    def transport(self) -> httpx.BaseTransport:
        return self.api._transport

    def hire(self, code: str, pin: str, role: str = "cashier") -> dict[str, Any]:
        body = {"name": f"Person {code}", "code": code, "pin": pin}
        body["roles"] = [{"role_id": self.roles[role]}]  # type: ignore[assignment]
        r = self.api.post("/v1/staff", headers=self.headers, json=body)
        assert r.status_code == 201, r.text
        return dict(r.json())


@pytest.fixture
def server(api: TestClient, mailer: MemoryMailSender, db_url: str) -> Server:  # noqa: F811
    tenant, headers = onboard(api, mailer, "Juliet")
    (location,) = rows(db_url, select(Location.id).where(Location.tenant_id == tenant))
    roles = {r["name"]: r["id"] for r in api.get("/v1/roles", headers=headers).json()}
    return Server(api, tenant, headers, str(location.id), roles, db_url)


@dataclass
class Link:
    """One terminal database enrolled with the server."""

    runner: Runner
    store: CredentialStore
    transport: httpx.BaseTransport

    def engine(self, transport: httpx.BaseTransport | None = None, batch: int = 500) -> SyncEngine:
        return build_engine(
            self.runner, self.store, transport=transport or self.transport, batch=batch
        )

    def sync(self, transport: httpx.BaseTransport | None = None, batch: int = 500) -> SyncReport:
        engine = self.engine(transport, batch)
        try:
            return engine.run_once()
        finally:
            engine.client.close()


def enroll(server: Server, runner: Runner, folder: Path, name: str = "Till") -> Link:
    store = CredentialStore(folder)
    enroll_terminal(
        runner, store, server_url=SERVER, code=server.code(), name=name,
        transport=server.transport(),
    )  # fmt: skip
    return Link(runner, store, server.transport())


@pytest.fixture(autouse=True)
def _keyring_warning_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    """This machine has no keyring: the fallback warns once per process; the credential tests
    check that warning themselves."""
    monkeypatch.setattr(credentials, "_warned", True)
