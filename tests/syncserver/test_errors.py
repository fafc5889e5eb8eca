"""Every error the server can return has the one taxonomy shape, the right status and no leaks."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session

from shared.errors import (
    AuthnError,
    AuthzError,
    Conflict,
    InternalError,
    NotFound,
    NovaError,
    RateLimited,
    ValidationFailed,
)

RAISERS: dict[str, tuple[NovaError, int]] = {
    "validation": (ValidationFailed("quantity must be positive", details={"field": "qty"}), 422),
    "authn": (AuthnError("sign in again"), 401),
    "authz": (AuthzError("needs pos.refund", details={"permission": "pos.refund"}), 403),
    "not_found": (NotFound("no such ticket", details={"ticket_id": "t1"}), 404),
    "conflict": (Conflict("ticket already closed", details={"ticket_id": "t1"}), 409),
    "rate_limit": (RateLimited("too many attempts", retry_after=30), 429),
    "internal": (InternalError("something broke"), 500),
}


class Thing(BaseModel):
    name: str
    qty: int


@pytest.fixture
def probe_app(make_app: Callable[..., FastAPI]) -> FastAPI:
    app = make_app(max_body_bytes=1_000)

    @app.get("/probe/raise/{kind}")
    def raise_kind(kind: str) -> None:
        raise RAISERS[kind][0]

    @app.post("/probe/things/{thing_id}")
    def post_thing(thing_id: int, thing: Thing) -> dict[str, Any]:
        return {"id": thing_id, "name": thing.name}

    @app.get("/probe/crash")
    def crash() -> None:
        with Session(app.state.engine) as s:
            s.execute(text("select * from no_such_table_secret"))

    return app


@pytest.fixture
def probe(probe_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(probe_app, raise_server_exceptions=False) as c:
        yield c


def assert_shape(body: dict[str, Any], code: str, request_id: str | None = None) -> dict[str, Any]:
    assert set(body) == {"error"}
    err = body["error"]
    assert set(err) == {"code", "message", "details", "request_id"}
    assert err["code"] == code
    assert isinstance(err["message"], str)
    assert err["message"]
    assert isinstance(err["details"], dict)
    if request_id:
        assert err["request_id"] == request_id
    return dict(err)


class TestTaxonomyErrors:
    @pytest.mark.parametrize("kind", sorted(set(RAISERS) - {"internal"}))
    def test_each_code_renders_exactly(self, probe: TestClient, kind: str) -> None:
        error, status = RAISERS[kind]
        r = probe.get(f"/probe/raise/{kind}", headers={"X-Request-ID": "req-123"})
        assert r.status_code == status
        assert r.json() == {
            "error": {
                "code": error.code.value,
                "message": error.message,
                "details": error.details,
                "request_id": "req-123",
            }
        }

    def test_rate_limit_sends_retry_after(self, probe: TestClient) -> None:
        r = probe.get("/probe/raise/rate_limit")
        assert r.headers["Retry-After"] == "30"
        assert r.json()["error"]["details"]["retry_after"] == 30

    @pytest.mark.allow_warnings
    def test_internal_error_raised_on_purpose_is_500(self, probe: TestClient) -> None:
        r = probe.get("/probe/raise/internal")
        assert r.status_code == 500
        assert_shape(r.json(), "INTERNAL")


class TestFrameworkErrors:
    def test_payload_validation_lists_fields_without_echoing_input(self, probe: TestClient) -> None:
        r = probe.post("/probe/things/abc", json={"name": "s3cret-pin", "qty": "many"})
        assert r.status_code == 422
        err = assert_shape(r.json(), "VALIDATION")
        locs = sorted(tuple(e["loc"]) for e in err["details"]["errors"])
        assert locs == [("body", "qty"), ("path", "thing_id")]
        assert "s3cret-pin" not in r.text
        assert "many" not in r.text

    def test_malformed_json_is_a_validation_error(self, probe: TestClient) -> None:
        r = probe.post(
            "/probe/things/1",
            content=b'{"name": "x", ',
            headers={"content-type": "application/json"},
        )
        assert r.status_code == 422
        err = assert_shape(r.json(), "VALIDATION")
        assert err["message"] == "the request body is not valid JSON"

    def test_unknown_route_is_not_found(self, probe: TestClient) -> None:
        r = probe.get("/v1/nowhere", headers={"X-Request-ID": "abc"})
        assert r.status_code == 404
        err = assert_shape(r.json(), "NOT_FOUND", "abc")
        assert err["details"] == {"path": "/v1/nowhere"}

    def test_wrong_method_is_405_with_allow(self, probe: TestClient) -> None:
        r = probe.delete("/probe/things/1")
        assert r.status_code == 405
        assert r.headers["Allow"] == "POST"
        err = assert_shape(r.json(), "VALIDATION")
        assert err["details"] == {"method": "DELETE", "allow": "POST"}

    def test_405_allow_lists_every_route_on_the_path(self, probe: TestClient) -> None:
        # GET and POST /v1/staff are two routes; Starlette alone names only the first.
        r = probe.put("/v1/staff")
        assert r.status_code == 405
        assert r.headers["Allow"] == "GET, POST"
        assert assert_shape(r.json(), "VALIDATION")["details"]["allow"] == "GET, POST"

    def test_oversized_body_by_content_length_is_413(self, probe: TestClient) -> None:
        r = probe.post("/probe/things/1", json={"name": "x" * 2_000, "qty": 1})
        assert r.status_code == 413
        err = assert_shape(r.json(), "VALIDATION")
        assert err["details"] == {"limit_bytes": 1_000}

    def test_oversized_chunked_body_is_413(self, probe: TestClient) -> None:
        def chunks() -> Iterator[bytes]:
            yield b'{"name": "'
            for _ in range(10):
                yield b"x" * 200
            yield b'", "qty": 1}'

        r = probe.post(
            "/probe/things/1", content=chunks(), headers={"content-type": "application/json"}
        )
        assert "content-length" not in {k.lower() for k in r.request.headers}
        assert r.status_code == 413
        assert_shape(r.json(), "VALIDATION")

    def test_small_body_passes(self, probe: TestClient) -> None:
        r = probe.post("/probe/things/7", json={"name": "tea", "qty": 1})
        assert r.status_code == 200
        assert r.json() == {"id": 7, "name": "tea"}


class TestUnhandled:
    @pytest.mark.allow_warnings
    def test_crash_is_500_without_traceback_or_sql_and_is_logged_with_request_id(
        self, probe: TestClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        r = probe.get("/probe/crash", headers={"X-Request-ID": "crash-1"})
        assert r.status_code == 500
        err = assert_shape(r.json(), "INTERNAL", "crash-1")
        assert err["details"] == {}
        for leak in ("Traceback", "no_such_table_secret", "select", "sqlalchemy"):
            assert leak.lower() not in r.text.lower()
        records = [rec for rec in caplog.records if rec.levelno == logging.ERROR]
        assert len(records) == 1
        assert records[0].exc_info is not None
        assert getattr(records[0], "request_id", None) in (None, "crash-1")


class TestRequestId:
    def test_sane_incoming_id_is_kept(self, client: TestClient) -> None:
        assert (
            client.get("/health", headers={"X-Request-ID": "till-7.42"}).headers["X-Request-ID"]
            == "till-7.42"
        )

    @pytest.mark.parametrize("bad", ["has space", "x" * 200, "semi;colon"])
    def test_unsafe_incoming_id_is_replaced(self, client: TestClient, bad: str) -> None:
        rid = client.get("/health", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert rid != bad
        assert len(rid) == 36

    def test_generated_when_absent_and_matches_error_body(self, client: TestClient) -> None:
        r = client.get("/missing")
        assert r.json()["error"]["request_id"] == r.headers["X-Request-ID"]
