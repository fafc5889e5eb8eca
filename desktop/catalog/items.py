"""The item form's service: create or change an item with all its fields in one transaction —
name, SKU, price, cost, how it is sold (by the piece or weighed), tax class, category (picked or
new), barcodes, stock tracking, availability and its modifier groups. Every problem is found
in one pass and named by field; nothing is written unless all are fixed. Each save is audited
and outboxed as one `catalog.edited`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update

from desktop.catalog import sync as catalog_sync
from desktop.catalog.forms import (
    NAME_MAX,
    barcode_problem,
    invalid,
    parse_amount,
    sku_from_name,
    sku_problem,
    text_problem,
)
from desktop.catalog.service import category_named, create_category, get_item, tax_rates
from desktop.catalog.text import search_key
from desktop.db.models import Barcode, Category, Item, ItemModifierGroup, ModifierGroup, TaxRateRow
from desktop.db.uow import UnitOfWork
from desktop.outbox.service import audit
from desktop.sales.config import load
from desktop.staff.service import Actor
from shared.catalog_sync import UNITS
from shared.errors import ValidationFailed
from shared.ids import uuid7
from shared.money import Money
from shared.permissions import Permission
from shared.tax import TaxRate

MAX_BARCODES = 20
NO_TAX_CLASSES = (
    "this till has no tax classes yet: they come from the server when the till is set up "
    "(enrolled) — sync, then try again"
)


@dataclass(frozen=True)
class ItemDraft:
    """An item as the form holds it: the price as typed, a category picked or a new one named."""

    name: str
    sku: str
    price: str
    tax_class: str
    category_id: uuid.UUID | None = None
    new_category: str = ""  # non-empty: create this category (or use the one of that name)
    barcodes: tuple[str, ...] = ()
    track_stock: bool = True
    available: bool = True
    modifier_groups: tuple[uuid.UUID, ...] = ()
    unit: str = "piece"  # or "weighed": sold by the kg, the price is per kg
    cost: str = ""  # as typed, in the item's currency; empty: no cost


@dataclass(frozen=True)
class TaxClassView:
    code: str
    rates: tuple[TaxRate, ...]

    @property
    def label(self) -> str:
        """ "STD — VAT19 19%" (what the choice shows)."""
        rates = " + ".join(f"{r.code} {r.percent.normalize():f}%" for r in self.rates)
        return f"{self.code} — {rates}" if rates else self.code


def tax_classes(uow: UnitOfWork) -> list[TaxClassView]:
    """The till's tax classes (they arrive from the server), by code."""
    codes = uow.conn.execute(
        select(TaxRateRow.tax_class).distinct().order_by(TaxRateRow.tax_class)
    ).scalars()
    return [TaxClassView(str(code), tax_rates(uow, str(code))) for code in codes]


def draft_of(uow: UnitOfWork, item_id: uuid.UUID) -> ItemDraft:
    """The stored item as the form shows it (for "Edit item")."""
    item = get_item(uow, item_id)
    category = uow.conn.execute(select(Item.category_id).where(Item.id == item_id)).scalar()
    cost = uow.conn.execute(select(Item.cost_minor).where(Item.id == item_id)).scalar()
    return ItemDraft(
        name=item.name,
        sku=item.sku,
        price=f"{item.price.amount}",
        tax_class=item.tax_class,
        category_id=category,
        barcodes=tuple(_barcodes(uow, item_id)),
        track_stock=item.track_stock,
        available=item.available,
        modifier_groups=tuple(_groups(uow, item_id)),
        unit=item.unit,
        cost="" if cost is None else f"{Money.from_minor(int(cost), item.price.currency).amount}",
    )


