"""The seed's HTTP side: JSON calls to the server's public API as one signed-in person.

Only what any client may call (no database access): errors come back as the taxonomy's typed
exceptions through the till's own `ServerClient`.
"""

from __future__ import annotations

from typing import Any

import httpx

from desktop.net.http import ServerClient


class Api:
    """JSON over `ServerClient`, with the bearer token of whoever signed in last."""

    def __init__(self, base_url: str, *, transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._client = ServerClient(self.base_url, transport=transport, timeout=30.0)
        self.token: str | None = None

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        kwargs: dict[str, Any] = {"headers": self._headers()}
        if body is not None:
            kwargs["json"] = body
        if params:
            kwargs["params"] = params
        response = self._client.request(method, path, **kwargs)
        return response.json() if response.content else None

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, **params)

    def post(self, path: str, body: Any = None) -> Any:
        return self.call("POST", path, {} if body is None else body)

    def patch(self, path: str, body: Any) -> Any:
        return self.call("PATCH", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self.call("PUT", path, body)

    def close(self) -> None:
        self._client.close()
