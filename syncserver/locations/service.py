"""Locations of a tenant: the ones a person works at, opening a new one, changing one."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import Conflict, NotFound, ValidationFailed
from shared.ids import uuid7
from shared.permissions import Permission
from syncserver.audit.service import record
from syncserver.models import Device, Location
from syncserver.tenancy import Subject, tenant_scoped


def visible_locations(session: Session, subject: Subject) -> list[Location]:
    """Every location for someone with a grant for all of them; else those they hold roles at."""
    query = tenant_scoped(select(Location), Location, subject).order_by(Location.code)
    if not subject.everywhere:
        query = query.where(Location.id.in_(subject.by_location.keys()))
    return list(session.scalars(query))


def open_location(
    session: Session, subject: Subject, *, code: str, name: str, ip: str | None,
    address_lines: list[str] | None = None, timezone: str | None = None,
    currency: str | None = None,
) -> Location:  # fmt: skip
    """A new shop (`locations.manage` for all locations).

    Raises:
        Conflict: the tenant already has a location with this code.
    """
    subject.require_at(Permission.LOCATIONS_MANAGE, None)
    taken = tenant_scoped(select(Location.id), Location, subject).where(Location.code == code)
    if session.scalar(taken):
        raise Conflict(f"location code {code} is taken", details={"field": "code", "code": code})
    lines = list(address_lines or [])
    location = Location(
        id=uuid7(), tenant_id=subject.tenant_id, code=code, name=name,
        address_lines=json.dumps(lines), timezone=timezone, currency=currency,
    )  # fmt: skip
    session.add(location)
    record(
        session,
        action="location.opened",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"location:{location.id}",
        after={
            "code": code,
            "name": name,
            "address_lines": lines,
            "timezone": timezone,
            "currency": currency,
        },
        ip=ip,
    )
    session.flush()
    return location


def _state(location: Location) -> dict[str, Any]:
    return {
        "name": location.name,
        "address_lines": json.loads(location.address_lines or "[]"),
        "timezone": location.timezone,
        "currency": location.currency,
    }


def _refuse_currency_change(session: Session, location: Location) -> None:
    enrolled = session.scalar(
        select(Device.id).where(Device.location_id == location.id, Device.status == "active")
    )
    if enrolled is not None:
        raise Conflict(
            "a till is enrolled at this location: its shift and sales are in the currency it "
            "has. Revoke its tills first, or open a new location for the new currency.",
            details={"field": "currency"},
        )


def change_location(
    session: Session, subject: Subject, location_id: uuid.UUID, changes: dict[str, Any], *,
    ip: str | None,
) -> Location:  # fmt: skip
    """Change a location's name, address lines, time zone or currency (`locations.manage`
    for all locations); the values already in place change nothing and record nothing.

    Raises:
        NotFound: the business has no such location.
        Conflict: a new currency while a till is enrolled there (details.field "currency").
    """
    subject.require_at(Permission.LOCATIONS_MANAGE, None)
    location = session.scalar(
        tenant_scoped(select(Location), Location, subject).where(Location.id == location_id)
    )
    if location is None:
        raise NotFound("no such location", details={"location_id": str(location_id)})
    unknown = set(changes) - {"name", "address_lines", "timezone", "currency"}
    if unknown:
        raise ValidationFailed(f"cannot change {sorted(unknown)}", details={"field": "body"})
    before = _state(location)
    after = {**before, **changes}
    if after == before:
        return location
    location.name = after["name"]
    location.address_lines = json.dumps(after["address_lines"])
    location.timezone = after["timezone"]
    if after["currency"] != before["currency"]:
        _refuse_currency_change(session, location)
        location.currency = after["currency"]
    record(
        session,
        action="location.changed",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"location:{location.id}",
        before=before,
        after=after,
        ip=ip,
    )
    session.flush()
    return location
