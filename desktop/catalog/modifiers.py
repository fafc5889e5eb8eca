"""Modifier groups: the choices offered with an item (milk, size, toppings) and their prices."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select

from desktop.catalog import sync as catalog_sync
from desktop.catalog.service import get_item
from desktop.db.models import ItemModifierGroup, Modifier, ModifierGroup
from desktop.db.uow import UnitOfWork
from desktop.outbox.service import audit
from desktop.staff.service import Actor
from shared.errors import ValidationFailed
from shared.ids import uuid7
from shared.money import Money
from shared.permissions import Permission


@dataclass(frozen=True)
class ModifierView:
    id: uuid.UUID
    group_id: uuid.UUID
    name: str
    price_delta_minor: int
    is_default: bool = False  # ticked when the counter asks


def create_modifier_group(
    uow: UnitOfWork,
    actor: Actor,
    *,
    name: str,
    min_choices: int,
    max_choices: int,
    modifiers: Sequence[tuple[str, Money]],
) -> uuid.UUID:
    """A group of choices (e.g. Milk: oat +0.40, soy +0.40) with how many may/must be picked."""
    actor.require(Permission.CATALOG_EDIT)
    if not (0 <= min_choices <= max_choices) or max_choices < 1:
        raise ValidationFailed(
            "choices: 0 <= min <= max and max >= 1",
            details={"min": min_choices, "max": max_choices},
        )
    if len(modifiers) < max(min_choices, 1):
        raise ValidationFailed("a group needs at least as many modifiers as its minimum")
    group_id = uuid7()
    uow.conn.execute(
        insert(ModifierGroup).values(
            id=group_id, name=name, min_choices=min_choices, max_choices=max_choices
        )
    )
    uow.conn.execute(
        insert(Modifier),
        [
            {
                "id": uuid7(),
                "group_id": group_id,
                "name": n,
                "price_delta_minor": p.quantize().minor_units,
            }
            for n, p in modifiers
        ],
    )
    catalog_sync.record(uow, "cat.modifier_group", group_id)
    audit(
        uow,
        actor_id=actor.id,
        action="catalog.modifier_group_created",
        target_id=group_id,
        details={"name": name, "min": min_choices, "max": max_choices},
    )
    return group_id


def attach_modifier_group(
    uow: UnitOfWork, actor: Actor, *, item_id: uuid.UUID, group_id: uuid.UUID
) -> None:
    actor.require(Permission.CATALOG_EDIT)
    get_item(uow, item_id)
    uow.conn.execute(insert(ItemModifierGroup).values(item_id=item_id, group_id=group_id))
    catalog_sync.record(uow, "cat.item", item_id, ["modifier_groups"])


def item_modifier_groups(
    uow: UnitOfWork, item_id: uuid.UUID
) -> list[tuple[uuid.UUID, str, int, int, list[ModifierView]]]:
    """(group id, name, min, max, modifiers) of each group offered with the item."""
    groups = uow.conn.execute(
        select(
            ModifierGroup.id,
            ModifierGroup.name,
            ModifierGroup.min_choices,
            ModifierGroup.max_choices,
        )
        .join(ItemModifierGroup, ItemModifierGroup.group_id == ModifierGroup.id)
        .where(ItemModifierGroup.item_id == item_id)
        .order_by(ModifierGroup.name)
    ).all()
    out = []
    for gid, name, lo, hi in groups:
        mods = [
            ModifierView(mid, gid, mname, delta, bool(default))
            for mid, mname, delta, default in uow.conn.execute(
                select(Modifier.id, Modifier.name, Modifier.price_delta_minor, Modifier.is_default)
                .where(Modifier.group_id == gid)
                .order_by(Modifier.name)
            )
        ]
        out.append((gid, name, lo, hi, mods))
    return out
