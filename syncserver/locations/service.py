"""Locations of a tenant: the ones a person works at, and opening a new one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import Conflict
from shared.ids import uuid7
from shared.permissions import Permission
from syncserver.audit.service import record
from syncserver.models import Location
from syncserver.tenancy import Subject, tenant_scoped


def visible_locations(session: Session, subject: Subject) -> list[Location]:
    """Every location for someone with a grant for all of them; else those they hold roles at."""
    query = tenant_scoped(select(Location), Location, subject).order_by(Location.code)
    if not subject.everywhere:
        query = query.where(Location.id.in_(subject.by_location.keys()))
    return list(session.scalars(query))


def open_location(
    session: Session, subject: Subject, *, code: str, name: str, ip: str | None
) -> Location:
    """A new shop (`locations.manage` for all locations).

    Raises:
        Conflict: the tenant already has a location with this code.
    """
    subject.require_at(Permission.LOCATIONS_MANAGE, None)
    taken = tenant_scoped(select(Location.id), Location, subject).where(Location.code == code)
    if session.scalar(taken):
        raise Conflict(f"location code {code} is taken", details={"field": "code", "code": code})
    location = Location(id=uuid7(), tenant_id=subject.tenant_id, code=code, name=name)
    session.add(location)
    record(
        session,
        action="location.opened",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"location:{location.id}",
        after={"code": code, "name": name},
        ip=ip,
    )
    session.flush()
    return location
