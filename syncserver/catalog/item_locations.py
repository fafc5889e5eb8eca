"""An item's price, availability and listing at one location (`cat.item_location`, id
"ITEM@LOCATION"), written as server catalog edits so that only that location's tills sell it
differently.

A value of None means "as the item": the item's own price, the item's own availability, carried
(`listed` False: that shop does not carry the item — its tills neither show nor sell it). The
price is in the item's currency (a shop in another country sells items priced in its own
currency; see docs/tenant-config.md)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.catalog_sync import item_location_id
from shared.errors import NotFound
from shared.permissions import Permission
from syncserver.audit.service import record
from syncserver.catalog import service
from syncserver.catalog.merge import load, write_fields
from syncserver.models import Location
from syncserver.tenancy import Subject, tenant_scoped

ENTITY = "cat.item_location"


@dataclass(frozen=True)
class AtLocation:
    location: str  # code
    price_minor: int | None  # None: the item's price
    available: bool | None  # None: the item's availability
    listed: bool | None  # False: the shop does not carry it; None: as the item (carried)
    currency: str


def _location(session: Session, subject: Subject, code: str) -> Location:
    found = session.scalar(
        tenant_scoped(select(Location), Location, subject).where(Location.code == code.upper())
    )
    if found is None:
        raise NotFound(
            f"there is no location {code!r}", details={"field": "location", "location": code}
        )
    return found


def overrides(session: Session, subject: Subject, item_id: uuid.UUID) -> list[AtLocation]:
    """The item at every location of the business (locations without an override included,
    so a window can show them side by side)."""
    item = service.get(session, subject, service.ITEM, item_id)
    money = str(item.get("currency") or service.currency(session, subject))
    places = session.scalars(
        tenant_scoped(select(Location), Location, subject).order_by(Location.code)
    )
    out = []
    for place in places:
        doc = load(session, subject.tenant_id, ENTITY, item_location_id(item_id, place.code))
        values: dict[str, Any] = {k: v[0] for k, v in doc.fields.items()}
        out.append(
            AtLocation(
                place.code,
                values.get("price_minor"),
                values.get("available"),
                values.get("listed"),
                money,
            )
        )
    return out


def set_at(
    session: Session, subject: Subject, item_id: uuid.UUID, location_code: str, *,
    price: str | None, available: bool | None, listed: bool | None = None, ip: str | None,
) -> AtLocation:  # fmt: skip
    """Set (or with None clear) the item's price, availability and listing at one location
    (`catalog.edit` there). The same values again change nothing and record nothing.

    Raises:
        NotFound: no such item, or no such location (details.field "location").
        ValidationFailed: a price the item's currency cannot hold (details.field "price").
    """
    place = _location(session, subject, location_code)
    subject.require_at(Permission.CATALOG_EDIT, place.id)
    item = service.get(session, subject, service.ITEM, item_id)
    money = str(item.get("currency") or service.currency(session, subject))
    minor = None if price is None else service.to_minor(price, money, "price")
    entity_id = item_location_id(item_id, place.code)
    before = load(session, subject.tenant_id, ENTITY, entity_id)
    old = {k: v[0] for k, v in before.fields.items()}
    fields = {"price_minor": minor, "available": available, "listed": listed}
    if before.row is None and minor is None and available is None and listed is None:
        return AtLocation(place.code, None, None, None, money)  # as the item: nothing to say
    if listed is None and "listed" not in before.fields:
        del fields["listed"]  # an override written before listings: unset already
    if write_fields(session, subject.tenant_id, ENTITY, entity_id, fields, _now()):
        record(
            session,
            action="catalog.location_changed",
            tenant_id=subject.tenant_id,
            actor_id=subject.user_id,
            target=f"{ENTITY}:{entity_id}",
            before=old or None,
            after=fields,
            ip=ip,
        )
        session.flush()
    return AtLocation(place.code, minor, available, listed, money)


def _now() -> datetime:
    return datetime.now(UTC)
