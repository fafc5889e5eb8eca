"""`/v1/devices*`: enrollment codes, enrollment, listing, rotation, revocation."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, Field

from shared.permissions import Permission
from syncserver.auth.deps import DbSession, client_ip
from syncserver.devices import service
from syncserver.models import Device
from syncserver.sync.documents import republish_location
from syncserver.tenancy import Public, Subject, require

router = APIRouter(prefix="/v1", tags=["devices"])
# Per location: a manager of one shop handles that shop's terminals only (checked in the service).
Manager = Annotated[Subject, Depends(require(Permission.DEVICES_MANAGE, per_location=True))]
Ip = Annotated[str | None, Depends(client_ip)]


class CodeIn(BaseModel):
    location_id: uuid.UUID
    ttl_minutes: int = Field(default=24 * 60, ge=5, le=7 * 24 * 60, strict=True)


class CodeOut(BaseModel):
    code: str
    expires_at: datetime


class EnrollIn(BaseModel):
    code: str = Field(min_length=8, max_length=20)
    name: str = Field(min_length=1, max_length=120)


class MoveIn(BaseModel):
    location_id: uuid.UUID


class DeviceOut(BaseModel):
    id: uuid.UUID
    name: str
    location_id: uuid.UUID
    status: str
    last_seen_at: datetime | None = None
    terminal_code: str | None = None  # "T01".."T99"; None for tills enrolled before codes


class CredentialOut(BaseModel):
    device: DeviceOut
    tenant_id: uuid.UUID
    secret: str  # shown once; the terminal keeps it in the OS keyring


class LocationRef(BaseModel):
    id: uuid.UUID
    code: str
    name: str


class EnrolledOut(CredentialOut):
    """What a new till stores: its credential, terminal code and the shop it belongs to."""

    terminal_code: str
    location: LocationRef


def _out(device: Device) -> DeviceOut:
    return DeviceOut.model_validate(device, from_attributes=True)


def current_device(request: Request, session: DbSession) -> Device:
    return service.authenticate(session, request.headers.get("Authorization", ""))


current_device.nova_permission = "device"  # type: ignore[attr-defined]
CurrentDevice = Annotated[Device, Depends(current_device)]


@router.post("/devices/enrollment-codes", response_model=CodeOut, status_code=201)
def create_code(body: CodeIn, session: DbSession, subject: Manager, ip: Ip) -> CodeOut:
    code, expires = service.create_enrollment_code(
        session,
        subject,
        location_id=body.location_id,
        ttl=timedelta(minutes=body.ttl_minutes),
        ip=ip,
    )
    return CodeOut(code=code, expires_at=expires)


@router.post("/devices/enroll", response_model=EnrolledOut, status_code=201, dependencies=[Public])
def enroll(body: EnrollIn, request: Request, session: DbSession, ip: Ip) -> EnrolledOut:
    """A terminal trades a one-time code for its credential and terminal code (rate-limited
    per IP). A name another active till of the business has is CONFLICT (details.field
    "name") and leaves the code unused."""
    request.app.state.register_limiter.hit(f"enroll:{ip}", what="enrollment attempts")
    enrolled = service.enroll(session, code=body.code, name=body.name, ip=ip)
    device, location = enrolled.device, enrolled.location
    assert device.terminal_code is not None  # both set by enroll
    assert location is not None
    return EnrolledOut(
        device=_out(device),
        tenant_id=device.tenant_id,
        secret=enrolled.secret,
        terminal_code=device.terminal_code,
        location=LocationRef(id=location.id, code=location.code, name=location.name),
    )


@router.get("/devices", response_model=list[DeviceOut])
def list_devices(session: DbSession, subject: Manager) -> list[DeviceOut]:
    return [_out(d) for d in service.list_devices(session, subject)]


@router.post("/devices/{device_id}/rotate", response_model=CredentialOut)
def rotate(device_id: uuid.UUID, session: DbSession, subject: Manager, ip: Ip) -> CredentialOut:
    rotated = service.rotate(session, subject, device_id, ip=ip)
    return CredentialOut(
        device=_out(rotated.device), tenant_id=subject.tenant_id, secret=rotated.secret
    )


@router.post("/devices/{device_id}/revoke", response_model=DeviceOut)
def revoke(device_id: uuid.UUID, session: DbSession, subject: Manager, ip: Ip) -> DeviceOut:
    return _out(service.revoke(session, subject, device_id, ip=ip))


@router.patch("/devices/{device_id}", response_model=DeviceOut)
def move(
    device_id: uuid.UUID, body: MoveIn, session: DbSession, subject: Manager, ip: Ip
) -> DeviceOut:
    """Move a till to another location of the business (`devices.manage` at both; same
    currency). It takes the new location at its next sync; what it sold before stays booked
    at the old one."""
    device = service.move(session, subject, device_id, body.location_id, ip=ip)
    republish_location(session, device.tenant_id, device.location_id)
    return _out(device)


@router.get("/device/me", response_model=DeviceOut, status_code=status.HTTP_200_OK)
def whoami(device: CurrentDevice) -> DeviceOut:
    """What the server knows of the calling terminal (the sync protocol builds on this)."""
    return _out(device)
