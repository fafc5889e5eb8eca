"""The public /register page: same rules as the API, errors next to their fields, in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nova.commands.screens import CHROMIUM_ARGS
from tests.conftest import missing_service
from tests.support.live_server import live_server

from .test_gallery_page import CHROMIUM

FORM = {
    "business_name": "Bäckerei Sonne",
    "owner_name": "Sara Sonne",
    "email": "sara@sonne.example",
    "password": "fresh-bread-77",
    "country": "de",
    "currency": "eur",
    "timezone": "Europe/Berlin",
}


class TestForm:
    def test_page_renders_with_design_system_css(self, client: TestClient) -> None:
        html = client.get("/register").text
        assert '<link rel="stylesheet" href="/ui/static/tokens.css">' in html
        assert 'name="business_name"' in html
        assert 'aria-label="Register"' in html

    def test_success_shows_a_confirmation(self, client: TestClient) -> None:
        r = client.post("/register", data=FORM)
        assert r.status_code == 201
        assert "Registration received" in r.text
        assert "sara@sonne.example" in r.text
        assert "fresh-bread-77" not in r.text

    def test_errors_are_shown_next_to_their_fields_and_values_kept(
        self, client: TestClient
    ) -> None:
        r = client.post("/register", data={**FORM, "password": "weak", "timezone": "Moon/Base"})
        assert r.status_code == 422
        assert 'id="timezone-help" class="field__helper">an IANA time zone' in r.text
        assert 'value="Bäckerei Sonne"' in r.text
        assert 'value="weak"' not in r.text  # passwords are never echoed
        duplicate = client.post("/register", data=FORM)
        assert duplicate.status_code == 201
        again = client.post("/register", data={**FORM, "business_name": "Other Bakery"})
        assert (
            'id="email-help" class="field__helper">this e-mail address is already registered'
            in again.text
        )


@pytest.fixture
def served(app: FastAPI) -> Iterator[str]:
    with live_server(app) as url:
        yield url


@pytest.mark.browser
def test_register_in_chromium(served: str, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        missing_service("chromium (Debian package `chromium`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1024, "height": 900})
            page.goto(f"{served}/register")
            for field, value in FORM.items():
                page.fill(f"#{field}", value)
            page.fill("#password", "short")
            page.get_by_role("button", name="Register").click()
            assert "at least 10 characters" in page.inner_text("#password-help")
            assert page.get_attribute("#password", "aria-invalid") == "true"
            page.fill("#password", FORM["password"])
            page.get_by_role("button", name="Register").click()
            page.wait_for_selector("text=Registration received")
            page.screenshot(path=str(tmp_path / "register.png"), full_page=True)
        finally:
            browser.close()
