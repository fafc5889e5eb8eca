"""The terminal's HTTP client turns the server's error bodies back into the same typed errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.net.http import BUSY_RETRIES, ServerClient, ServerUnreachable
from migrations.runner import upgrade_server
from shared.errors import (
    AuthnError,
    AuthzError,
    Conflict,
    NotFound,
    NovaError,
    RateLimited,
    Unavailable,
    ValidationFailed,
)
from syncserver.app import create_app
from syncserver.db import ServerBusy
from syncserver.settings import ServerSettings
from tests.support.live_server import free_port, live_server

ERRORS: list[NovaError] = [
    ValidationFailed("qty must be positive", details={"field": "qty"}),
    AuthnError("sign in again"),
    AuthzError("needs pos.refund", details={"permission": "pos.refund"}),
    NotFound("no such ticket", details={"ticket_id": "t1"}),
    Conflict("ticket already closed", details={"ticket_id": "t1"}),
    RateLimited("slow down", retry_after=12),
]


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn server in a thread, with probe routes raising each error."""
    url = f"sqlite+pysqlite:///{tmp_path_factory.mktemp('srv') / 's.db'}"
    upgrade_server(url)
    app = create_app(ServerSettings(database_url=url))

    @app.get("/probe/{index}")
    def probe(index: int) -> None:
        raise ERRORS[index]

    busy_left: dict[str, int] = {}

    @app.post("/busy/{key}/{times}")
    def busy(key: str, times: int) -> dict[str, int]:
        """Busy (503 + Retry-After, as the SQLite server when its writer is taken) `times`
        times per key, then fine."""
        left = busy_left.setdefault(key, times)
        if left > 0:
            busy_left[key] = left - 1
            raise ServerBusy()
        return {"served_after": times}

    @app.get("/down")
    def down() -> None:
        raise Unavailable("the mail server is unreachable")  # 503 without Retry-After

    with live_server(app) as url:
        yield url


class TestErrorMapping:
    @pytest.mark.parametrize("index", range(len(ERRORS)), ids=[e.code.value for e in ERRORS])
    def test_each_error_comes_back_typed_and_intact(self, server_url: str, index: int) -> None:
        sent = ERRORS[index]
        with ServerClient(server_url) as client, pytest.raises(NovaError) as caught:
            client.request("GET", f"/probe/{index}", headers={"X-Request-ID": f"till-{index}"})
        got = caught.value
        assert type(got) is type(sent)
        assert got.message == sent.message
        assert got.details == sent.details
        assert got.request_id == f"till-{index}"

    def test_rate_limit_keeps_retry_after(self, server_url: str) -> None:
        with ServerClient(server_url) as client, pytest.raises(RateLimited) as caught:
            client.get_json(f"/probe/{len(ERRORS) - 1}")
        assert caught.value.retry_after == 12

    def test_unknown_route_is_not_found(self, server_url: str) -> None:
        with ServerClient(server_url) as client, pytest.raises(NotFound):
            client.get_json("/v1/nothing-here")

    def test_success_returns_json(self, server_url: str) -> None:
        with ServerClient(server_url) as client:
            assert client.get_json("/health")["status"] == "ok"


class TestBusyServer:
    def test_a_busy_answer_is_waited_out_and_sent_again(self, server_url: str) -> None:
        waits: list[float] = []
        with ServerClient(server_url, sleep=waits.append) as client:
            assert client.post_json("/busy/a/3", {}) == {"served_after": 3}
        assert waits == [1.0, 1.0, 1.0]  # the server's Retry-After, each time

    def test_a_server_busy_for_too_long_is_reported(self, server_url: str) -> None:
        waits: list[float] = []
        client = ServerClient(server_url, sleep=waits.append)
        with client, pytest.raises(Unavailable) as caught:
            client.post_json("/busy/b/99", {})
        assert len(waits) == BUSY_RETRIES
        assert caught.value.details["retry_after"] == 1

    def test_a_503_without_retry_after_is_not_resent(self, server_url: str) -> None:
        waits: list[float] = []
        client = ServerClient(server_url, sleep=waits.append)
        with client, pytest.raises(Unavailable):
            client.get_json("/down")
        assert waits == []


class TestWorldFailures:
    def test_refused_connection_is_server_unreachable(self) -> None:
        client = ServerClient(f"http://127.0.0.1:{free_port()}", timeout=2)
        with client, pytest.raises(ServerUnreachable) as caught:
            client.get_json("/health")
        assert caught.value.details["reason"] == "ConnectError"
        assert caught.value.request_id
