"""The back office's catalog desk (Qt-free): items of a category as the sell screen shows them,
and one save of an item's price, availability and product tile — in one transaction, synced to
the other tills like every catalog edit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from desktop.catalog.service import (
    ItemView,
    change_price,
    get_item,
    items_in_category,
    list_categories,
    set_available,
    set_tile,
)
from desktop.db.uow import UnitOfWork
from desktop.till.counter import Counter
from shared.money import Money


@dataclass(frozen=True)
class TileEdit:
    price: Money
    available: bool
    color: str | None  # a name of shared.catalog_sync.TILE_COLORS; None: the default look
    position: int | None  # place in its category's grid; None: after the placed ones


class CatalogDesk:
    def __init__(self, counter: Counter) -> None:
        self.counter = counter

    def categories(self) -> list[tuple[uuid.UUID | None, str]]:
        return [*self.counter.runner.read(list_categories), (None, "No category")]

    def items(self, category_id: uuid.UUID | None) -> list[ItemView]:
        """The category's items in sell-screen order."""
        return self.counter.runner.read(lambda uow: items_in_category(uow, category_id, limit=500))

    def save(self, item_id: uuid.UUID, edit: TileEdit) -> ItemView:
        """Only what changed is written (each change audited and synced).

        Raises:
            ValidationFailed: a negative price, another currency, an unknown colour.
            AuthzError: the signed-in person lacks `catalog.edit`.
        """
        actor = self.counter.who()

        def op(uow: UnitOfWork) -> ItemView:
            item = get_item(uow, item_id)
            if edit.price != item.price:
                change_price(uow, actor, item_id=item_id, price=edit.price)
            if edit.available != item.available:
                set_available(uow, actor, item_id=item_id, available=edit.available)
            if (edit.color, edit.position) != (item.tile_color, item.tile_position):
                set_tile(uow, actor, item_id=item_id, color=edit.color, position=edit.position)
            return get_item(uow, item_id)

        return self.counter.runner.run(op)