def suggest_sku(uow: UnitOfWork, name: str, item_id: uuid.UUID | None = None) -> str:
    """A free SKU made from the name ("Flat White" -> FLAT-WHITE, then FLAT-WHITE-2, ...)."""
    base = sku_from_name(name)
    if not base:
        return ""
    taken = {
        str(s)
        for s in uow.conn.execute(
            select(Item.sku).where(Item.sku.startswith(base), Item.id != item_id)
        ).scalars()
    }
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def save_item(
    uow: UnitOfWork, actor: Actor, draft: ItemDraft, *, item_id: uuid.UUID | None = None
) -> uuid.UUID:
    """Create the item (no `item_id`) or change it to match `draft`; returns its id.

    Raises:
        AuthzError: the actor lacks `catalog.edit`.
        ValidationFailed: `details["fields"]` maps each field to what is wrong with it.
        Conflict: the till is not configured for selling yet (no currency).
        NotFound: `item_id` is not in the catalog.
    """
    actor.require(Permission.CATALOG_EDIT)
    old = draft_of(uow, item_id) if item_id is not None else None
    currency = get_item(uow, item_id).price.currency if item_id else load(uow).currency
    problems: dict[str, str] = {}
    if problem := text_problem(draft.name, "the name", max_len=NAME_MAX):
        problems["name"] = problem
    sku = draft.sku.strip()
    changed_sku = old is None or sku != old.sku
    if changed_sku and (problem := sku_problem(sku) or _sku_holder(uow, sku, item_id)):
        problems["sku"] = problem
    price: Money | None = None
    try:
        price = parse_amount(draft.price, currency)
    except ValidationFailed as exc:
        problems["price"] = exc.message
    cost, cost_problem = _cost(draft.cost, currency)
    if cost_problem:
        problems["cost"] = cost_problem
    if draft.unit not in UNITS:
        problems["unit"] = "an item is sold by the piece or by weight (kg)"
    if problem := _tax_class_problem(uow, draft.tax_class, old):
        problems["tax_class"] = problem
    if problem := _category_problem(uow, draft):
        problems["category"] = problem
    codes = list(dict.fromkeys(c.strip() for c in draft.barcodes if c.strip()))
    if problem := _barcodes_problem(uow, codes, item_id, old):
        problems["barcodes"] = problem
    groups = list(dict.fromkeys(draft.modifier_groups))
    if problem := _groups_problem(uow, groups):
        problems["modifier_groups"] = problem
    if problems or price is None:
        raise invalid(problems)

    category_id = _category_for(uow, actor, draft)
    values: dict[str, object] = {
        "sku": sku,
        "name": draft.name.strip(),
        "search_key": search_key(draft.name.strip(), sku),
        "category_id": category_id,
        "price_minor": price.quantize().minor_units,
        "tax_class": draft.tax_class,
        "track_stock": draft.track_stock,
        "available": draft.available,
        "unit": draft.unit,
        "cost_minor": cost,
        "updated_at": uow.clock.now(),
    }
    if old is None or item_id is None:
        return _create(uow, actor, values, currency, codes, groups)
    _change(uow, actor, item_id, old, values, codes, groups)
    return item_id


def _create(
    uow: UnitOfWork,
    actor: Actor,
    values: dict[str, object],
    currency: str,
    codes: list[str],
    groups: list[uuid.UUID],
) -> uuid.UUID:
    item_id = uuid7()
    uow.conn.execute(insert(Item).values(id=item_id, currency=currency, active=True, **values))
    _write_links(uow, item_id, codes, groups)
    catalog_sync.record(uow, "cat.item", item_id)
    audit(
        uow,
        actor_id=actor.id,
        action="catalog.item_created",
        target_id=item_id,
        details={"sku": values["sku"], "price_minor": values["price_minor"], "currency": currency},
    )
    return item_id


def _change(
    uow: UnitOfWork,
    actor: Actor,
    item_id: uuid.UUID,
    old: ItemDraft,
    values: dict[str, object],
    codes: list[str],
    groups: list[uuid.UUID],
) -> None:
    before = get_item(uow, item_id)
    was = {
        "sku": old.sku,
        "name": old.name,
        "category_id": old.category_id,
        "price_minor": before.price.minor_units,
        "tax_class": old.tax_class,
        "track_stock": old.track_stock,
        "available": old.available,
        "unit": old.unit,
        "cost_minor": _cost(old.cost, before.price.currency)[0],
    }
    changed = [k for k, v in was.items() if values[k] != v]
    if sorted(codes) != sorted(old.barcodes):
        changed.append("barcodes")
    if sorted(groups) != sorted(old.modifier_groups):
        changed.append("modifier_groups")
    if not changed:
        return
    uow.conn.execute(update(Item).where(Item.id == item_id).values(**values))
    uow.conn.execute(delete(Barcode).where(Barcode.item_id == item_id))
    uow.conn.execute(delete(ItemModifierGroup).where(ItemModifierGroup.item_id == item_id))
    _write_links(uow, item_id, codes, groups)
    catalog_sync.record(uow, "cat.item", item_id, changed)
    details: dict[str, object] = {"sku": values["sku"], "fields": changed}
    if "price_minor" in changed:
        details |= {"from_minor": was["price_minor"], "to_minor": values["price_minor"]}
    audit(uow, actor_id=actor.id, action="catalog.item_changed", target_id=item_id,
          details=details)  # fmt: skip


