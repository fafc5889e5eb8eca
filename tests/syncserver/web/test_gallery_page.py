"""The web gallery: macros render the primitives with token CSS, checked in headless Chromium."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from nova.commands.screens import CHROMIUM_ARGS
from syncserver.web.router import tokens_css
from tests.conftest import missing_service
from tests.support.live_server import live_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class TestServedCss:
    def test_tokens_css_is_generated_from_the_tokens(self, client: TestClient) -> None:
        r = client.get("/ui/static/tokens.css")
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/css")
        assert r.text == tokens_css()
        assert "--nova-color-primary: #1f5eff;" in r.text

    def test_components_css_uses_only_tokens(self, client: TestClient) -> None:
        css = client.get("/ui/static/components.css").text
        assert re.findall(r"#[0-9a-fA-F]{3,8}\b|rgba?\(", css) == []
        assert "var(--nova-color-primary)" in css


class TestGalleryHtml:
    def test_has_every_primitive_with_accessible_names(self, client: TestClient) -> None:
        html = client.get("/ui/gallery").text
        for variant in ("primary", "secondary", "danger", "ghost"):
            assert f'aria-label="{variant} touch"' in html
        assert 'aria-busy="true"' in html
        assert 'aria-invalid="true"' in html
        assert 'class="card"' in html
        assert html.count('class="toast ') == 3
        assert '<link rel="stylesheet" href="/ui/static/tokens.css">' in html

    def test_dark_theme_is_selected_by_query(self, client: TestClient) -> None:
        assert 'data-theme="dark"' in client.get("/ui/gallery?theme=dark").text
        assert 'data-theme="light"' in client.get("/ui/gallery?theme=neon").text


@pytest.fixture
def browser_url(app: object) -> Iterator[str]:
    from fastapi import FastAPI

    assert isinstance(app, FastAPI)
    with live_server(app) as url:
        yield url


@pytest.mark.browser
def test_gallery_renders_in_chromium_with_token_styles(browser_url: str, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        missing_service("chromium (Debian package `chromium`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{browser_url}/ui/gallery")
            primary = page.get_by_role("button", name="primary touch")
            assert (
                primary.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(31, 94, 255)"
            )
            assert primary.bounding_box()["height"] >= 48  # type: ignore[index]
            assert page.get_by_role("button", name="busy normal").is_disabled()
            assert page.get_by_role("alert").inner_text() == "That email is already registered"
            page.goto(f"{browser_url}/ui/gallery?theme=dark")
            body_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert body_bg == "rgb(30, 38, 50)"  # dark surface_alt
            shot = tmp_path / "web-gallery.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()
