"""Catalog writes (back office, sync) and the reads the sell screen needs: barcode and search."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy import text as text_clause

from desktop.catalog import sync as catalog_sync
from desktop.catalog.categories import check_color
from desktop.catalog.text import search_key
from desktop.db.models import (
    Barcode,
    Category,
    Item,
    LocationOverride,
    TaxClassLocationRow,
    TaxRateRow,
)
from desktop.db.uow import UnitOfWork
from desktop.outbox.service import audit
from desktop.sales.config import load
from desktop.staff.service import Actor
from shared.catalog_sync import TILE_COLORS
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.ids import uuid7
from shared.limits import has_control
from shared.money import Money
from shared.permissions import Permission
from shared.tax import TaxRate

TRIGRAM = 3
CATEGORY_NAME_MAX = 120  # categories.name
POSITION_MAX = 10_000


class Keep:
    """`set_location_override(listed=KEEP)`: leave what the shop carries as it is."""


KEEP = Keep()


@dataclass(frozen=True)
class ItemView:
    id: uuid.UUID
    sku: str
    name: str
    price: Money
    tax_class: str
    track_stock: bool
    active: bool
    available: bool
    tile_color: str | None = None  # a name of shared.catalog_sync.TILE_COLORS
    tile_position: int | None = None
    unit: str = "piece"  # "weighed": the price is per kg, a sale asks for the weight
    category_id: uuid.UUID | None = None
    listed: bool = True  # False: the location asked (`at_location`) does not carry it
    image: str | None = None  # the tile picture's sha256 (desktop/catalog/images.py)

    @property
    def weighed(self) -> bool:
        return self.unit == "weighed"


def set_tax_class(uow: UnitOfWork, *, tax_class: str, rates: Sequence[TaxRate]) -> None:
    """Define (or replace) the rates a tax class applies."""
    uow.cache.pop(f"tax_rates.{tax_class}", None)
    uow.conn.execute(delete(TaxRateRow).where(TaxRateRow.tax_class == tax_class))
    if rates:
        uow.conn.execute(
            insert(TaxRateRow),
            [{"tax_class": tax_class, "code": r.code, "percent": str(r.percent)} for r in rates],
        )
    catalog_sync.record(uow, "cat.tax_class", tax_class)


def tax_rates(uow: UnitOfWork, tax_class: str) -> tuple[TaxRate, ...]:
    """The class's rates at this till: its location's own rates where the business set
    them (a shop in another region), else the class's."""
    key = f"tax_rates.{tax_class}"
    if key in uow.cache:
        return uow.cache[key]  # type: ignore[no-any-return]
    here = _location_rates(uow, tax_class)
    if here is not None:
        rates = here
    else:
        rows = uow.conn.execute(
            select(TaxRateRow.code, TaxRateRow.percent)
            .where(TaxRateRow.tax_class == tax_class)
            .order_by(TaxRateRow.code)
        )
        rates = tuple(TaxRate(code, Decimal(percent)) for code, percent in rows)
    uow.cache[key] = rates
    return rates


def _location_rates(uow: UnitOfWork, tax_class: str) -> tuple[TaxRate, ...] | None:
    try:
        location_code = load(uow).location_code
    except Conflict:  # not set up for selling yet: no location, the class's own rates
        return None
    stored = uow.conn.execute(
        select(TaxClassLocationRow.rates).where(
            TaxClassLocationRow.tax_class == tax_class,
            TaxClassLocationRow.location_code == location_code,
        )
    ).scalar_one_or_none()
    if stored is None:
        return None
    return tuple(TaxRate(str(code), Decimal(str(percent))) for code, percent in json.loads(stored))