def _cost(text: str, currency: str) -> tuple[int | None, str | None]:
    """The cost as typed in minor units (None: none given), or the problem with it."""
    if not text.strip():
        return None, None
    try:
        return parse_amount(text, currency, "the cost").quantize().minor_units, None
    except ValidationFailed as exc:
        return None, exc.message


def _write_links(
    uow: UnitOfWork, item_id: uuid.UUID, codes: list[str], groups: list[uuid.UUID]
) -> None:
    if codes:
        uow.conn.execute(insert(Barcode), [{"code": c, "item_id": item_id} for c in codes])
    if groups:
        uow.conn.execute(
            insert(ItemModifierGroup), [{"item_id": item_id, "group_id": g} for g in groups]
        )


def _barcodes(uow: UnitOfWork, item_id: uuid.UUID) -> list[str]:
    return [
        str(c)
        for c in uow.conn.execute(
            select(Barcode.code).where(Barcode.item_id == item_id).order_by(Barcode.code)
        ).scalars()
    ]


def _groups(uow: UnitOfWork, item_id: uuid.UUID) -> list[uuid.UUID]:
    rows = uow.conn.execute(
        select(ItemModifierGroup.group_id)
        .join(ModifierGroup, ModifierGroup.id == ItemModifierGroup.group_id)
        .where(ItemModifierGroup.item_id == item_id)
        .order_by(ModifierGroup.name)
    ).scalars()
    return [uuid.UUID(str(g)) for g in rows]


def _sku_holder(uow: UnitOfWork, sku: str, item_id: uuid.UUID | None) -> str | None:
    holder = uow.conn.execute(select(Item.name).where(Item.sku == sku, Item.id != item_id)).scalar()
    return None if holder is None else f"SKU {sku} belongs to {holder} already: choose another"


def _tax_class_problem(uow: UnitOfWork, tax_class: str, old: ItemDraft | None) -> str | None:
    if old is not None and tax_class == old.tax_class:
        return None  # kept as it came (e.g. a class the server has not sent rates for yet)
    known = [c.code for c in tax_classes(uow)]
    if not known:
        return NO_TAX_CLASSES
    if tax_class not in known:
        return "choose a tax class"
    return None


def _category_problem(uow: UnitOfWork, draft: ItemDraft) -> str | None:
    if draft.new_category.strip():
        return text_problem(draft.new_category, "the new category's name", max_len=120)
    if draft.category_id is None:
        return None
    found = uow.conn.execute(select(Category.id).where(Category.id == draft.category_id)).first()
    return None if found else "that category is no longer there: pick another"


def _category_for(uow: UnitOfWork, actor: Actor, draft: ItemDraft) -> uuid.UUID | None:
    """The picked category, or the new one (an existing category of that name is reused)."""
    name = draft.new_category.strip()
    if not name:
        return draft.category_id
    same = category_named(uow, name)
    if same is not None:
        return same[0]
    (top,) = uow.conn.execute(select(func.coalesce(func.max(Category.position), -1))).one()
    return create_category(uow, actor, name=name, position=int(top) + 1)


def _barcodes_problem(
    uow: UnitOfWork, codes: Sequence[str], item_id: uuid.UUID | None, old: ItemDraft | None
) -> str | None:
    if len(codes) > MAX_BARCODES:
        return f"at most {MAX_BARCODES} barcodes per item"
    kept = set(old.barcodes) if old else set()
    for code in codes:
        if code not in kept and (problem := barcode_problem(code)):
            return problem
    if not codes:
        return None
    held = uow.conn.execute(
        select(Barcode.code, Item.name)
        .join(Item, Item.id == Barcode.item_id)
        .where(Barcode.code.in_(codes), Barcode.item_id != item_id)
        .order_by(Barcode.code)
    ).first()
    if held is None:
        return None
    code, name = held
    return f"barcode {code} belongs to {name} already"


def _groups_problem(uow: UnitOfWork, groups: Sequence[uuid.UUID]) -> str | None:
    if not groups:
        return None
    found = set(
        uow.conn.execute(select(ModifierGroup.id).where(ModifierGroup.id.in_(groups))).scalars()
    )
    if len(found) < len(groups):
        return "a modifier group is no longer there: untick it"
    return None
