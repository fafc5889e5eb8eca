"""The till's selling configuration, assembled from what the server says (issue: a real shop
sells with no local seeding).

Three parts arrive separately and land in `local_meta`:
- the enrollment answer: the terminal code the server assigned (unique in the business) and the
  location the enrollment code was made for;
- the `selling` document (tenant-wide): currency, prices incl./excl. tax, rounding, cash
  rounding, over-tender limit;
- the `location` document of the till's location: code, name, address, time zone and the
  currency it sells in (a shop in another country: it wins over the business's).

Each time one of them changes, `desktop.sales.config.configure` is called with the whole
configuration, in the same transaction as the pull that brought it. Until the `selling` document
has arrived the till is not configured and cannot sell (`load` raises `Conflict`), so a till
never sells in the wrong currency. A till that was configured before it was enrolled (an
upgrade of a till set up by hand) keeps its terminal code: its receipt numbers go on.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select

from desktop.db.models import LocalMeta
from desktop.db.uow import UnitOfWork
from desktop.sales.config import PREFIX as SELLING_PREFIX
from desktop.sales.config import SellingConfig, configure
from shared.money import RoundingMode
from shared.tax import TaxRounding

PREFIX = "server."
TERMINAL_CODE = PREFIX + "terminal_code"
LOCATION_ID = PREFIX + "location_id"
LOCATION = PREFIX + "location"  # JSON of the location document (or the enrollment's summary)
SELLING = PREFIX + "selling"  # JSON of the selling document
TILL_NAME = PREFIX + "till_name"  # as the till was enrolled ("Front counter")


@dataclass(frozen=True)
class TillLocation:
    """Where this till stands, as the server describes it."""

    id: uuid.UUID | None
    code: str
    name: str
    address_lines: tuple[str, ...] = ()
    timezone: str | None = None
    currency: str | None = None  # None: the business's (the selling document's)


def remember_enrollment(
    uow: UnitOfWork,
    *,
    terminal_code: str | None,
    location: dict[str, Any] | None,
    till_name: str | None = None,
) -> None:
    """Keep what the enrollment answer said (and the till's name, which the Z report prints);
    configure when the selling rules are known."""
    if terminal_code:
        _put(uow, TERMINAL_CODE, terminal_code.upper())
    if till_name:
        _put(uow, TILL_NAME, till_name.strip())
    if location:
        _put(uow, LOCATION_ID, str(location.get("id") or ""))
        if _get(uow, LOCATION) is None:  # the full document, when it came first, wins
            _put(uow, LOCATION, json.dumps(_location_body(location)))
    _assemble(uow)


def apply_selling(uow: UnitOfWork, body: dict[str, Any]) -> None:
    """The `selling` document arrived (pull transaction)."""
    _put(uow, SELLING, json.dumps(body, sort_keys=True))
    _assemble(uow)


def moved_to(uow: UnitOfWork, location_id: uuid.UUID, code: str) -> None:
    """The server says this till now belongs to another location (a manager moved it): sell
    there from now on. Its name and address follow with the location's document, which the
    server publishes again for the till's next pull."""
    _put(uow, LOCATION_ID, str(location_id))
    _put(uow, LOCATION, json.dumps(_location_body({"id": str(location_id), "code": code})))
    _assemble(uow)


def apply_location(uow: UnitOfWork, entity_id: str, body: dict[str, Any]) -> bool:
    """A `location` document arrived; only this till's own location configures it."""
    mine = _get(uow, LOCATION_ID)
    if mine and mine != entity_id:
        return False
    _put(uow, LOCATION, json.dumps(_location_body(body)))
    _assemble(uow)
    return True


def location(uow: UnitOfWork) -> TillLocation | None:
    raw = _get(uow, LOCATION)
    if raw is None:
        return None
    body = json.loads(raw)
    try:
        location_id: uuid.UUID | None = uuid.UUID(str(body.get("id")))
    except ValueError:
        location_id = None
    return TillLocation(
        id=location_id,
        code=str(body.get("code") or "MAIN"),
        name=str(body.get("name") or ""),
        address_lines=tuple(str(line) for line in body.get("address_lines") or ()),
        timezone=body.get("timezone") or None,
        currency=body.get("currency") or None,
    )


def till_name(uow: UnitOfWork) -> str | None:
    return _get(uow, TILL_NAME)


def assigned_terminal_code(uow: UnitOfWork) -> str | None:
    return _get(uow, TERMINAL_CODE)


def _location_body(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(body.get("id") or ""),
        "code": str(body.get("code") or "MAIN"),
        "name": str(body.get("name") or ""),
        "address_lines": [str(line) for line in body.get("address_lines") or []],
        "timezone": body.get("timezone") or None,
        "currency": body.get("currency") or None,
    }


def _assemble(uow: UnitOfWork) -> None:
    raw = _get(uow, SELLING)
    if raw is None:
        return  # not yet: a till without the business's rules does not sell
    rules = json.loads(raw)
    previous = _configured_code(uow)
    code = previous or _get(uow, TERMINAL_CODE)
    if not code:
        return  # an older server that assigns no codes: the till must be set up by hand
    place = location(uow)
    configure(
        uow,
        SellingConfig(
            terminal_code=code,
            currency=(place.currency if place else None) or str(rules["currency"]),
            prices_include_tax=bool(rules.get("prices_include_tax", True)),
            rounding=RoundingMode(rules.get("rounding") or RoundingMode.HALF_UP.value),
            tax_rounding=TaxRounding(rules.get("tax_rounding") or TaxRounding.PER_LINE.value),
            max_change_minor=int(rules.get("max_change_minor", 50_000)),
            location_code=place.code if place is not None else "MAIN",
            cash_rounding_minor=int(rules.get("cash_rounding_minor", 1)),
        ),
    )


def _configured_code(uow: UnitOfWork) -> str | None:
    """The code of a till configured before this enrollment (kept: its receipt series goes on)."""
    return _get(uow, SELLING_PREFIX + "terminal_code")


def _get(uow: UnitOfWork, key: str) -> str | None:
    value = uow.conn.execute(select(LocalMeta.value).where(LocalMeta.key == key)).scalar()
    return None if value is None else str(value)


def _put(uow: UnitOfWork, key: str, value: str) -> None:
    uow.conn.execute(delete(LocalMeta).where(LocalMeta.key == key))
    uow.conn.execute(insert(LocalMeta).values(key=key, value=value))
