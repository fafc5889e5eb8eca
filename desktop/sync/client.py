"""The terminal's side of the wire: handshake, compressed push, paged pull (typed errors back)."""

from __future__ import annotations

import gzip
import uuid

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

    def digest(self) -> Digest:
        response = self._server.request("GET", "/v1/sync/digest", headers=self._auth)
        return Digest.model_validate_json(response.content)

    def close(self) -> None:
        self._server.close()


def enroll(
    base_url: str, code: str, name: str, *, transport: httpx.BaseTransport | None = None
) -> tuple[str, str, str]:
    """Trade a one-time code for a credential: (device id, secret, tenant id)."""
    with ServerClient(base_url, transport=transport) as server:
        body = server.post_json("/v1/devices/enroll", {"code": code, "name": name})
    return str(body["device"]["id"]), str(body["secret"]), str(body["tenant_id"])