def create_item(
    uow: UnitOfWork,
    actor: Actor,
    *,
    sku: str,
    name: str,
    price: Money,
    tax_class: str,
    barcodes: Sequence[str] = (),
    track_stock: bool = True,
) -> uuid.UUID:
    """Add an item to the local catalog (back office; permission `catalog.edit`)."""
    actor.require(Permission.CATALOG_EDIT)
    if not sku.strip() or not name.strip():
        raise ValidationFailed("an item needs a SKU and a name", details={"sku": sku})
    if price.amount < 0:
        raise ValidationFailed("a price cannot be negative", details={"sku": sku})
    if not tax_rates(uow, tax_class) and tax_class != "EXEMPT":
        raise NotFound(f"unknown tax class {tax_class!r}", details={"tax_class": tax_class})
    if uow.conn.execute(select(Item.id).where(Item.sku == sku)).first():
        raise Conflict(f"SKU {sku} exists already", details={"sku": sku})
    taken = uow.conn.execute(select(Barcode.code).where(Barcode.code.in_(barcodes))).scalars()
    if clash := list(taken):
        raise Conflict("barcode already belongs to another item", details={"barcodes": clash})
    item_id = uuid7()
    minor, currency = price.quantize().to_storage()
    uow.conn.execute(
        insert(Item).values(
            id=item_id,
            sku=sku,
            name=name,
            search_key=search_key(name, sku),
            category_id=None,
            price_minor=minor,
            currency=currency,
            tax_class=tax_class,
            track_stock=track_stock,
            active=True,
            available=True,
            updated_at=uow.clock.now(),
        )
    )
    if barcodes:
        uow.conn.execute(insert(Barcode), [{"code": b, "item_id": item_id} for b in barcodes])
    catalog_sync.record(uow, "cat.item", item_id)
    audit(
        uow,
        actor_id=actor.id,
        action="catalog.item_created",
        target_id=item_id,
        details={"sku": sku, "price_minor": minor, "currency": currency},
    )
    return item_id


_COLUMNS = (
    Item.id,
    Item.sku,
    Item.name,
    Item.price_minor,
    Item.currency,
    Item.tax_class,
    Item.track_stock,
    Item.active,
    Item.available,
    Item.tile_color,
    Item.tile_position,
    Item.unit,
    Item.category_id,
    Item.image,
)


def _view(row: Sequence[object]) -> ItemView:
    id_, sku, name, minor, currency, tax_class, track, active, available, color, position = row[:11]
    unit, category, image = row[11:]
    assert isinstance(id_, uuid.UUID)
    assert isinstance(minor, int)
    assert isinstance(currency, str)
    return ItemView(
        id=id_,
        sku=str(sku),
        name=str(name),
        price=Money.from_minor(minor, currency),
        tax_class=str(tax_class),
        track_stock=bool(track),
        active=bool(active),
        available=bool(available),
        tile_color=None if color is None else str(color),
        tile_position=position if isinstance(position, int) else None,
        unit=str(unit or "piece"),
        category_id=None if category is None else uuid.UUID(str(category)),
        image=None if image is None else str(image),
    )


def _overridden(
    view: ItemView, price_minor: int | None, available: object, listed: object
) -> ItemView:
    return replace(
        view,
        price=view.price
        if price_minor is None
        else Money.from_minor(price_minor, view.price.currency),
        available=view.available if available is None else bool(available),
        listed=True if listed is None else bool(listed),
    )


def at_location(uow: UnitOfWork, views: list[ItemView], location_code: str) -> list[ItemView]:
    """`views` as the location sells them: its price, availability and listing overrides
    applied (one query for the whole page of tiles). Items the location does not carry keep
    their place with `listed` False: the counter leaves them out (`carried`), a back-office
    view may show them."""
    if not views:
        return views
    rows = uow.conn.execute(
        select(
            LocationOverride.item_id,
            LocationOverride.price_minor,
            LocationOverride.available,
            LocationOverride.listed,
        ).where(
            LocationOverride.location_code == location_code,
            LocationOverride.item_id.in_([v.id for v in views]),
        )
    )
    found = {uuid.UUID(str(i)): (p, a, x) for i, p, a, x in rows}
    return [_overridden(v, *found[v.id]) if v.id in found else v for v in views]


def carried(views: list[ItemView]) -> list[ItemView]:
    """The views a location carries (after `at_location`)."""
    return [v for v in views if v.listed]


