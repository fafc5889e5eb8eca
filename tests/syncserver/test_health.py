"""/health, /ready and /metrics on a real database."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from migrations.runner import downgrade_server, server_heads
from shared.version import __version__
from syncserver.app import create_app
from syncserver.settings import ServerSettings


class TestHealth:
    def test_reports_ok_and_version(self, client: TestClient) -> None:
        r = client.get("/health")
        assert r.status_code == 200
        assert r.json() == {"status": "ok", "version": __version__}


class TestReady:
    def test_ready_on_a_migrated_database(self, client: TestClient) -> None:
        r = client.get("/ready")
        assert r.status_code == 200
        assert r.json() == {
            "status": "ready",
            "version": __version__,
            "revision": sorted(server_heads()),
        }

    def test_returns_503_when_migrations_are_behind(self, empty_db_url: str) -> None:
        with TestClient(create_app(ServerSettings(database_url=empty_db_url))) as c:
            r = c.get("/ready")
        assert r.status_code == 503
        err = r.json()["error"]
        assert err["code"] == "INTERNAL"
        assert err["details"] == {
            "check": "migrations",
            "current": [],
            "head": sorted(server_heads()),
        }
        assert "nova db upgrade" in err["message"]

    def test_returns_503_after_a_downgrade(self, db_url: str, app: FastAPI) -> None:
        downgrade_server(db_url, "base")
        with TestClient(app) as c:
            assert c.get("/ready").status_code == 503


class TestMetrics:
    def test_labels_use_route_templates_not_raw_paths(
        self, make_app: Callable[..., FastAPI]
    ) -> None:
        app = make_app()

        @app.get("/v1/things/{thing_id}")
        def thing(thing_id: int) -> dict[str, int]:
            return {"id": thing_id}

        with TestClient(app) as c:
            for i in range(3):
                c.get(f"/v1/things/{i}")
            c.get("/v1/unknown/42")
            text = c.get("/metrics").text
        assert (
            'nova_http_requests_total{method="GET",route="/v1/things/{thing_id}",status="200"} 3.0'
            in text
        )
        assert 'route="<unmatched>",status="404"' in text
        assert "/v1/things/1" not in text
        assert "/v1/unknown/42" not in text
        assert re.search(
            r'nova_http_request_duration_seconds_count\{method="GET",'
            r'route="/v1/things/\{thing_id\}",status="200"\} 3\.0',
            text,
        )

    def test_two_apps_in_one_process_keep_separate_counts(
        self, make_app: Callable[..., FastAPI]
    ) -> None:
        with TestClient(make_app()) as a, TestClient(make_app()) as b:
            a.get("/health")
            text_b = b.get("/metrics").text
        assert 'route="/health"' not in text_b
