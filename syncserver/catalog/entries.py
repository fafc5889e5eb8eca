"""Categories, modifier groups and items as the catalog API writes them: request bodies turned
into catalog document fields (prices to minor units, references checked), then written through
`service.create` / `service.change` (server catalog edits)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from shared.errors import ValidationFailed
from syncserver.catalog import service
from syncserver.catalog.schemas import (
    CategoryIn,
    CategoryPatch,
    GroupIn,
    GroupPatch,
    ItemIn,
    ItemPatch,
    ModifierIn,
)
from syncserver.tenancy import Subject

Values = dict[str, Any]
Written = tuple[str, Values]  # (id, the entry's values)


# ------------------------------------------------------------------------------ categories
def create_category(
    session: Session, subject: Subject, body: CategoryIn, *, ip: str | None
) -> Written:
    fields = {"name": body.name, "position": body.position, "color": body.color}
    return service.create(session, subject, service.CATEGORY, body.id, fields, ip=ip)


def change_category(
    session: Session, subject: Subject, category_id: uuid.UUID, body: CategoryPatch, *,
    ip: str | None,
) -> Values:  # fmt: skip
    given = body.model_dump(exclude_unset=True)
    fields = {k: v for k, v in given.items() if v is not None or k == "color"}
    return service.change(session, subject, service.CATEGORY, category_id, fields, ip=ip)


# ------------------------------------------------------------------------- modifier groups
def _modifiers(held: Values, wanted: list[ModifierIn], currency: str) -> list[dict[str, Any]]:
    ids = service.modifier_ids(held.get("modifiers", []), [(m.id, m.name) for m in wanted])
    return [
        {
            "id": key,
            "name": m.name,
            "price_delta_minor": service.to_minor(m.price_delta, currency, "price_delta"),
            "default": m.default,
        }
        for key, m in zip(ids, wanted, strict=True)
    ]


def _check_choices(values: Values) -> None:
    most = int(values.get("max_choices", 0))
    if int(values.get("min_choices", 0)) > most:
        raise ValidationFailed(
            "min_choices cannot be more than max_choices", details={"field": "min_choices"}
        )
    defaults = sum(1 for m in values.get("modifiers", []) if m.get("default"))
    if defaults > most:
        raise ValidationFailed(
            f"{defaults} options are defaults but a customer picks at most {most}",
            details={"field": "modifiers"},
        )


def create_group(session: Session, subject: Subject, body: GroupIn, *, ip: str | None) -> Written:
    """Raises ValidationFailed when min_choices > max_choices."""
    held = service.held(session, subject, service.GROUP, body.id)
    fields = {
        "name": body.name,
        "min_choices": body.min_choices,
        "max_choices": body.max_choices,
        "modifiers": _modifiers(held, body.modifiers, service.currency(session, subject)),
    }
    _check_choices(fields)
    return service.create(session, subject, service.GROUP, body.id, fields, ip=ip)


def change_group(
    session: Session, subject: Subject, group_id: uuid.UUID, body: GroupPatch, *,
    ip: str | None,
) -> Values:  # fmt: skip
    held = service.get(session, subject, service.GROUP, group_id)
    fields: Values = {}
    for name in ("name", "min_choices", "max_choices"):
        value = getattr(body, name)
        if value is not None:
            fields[name] = value
    if body.modifiers is not None:
        currency = service.currency(session, subject)
        fields["modifiers"] = _modifiers(held, body.modifiers, currency)
    _check_choices({**held, **fields})
    return service.change(session, subject, service.GROUP, group_id, fields, ip=ip)


# ----------------------------------------------------------------------------------- items
def _check_refs(session: Session, subject: Subject, fields: Values) -> None:
    """Raises ValidationFailed naming the field of an unknown tax class, category or group."""
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


def create_item(session: Session, subject: Subject, body: ItemIn, *, ip: str | None) -> Written:
    """An item in the business's currency, or in one its locations sell in; see
    `service.create` for retries and conflicts."""
    currency = service.item_currency(session, subject, body.currency)
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
        "unit": body.unit,
        "cost_minor": None if body.cost is None else service.to_minor(body.cost, currency, "cost"),
    }
    _check_refs(session, subject, fields)
    return service.create(session, subject, service.ITEM, body.id, fields, ip=ip)


def change_item(
    session: Session, subject: Subject, item_id: uuid.UUID, body: ItemPatch, *, ip: str | None
) -> Values:
    """Only the fields the body gives change; `category_id` / `tile_color` / `cost` null clear
    them."""
    held = service.get(session, subject, service.ITEM, item_id)
    given = body.model_fields_set
    fields: Values = {}
    for name in ("sku", "name", "tax_class", "track_stock", "available", "active", "unit"):
        if name in given and getattr(body, name) is not None:
            fields[name] = getattr(body, name)
    currency = str(held.get("currency") or service.currency(session, subject))
    if "price" in given and body.price is not None:
        fields["price_minor"] = service.to_minor(body.price, currency, "price")
    if "cost" in given:
        fields["cost_minor"] = (
            None if body.cost is None else service.to_minor(body.cost, currency, "cost")
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
    return service.change(session, subject, service.ITEM, item_id, fields, ip=ip)
