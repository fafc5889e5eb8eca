"""A terminal and a real sync server (SQLite and Postgres) wired through the server's ASGI app."""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, text

from desktop.db.engine import make_terminal_engine
from desktop.db.models import LocalMeta
from desktop.db.models.local_meta import REPLICA_ID_KEY
from desktop.db.uow import UnitOfWork
from desktop.sales.config import configure, load
from desktop.sync import credentials
from desktop.sync.credentials import CredentialStore
from desktop.sync.engine import SyncEngine, SyncReport
from desktop.sync.setup import build_engine, enroll_terminal
from desktop.till.runner import Runner
from shared.clock import Clock
from shared.sync import BOOTSTRAP_PAGE
from syncserver.mail import MemoryMailSender
from tests.desktop.conftest import Shop as TillShop
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

    def engine(
        self,
        transport: httpx.BaseTransport | None = None,
        batch: int = 500,
        bootstrap_page: int = BOOTSTRAP_PAGE,
    ) -> SyncEngine:
        engine = build_engine(
            self.runner, self.store, transport=transport or self.transport, batch=batch
        )
        engine.bootstrap_page = bootstrap_page
        return engine

    def sync(
        self,
        transport: httpx.BaseTransport | None = None,
        batch: int = 500,
        bootstrap_page: int = BOOTSTRAP_PAGE,
    ) -> SyncReport:
        engine = self.engine(transport, batch, bootstrap_page)
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


def second_till(
    shop: TillShop, terminal_db: Path, tmp_path: Path, clock: Clock | None = None
) -> Runner:
    """Another till of the shop: a copy of the first one's file with its own replica id, an
    empty outbox and an unstamped catalog (it offers its catalog to the server on its first
    sync, as an upgraded till does; the same values merge without conflict)."""
    copy = tmp_path / f"till-{uuid.uuid4().hex[:6]}.db"
    shop.runner.engine.dispose()
    shutil.copyfile(terminal_db, copy)
    runner = Runner(make_terminal_engine(copy), clock or shop.runner.clock)

    def fresh(uow: UnitOfWork) -> None:
        conn = uow.conn
        conn.execute(delete(LocalMeta).where(LocalMeta.key == REPLICA_ID_KEY))
        conn.execute(
            LocalMeta.__table__.insert().values(key=REPLICA_ID_KEY, value=str(uuid.uuid4()))
        )
        for table in ("outbox", "sync_state", "catalog_clocks"):
            conn.execute(text(f"DELETE FROM {table}"))
        # Its own terminal code: receipt numbers are unique across the business.
        configure(uow, replace(load(uow), terminal_code=f"T{uuid.uuid4().hex[:4].upper()}"))

    runner.run(fresh)
    return runner


def two_tills(
    shop: TillShop, server: Server, terminal_db: Path, tmp_path: Path, clock: Clock | None = None
) -> tuple[Runner, Link, Link]:
    """The shop's till (A) and a second one (B), both enrolled and synced once."""
    other = second_till(shop, terminal_db, tmp_path, clock)
    a = enroll(server, shop.runner, tmp_path / "a", "A")
    b = enroll(server, other, tmp_path / "b", "B")
    a.sync()
    b.sync()
    return other, a, b


@pytest.fixture(autouse=True)
def _keyring_warning_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    """This machine has no keyring: the fallback warns once per process; the credential tests
    check that warning themselves."""
    monkeypatch.setattr(credentials, "_warned", True)
