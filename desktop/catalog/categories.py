"""Categories as the back office arranges them: their rows with colour, a colour of the tile
palette for each (its items' tiles and its tab, where an item has no colour of its own), and
moving one up or down the sell screen's tabs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select, update

from desktop.catalog import sync as catalog_sync
from desktop.db.models import Category
from desktop.db.uow import UnitOfWork
from desktop.outbox.service import audit
from desktop.staff.service import Actor
from shared.catalog_sync import TILE_COLORS
from shared.errors import NotFound, ValidationFailed
from shared.permissions import Permission


@dataclass(frozen=True)
class CategoryRow:
    id: uuid.UUID
    name: str
    position: int
    color: str | None  # a name of shared.catalog_sync.TILE_COLORS (None: the default look)


def category_rows(uow: UnitOfWork) -> list[CategoryRow]:
    """Every category in tab order (position, then name)."""
    rows = uow.conn.execute(
        select(Category.id, Category.name, Category.position, Category.color).order_by(
            Category.position, Category.name
        )
    )
    return [
        CategoryRow(uuid.UUID(str(i)), str(n), int(p), None if c is None else str(c))
        for i, n, p, c in rows
    ]


def category_colors(uow: UnitOfWork) -> dict[uuid.UUID, str]:
    """The categories that have a colour, and it (the counter's tiles and tabs)."""
    return {r.id: r.color for r in category_rows(uow) if r.color is not None}


def check_color(color: str | None) -> None:
    """Raises ValidationFailed (field "color") for a name outside the palette."""
    if color is not None and color not in TILE_COLORS:
        raise ValidationFailed(
            f"the colour is one of: {', '.join(TILE_COLORS)}", details={"field": "color"}
        )


def move_category(uow: UnitOfWork, actor: Actor, *, category_id: uuid.UUID, step: int) -> None:
    """Move a category's tab `step` places (-1 up, +1 down) and number every tab 0, 1, 2, …
    in the new order; each category whose position changes is one catalog edit. Past the first
    or last place nothing moves.

    Raises:
        NotFound: no such category.
    """
    actor.require(Permission.CATALOG_EDIT)
    rows = category_rows(uow)
    ids = [r.id for r in rows]
    if category_id not in ids:
        raise NotFound("no such category", details={"category_id": str(category_id)})
    at = ids.index(category_id)
    to = max(0, min(len(ids) - 1, at + step))
    ids.insert(to, ids.pop(at))
    held = {r.id: r for r in rows}
    for position, moved in enumerate(ids):
        if held[moved].position == position:
            continue
        uow.conn.execute(update(Category).where(Category.id == moved).values(position=position))
        catalog_sync.record(uow, "cat.category", moved, ["position"])
        audit(
            uow,
            actor_id=actor.id,
            action="catalog.category_changed",
            target_id=moved,
            details={"name": held[moved].name, "position": position, "fields": ["position"]},
        )
