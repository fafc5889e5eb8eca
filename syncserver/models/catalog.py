"""The server's copy of the catalog: one document per entity, each field with its clock stamp.

Terminals edit the catalog; the server merges their edits field by field (shared/catalog_sync.py)
and keeps the conflicts a person must settle. `catalog_keys` holds who owns each SKU and barcode,
so two tills that created the same SKU offline are told apart the same way everywhere.
`item_images` holds the tile pictures items name by hash (the bytes never travel in documents).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from syncserver.models.base import Base
from syncserver.models.types import UtcDateTime, uuid_column_type


class CatalogDocument(Base):
    __tablename__ = "catalog_documents"

    tenant_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # JSON {field: [value, stamp, origin replica or null]}
    fields: Mapped[str] = mapped_column(Text, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)


class CatalogKey(Base):
    """One SKU or barcode and the item that holds it (first come, first kept)."""

    __tablename__ = "catalog_keys"
    # An item's own keys (giving one up, taking new ones) without scanning the business's.
    __table_args__ = (Index("ix_catalog_keys_item", "tenant_id", "item_id"),)

    tenant_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # sku / barcode
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(64), nullable=False)


class CatalogConflict(Base):
    """Two values for one field that no clock can honestly order, kept for a manager."""

    __tablename__ = "catalog_conflicts"

    id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), nullable=False, index=True)
    entity: Mapped[str] = mapped_column(String(32), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(64), nullable=False)
    field: Mapped[str] = mapped_column(String(32), nullable=False)
    reason: Mapped[str] = mapped_column(String(24), nullable=False)  # concurrent / duplicate_*
    kept_value: Mapped[str] = mapped_column(Text, nullable=False)  # JSON, the value in place
    kept_origin: Mapped[uuid.UUID | None] = mapped_column(uuid_column_type(), nullable=True)
    other_value: Mapped[str] = mapped_column(Text, nullable=False)  # JSON, the value set aside
    other_origin: Mapped[uuid.UUID | None] = mapped_column(uuid_column_type(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(uuid_column_type(), nullable=True)
    resolution: Mapped[str | None] = mapped_column(Text, nullable=True)


class ItemImage(Base):
    """A tile picture as the server made it (PNG, at most 256 × 256), stored once per business
    by the sha256 of its bytes: items name it in their `image` field."""

    __tablename__ = "item_images"

    tenant_id: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(32), nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
