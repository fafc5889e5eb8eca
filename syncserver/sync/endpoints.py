"""`/v1/sync/*`: the terminal's handshake, push and pull (device credential only)."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from shared.limits import SEQ_MAX
from shared.permissions import Permission
from shared.sync import (
    BOOTSTRAP_PAGE,
    PULL_PAGE,
    BootstrapPage,
    Digest,
    HandshakeRequest,
    HandshakeResponse,
    PullResponse,
    PushRequest,
    PushResponse,
)
from syncserver.auth.deps import DbSession, client_ip
from syncserver.db import read_session
from syncserver.devices import service as devices
from syncserver.devices.endpoints import CurrentDevice
from syncserver.models import Device
from syncserver.observability.metrics import Metrics
from syncserver.sync import inbox as inbox_service
from syncserver.sync import service
from syncserver.tenancy import Subject, require

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
    body: HandshakeRequest, session: DbSession, device: PushingDevice
) -> HandshakeResponse:
    """A revoked till may still say hello: it is told it is quarantined, and its push goes to
    quarantine for review (it may not pull)."""
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
    cursor: Annotated[int, Query(ge=0, le=SEQ_MAX)] = 0,
    limit: Annotated[int, Query(ge=1, le=PULL_PAGE)] = PULL_PAGE,
    epoch: uuid.UUID | None = None,
    entity: Annotated[str | None, Query(max_length=32)] = None,
    catalog_from: Annotated[int, Query(ge=0, le=SEQ_MAX)] = 0,
) -> PullResponse:
    metrics = _metrics(request).sync
    started = time.perf_counter()
    page = service.pull(
        session,
        device,
        replica_id=replica_id,
        cursor=cursor,
        limit=limit,
        client_epoch=epoch,
        entity=entity,
        catalog_from=catalog_from,
    )
    metrics.pull_seconds.observe(time.perf_counter() - started)
    metrics.pull_lag.observe(max(0, service.head(session, device.tenant_id) - cursor))
    return page


@router.get("/bootstrap", response_model=BootstrapPage)
def bootstrap(
    session: DbSession,
    device: CurrentDevice,
    replica_id: uuid.UUID,
    scope: Annotated[str, Query(max_length=32)] = "catalog",
    after: Annotated[str | None, Query(max_length=120)] = None,
    limit: Annotated[int, Query(ge=1, le=BOOTSTRAP_PAGE)] = BOOTSTRAP_PAGE,
    epoch: uuid.UUID | None = None,
) -> BootstrapPage:
    """A new till's catalog, page by page (resumable from `after`); then it pulls from `as_of`."""
    return service.bootstrap(
        session, device, replica_id=replica_id, scope=scope, after=after, limit=limit,
        client_epoch=epoch,
    )  # fmt: skip


@router.get("/digest", response_model=Digest)
def digest(session: DbSession, device: CurrentDevice) -> Digest:
    """Sums per scope for the till's health check (one consistent snapshot)."""
    return service.digest(session, device)


Reviewer = Annotated[Subject, Depends(require(Permission.SYNC_REVIEW))]


class InboxItemOut(BaseModel):
    id: str
    status: str
    kind: str
    replica_id: uuid.UUID
    seq: int
    detail: str | None
    received_at: datetime
    payload: dict[str, Any]


class ResolveIn(BaseModel):
    resolution: str = Field(min_length=1, max_length=32)
    note: str = Field(default="", max_length=500)
    value: Any = None  # the value of a "custom" catalog-conflict resolution


@router.get("/inbox", response_model=list[InboxItemOut])
def inbox(session: DbSession, subject: Reviewer) -> list[InboxItemOut]:
    """Sales, refunds and stock that need a person; quarantined pushes (newest last)."""
    return [
        InboxItemOut(
            id=i.id,
            status=i.status,
            kind=i.kind,
            replica_id=i.replica_id,
            seq=i.seq,
            detail=i.detail,
            received_at=i.received_at,
            payload=json.loads(i.payload),
        )
        for i in inbox_service.list_items(session, subject)
    ]


class ResolvedOut(BaseModel):
    id: str
    at: datetime
    by: str | None
    status: str
    kind: str
    resolution: str
    note: str


@router.get("/inbox/resolved", response_model=list[ResolvedOut])
def resolved(
    session: DbSession, subject: Reviewer,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[ResolvedOut]:  # fmt: skip
    """The latest decisions on inbox items, newest first: who resolved what, when, and how."""
    return [
        ResolvedOut(id=r.id, at=r.at, by=r.by, status=r.status, kind=r.kind,
                    resolution=r.resolution, note=r.note)
        for r in inbox_service.resolved(session, subject, limit=limit)
    ]  # fmt: skip


@router.post("/inbox/{item_id}/resolve")
def resolve(
    item_id: str,
    body: ResolveIn,
    session: DbSession,
    subject: Reviewer,
    ip: Annotated[str | None, Depends(client_ip)],
) -> dict[str, Any]:
    return inbox_service.resolve(
        session, subject, item_id, resolution=body.resolution, note=body.note, ip=ip,
        value=body.value,
    )  # fmt: skip


POKE_POLL_SECONDS = 0.5  # how often an open stream looks at its tenant's change counter
KEEPALIVE_SECONDS = 2.0  # also how soon a closing till's reader notices it should stop


@router.get("/events", responses={200: {"content": {"text/event-stream": {}}}})
async def events(request: Request, device: CurrentDevice) -> StreamingResponse:
    """Server-sent events: `poke` whenever the tenant's change log moves, so an online till
    syncs within a second or two instead of at its next timer. Only a hint: the pull decides."""
    maker = request.app.state.sessionmaker
    tenant_id = device.tenant_id

    def current() -> int:
        with read_session(maker) as session:
            return service.head(session, tenant_id)

    async def stream() -> AsyncIterator[bytes]:
        last = await run_in_threadpool(current)
        yield f"event: hello\ndata: {last}\n\n".encode()
        quiet = 0.0
        while not await request.is_disconnected():
            await asyncio.sleep(POKE_POLL_SECONDS)
            now = await run_in_threadpool(current)
            if now != last:
                last, quiet = now, 0.0
                yield f"event: poke\ndata: {now}\n\n".encode()
            else:
                quiet += POKE_POLL_SECONDS
                if quiet >= KEEPALIVE_SECONDS:
                    quiet = 0.0
                    yield b": keepalive\n\n"

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
    )
