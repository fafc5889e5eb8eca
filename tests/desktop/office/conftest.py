"""A real server app (SQLite and Postgres) with an onboarded business, and the till's back-office
session talking to it through the app's transport — a switch can make the network go away."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.office.config_desk import ConfigDesk
from desktop.office.session import OfficeSession
from desktop.ui.backoffice.business_screen import BusinessScreen
from desktop.ui.theme import apply_theme
from syncserver.mail import MemoryMailSender
from tests.syncserver.conftest import make_app  # noqa: F401
from tests.syncserver.identity.conftest import OWNER, api, mailer  # noqa: F401
from tests.syncserver.sync.conftest import Shop, open_shop

SERVER = "http://testserver"
STAFF_PASSWORD = "counter-pass-77"
WAIT_MS = 20_000  # a generous bound for one server call (Postgres on a busy CI box)


class Network(httpx.BaseTransport):
    """The wire between till and server: `down = True` and nothing gets through (a pulled
    cable, a dead router) — the one thing these tests fake."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.down = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("network is down", request=request)
        return self.inner.handle_request(request)


@dataclass
class Business:
    """An onboarded business on a real server, its owner's e-mail and password."""

    shop: Shop
    network: Network
    owner_email: str
    owner_password: str

    def session(self) -> OfficeSession:
        return OfficeSession(SERVER, self.shop.tenant, transport=self.network)

    def hire(self, code: str, role: str, email: str) -> None:
        body = {"name": f"{role.capitalize()} {code}", "code": code, "pin": "2468",
                "email": email, "password": STAFF_PASSWORD,
                "roles": [{"role_id": self.shop.roles[role]}]}  # fmt: skip
        r = self.shop.api.post("/v1/staff", headers=self.shop.headers, json=body)
        assert r.status_code == 201, r.text


@pytest.fixture
def business(api: TestClient, mailer: MemoryMailSender, db_url: str) -> Business:  # noqa: F811
    shop = open_shop(api, mailer, db_url, "Kilo")
    return Business(shop, Network(api._transport), "owner@kilo.example", OWNER["password"])


@pytest.fixture
def office(business: Business) -> Iterator[OfficeSession]:
    session = business.session()
    yield session
    session.close()


@pytest.fixture
def desk(office: OfficeSession, business: Business) -> ConfigDesk:
    office.sign_in(business.owner_email, business.owner_password)
    return ConfigDesk(office)


@pytest.fixture
def screen(qtbot: QtBot, office: OfficeSession) -> Iterator[BusinessScreen]:
    """Business setup on real widgets, at a size its tabs fit (not yet signed in)."""
    page = BusinessScreen(ConfigDesk(office))
    apply_theme(page, "light")
    qtbot.addWidget(page)
    page.resize(800, 680)
    page.show()
    yield page
    page.runner.wait()


def click(qtbot: QtBot, screen: BusinessScreen, button: Any) -> None:
    """Click `button` and wait until the server call it started has been answered and shown."""
    with qtbot.waitSignal(screen.runner.finished, timeout=WAIT_MS):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