def get_item(uow: UnitOfWork, item_id: uuid.UUID, location_code: str | None = None) -> ItemView:
    """One item; with `location_code`, that location's price, availability and listing
    overrides apply."""
    row = uow.conn.execute(select(*_COLUMNS).where(Item.id == item_id)).first()
    if row is None:
        raise NotFound("no such item", details={"item_id": str(item_id)})
    view = _view(tuple(row))
    if location_code is None:
        return view
    return at_location(uow, [view], location_code)[0]


def _category_name(uow: UnitOfWork, name: str, category_id: uuid.UUID | None) -> str:
    """The name, checked: present, one line, short enough, not another category's."""
    text = name.strip()
    if not text:
        raise ValidationFailed("a category needs a name", details={"field": "name"})
    if has_control(name) or len(text) > CATEGORY_NAME_MAX:
        raise ValidationFailed(
            f"a category's name is one line of at most {CATEGORY_NAME_MAX} characters",
            details={"field": "name"},
        )
    same = category_named(uow, text)
    if same is not None and same[0] != category_id:
        raise ValidationFailed(
            f"there is a category named {same[1]} already", details={"field": "name"}
        )
    return text


def category_named(uow: UnitOfWork, name: str) -> tuple[uuid.UUID, str] | None:
    """The category called `name`, ignoring case and accents' case ("CAFÉ" is "Café"); a
    shop has tens of categories, so they are compared here rather than by SQLite's ASCII
    `lower()`."""
    wanted = name.strip().casefold()
    for category_id, stored in uow.conn.execute(select(Category.id, Category.name)):
        if str(stored).casefold() == wanted:
            return uuid.UUID(str(category_id)), str(stored)
    return None


def _check_position(position: int) -> None:
    if not 0 <= position < POSITION_MAX:
        raise ValidationFailed(
            f"the position is 0 to {POSITION_MAX - 1}", details={"field": "position"}
        )


def create_category(
    uow: UnitOfWork, actor: Actor, *, name: str, position: int = 0, color: str | None = None
) -> uuid.UUID:
    """A new tab of the sell screen (`position`: its place, 0 first; `color`: its items'
    tiles where they have none of their own); audited and synced."""
    actor.require(Permission.CATALOG_EDIT)
    text = _category_name(uow, name, None)
    _check_position(position)
    check_color(color)
    category_id = uuid7()
    uow.conn.execute(
        insert(Category).values(id=category_id, name=text, position=position, color=color)
    )
    catalog_sync.record(uow, "cat.category", category_id)
    audit(
        uow,
        actor_id=actor.id,
        action="catalog.category_created",
        target_id=category_id,
        details={"name": text, "position": position, "color": color},
    )
    return category_id


def change_category(
    uow: UnitOfWork, actor: Actor, *, category_id: uuid.UUID, name: str, position: int,
    color: str | None,
) -> None:  # fmt: skip
    """Rename a category, move its tab or change its colour; audited and synced (only what
    changed)."""
    actor.require(Permission.CATALOG_EDIT)
    row = uow.conn.execute(
        select(Category.name, Category.position, Category.color).where(Category.id == category_id)
    ).first()
    if row is None:
        raise NotFound("no such category", details={"category_id": str(category_id)})
    text = _category_name(uow, name, category_id)
    _check_position(position)
    check_color(color)
    new = {"name": text, "position": position, "color": color}
    changed = [f for f, old in zip(("name", "position", "color"), row, strict=True)
               if old != new[f]]  # fmt: skip
    if not changed:
        return
    uow.conn.execute(update(Category).where(Category.id == category_id).values(**new))
    catalog_sync.record(uow, "cat.category", category_id, changed)
    audit(
        uow,
        actor_id=actor.id,
        action="catalog.category_changed",
        target_id=category_id,
        details={**new, "fields": changed},
    )


