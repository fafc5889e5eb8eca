"""`/v1/locations`: the shops a person works at; managers open new ones."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field, field_validator

from shared.permissions import Permission
from syncserver.auth.deps import DbSession, client_ip
from syncserver.locations import service
from syncserver.models import Location
from syncserver.tenancy import Subject, member, require

router = APIRouter(prefix="/v1", tags=["locations"])
Ip = Annotated[str | None, Depends(client_ip)]


class LocationIn(BaseModel):
    code: str = Field(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9-]+$")
    name: str = Field(min_length=1, max_length=120)

    @field_validator("code")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


class LocationOut(BaseModel):
    id: uuid.UUID
    code: str
    name: str


def _out(location: Location) -> LocationOut:
    return LocationOut(id=location.id, code=location.code, name=location.name)


@router.get("/locations", response_model=list[LocationOut])
def list_locations(
    session: DbSession, subject: Annotated[Subject, Depends(member)]
) -> list[LocationOut]:
    """All of the business's locations, or the ones the caller holds roles at."""
    return [_out(loc) for loc in service.visible_locations(session, subject)]


@router.post("/locations", response_model=LocationOut, status_code=status.HTTP_201_CREATED)
def open_location(
    body: LocationIn,
    session: DbSession,
    subject: Annotated[Subject, Depends(require(Permission.LOCATIONS_MANAGE))],
    ip: Ip,
) -> LocationOut:
    return _out(
        service.open_location(session, subject, code=body.code, name=body.name.strip(), ip=ip)
    )
