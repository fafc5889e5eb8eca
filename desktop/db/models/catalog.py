"""The terminal's local copy of the catalog: categories, tax classes, items and their barcodes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from desktop.db.models.base import Base
from desktop.db.models.types import UtcText, UuidText


class Category(Base):
    __tablename__ = "categories"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    color: Mapped[str | None] = mapped_column(String(16), nullable=True)  # its items' tiles


class TaxRateRow(Base):
    """One rate of a tax class (a class may carry several, e.g. VAT + a local levy)."""

    __tablename__ = "tax_rates"

    tax_class: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    percent: Mapped[str] = mapped_column(String(16), nullable=False)  # Decimal as text


class TaxClassLocationRow(Base):
    """A class's rates at one location, where they differ from the class's own (a shop in
    another region). `rates` is JSON `[[code, percent text], ...]`; "[]" means no tax there."""

    __tablename__ = "tax_class_locations"

    tax_class: Mapped[str] = mapped_column(String(32), primary_key=True)
    location_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    rates: Mapped[str] = mapped_column(Text, nullable=False)


class Item(Base):
    __tablename__ = "items"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # Lower-cased, accent-stripped name + SKU: the search key (see catalog.search).
    search_key: Mapped[str] = mapped_column(String(300), nullable=False)
    category_id: Mapped[uuid.UUID | None] = mapped_column(
        UuidText(), ForeignKey("categories.id"), nullable=True
    )
    price_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    tax_class: Mapped[str] = mapped_column(String(32), nullable=False)
    track_stock: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    available: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)  # "86"
    # Where and how its button shows on the sell screen (None: after the placed ones, by name).
    tile_color: Mapped[str | None] = mapped_column(String(16), nullable=True)
    tile_position: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # "piece" or "weighed" (the price is per kg and the quantity the weight)
    unit: Mapped[str] = mapped_column(String(8), nullable=False, server_default="piece")
    cost_minor: Mapped[int | None] = mapped_column(Integer, nullable=True)  # back office only
    # The tile picture's sha256 (set on the server; the bytes: `item_images`). None: no picture.
    image: Mapped[str | None] = mapped_column(String(64), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)

    __table_args__ = (
        Index("ix_items_search_key", "search_key"),
        # The back office's list by name, of archived items or of one category (t0018).
        Index("ix_items_active_search_key", "active", "search_key"),
        Index("ix_items_category_search_key", "category_id", "search_key"),
    )


class ItemImage(Base):
    """A tile picture this till has fetched from the server, by the sha256 items name it with
    (kept in the database, not as files: written whole or not at all, backed up with it)."""

    __tablename__ = "item_images"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    fetched_at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)


class Barcode(Base):
    """Several barcodes may point at one item; a barcode points at exactly one item."""

    __tablename__ = "barcodes"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(
        UuidText(), ForeignKey("items.id", ondelete="CASCADE"), nullable=False, index=True
    )


class ModifierGroup(Base):
    """Choices offered with an item, e.g. "Milk" (min 0, max 1) or "Toppings" (0..3)."""

    __tablename__ = "modifier_groups"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    min_choices: Mapped[int] = mapped_column(Integer, nullable=False)
    max_choices: Mapped[int] = mapped_column(Integer, nullable=False)


class Modifier(Base):
    __tablename__ = "modifiers"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    group_id: Mapped[uuid.UUID] = mapped_column(
        UuidText(), ForeignKey("modifier_groups.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    price_delta_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    # ticked when the counter asks for the group's choices
    is_default: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=false())


class ItemModifierGroup(Base):
    __tablename__ = "item_modifier_groups"

    item_id: Mapped[uuid.UUID] = mapped_column(
        UuidText(), ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[uuid.UUID] = mapped_column(
        UuidText(), ForeignKey("modifier_groups.id", ondelete="CASCADE"), primary_key=True
    )


class LocationOverride(Base):
    """A location's own price or availability for an item (null: use the item's)."""

    __tablename__ = "location_overrides"

    location_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(
        UuidText(), ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    price_minor: Mapped[int | None] = mapped_column(Integer, nullable=True)
    available: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    listed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)  # False: not carried


class CatalogClock(Base):
    """The clock stamp of each catalog field's current value here (docs/sync-protocol.md).

    `seq` is the outbox record of this till's own edit of the field (0 once the value came from
    the server): while that record is unpushed, a pulled value does not overwrite the edit.
    """

    __tablename__ = "catalog_clocks"
    __table_args__ = (Index("ix_catalog_clocks_stamp", "stamp"),)

    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    field: Mapped[str] = mapped_column(String(32), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(64), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
