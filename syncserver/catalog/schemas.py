"""Shapes of the catalog API (`/v1/catalog/*`): prices are decimal strings in the business's
currency ("3.40"); every POST may carry the client's own `id` (UUIDv7) so a retry is safe."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from shared.catalog_sync import TILE_COLORS, UNITS

# Digits with an optional fraction; how many decimals a currency takes is checked in the service.
Price = Annotated[str, Field(pattern=r"^[0-9]{1,13}(\.[0-9]{1,4})?$", examples=["3.40"])]
Delta = Annotated[str, Field(pattern=r"^-?[0-9]{1,13}(\.[0-9]{1,4})?$", examples=["0.50"])]
TileColor = Literal[TILE_COLORS]  # type: ignore[valid-type]
Unit = Literal[UNITS]  # type: ignore[valid-type]


def _trimmed(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be blank")
    return value


Name = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(_trimmed)]
Sku = Annotated[str, Field(min_length=1, max_length=80), AfterValidator(_trimmed)]
Barcode = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
TaxClassCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
Count = Annotated[int, Field(ge=0, le=100, strict=True)]
Position = Annotated[int, Field(ge=0, le=9_999, strict=True)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CategoryIn(_In):
    id: uuid.UUID | None = None
    name: Name
    position: Position = 0
    color: TileColor | None = None  # its items' tiles (and its tab) unless they have their own


class CategoryPatch(_In):
    """Only the fields given change; `color` null clears it."""

    name: Name | None = None
    position: Position | None = None
    color: TileColor | None = None


class CategoryOut(BaseModel):
    id: uuid.UUID
    name: str
    position: int
    color: str | None


class ModifierIn(_In):
    id: uuid.UUID | None = None  # kept when given; else a modifier of that name keeps its id
    name: Name
    price_delta: Delta = "0"
    default: bool = False  # ticked when the counter asks (at most max_choices of a group)


class ModifierOut(BaseModel):
    id: uuid.UUID
    name: str
    price_delta: str
    default: bool


class GroupIn(_In):
    id: uuid.UUID | None = None
    name: Name
    min_choices: Count = 0
    max_choices: Count = 1
    modifiers: list[ModifierIn] = Field(default=[], max_length=50)


class GroupPatch(_In):
    name: Name | None = None
    min_choices: Count | None = None
    max_choices: Count | None = None
    modifiers: list[ModifierIn] | None = Field(default=None, max_length=50)


class GroupOut(BaseModel):
    id: uuid.UUID
    name: str
    min_choices: int
    max_choices: int
    modifiers: list[ModifierOut]


class ItemIn(_In):
    id: uuid.UUID | None = None
    sku: Sku
    name: Name
    price: Price
    tax_class: TaxClassCode
    category_id: uuid.UUID | None = None
    barcodes: list[Barcode] = Field(default=[], max_length=20)
    modifier_group_ids: list[uuid.UUID] = Field(default=[], max_length=20)
    track_stock: bool = True
    available: bool = True
    tile_color: TileColor | None = None
    # None: the business's; else one a location sells in (a shop in another country)
    currency: str | None = Field(default=None, pattern=r"^[A-Za-z]{3}$")
    unit: Unit = "piece"  # "weighed": the price is per kg, the till asks for the weight
    cost: Price | None = None  # what the item costs the business (never shown to cashiers)


class ItemPatch(_In):
    """Only the fields given change; `category_id` or `tile_color` null clears them."""

    sku: Sku | None = None
    name: Name | None = None
    price: Price | None = None
    tax_class: TaxClassCode | None = None
    category_id: uuid.UUID | None = None
    barcodes: list[Barcode] | None = Field(default=None, max_length=20)
    modifier_group_ids: list[uuid.UUID] | None = Field(default=None, max_length=20)
    track_stock: bool | None = None
    available: bool | None = None
    active: bool | None = None
    tile_color: TileColor | None = None
    unit: Unit | None = None
    cost: Price | None = None  # null clears it


class ItemOut(BaseModel):
    id: uuid.UUID
    sku: str
    name: str
    price: str
    currency: str
    tax_class: str
    category_id: uuid.UUID | None
    barcodes: list[str]
    modifier_group_ids: list[uuid.UUID]
    track_stock: bool
    available: bool
    active: bool
    tile_color: str | None
    unit: str
    cost: str | None
    # The tile picture's sha256 (bytes at /v1/catalog/images/{sha256}); set with PUT …/image.
    image: str | None = None


class AtLocationIn(_In):
    """The item at one location: null is "as the item" (its own price or availability)."""

    price: Price | None = None
    available: bool | None = None
    listed: bool | None = None  # false: the shop does not carry it (null: as the item)


class AtLocationOut(BaseModel):
    location: str
    price: str | None  # in the item's currency; null: the item's own price
    available: bool | None  # null: the item's own availability
    listed: bool | None  # false: not carried there; null: as the item (carried)
    currency: str