def set_category(
    uow: UnitOfWork, actor: Actor, *, item_id: uuid.UUID, category_id: uuid.UUID | None
) -> None:
    actor.require(Permission.CATALOG_EDIT)
    get_item(uow, item_id)
    if (
        category_id is not None
        and not uow.conn.execute(select(Category.id).where(Category.id == category_id)).first()
    ):
        raise NotFound("no such category", details={"category_id": str(category_id)})
    uow.conn.execute(update(Item).where(Item.id == item_id).values(category_id=category_id))
    catalog_sync.record(uow, "cat.item", item_id, ["category_id"])


def set_available(uow: UnitOfWork, actor: Actor, *, item_id: uuid.UUID, available: bool) -> None:
    """Mark an item sold out for now ("86" it) or back on; audited."""
    actor.require(Permission.CATALOG_EDIT)
    item = get_item(uow, item_id)
    uow.conn.execute(
        update(Item)
        .where(Item.id == item_id)
        .values(available=available, updated_at=uow.clock.now())
    )
    catalog_sync.record(uow, "cat.item", item_id, ["available"])
    audit(
        uow,
        actor_id=actor.id,
        action="catalog.availability_changed",
        target_id=item_id,
        details={"sku": item.sku, "available": available},
    )


def change_price(uow: UnitOfWork, actor: Actor, *, item_id: uuid.UUID, price: Money) -> None:
    """New price for new lines (lines already on tickets keep theirs); audited."""
    actor.require(Permission.CATALOG_EDIT)
    item = get_item(uow, item_id)
    if price.currency != item.price.currency or price.amount < 0:
        raise ValidationFailed("a price is a non-negative amount in the item's currency")
    new_minor = price.quantize().minor_units
    uow.conn.execute(
        update(Item)
        .where(Item.id == item_id)
        .values(price_minor=new_minor, updated_at=uow.clock.now())
    )
    catalog_sync.record(uow, "cat.item", item_id, ["price_minor"])
    audit(
        uow,
        actor_id=actor.id,
        action="catalog.price_changed",
        target_id=item_id,
        details={"sku": item.sku, "from_minor": item.price.minor_units, "to_minor": new_minor},
    )


def set_tile(
    uow: UnitOfWork,
    actor: Actor,
    *,
    item_id: uuid.UUID,
    color: str | None,
    position: int | None,
) -> None:
    """How the item's button looks on the sell screen: a colour of the palette and a place in
    its category's grid (None: default colour / after the placed ones, by name)."""
    actor.require(Permission.CATALOG_EDIT)
    get_item(uow, item_id)
    if color is not None and color not in TILE_COLORS:
        raise ValidationFailed(
            f"tile colour is one of: {', '.join(TILE_COLORS)}", details={"field": "color"}
        )
    if position is not None and not 0 <= position < 10_000:
        raise ValidationFailed("tile position is 0 to 9999", details={"field": "position"})
    uow.conn.execute(
        update(Item)
        .where(Item.id == item_id)
        .values(tile_color=color, tile_position=position, updated_at=uow.clock.now())
    )
    catalog_sync.record(uow, "cat.item", item_id, ["tile_color", "tile_position"])


def set_location_override(
    uow: UnitOfWork,
    actor: Actor,
    *,
    item_id: uuid.UUID,
    location_code: str,
    price: Money | None = None,
    available: bool | None = None,
    listed: bool | Keep | None = KEEP,
) -> None:
    """A location's own price and/or availability for an item (None keeps the item's), and
    with `listed` whether that shop carries it (False: its tills neither show nor sell it;
    None: carried, as the item is). Without `listed`, what the shop carries stays as it is:
    the till's price edits never change the assortment by accident."""
    actor.require(Permission.CATALOG_EDIT)
    item = get_item(uow, item_id)
    if price is not None and (price.currency != item.price.currency or price.amount < 0):
        raise ValidationFailed("a price is a non-negative amount in the item's currency")
    minor = price.quantize().minor_units if price is not None else None
    where = (LocationOverride.item_id == item_id) & (
        LocationOverride.location_code == location_code
    )
    assortment = listed is not KEEP
    if isinstance(listed, Keep):
        listed = uow.conn.execute(select(LocationOverride.listed).where(where)).scalar()
    listed = None if listed is None or listed else False  # carried is stored as "as the item"
    uow.conn.execute(delete(LocationOverride).where(where))
    if minor is not None or available is not None or listed is not None:
        uow.conn.execute(
            insert(LocationOverride).values(
                location_code=location_code, item_id=item_id, price_minor=minor,
                available=available, listed=listed,
            )
        )  # fmt: skip
    catalog_sync.record_location_override(uow, item_id, location_code, listed=assortment)
    audit(
        uow,
        actor_id=actor.id,
        action="catalog.location_override",
        target_id=item_id,
        details={
            "sku": item.sku,
            "location": location_code,
            "price_minor": minor,
            "available": available,
            **({"listed": listed} if assortment else {}),
        },
    )


