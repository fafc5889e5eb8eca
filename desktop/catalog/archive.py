"""Archiving an item: off the counter (tiles, search; a scan says it is archived) but kept for
the tickets, reports and stock that name it; restoring brings it back as it was."""

from __future__ import annotations

import uuid

from sqlalchemy import update

from desktop.catalog import sync as catalog_sync
from desktop.catalog.service import get_item
from desktop.db.models import Item
from desktop.db.uow import UnitOfWork
from desktop.outbox.service import audit
from desktop.staff.service import Actor
from shared.permissions import Permission


def set_archived(uow: UnitOfWork, actor: Actor, *, item_id: uuid.UUID, archived: bool) -> bool:
    """Archive (`archived`) or restore an item: its `active` field, one catalog edit, audited
    `catalog.item_archived` / `catalog.item_restored`. Returns False (nothing written) when the
    item is that way already.

    Raises:
        NotFound: no such item.
        AuthzError: the actor lacks `catalog.edit`.
    """
    actor.require(Permission.CATALOG_EDIT)
    item = get_item(uow, item_id)
    if item.active != archived:
        return False
    uow.conn.execute(
        update(Item)
        .where(Item.id == item_id)
        .values(active=not archived, updated_at=uow.clock.now())
    )
    catalog_sync.record(uow, "cat.item", item_id, ["active"])
    audit(
        uow,
        actor_id=actor.id,
        action="catalog.item_archived" if archived else "catalog.item_restored",
        target_id=item_id,
        details={"sku": item.sku},
    )
    return True
