"""The catalog as sync sees it (docs/sync-protocol.md, "Catalog").

The catalog is the one mutable, multi-writer part of the data: any till's back office and the
server may edit it. Sync treats each entity as a document of named fields. An edit carries, per
field, the new value, the hybrid-logical-clock stamp of the edit and the stamp of the value the
editor saw (its *base*). The server keeps the value with the larger stamp (last writer wins per
field, so a price edit and a rename of the same item never undo each other); when the editor had
not seen the current value and the values differ, the edits were concurrent and the server also
keeps a conflict record with both values for a manager.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.clock import HlcStamp
from shared.errors import ValidationFailed
from shared.limits import MINOR_MAX

EDIT_KIND = "catalog.edited"
SERVER_NODE = "server"
# A till whose clock runs further ahead than this cannot make its edits win for days: the server
# stamps them with its own clock instead.
MAX_AHEAD_MS = 5 * 60 * 1000

# Entity -> its fields. Order matters: parents before children (a bootstrap sends them so).
ENTITIES: dict[str, tuple[str, ...]] = {
    "cat.tax_class": ("rates",),
    # A class's rates at one location (id "CLASS@LOCATION"); None: the class's own rates.
    "cat.tax_class_location": ("rates",),
    "cat.category": ("name", "position", "color"),
    "cat.modifier_group": ("name", "min_choices", "max_choices", "modifiers"),
    "cat.item": (
        "sku",
        "name",
        "category_id",
        "price_minor",
        "currency",
        "tax_class",
        "track_stock",
        "active",
        "available",
        "barcodes",
        "modifier_groups",
        "tile_color",
        "tile_position",
        "unit",
        "cost_minor",
        "image",
    ),
    # `listed` False: that shop does not carry the item (None: as the item, carried).
    "cat.item_location": ("price_minor", "available", "listed"),
}
ORDER = tuple(ENTITIES)
# Fields only the server writes: an item's picture is set by uploading it to the server (which
# holds the bytes), so a till never sends it in an edit and the server ignores it in one.
SERVER_ONLY: dict[str, frozenset[str]] = {"cat.item": frozenset({"image"})}
# Product-tile colours a back office may pick (names; desktop/ui/theme/tiles.py says how each
# looks).
TILE_COLORS: tuple[str, ...] = ("slate", "blue", "teal", "green", "amber", "rose", "violet")
# How an item is sold: by the piece, or weighed (its price is per kg, its quantity the weight).
UNITS: tuple[str, ...] = ("piece", "weighed")
_ENTITY_NAMESPACE = uuid.UUID("0f6b7e2a-2c1d-4d8e-9b44-5a1c3e7d9f20")


def is_catalog(entity: str) -> bool:
    return entity in ENTITIES


def item_location_id(item_id: uuid.UUID | str, location_code: str) -> str:
    return f"{item_id}@{location_code}"


def tax_class_location_id(tax_class: str, location_code: str) -> str:
    return f"{tax_class}@{location_code}"


def edit_entity_uuid(entity: str, entity_id: str) -> uuid.UUID:
    """The outbox's entity id for an edit (tax classes are named by code, not by a uuid)."""
    return uuid.uuid5(_ENTITY_NAMESPACE, f"{entity}:{entity_id}")


def _bad(entity: str, name: str, why: str) -> ValidationFailed:
    return ValidationFailed(f"{entity}.{name}: {why}", details={"field": name})


def _text(value: Any, limit: int) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= limit


def _count(value: Any) -> bool:
    # Bounded like every stored integer (shared/limits.py): prices and counts alike.
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MINOR_MAX


def _uuid_text(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str)


def _sha256_hex(value: Any) -> bool:
    """A picture's name: the sha256 of its bytes, 64 lowercase hex digits."""
    return (
        isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
    )


def _rates(value: Any) -> bool:
    if not isinstance(value, list):
        return False
    for rate in value:
        if not (isinstance(rate, list) and len(rate) == 2 and _text(rate[0], 32)):
            return False
        try:
            Decimal(str(rate[1]))
        except InvalidOperation:
            return False
    return True


def _modifiers(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(m, dict)
        and _uuid_text(m.get("id"))
        and _text(m.get("name"), 120)
        and isinstance(m.get("price_delta_minor"), int)
        and isinstance(m.get("default", False), bool)
        for m in value
    )


_CHECKS: dict[str, Any] = {
    "rates": _rates,
    "name": lambda v: _text(v, 200),
    "position": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "min_choices": _count,
    "max_choices": _count,
    "modifiers": _modifiers,
    "sku": lambda v: _text(v, 80),
    "category_id": lambda v: v is None or _uuid_text(v),
    "currency": lambda v: isinstance(v, str) and len(v) == 3,
    "tax_class": lambda v: _text(v, 32),
    "track_stock": lambda v: isinstance(v, bool),
    "active": lambda v: isinstance(v, bool),
    "available": lambda v: isinstance(v, bool),
    "barcodes": lambda v: isinstance(v, list) and all(_text(b, 64) for b in v),
    "modifier_groups": lambda v: isinstance(v, list) and all(_uuid_text(g) for g in v),
    "tile_color": lambda v: v is None or v in TILE_COLORS,
    "tile_position": lambda v: v is None or (_count(v) and v < 10_000),
    "color": lambda v: v is None or v in TILE_COLORS,
    "unit": lambda v: v in UNITS,
    "cost_minor": lambda v: v is None or _count(v),
    "image": lambda v: v is None or _sha256_hex(v),
}


def check_value(entity: str, name: str, value: Any) -> None:
    """Raises ValidationFailed when `value` cannot be the field's value."""
    if entity == "cat.tax_class_location":
        ok = value is None or _rates(value)
    elif entity == "cat.item_location":
        ok = value is None or (_count(value) if name == "price_minor" else isinstance(value, bool))
    elif name == "price_minor":
        ok = _count(value)
    else:
        ok = _CHECKS[name](value)
    if not ok:
        raise _bad(entity, name, f"not a valid value: {str(value)[:60]!r}")


class CatalogEdit(BaseModel):
    """The payload of a `catalog.edited` mutation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entity: str
    id: str = Field(min_length=1, max_length=64)
    stamp: str  # HlcStamp.encode() of the edit
    fields: dict[str, Any] = Field(min_length=1)
    base: dict[str, str | None]  # per field: the stamp of the value the editor replaced

    @model_validator(mode="after")
    def _known_fields(self) -> CatalogEdit:
        allowed = ENTITIES.get(self.entity)
        if allowed is None:
            raise ValueError(f"unknown catalog entity {self.entity!r}")
        for name, value in self.fields.items():
            if name not in allowed:
                raise ValueError(f"{self.entity} has no field {name!r}")
            check_value(self.entity, name, value)
        HlcStamp.parse(self.stamp)
        for stamp in self.base.values():
            if stamp is not None:
                HlcStamp.parse(stamp)
        return self


def document_body(fields: dict[str, tuple[Any, str]]) -> dict[str, Any]:
    """What the change log and a bootstrap carry: every field with the stamp of its value."""
    return {"fields": {k: {"value": v, "stamp": s} for k, (v, s) in sorted(fields.items())}}


def parse_document(body: dict[str, Any]) -> dict[str, tuple[Any, str]]:
    return {k: (f["value"], str(f["stamp"])) for k, f in body.get("fields", {}).items()}
