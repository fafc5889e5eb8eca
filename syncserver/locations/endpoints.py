"""`/v1/locations`: the shops a person works at; managers open new ones and change them."""

from __future__ import annotations

import json
import uuid
from functools import cache
from typing import Annotated
from zoneinfo import available_timezones

from fastapi import APIRouter, Depends, status
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from shared.currency import check_currency
from shared.errors import ValidationFailed
from shared.permissions import Permission
from syncserver.auth.deps import DbSession, client_ip
from syncserver.locations import service
from syncserver.models import Location
from syncserver.tenancy import Subject, member, require

router = APIRouter(prefix="/v1", tags=["locations"])
Ip = Annotated[str | None, Depends(client_ip)]
Manager = Annotated[Subject, Depends(require(Permission.LOCATIONS_MANAGE))]


@cache
def _zones() -> frozenset[str]:
    # "localtime" is whatever the machine says, "Factory" no place at all: neither is a shop's.
    return frozenset(available_timezones() - {"localtime", "Factory"})


def _zone(value: str) -> str:
    if value not in _zones():
        raise ValueError("an IANA time zone such as Europe/Berlin")
    return value


def _currency(value: str) -> str:
    try:
        check_currency(value.upper())
    except ValidationFailed:
        raise ValueError("an ISO 4217 currency code such as EUR or GBP") from None
    return value.upper()


TimeZone = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_zone)]
Currency = Annotated[str, Field(min_length=3, max_length=3), AfterValidator(_currency)]
AddressLine = Annotated[str, Field(max_length=48)]
Name = Annotated[str, Field(min_length=1, max_length=120)]


def _lines(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines if line.strip()]


class LocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9-]+$")
    name: Name
    address_lines: list[AddressLine] = Field(default=[], max_length=4)
    timezone: TimeZone | None = None  # None: the business's time zone
    currency: Currency | None = None  # None: the business's currency

    @field_validator("code")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


class LocationPatch(BaseModel):
    """Only the fields given change; `timezone` or `currency` null goes back to the business's."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    address_lines: list[AddressLine] | None = Field(default=None, max_length=4)
    timezone: TimeZone | None = None
    currency: Currency | None = None


class LocationOut(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    address_lines: list[str]
    timezone: str | None
    currency: str | None  # None: the business's


def _out(location: Location) -> LocationOut:
    return LocationOut(
        id=location.id,
        code=location.code,
        name=location.name,
        address_lines=json.loads(location.address_lines or "[]"),
        timezone=location.timezone,
        currency=location.currency,
    )


@router.get("/locations", response_model=list[LocationOut])
def list_locations(
    session: DbSession, subject: Annotated[Subject, Depends(member)]
) -> list[LocationOut]:
    """All of the business's locations, or the ones the caller holds roles at."""
    return [_out(loc) for loc in service.visible_locations(session, subject)]


@router.post("/locations", response_model=LocationOut, status_code=status.HTTP_201_CREATED)
def open_location(body: LocationIn, session: DbSession, subject: Manager, ip: Ip) -> LocationOut:
    """A location with a code the business already has is CONFLICT (details.field "code").
    `currency` is for a shop in another country: its tills sell in it."""
    return _out(
        service.open_location(
            session,
            subject,
            code=body.code,
            name=body.name.strip(),
            address_lines=_lines(body.address_lines),
            timezone=body.timezone,
            currency=body.currency,
            ip=ip,
        )
    )


@router.patch("/locations/{location_id}", response_model=LocationOut)
def change_location(
    location_id: uuid.UUID, body: LocationPatch, session: DbSession, subject: Manager, ip: Ip
) -> LocationOut:
    """Tills of the location get the change with their next sync (the `location` document).
    The currency changes only while no till is enrolled there (CONFLICT, field "currency"):
    a till's open shift and stored sales are in the currency it had."""
    given = body.model_fields_set
    changes: dict[str, object] = {}
    if body.name is not None:
        changes["name"] = body.name.strip()
    if body.address_lines is not None:
        changes["address_lines"] = _lines(body.address_lines)
    if "timezone" in given:
        changes["timezone"] = body.timezone
    if "currency" in given:
        changes["currency"] = body.currency
    return _out(service.change_location(session, subject, location_id, changes, ip=ip))
