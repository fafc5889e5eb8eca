"""A terminal and a real sync server (SQLite and Postgres) wired through the server's ASGI app."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from desktop.sync import credentials
from desktop.sync.credentials import CredentialStore
from desktop.sync.engine import SyncEngine, SyncReport
from desktop.sync.setup import build_engine, enroll_terminal
from desktop.till.runner import Runner
from syncserver.mail import MemoryMailSender
from tests.syncserver.conftest import make_app  # noqa: F401
from tests.syncserver.identity.conftest import api, mailer  # noqa: F401
from tests.syncserver.sync.conftest import Shop, open_shop

SERVER = "http://testserver"


@dataclass
class Server(Shop):
    """The server tests' shop, plus what a terminal needs: its database and a transport."""

    db_url: str = ""

    def transport(self) -> httpx.BaseTransport:
        return self.api._transport


@pytest.fixture
def server(api: TestClient, mailer: MemoryMailSender, db_url: str) -> Server:  # noqa: F811
    shop = open_shop(api, mailer, db_url, "Juliet")
    return Server(shop.api, shop.tenant, shop.headers, shop.location, shop.roles, db_url)


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
