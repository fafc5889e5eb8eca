"""Fuzz the running server from its own OpenAPI document (schemathesis), on SQLite and Postgres.

Every operation gets generated requests, valid and invalid, sent over HTTP to a real uvicorn
with a real business behind it (an owner signed in, a till enrolled): no answer may be a 5xx,
and every answer must be one the document lists, in the shape it gives (errors in the
taxonomy shape), and invalid input must be refused. Bounded in CI (NOVA_TEST_PROFILE=ci);
`NOVA_TEST_PROFILE=long` runs many more examples per operation.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from migrations.runner import upgrade_server
from syncserver.app import create_app
from syncserver.auth.rate_limit import SlidingWindowLimiter
from syncserver.db import make_engine, make_sessionmaker
from syncserver.mail import MemoryMailSender
from syncserver.settings import ServerSettings
from syncserver.superadmin.accounts import create_superadmin
from tests.support.live_server import live_server
from tests.syncserver.identity.conftest import ADMIN_PASSWORD, OWNER, admin_headers, login
from tests.syncserver.sync.conftest import open_shop

EXAMPLES = {"ci": 12, "dev": 30, "long": 400}.get(os.environ.get("NOVA_TEST_PROFILE", "dev"), 30)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@dataclass
class Target:
    url: str
    api: TestClient
    owner: dict[str, str]
    admin: dict[str, str]
    till: dict[str, str]
    relogins: int = 0
    seen: set[str] = field(default_factory=set)

    def headers_for(self, case: Any) -> dict[str, str]:
        """The credential the operation asks for (the fuzzer may still replace or drop it)."""
        path = case.operation.path
        if path.startswith(("/v1/sync", "/v1/device/")):
            return dict(self.till)
        if path.startswith("/v1/superadmin"):
            return dict(self.admin)
        return dict(self.owner)

    def signed_out(self, case: Any, status: int) -> None:
        """A fuzzed sign-out (logout, revoke-all) ends the owner's session: sign in again."""
        if status == 401 and case.operation.path.startswith("/v1/auth"):
            self.owner = _owner_headers(self.api)
            self.relogins += 1


def _owner_headers(api: TestClient) -> dict[str, str]:
    session = login(api, "owner@fuzz.example", OWNER["password"])
    return {"Authorization": f"Bearer {session['token']}"}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def fuzz_target(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    if request.param == "sqlite":
        url = f"sqlite+pysqlite:///{tmp_path_factory.mktemp('fuzz') / 'server.db'}"
    else:
        url = request.getfixturevalue("pg_database_factory")()
    upgrade_server(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session, session.begin():
        create_superadmin(session, email="ops@nova.example", name="Ops", password=ADMIN_PASSWORD)
    engine.dispose()
    mailer = MemoryMailSender()
    app = create_app(ServerSettings(database_url=url))
    app.state.mailer = mailer
    with TestClient(app, raise_server_exceptions=False) as api:
        shop = open_shop(api, mailer, url, "Fuzz")
        till = shop.enroll()
        shop.hire("55")
        # The fuzzer registers and enrolls many times: not what the rate limits are tested for.
        app.state.register_limiter = SlidingWindowLimiter(1_000_000, 3600)
        with live_server(app) as base:
            yield Target(base, api, shop.headers, admin_headers(api), till.headers)


@pytest.fixture(scope="module")
def fuzz_schema(fuzz_target: Target) -> Any:
    """Loaded from the running server, as any client would."""
    return schemathesis.openapi.from_url(f"{fuzz_target.url}/openapi.json")


def _operations() -> list[Any]:
    """(method, path, mode): valid requests for all, invalid ones where there is input."""
    doc = create_app(ServerSettings(database_url="sqlite+pysqlite://")).openapi()
    out = []
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            out.append(pytest.param(method.upper(), path, POSITIVE, id=f"{method} {path} valid"))
            if op.get("parameters") or op.get("requestBody"):
                out.append(
                    pytest.param(method.upper(), path, NEGATIVE, id=f"{method} {path} invalid")
                )
    return out


POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE


# Streams that stay open by design: the fuzzer would wait for an end that never comes.
STREAMS = {"/v1/sync/events"}


def _stream_opened(case: Any, headers: dict[str, str]) -> bool:
    """Open the stream and read its first event; False if it answered with an error instead
    (which ends, so the ordinary checks then read and judge it)."""
    kwargs = case.as_transport_kwargs(headers=headers)
    with requests.request(**kwargs, stream=True, timeout=10) as response:
        if response.status_code != 200:
            return False
        assert response.headers["content-type"].startswith("text/event-stream")
        first = next(response.iter_lines())
        assert first.startswith(b"event: hello"), first
        return True


@pytest.mark.parametrize(("method", "path", "mode"), _operations())
def test_every_operation_answers_as_documented_and_never_5xx(
    fuzz_target: Target, fuzz_schema: Any, method: str, path: str, mode: GenerationMode
) -> None:
    operation = fuzz_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True,
        suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    def fuzz(case: Any) -> None:
        headers = fuzz_target.headers_for(case)
        if path in STREAMS and _stream_opened(case, headers):
            return
        response = case.call(headers=headers)
        fuzz_target.signed_out(case, response.status_code)
        case.validate_response(response, checks=CHECKS)

    fuzz()


def test_the_fuzz_target_is_a_real_business(fuzz_target: Target) -> None:
    """The fuzzer's credentials work: it reaches past authentication."""
    r = fuzz_target.api.get("/v1/staff", headers=fuzz_target.owner)
    assert r.status_code == 200
    assert any(p["code"] == "55" for p in r.json())
    r = fuzz_target.api.get("/v1/sync/digest", headers=fuzz_target.till)
    assert r.status_code == 200
