"""`/v1/catalog/*`: categories, modifier groups and items, edited on the server (catalog.edit;
reading needs catalog.edit or pos.sell). Tills receive every change through the catalog sync."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, status

from shared.permissions import Permission
from syncserver.auth.deps import DbSession, client_ip
from syncserver.catalog import entries, item_locations, service
from syncserver.catalog.access import CatalogReader
from syncserver.catalog.schemas import (
    AtLocationIn,
    AtLocationOut,
    CategoryIn,
    CategoryOut,
    CategoryPatch,
    GroupIn,
    GroupOut,
    GroupPatch,
    ItemIn,
    ItemOut,
    ItemPatch,
    ModifierOut,
)
from syncserver.tenancy import Subject, member, require

router = APIRouter(prefix="/v1/catalog", tags=["catalog"])
Editor = Annotated[Subject, Depends(require(Permission.CATALOG_EDIT))]
Ip = Annotated[str | None, Depends(client_ip)]
Values = dict[str, Any]


# ------------------------------------------------------------------------------ categories
def _category(entity_id: str, v: Values) -> CategoryOut:
    return CategoryOut(
        id=uuid.UUID(entity_id),
        name=v.get("name", ""),
        position=v.get("position", 0),
        color=v.get("color"),
    )


@router.get("/categories", response_model=list[CategoryOut])
def list_categories(session: DbSession, subject: CatalogReader) -> list[CategoryOut]:
    return [_category(i, v) for i, v in service.listing(session, subject, service.CATEGORY)]


@router.post("/categories", response_model=CategoryOut, status_code=status.HTTP_201_CREATED)
def create_category(body: CategoryIn, session: DbSession, subject: Editor, ip: Ip) -> CategoryOut:
    return _category(*entries.create_category(session, subject, body, ip=ip))


@router.patch("/categories/{category_id}", response_model=CategoryOut)
def change_category(
    category_id: uuid.UUID, body: CategoryPatch, session: DbSession, subject: Editor, ip: Ip
) -> CategoryOut:
    values = entries.change_category(session, subject, category_id, body, ip=ip)
    return _category(str(category_id), values)


# ------------------------------------------------------------------------- modifier groups
def _group(entity_id: str, v: Values, currency: str) -> GroupOut:
    return GroupOut(
        id=uuid.UUID(entity_id),
        name=v.get("name", ""),
        min_choices=v.get("min_choices", 0),
        max_choices=v.get("max_choices", 0),
        modifiers=[
            ModifierOut(
                id=uuid.UUID(m["id"]),
                name=m["name"],
                price_delta=service.to_text(int(m["price_delta_minor"]), currency),
                default=bool(m.get("default", False)),
            )
            for m in v.get("modifiers", [])
        ],
    )


@router.get("/modifier-groups", response_model=list[GroupOut])
def list_groups(session: DbSession, subject: CatalogReader) -> list[GroupOut]:
    currency = service.currency(session, subject)
    return [_group(i, v, currency) for i, v in service.listing(session, subject, service.GROUP)]


@router.post("/modifier-groups", response_model=GroupOut, status_code=status.HTTP_201_CREATED)
def create_group(body: GroupIn, session: DbSession, subject: Editor, ip: Ip) -> GroupOut:
    """min_choices above max_choices is VALIDATION (field min_choices)."""
    key, values = entries.create_group(session, subject, body, ip=ip)
    return _group(key, values, service.currency(session, subject))


@router.patch("/modifier-groups/{group_id}", response_model=GroupOut)
def change_group(
    group_id: uuid.UUID, body: GroupPatch, session: DbSession, subject: Editor, ip: Ip
) -> GroupOut:
    values = entries.change_group(session, subject, group_id, body, ip=ip)
    return _group(str(group_id), values, service.currency(session, subject))


# ----------------------------------------------------------------------------------- items
def _item(entity_id: str, v: Values, currency: str) -> ItemOut:
    item_currency = str(v.get("currency") or currency)
    category = v.get("category_id")
    cost = v.get("cost_minor")
    return ItemOut(
        id=uuid.UUID(entity_id),
        sku=v.get("sku", ""),
        name=v.get("name", ""),
        price=service.to_text(int(v.get("price_minor", 0)), item_currency),
        currency=item_currency,
        tax_class=v.get("tax_class", ""),
        category_id=uuid.UUID(category) if category else None,
        barcodes=list(v.get("barcodes", [])),
        modifier_group_ids=[uuid.UUID(g) for g in v.get("modifier_groups", [])],
        track_stock=bool(v.get("track_stock", True)),
        available=bool(v.get("available", True)),
        active=bool(v.get("active", True)),
        tile_color=v.get("tile_color"),
        unit=str(v.get("unit") or "piece"),
        cost=None if cost is None else service.to_text(int(cost), item_currency),
        image=v.get("image"),
    )


@router.get("/items", response_model=list[ItemOut])
def list_items(session: DbSession, subject: CatalogReader) -> list[ItemOut]:
    currency = service.currency(session, subject)
    return [_item(i, v, currency) for i, v in service.listing(session, subject, service.ITEM)]


@router.post("/items", response_model=ItemOut, status_code=status.HTTP_201_CREATED)
def create_item(body: ItemIn, session: DbSession, subject: Editor, ip: Ip) -> ItemOut:
    """A SKU or barcode another item holds is CONFLICT (details.field "sku" / "barcodes"); an
    unknown tax class, category or modifier group is VALIDATION naming the field."""
    key, values = entries.create_item(session, subject, body, ip=ip)
    return _item(key, values, service.currency(session, subject))


@router.get("/items/{item_id}", response_model=ItemOut)
def read_item(item_id: uuid.UUID, session: DbSession, subject: CatalogReader) -> ItemOut:
    currency = service.currency(session, subject)
    return _item(str(item_id), service.get(session, subject, service.ITEM, item_id), currency)


@router.patch("/items/{item_id}", response_model=ItemOut)
def change_item(
    item_id: uuid.UUID, body: ItemPatch, session: DbSession, subject: Editor, ip: Ip
) -> ItemOut:
    values = entries.change_item(session, subject, item_id, body, ip=ip)
    return _item(str(item_id), values, service.currency(session, subject))


# ------------------------------------------------------------------------------ per location
def _at(found: item_locations.AtLocation) -> AtLocationOut:
    price = (
        None if found.price_minor is None else service.to_text(found.price_minor, found.currency)
    )
    return AtLocationOut(
        location=found.location,
        price=price,
        available=found.available,
        listed=found.listed,
        currency=found.currency,
    )


@router.get("/items/{item_id}/locations", response_model=list[AtLocationOut])
def list_item_locations(
    item_id: uuid.UUID, session: DbSession, subject: CatalogReader
) -> list[AtLocationOut]:
    """The item at every location, side by side (null: as the item)."""
    return [_at(x) for x in item_locations.overrides(session, subject, item_id)]


@router.put("/items/{item_id}/locations/{location_code}", response_model=AtLocationOut)
def set_item_location(
    item_id: uuid.UUID,
    location_code: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,16}$")],
    body: AtLocationIn,
    session: DbSession,
    subject: Annotated[Subject, Depends(member)],
    ip: Ip,
) -> AtLocationOut:
    """The item's price, availability and whether the shop carries it (`listed`) at one
    location (`catalog.edit` there); only that location's tills sell it so. All null: the
    location sells it as the item says."""
    found = item_locations.set_at(
        session, subject, item_id, location_code,
        price=body.price, available=body.available, listed=body.listed, ip=ip,
    )  # fmt: skip
    return _at(found)