def lookup_barcode(uow: UnitOfWork, code: str) -> ItemView:
    """Exact barcode match (primary-key lookup).

    Raises:
        NotFound: no item carries this barcode — the cashier should search by name instead.
    """
    row = uow.conn.execute(
        select(*_COLUMNS).join(Barcode, Barcode.item_id == Item.id).where(Barcode.code == code)
    ).first()
    if row is None:
        raise NotFound(f"no item with barcode {code}; search by name", details={"barcode": code})
    return _view(tuple(row))


def search(
    uow: UnitOfWork, text: str, *, limit: int = 50, currency: str | None = None
) -> list[ItemView]:
    """Active items whose name or SKU contains `text` (case- and accent-insensitive); with
    `currency`, only those priced in it (a shop in another country sells its own items).

    First the items whose name starts with `text` (a range scan on the indexed search key, in
    key order), then — for three characters or more — other items containing it, found through
    the trigram index `items_fts`. Both steps stop at `limit`, so a common word on a 100k-item
    catalog costs the same as a rare one.
    """
    key = search_key(text.strip())
    if not key:
        return []
    upper = key[:-1] + chr(ord(key[-1]) + 1)
    sold = Item.active if currency is None else and_(Item.active, Item.currency == currency)
    found = [
        _view(tuple(r))
        for r in uow.conn.execute(
            select(*_COLUMNS)
            .where(Item.search_key >= key, Item.search_key < upper, sold)
            .order_by(Item.search_key)
            .limit(limit)
        )
    ]
    if len(found) >= limit or len(key) < TRIGRAM:
        return found
    seen = {v.id for v in found}
    candidates = text_clause(
        "items.rowid IN (SELECT rowid FROM items_fts WHERE items_fts MATCH :q LIMIT :n)"
    ).bindparams(q='"' + key.replace('"', '""') + '"', n=2 * limit + len(found))
    more = [
        v
        for v in (
            _view(tuple(r)) for r in uow.conn.execute(select(*_COLUMNS).where(candidates, sold))
        )
        if v.id not in seen
    ]
    more.sort(key=lambda v: v.name.casefold())
    return found + more[: limit - len(found)]


def list_categories(uow: UnitOfWork) -> list[tuple[uuid.UUID, str]]:
    """Categories in their configured order (the sell screen's tabs)."""
    rows = uow.conn.execute(
        select(Category.id, Category.name).order_by(Category.position, Category.name)
    )
    return [(uuid.UUID(str(i)), str(n)) for i, n in rows]


def items_in_category(
    uow: UnitOfWork, category_id: uuid.UUID | None, *, limit: int = 60,
    currency: str | None = None,
) -> list[ItemView]:  # fmt: skip
    """Active items of one category (None: items without one): a product grid page, in the
    positions the back office gave them, then the others by name. With `currency`, only the
    items priced in it."""
    condition = (
        Item.category_id.is_(None) if category_id is None else Item.category_id == category_id
    )
    if currency is not None:
        condition = and_(condition, Item.currency == currency)
    rows = uow.conn.execute(
        select(*_COLUMNS)
        .where(condition, Item.active)
        .order_by(Item.tile_position.is_(None), Item.tile_position, Item.name)
        .limit(limit)
    )
    return [_view(tuple(r)) for r in rows]
