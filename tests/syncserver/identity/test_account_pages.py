"""Pages behind e-mailed links: activate, reset, forgot — forms, errors, one browser run."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from nova.commands.screens import CHROMIUM_ARGS
from syncserver.mail import MemoryMailSender
from tests.conftest import missing_service
from tests.support.live_server import live_server
from tests.syncserver.identity.conftest import OWNER, admin_headers, login, onboard
from tests.syncserver.web.test_gallery_page import CHROMIUM

EMAIL = "owner@golf.example"


def link_token(mailer: MemoryMailSender, path: str) -> str:
    found = re.search(rf"{path}\?token=([\w-]+)", mailer.sent[-1].body)
    assert found, mailer.sent[-1].body
    return found.group(1)


def approved(api: TestClient, mailer: MemoryMailSender) -> str:
    """A business approved but not yet activated; returns the activation token."""
    reg = api.post(
        "/v1/auth/register", json={**OWNER, "business_name": "Golf Shop", "email": EMAIL}
    ).json()
    api.post(
        f"/v1/superadmin/registrations/{reg['id']}/decision",
        json={"decision": "approve"},
        headers=admin_headers(api),
    )
    return link_token(mailer, "/activate")


class TestActivatePage:
    def test_get_shows_a_button_and_does_not_spend_the_token(
        self, api: TestClient, mailer: MemoryMailSender
    ) -> None:
        token = approved(api, mailer)
        page = api.get(f"/activate?token={token}")
        assert page.status_code == 200
        assert f'name="token" value="{token}"' in page.text
        assert 'aria-label="Activate my account"' in page.text
        assert login(api, EMAIL, OWNER["password"])["error"]["code"] == "AUTHN"  # still invited

        done = api.post("/activate", data={"token": token})
        assert done.status_code == 200
        assert "Your account is active" in done.text
        assert EMAIL in done.text
        assert "token" in login(api, EMAIL, OWNER["password"])

    def test_a_used_or_bad_link_says_what_to_do(
        self, api: TestClient, mailer: MemoryMailSender
    ) -> None:
        token = approved(api, mailer)
        api.post("/activate", data={"token": token})
        again = api.post("/activate", data={"token": token})
        assert again.status_code == 400
        assert 'class="toast toast--error"' in again.text
        assert "new activation link" in again.text
        assert api.post("/activate", data={"token": "nonsense"}).status_code == 400


class TestResetPages:
    @pytest.fixture
    def token(self, api: TestClient, mailer: MemoryMailSender) -> str:
        onboard(api, mailer, "Golf")
        sent = api.post("/forgot", data={"email": " Owner@Golf.example "})
        assert sent.status_code == 200
        assert "If the address has an account" in sent.text
        return link_token(mailer, "/reset")

    def test_forgot_gives_the_same_answer_for_unknown_addresses(
        self, api: TestClient, mailer: MemoryMailSender
    ) -> None:
        before = len(mailer.sent)
        r = api.post("/forgot", data={"email": "nobody@nowhere.example"})
        assert r.status_code == 200
        assert "If the address has an account" in r.text
        assert len(mailer.sent) == before

    def test_new_password_works_and_old_one_stops(self, api: TestClient, token: str) -> None:
        assert 'name="token" value="' in api.get(f"/reset?token={token}").text
        done = api.post(
            "/reset", data={"token": token, "password": "new-bread-88", "confirm": "new-bread-88"}
        )
        assert done.status_code == 200
        assert "Password changed" in done.text
        assert "token" in login(api, "owner@golf.example", "new-bread-88")
        assert login(api, "owner@golf.example", OWNER["password"])["error"]["code"] == "AUTHN"

    @pytest.mark.parametrize(
        ("form", "field", "text"),
        [
            ({"password": "new-bread-88", "confirm": "new-bread-89"}, "confirm", "differ"),
            ({"password": "short", "confirm": "short"}, "password", "at least 10"),
        ],
    )
    def test_field_errors_keep_the_link_alive(
        self, api: TestClient, token: str, form: dict[str, str], field: str, text: str
    ) -> None:
        r = api.post("/reset", data={"token": token, **form})
        assert r.status_code == 422
        helper = re.search(rf'id="{field}-help" class="field__helper">([^<]*)<', r.text)
        assert helper, r.text
        assert text in helper.group(1)
        ok = {"token": token, "password": "new-bread-88", "confirm": "new-bread-88"}
        assert api.post("/reset", data=ok).status_code == 200

    def test_a_dead_link_offers_a_new_one(self, api: TestClient) -> None:
        r = api.post("/reset", data={"token": "x" * 20, "password": "a" * 12, "confirm": "a" * 12})
        assert r.status_code == 422
        assert 'href="/forgot"' in r.text


@pytest.fixture
def served(api: TestClient) -> Iterator[str]:
    with live_server(api.app) as url:  # type: ignore[arg-type]
        yield url


@pytest.mark.browser
def test_activation_link_in_chromium(
    served: str, api: TestClient, mailer: MemoryMailSender, tmp_path: Path
) -> None:
    if not Path(CHROMIUM).exists():
        missing_service("chromium (Debian package `chromium`)")
    from playwright.sync_api import sync_playwright

    token = approved(api, mailer)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 800, "height": 700})
            page.goto(f"{served}/activate?token={token}")
            page.get_by_role("button", name="Activate my account").click()
            page.wait_for_selector("text=Your account is active")
            page.screenshot(path=str(tmp_path / "activated.png"), full_page=True)
        finally:
            browser.close()
    result: Any = login(api, EMAIL, OWNER["password"])
    assert "token" in result
