"""Items' tile pictures: an upload is made tile-ready (shared/tile_image.py), stored once per
business by its sha256, and named in the item's `image` field as a server catalog edit
(`merge.write_fields`), so tills learn of it with the catalog and fetch the bytes they lack."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.permissions import Permission
from shared.tile_image import TileImage, tile_image
from syncserver.audit.service import record
from syncserver.catalog import service
from syncserver.catalog.merge import write_fields
from syncserver.models import CatalogDocument, ItemImage
from syncserver.tenancy import Subject, tenant_scoped


def set_image(
    session: Session, subject: Subject, item_id: uuid.UUID, raw: bytes, *, ip: str | None
) -> ItemImage:
    """Make `raw` the item's picture (`catalog.edit`); the same picture again changes nothing.

    Raises:
        NotFound: no such item in this business.
        ValidationFailed: not a PNG, JPEG or WebP we can read, or too large (field "image").
    """
    subject.require_at(Permission.CATALOG_EDIT, None)
    before = service.get(session, subject, service.ITEM, item_id).get("image")
    tile = tile_image(raw)
    stored = _store(session, subject.tenant_id, tile)
    _name(session, subject, item_id, before, tile.sha256, ip=ip)
    return stored


def clear_image(session: Session, subject: Subject, item_id: uuid.UUID, *, ip: str | None) -> None:
    """The item shows no picture again (`catalog.edit`); nothing to clear changes nothing.

    Raises:
        NotFound: no such item in this business.
    """
    subject.require_at(Permission.CATALOG_EDIT, None)
    before = service.get(session, subject, service.ITEM, item_id).get("image")
    _name(session, subject, item_id, before, None, ip=ip)


def find(session: Session, tenant_id: uuid.UUID, sha256: str) -> ItemImage | None:
    """The business's picture with that hash (None: not this business's, or gone)."""
    return session.get(ItemImage, (tenant_id, sha256.lower()))


def _store(session: Session, tenant_id: uuid.UUID, tile: TileImage) -> ItemImage:
    held = find(session, tenant_id, tile.sha256)
    if held is not None:
        return held  # content-addressed: the same bytes are kept once
    row = ItemImage(
        tenant_id=tenant_id, sha256=tile.sha256, media_type="image/png", width=tile.width,
        height=tile.height, data=tile.png, created_at=datetime.now(UTC),
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def _name(
    session: Session, subject: Subject, item_id: uuid.UUID, before: str | None,
    after: str | None, *, ip: str | None,
) -> None:  # fmt: skip
    entity_id = str(item_id)
    if not write_fields(
        session, subject.tenant_id, service.ITEM, entity_id, {"image": after}, datetime.now(UTC)
    ):
        return
    record(
        session,
        action="catalog.image_changed",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"{service.ITEM}:{entity_id}",
        before={"image": before},
        after={"image": after},
        ip=ip,
    )
    if before is not None and before != after:
        _forget_if_unused(session, subject, before)
    session.flush()


def _forget_if_unused(session: Session, subject: Subject, sha256: str) -> None:
    """Drop a picture no item of the business names any more (two items may share one)."""
    session.flush()
    named = session.scalar(
        tenant_scoped(select(CatalogDocument.entity_id), CatalogDocument, subject)
        .where(CatalogDocument.entity == service.ITEM)
        .where(CatalogDocument.fields.contains(f'"image":["{sha256}"'))
        .limit(1)
    )
    held = find(session, subject.tenant_id, sha256)
    if named is None and held is not None:
        session.delete(held)
