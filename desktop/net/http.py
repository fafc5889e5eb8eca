"""HTTP client side of the error taxonomy: server error bodies become the same typed exceptions.

Qt-free (plain httpx) so the sync worker can run it off the UI thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

import httpx

from shared.errors import NovaError, error_from_payload
from shared.ids import uuid7

REQUEST_ID_HEADER = "X-Request-ID"
BUSY_RETRIES = 4  # a busy server (503 + Retry-After) is asked again this many times
BUSY_WAIT_MAX_SECONDS = 10.0


def busy_wait(response: httpx.Response) -> float | None:
    """Seconds a 503 asks the client to wait before resending (None: not a "busy, retry")."""
    if response.status_code != 503:
        return None
    value = response.headers.get("Retry-After", "")
    if not value.strip().isdigit():
        return None
    return min(float(value), BUSY_WAIT_MAX_SECONDS)


class ServerUnreachable(NovaError):
    """The world's fault: no network, server down, timeout. The till keeps selling offline."""

    # Not a server answer: carries the INTERNAL code only so it fits the taxonomy base.


def raise_for_error(response: httpx.Response) -> None:
    """Raise the typed `NovaError` an error response carries; return quietly on 2xx/3xx."""
    if response.status_code < 400:
        return
    try:
        payload: Any = response.json()
    except ValueError:
        payload = None
    error = error_from_payload(payload, status=response.status_code)
    error.request_id = error.request_id or response.headers.get(REQUEST_ID_HEADER)
    raise error


class ServerClient:
    """A thin client for the sync server: request ids out, typed errors back.

    Args:
        base_url: server URL, e.g. ``http://127.0.0.1:8700``.
        transport: injectable httpx transport (tests pass an ASGI or fault-injecting one).
        timeout: seconds for connect/read/write.
        sleep: how to wait when the server answers 503 with `Retry-After` (tests pass a fake).
    """

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = httpx.Client(base_url=base_url, transport=transport, timeout=timeout)
        self._sleep = sleep

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send one request; raises `ServerUnreachable` or the server's typed error."""
        headers = dict(kwargs.pop("headers", None) or {})
        headers.setdefault(REQUEST_ID_HEADER, str(uuid7()))
        for attempt in range(1 + BUSY_RETRIES):
            try:
                response = self._http.request(method, path, headers=headers, **kwargs)
            except httpx.TransportError as exc:
                raise ServerUnreachable(
                    "the sync server cannot be reached; sales continue offline",
                    details={"reason": type(exc).__name__, "url": str(self._http.base_url)},
                    request_id=headers[REQUEST_ID_HEADER],
                ) from exc
            wait = busy_wait(response)
            if wait is None or attempt == BUSY_RETRIES:
                break
            self._sleep(wait)  # the server wrote nothing: the same request is safe to resend
        raise_for_error(response)
        return response

    def get_json(self, path: str) -> Any:
        return self.request("GET", path).json()

    def post_json(self, path: str, body: Any) -> Any:
        return self.request("POST", path, json=body).json()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
