"""The terminal's side of the wire: handshake, compressed push, paged pull (typed errors back)."""

from __future__ import annotations

import gzip
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from desktop.net.http import ServerClient
from shared.sync import (
    BootstrapPage,
    Digest,
    HandshakeRequest,
    HandshakeResponse,
    PullResponse,
    PushRequest,
    PushResponse,
)


class SyncClient:
    def __init__(
        self,
        base_url: str,
        device_id: str,
        secret: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._server = ServerClient(base_url, transport=transport, timeout=timeout)
        self._auth = {"Authorization": f"Device {device_id}:{secret}"}

    def handshake(self, request: HandshakeRequest) -> HandshakeResponse:
        response = self._server.request(
            "POST",
            "/v1/sync/handshake",
            headers=self._auth,
            json=request.model_dump(mode="json", exclude_none=True),  # an older server: no code
        )
        return HandshakeResponse.model_validate_json(response.content)

    def push(self, request: PushRequest) -> PushResponse:
        body = gzip.compress(request.model_dump_json().encode(), compresslevel=5)
        headers = {
            **self._auth,
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
        }
        response = self._server.request("POST", "/v1/sync/push", headers=headers, content=body)
        return PushResponse.model_validate_json(response.content)

    def pull(
        self,
        replica_id: uuid.UUID,
        cursor: int,
        epoch: uuid.UUID | None,
        limit: int,
        entity: str | None = None,
        catalog_from: int = 0,
    ) -> PullResponse:
        params: dict[str, str | int] = {
            "replica_id": str(replica_id),
            "cursor": cursor,
            "limit": limit,
        }
        if epoch is not None:
            params["epoch"] = str(epoch)
        if entity is not None:
            params["entity"] = entity
        if catalog_from:
            params["catalog_from"] = catalog_from
        response = self._server.request("GET", "/v1/sync/pull", headers=self._auth, params=params)
        return PullResponse.model_validate_json(response.content)

    def bootstrap(
        self, replica_id: uuid.UUID, after: str | None, epoch: uuid.UUID | None, limit: int
    ) -> BootstrapPage:
        params: dict[str, str | int] = {
            "replica_id": str(replica_id),
            "scope": "catalog",
            "limit": limit,
        }
        if after is not None:
            params["after"] = after
        if epoch is not None:
            params["epoch"] = str(epoch)
        response = self._server.request(
            "GET", "/v1/sync/bootstrap", headers=self._auth, params=params
        )
        return BootstrapPage.model_validate_json(response.content)

    def image(self, sha256: str) -> bytes:
        """A tile picture's bytes by its hash (NotFound: the server has no such picture)."""
        response = self._server.request("GET", f"/v1/catalog/images/{sha256}", headers=self._auth)
        return response.content

    def digest(self) -> Digest:
        response = self._server.request("GET", "/v1/sync/digest", headers=self._auth)
        return Digest.model_validate_json(response.content)

    def close(self) -> None:
        self._server.close()


@dataclass(frozen=True)
class Enrollment:
    """What the server answers a terminal that trades a one-time code."""

    device_id: str
    secret: str
    tenant_id: str
    terminal_code: str | None  # None from a server that assigns none
    location: dict[str, Any] | None  # {id, code, name}


def enroll(
    base_url: str, code: str, name: str, *, transport: httpx.BaseTransport | None = None
) -> Enrollment:
    """Trade a one-time code for a credential."""
    with ServerClient(base_url, transport=transport) as server:
        body = server.post_json("/v1/devices/enroll", {"code": code, "name": name})
    location = body.get("location")
    return Enrollment(
        device_id=str(body["device"]["id"]),
        secret=str(body["secret"]),
        tenant_id=str(body["tenant_id"]),
        terminal_code=body.get("terminal_code") or None,
        location=location if isinstance(location, dict) else None,
    )
