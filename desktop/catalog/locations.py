"""An item at each location the till knows of: its own price and on-sale there, or the item's,
and whether that shop carries it at all (the `cat.item_location` entries synced with the
catalog), and a change of them from the till, which reaches the server and the other tills as
one catalog edit like any other."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from desktop.catalog.browse import known_locations
from desktop.catalog.forms import invalid, parse_amount
from desktop.catalog.service import KEEP, get_item, set_location_override
from desktop.db.uow import UnitOfWork
from desktop.staff.service import Actor
from shared.errors import ValidationFailed
from shared.money import Money


@dataclass(frozen=True)
class AtLocation:
    location: str
    price: Money | None  # None: the item's price
    available: bool | None  # None: as the item is
    here: bool  # this till's own location
    carried: bool = True  # False: the shop does not carry the item (its tills leave it out)


def at_each_location(uow: UnitOfWork, item_id: uuid.UUID) -> list[AtLocation]:
    """Every known location (this till's first), each with the item's values there."""
    item = get_item(uow, item_id)
    rows = uow.sql.execute(
        "SELECT location_code, price_minor, available, listed FROM location_overrides "
        "WHERE item_id = ?",
        (str(item_id),),
    )
    found = {str(code): (price, available, listed) for code, price, available, listed in rows}
    places = known_locations(uow)
    here = places[0] if places else None
    out = []
    for code in places:
        price, available, listed = found.get(code, (None, None, None))
        out.append(
            AtLocation(
                location=code,
                price=None if price is None else Money.from_minor(price, item.price.currency),
                available=None if available is None else bool(available),
                here=code == here,
                carried=listed is None or bool(listed),
            )
        )
    return out


def save_at_location(
    uow: UnitOfWork,
    actor: Actor,
    *,
    item_id: uuid.UUID,
    location: str,
    price_text: str,
    available: bool | None,
    carried: bool = True,
) -> None:
    """The item's price (as typed; blank: the item's own), on-sale (None: as the item is) and
    whether the shop carries it (False: the counter there neither shows nor sells it) at
    `location`.

    Raises:
        ValidationFailed: `details["fields"]["price"]` says what is wrong with the price;
            `details["field"] == "location"` for a location the till does not know.
        AuthzError: the actor lacks `catalog.edit`.
    """
    item = get_item(uow, item_id)
    places = known_locations(uow)
    if location not in places:
        raise ValidationFailed(
            f"this till does not know a location {location!r}", details={"field": "location"}
        )
    if location != places[0]:  # the server takes a till's edit for its own location only
        raise ValidationFailed(
            f"{location} is another shop: change its prices at its tills or on the server",
            details={"field": "location"},
        )
    price = None
    if price_text.strip():
        try:
            price = parse_amount(price_text, item.price.currency)
        except ValidationFailed as exc:
            raise invalid({"price": exc.message}) from None
    held = {a.location: a for a in at_each_location(uow, item_id)}[location]
    if (held.price, held.available, held.carried) == (price, available, carried):
        return  # nothing changed: no edit to sync, nothing to audit
    set_location_override(
        uow, actor, item_id=item_id, location_code=location, price=price, available=available,
        listed=KEEP if held.carried == carried else (None if carried else False),
    )  # fmt: skip
