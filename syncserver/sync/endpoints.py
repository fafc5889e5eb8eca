"""`/v1/sync/*`: the terminal's handshake, push and pull (device credential only)."""

from __future__ import annotations

import time
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from shared.sync import (
    PULL_PAGE,
    HandshakeRequest,
    HandshakeResponse,
    PullResponse,
    PushRequest,
    PushResponse,
)
from syncserver.auth.deps import DbSession
from syncserver.devices import service as devices
from syncserver.devices.endpoints import CurrentDevice
from syncserver.models import Device
from syncserver.observability.metrics import Metrics
from syncserver.sync import service

router = APIRouter(prefix="/v1/sync", tags=["sync"])


def pushing_device(request: Request, session: DbSession) -> Device:
    """Like `current_device`, but a revoked terminal may still hand over what it sold."""
    return devices.authenticate(
        session, request.headers.get("Authorization", ""), allow_revoked=True
    )


pushing_device.nova_permission = "device"  # type: ignore[attr-defined]
PushingDevice = Annotated[Device, Depends(pushing_device)]


def _metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


@router.post("/handshake", response_model=HandshakeResponse)
def handshake(
    body: HandshakeRequest, session: DbSession, device: CurrentDevice
) -> HandshakeResponse:
    return service.handshake(session, device, body)


@router.post("/push", response_model=PushResponse)
def push(
    body: PushRequest, request: Request, session: DbSession, device: PushingDevice
) -> PushResponse:
    metrics = _metrics(request).sync
    with metrics.push_seconds.time():
        return service.push(session, device, body, metrics)


@router.get("/pull", response_model=PullResponse)
def pull(
    request: Request,
    session: DbSession,
    device: CurrentDevice,
    replica_id: uuid.UUID,
    cursor: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=PULL_PAGE)] = PULL_PAGE,
    epoch: uuid.UUID | None = None,
) -> PullResponse:
    metrics = _metrics(request).sync
    started = time.perf_counter()
    page = service.pull(
        session, device, replica_id=replica_id, cursor=cursor, limit=limit, client_epoch=epoch
    )
    metrics.pull_seconds.observe(time.perf_counter() - started)
    metrics.pull_lag.observe(max(0, service.head(session, device.tenant_id) - cursor))
    return page
