"""The server's front page `/`: a real page with the version and the ways in, never a 404."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from shared.version import __version__


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


class TestHomePage:
    def test_root_opens_the_server_page_with_its_version(self, client: TestClient) -> None:
        r = client.get("/")
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/html")
        assert "<title>Nova POS server</title>" in r.text
        assert "<h1>Nova POS server</h1>" in r.text
        assert f"Version {__version__}" in r.text

    def test_it_links_register_api_docs_and_health(self, client: TestClient) -> None:
        hrefs = links(client.get("/").text)
        assert {"/register", "/docs", "/health", "/ready"} <= set(hrefs)

    def test_every_link_on_it_answers(self, client: TestClient) -> None:
        for href in links(client.get("/").text):
            assert client.get(href).status_code == 200, href

    def test_no_javascript_and_nothing_from_another_site(self, client: TestClient) -> None:
        html = client.get("/").text
        assert "<script" not in html
        assert not [h for h in links(html) if h.startswith(("http:", "https:", "//"))]

    def test_no_docs_link_when_the_api_docs_are_off(self, app: FastAPI) -> None:
        app.docs_url = None
        with TestClient(app) as client:
            assert "/docs" not in links(client.get("/").text)
