"""`/v1/catalog/*`: categories, modifier groups and items, edited on the server (catalog.edit;
reading needs catalog.edit or pos.sell). Tills receive every change through the catalog sync."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, status

from shared.errors import ValidationFailed
from shared.permissions import Permission
from syncserver.auth.deps import DbSession, client_ip
from syncserver.catalog import service
from syncserver.catalog.access import CatalogReader
from syncserver.catalog.schemas import (
    CategoryIn,
    CategoryOut,
    CategoryPatch,
    GroupIn,
    GroupOut,
    GroupPatch,
    ItemIn,
    ItemOut,
    ItemPatch,
    ModifierIn,
    ModifierOut,
)
from syncserver.tenancy import Subject, require

router = APIRouter(prefix="/v1/catalog", tags=["catalog"])
Editor = Annotated[Subject, Depends(require(Permission.CATALOG_EDIT))]
Ip = Annotated[str | None, Depends(client_ip)]
Values = dict[str, Any]


# ------------------------------------------------------------------------------ categories
def _category(entity_id: str, v: Values) -> CategoryOut:
    return CategoryOut(
        id=uuid.UUID(entity_id), name=v.get("name", ""), position=v.get("position", 0)
    )


@router.get("/categories", response_model=list[CategoryOut])
def list_categories(session: DbSession, subject: CatalogReader) -> list[CategoryOut]:
    return [_category(i, v) for i, v in service.listing(session, subject, service.CATEGORY)]


@router.post("/categories", response_model=CategoryOut, status_code=status.HTTP_201_CREATED)
def create_category(body: CategoryIn, session: DbSession, subject: Editor, ip: Ip) -> CategoryOut:
    fields = {"name": body.name, "position": body.position}
    key, values = service.create(session, subject, service.CATEGORY, body.id, fields, ip=ip)
    return _category(key, values)


@router.patch("/categories/{category_id}", response_model=CategoryOut)
def change_category(
    category_id: uuid.UUID, body: CategoryPatch, session: DbSession, subject: Editor, ip: Ip
) -> CategoryOut:
    fields = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    values = service.change(session, subject, service.CATEGORY, category_id, fields, ip=ip)
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
            )
            for m in v.get("modifiers", [])
        ],
    )


def _modifiers(held: Values, wanted: list[ModifierIn], currency: str) -> list[dict[str, Any]]:
    ids = service.modifier_ids(held.get("modifiers", []), [(m.id, m.name) for m in wanted])
    return [
        {
            "id": key,
            "name": m.name,
            "price_delta_minor": service.to_minor(m.price_delta, currency, "price_delta"),
        }
        for key, m in zip(ids, wanted, strict=True)
    ]


def _check_choices(min_choices: int, max_choices: int) -> None:
    if min_choices > max_choices:
        raise ValidationFailed(
            "min_choices cannot be more than max_choices", details={"field": "min_choices"}
        )


@router.get("/modifier-groups", response_model=list[GroupOut])
def list_groups(session: DbSession, subject: CatalogReader) -> list[GroupOut]:
    currency = service.currency(session, subject)
    return [_group(i, v, currency) for i, v in service.listing(session, subject, service.GROUP)]


@router.post("/modifier-groups", response_model=GroupOut, status_code=status.HTTP_201_CREATED)
def create_group(body: GroupIn, session: DbSession, subject: Editor, ip: Ip) -> GroupOut:
    currency = service.currency(session, subject)
    _check_choices(body.min_choices, body.max_choices)
    held = service.held(session, subject, service.GROUP, body.id)
    fields = {
        "name": body.name,
        "min_choices": body.min_choices,
        "max_choices": body.max_choices,
        "modifiers": _modifiers(held, body.modifiers, currency),
    }
    key, values = service.create(session, subject, service.GROUP, body.id, fields, ip=ip)
    return _group(key, values, currency)


@router.patch("/modifier-groups/{group_id}", response_model=GroupOut)
def change_group(
    group_id: uuid.UUID, body: GroupPatch, session: DbSession, subject: Editor, ip: Ip
) -> GroupOut:
    currency = service.currency(session, subject)
    held = service.get(session, subject, service.GROUP, group_id)
    fields: Values = {}
    for name in ("name", "min_choices", "max_choices"):
        value = getattr(body, name)
        if value is not None:
            fields[name] = value
    if body.modifiers is not None:
        fields["modifiers"] = _modifiers(held, body.modifiers, currency)
    merged = {**held, **fields}
    _check_choices(int(merged.get("min_choices", 0)), int(merged.get("max_choices", 0)))
    values = service.change(session, subject, service.GROUP, group_id, fields, ip=ip)
    return _group(str(group_id), values, currency)


# ----------------------------------------------------------------------------------- items
def _item(entity_id: str, v: Values, currency: str) -> ItemOut:
    item_currency = str(v.get("currency") or currency)
    category = v.get("category_id")
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
    )


def _check_refs(session: DbSession, subject: Subject, fields: Values) -> None:
    if "tax_class" in fields:
        service.require_known(
            session, subject, service.TAX_CLASS, [fields["tax_class"]], "tax_class"
        )
    if fields.get("category_id") is not None:
        service.require_known(
            session, subject, service.CATEGORY, [fields["category_id"]], "category_id"
        )
    if "modifier_groups" in fields:
        service.require_known(
            session, subject, service.GROUP, fields["modifier_groups"], "modifier_group_ids"
        )


@router.get("/items", response_model=list[ItemOut])
def list_items(session: DbSession, subject: CatalogReader) -> list[ItemOut]:
    currency = service.currency(session, subject)
    return [_item(i, v, currency) for i, v in service.listing(session, subject, service.ITEM)]


@router.post("/items", response_model=ItemOut, status_code=status.HTTP_201_CREATED)
def create_item(body: ItemIn, session: DbSession, subject: Editor, ip: Ip) -> ItemOut:
    """A SKU or barcode another item holds is CONFLICT (details.field "sku" / "barcodes")."""
    currency = service.currency(session, subject)
    fields: Values = {
        "sku": body.sku,
        "name": body.name,
        "price_minor": service.to_minor(body.price, currency, "price"),
        "currency": currency,
        "tax_class": body.tax_class,
        "category_id": str(body.category_id) if body.category_id else None,
        "barcodes": list(dict.fromkeys(body.barcodes)),
        "modifier_groups": [str(g) for g in dict.fromkeys(body.modifier_group_ids)],
        "track_stock": body.track_stock,
        "available": body.available,
        "active": True,
        "tile_color": body.tile_color,
    }
    _check_refs(session, subject, fields)
    key, values = service.create(session, subject, service.ITEM, body.id, fields, ip=ip)
    return _item(key, values, currency)


@router.get("/items/{item_id}", response_model=ItemOut)
def read_item(item_id: uuid.UUID, session: DbSession, subject: CatalogReader) -> ItemOut:
    currency = service.currency(session, subject)
    return _item(str(item_id), service.get(session, subject, service.ITEM, item_id), currency)


@router.patch("/items/{item_id}", response_model=ItemOut)
def change_item(
    item_id: uuid.UUID, body: ItemPatch, session: DbSession, subject: Editor, ip: Ip
) -> ItemOut:
    currency = service.currency(session, subject)
    held = service.get(session, subject, service.ITEM, item_id)
    given = body.model_fields_set
    fields: Values = {}
    for name in ("sku", "name", "tax_class", "track_stock", "available", "active"):
        if name in given and getattr(body, name) is not None:
            fields[name] = getattr(body, name)
    if "price" in given and body.price is not None:
        fields["price_minor"] = service.to_minor(
            body.price, str(held.get("currency") or currency), "price"
        )
    if "category_id" in given:
        fields["category_id"] = str(body.category_id) if body.category_id else None
    if "tile_color" in given:
        fields["tile_color"] = body.tile_color
    if body.barcodes is not None:
        fields["barcodes"] = list(dict.fromkeys(body.barcodes))
    if body.modifier_group_ids is not None:
        fields["modifier_groups"] = [str(g) for g in dict.fromkeys(body.modifier_group_ids)]
    _check_refs(session, subject, fields)
    values = service.change(session, subject, service.ITEM, item_id, fields, ip=ip)
    return _item(str(item_id), values, currency)
