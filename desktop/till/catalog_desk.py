"""The back office's catalog desk (Qt-free): items of a category as the sell screen shows them;
the item form (create or edit every field), categories and modifier groups; and the quick save
of an item's price, availability and product tile. Each save is one transaction, audited and
synced to the other tills like every catalog edit (offline too: it waits in the outbox)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from desktop.catalog import images
from desktop.catalog.archive import set_archived
from desktop.catalog.browse import PAGE, BrowseFilter, BrowseRow, browse, known_locations
from desktop.catalog.categories import CategoryRow, category_rows, move_category
from desktop.catalog.groups import GroupDraft, GroupView, get_group, list_groups, save_group
from desktop.catalog.items import (
    ItemDraft,
    TaxClassView,
    draft_of,
    save_item,
    suggest_sku,
    tax_classes,
)
from desktop.catalog.locations import AtLocation, at_each_location, save_at_location
from desktop.catalog.service import (
    ItemView,
    change_category,
    change_price,
    create_category,
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

    def browse(self, f: BrowseFilter, offset: int = 0, limit: int = PAGE) -> list[BrowseRow]:
        """One page of the back office's item list (desktop/catalog/browse.py)."""
        return self.counter.runner.read(lambda uow: browse(uow, f, offset=offset, limit=limit))

    def locations(self) -> list[str]:
        """Location codes this till knows (its own first)."""
        return self.counter.runner.read(known_locations)

    def item(self, item_id: uuid.UUID) -> ItemView:
        return self.counter.runner.read(lambda uow: get_item(uow, item_id))

    def set_archived(self, item_id: uuid.UUID, archived: bool) -> ItemView:
        """Archive or restore an item (one catalog edit, audited); AuthzError without
        `catalog.edit`."""
        actor = self.counter.who()

        def op(uow: UnitOfWork) -> ItemView:
            set_archived(uow, actor, item_id=item_id, archived=archived)
            return get_item(uow, item_id)

        return self.counter.runner.run(op)

    def at_locations(self, item_id: uuid.UUID) -> list[AtLocation]:
        return self.counter.runner.read(lambda uow: at_each_location(uow, item_id))

    def save_at_location(
        self, item_id: uuid.UUID, location: str, price_text: str, available: bool | None,
        carried: bool = True,
    ) -> None:  # fmt: skip
        """The item's price (blank: its own), on-sale (None: its own) and whether the shop
        carries it at a location.

        Raises:
            ValidationFailed: `details["fields"]["price"]` for a price that is not one.
            AuthzError: the signed-in person lacks `catalog.edit`.
        """
        actor = self.counter.who()
        self.counter.runner.run(
            lambda uow: save_at_location(
                uow, actor, item_id=item_id, location=location, price_text=price_text,
                available=available, carried=carried,
            )
        )  # fmt: skip

    def picture_of(self, item_id: uuid.UUID) -> bytes | None:
        """The item's tile picture as this till holds it (None: none yet)."""
        return self.counter.runner.read(lambda uow: images.of_item(uow, str(item_id)))

    def picture_changed(
        self, item_id: uuid.UUID, sha256: str | None, png: bytes | None = None
    ) -> None:
        """The server took (or, with None, removed) the item's picture: tiles here show it now."""
        self.counter.runner.run(lambda uow: images.show_now(uow, str(item_id), sha256, png))

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

    # ------------------------------------------------------------------ the item form
    def tax_classes(self) -> list[TaxClassView]:
        """The till's tax classes (from the server); empty until the till is set up."""
        return self.counter.runner.read(tax_classes)

    def category_choices(self) -> list[tuple[uuid.UUID, str]]:
        return self.counter.runner.read(list_categories)

    def suggest_sku(self, name: str, item_id: uuid.UUID | None = None) -> str:
        return self.counter.runner.read(lambda uow: suggest_sku(uow, name, item_id))

    def draft(self, item_id: uuid.UUID) -> ItemDraft:
        return self.counter.runner.read(lambda uow: draft_of(uow, item_id))

    def save_item(self, draft: ItemDraft, item_id: uuid.UUID | None = None) -> ItemView:
        """Create (no `item_id`) or change an item, its new category and its groups at once.

        Raises:
            ValidationFailed: `details["fields"]` names each field to fix; nothing was written.
            AuthzError: the signed-in person lacks `catalog.edit`.
        """
        actor = self.counter.who()

        def op(uow: UnitOfWork) -> ItemView:
            saved = save_item(uow, actor, draft, item_id=item_id)
            return get_item(uow, saved)

        return self.counter.runner.run(op)

    # ------------------------------------------------------------------ categories
    def category_rows(self) -> list[CategoryRow]:
        """Every category (id, name, position, colour) in tab order."""
        return self.counter.runner.read(category_rows)

    def save_category(
        self, name: str, position: int, category_id: uuid.UUID | None = None,
        color: str | None = None,
    ) -> uuid.UUID:  # fmt: skip
        """A new category, or a rename / move / new colour of one (ValidationFailed names the
        field)."""
        actor = self.counter.who()

        def op(uow: UnitOfWork) -> uuid.UUID:
            if category_id is None:
                return create_category(uow, actor, name=name, position=position, color=color)
            change_category(
                uow, actor, category_id=category_id, name=name, position=position, color=color
            )
            return category_id

        return self.counter.runner.run(op)

    def move_category(self, category_id: uuid.UUID, step: int) -> None:
        """One tab up (-1) or down (+1); every tab renumbered in one transaction."""
        actor = self.counter.who()
        self.counter.runner.run(
            lambda uow: move_category(uow, actor, category_id=category_id, step=step)
        )

    # ------------------------------------------------------------------ modifier groups
    def groups(self) -> list[GroupView]:
        return self.counter.runner.read(list_groups)

    def save_group(self, draft: GroupDraft, group_id: uuid.UUID | None = None) -> GroupView:
        """Create or change a modifier group (ValidationFailed: `details["fields"]`)."""
        actor = self.counter.who()

        def op(uow: UnitOfWork) -> GroupView:
            saved = save_group(uow, actor, draft, group_id=group_id)
            return get_group(uow, saved)

        return self.counter.runner.run(op)
