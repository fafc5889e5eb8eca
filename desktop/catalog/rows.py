"""The catalog's rows as sync's documents and back: read an entity's fields from the local
tables (`snapshot`), write fields into them (`materialize`, and `insert_new_items` for many new
items at once). No clocks here: desktop/catalog/sync.py decides which fields to take.
"""

from __future__ import annotations

import json
from typing import Any

from desktop.catalog.text import search_key
from desktop.db.models.types import utc_text
from desktop.db.uow import UnitOfWork

_ITEM_COLUMNS = (
    "sku", "name", "category_id", "price_minor", "currency", "tax_class", "track_stock",
    "active", "available", "tile_color", "tile_position", "unit", "cost_minor", "image",
)  # fmt: skip
_FLAGS = ("track_stock", "active", "available")


def _item(uow: UnitOfWork, item_id: str) -> dict[str, Any] | None:
    columns = ", ".join(_ITEM_COLUMNS)
    row = uow.sql.execute(f"SELECT {columns} FROM items WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        return None
    values = dict(zip(_ITEM_COLUMNS, row, strict=True))
    for flag in _FLAGS:
        values[flag] = bool(values[flag])
    codes = uow.sql.execute("SELECT code FROM barcodes WHERE item_id = ? ORDER BY code", (item_id,))
    values["barcodes"] = [c for (c,) in codes]
    groups = uow.sql.execute(
        "SELECT group_id FROM item_modifier_groups WHERE item_id = ? ORDER BY group_id", (item_id,)
    )
    values["modifier_groups"] = [g for (g,) in groups]
    return values


def snapshot(uow: UnitOfWork, entity: str, entity_id: str) -> dict[str, Any] | None:
    """The entity's fields as stored here (None: not here)."""
    sql = uow.sql
    if entity == "cat.item":
        return _item(uow, entity_id)
    if entity == "cat.category":
        row = sql.execute("SELECT name, position, color FROM categories WHERE id = ?", (entity_id,))
        found = row.fetchone()
        return (
            None if found is None else dict(zip(("name", "position", "color"), found, strict=True))
        )
    if entity == "cat.tax_class":
        rates = sql.execute(
            "SELECT code, percent FROM tax_rates WHERE tax_class = ? ORDER BY code", (entity_id,)
        )
        return {"rates": [[code, percent] for code, percent in rates]}
    if entity == "cat.tax_class_location":
        tax_class, _, code = entity_id.partition("@")
        held = sql.execute(
            "SELECT rates FROM tax_class_locations WHERE tax_class = ? AND location_code = ?",
            (tax_class, code),
        ).fetchone()
        return {"rates": None if held is None else json.loads(held[0])}
    if entity == "cat.modifier_group":
        found = sql.execute(
            "SELECT name, min_choices, max_choices FROM modifier_groups WHERE id = ?", (entity_id,)
        ).fetchone()
        if found is None:
            return None
        modifiers = sql.execute(
            "SELECT id, name, price_delta_minor, is_default FROM modifiers WHERE group_id = ? "
            "ORDER BY id",
            (entity_id,),
        )
        return {
            "name": found[0],
            "min_choices": found[1],
            "max_choices": found[2],
            "modifiers": [
                {"id": i, "name": n, "price_delta_minor": p, "default": bool(d)}
                for i, n, p, d in modifiers
            ],
        }
    item_id, _, code = entity_id.partition("@")
    found = sql.execute(
        "SELECT price_minor, available, listed FROM location_overrides "
        "WHERE item_id = ? AND location_code = ?",
        (item_id, code),
    ).fetchone()
    if found is None:
        return {"price_minor": None, "available": None, "listed": None}
    return {
        "price_minor": found[0],
        "available": None if found[1] is None else bool(found[1]),
        "listed": None if found[2] is None else bool(found[2]),
    }


def materialize(uow: UnitOfWork, entity: str, entity_id: str, v: dict[str, Any]) -> bool:
    sql = uow.sql
    if entity == "cat.tax_class":
        uow.cache.pop(f"tax_rates.{entity_id}", None)
        sql.execute("DELETE FROM tax_rates WHERE tax_class = ?", (entity_id,))
        sql.executemany(
            "INSERT INTO tax_rates (tax_class, code, percent) VALUES (?, ?, ?)",
            [(entity_id, code, str(percent)) for code, percent in v.get("rates", [])],
        )
        return True
    if entity == "cat.tax_class_location":
        return _tax_class_location(uow, entity_id, v.get("rates"))
    if entity == "cat.category":
        if "name" not in v:
            return False
        sql.execute(
            "INSERT INTO categories (id, name, position, color) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, position = excluded.position, "
            "color = excluded.color",
            (entity_id, v["name"], int(v.get("position") or 0), v.get("color")),
        )
        return True
    if entity == "cat.modifier_group":
        return _modifier_group(uow, entity_id, v)
    if entity == "cat.item":
        return _item_row(uow, entity_id, v)
    item_id, _, code = entity_id.partition("@")
    sql.execute(
        "DELETE FROM location_overrides WHERE item_id = ? AND location_code = ?", (item_id, code)
    )
    known = sql.execute("SELECT 1 FROM items WHERE id = ?", (item_id,)).fetchone()
    values = (v.get("price_minor"), v.get("available"), v.get("listed"))
    if known and any(x is not None for x in values):
        sql.execute(
            "INSERT INTO location_overrides (location_code, item_id, price_minor, available, "
            "listed) VALUES (?, ?, ?, ?, ?)",
            (code, item_id, *values),
        )
    return bool(known)


def _tax_class_location(uow: UnitOfWork, entity_id: str, rates: Any) -> bool:
    tax_class, _, code = entity_id.partition("@")
    uow.cache.pop(f"tax_rates.{tax_class}", None)
    uow.sql.execute(
        "DELETE FROM tax_class_locations WHERE tax_class = ? AND location_code = ?",
        (tax_class, code),
    )
    if rates is not None:
        uow.sql.execute(
            "INSERT INTO tax_class_locations (tax_class, location_code, rates) VALUES (?, ?, ?)",
            (tax_class, code, json.dumps([[str(c), str(p)] for c, p in rates])),
        )
    return True


def _modifier_group(uow: UnitOfWork, group_id: str, v: dict[str, Any]) -> bool:
    if not {"name", "min_choices", "max_choices"} <= v.keys():
        return False
    uow.sql.execute(
        "INSERT INTO modifier_groups (id, name, min_choices, max_choices) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, min_choices = excluded.min_choices, "
        "max_choices = excluded.max_choices",
        (group_id, v["name"], v["min_choices"], v["max_choices"]),
    )
    # Modifiers are only ever added: tickets already sold name them.
    uow.sql.executemany(
        "INSERT INTO modifiers (id, group_id, name, price_delta_minor, is_default) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
        "price_delta_minor = excluded.price_delta_minor, is_default = excluded.is_default",
        [
            (m["id"], group_id, m["name"], m["price_delta_minor"], bool(m.get("default")))
            for m in v.get("modifiers", [])
        ],
    )
    return True


REQUIRED = {"sku", "name", "price_minor", "currency", "tax_class"}


def _item_row(uow: UnitOfWork, item_id: str, v: dict[str, Any]) -> bool:
    if not v.keys() >= REQUIRED:
        return False
    sql = uow.sql
    # The server gave this SKU to this item: an item here that still holds it (its own rename
    # is on the way) steps aside the way the server renames it.
    sql.execute(
        "UPDATE items SET sku = sku || '~' || substr(replace(id, '-', ''), -8) "
        "WHERE sku = ? AND id != ?",
        (v["sku"], item_id),
    )
    category = v.get("category_id")
    if (
        category
        and not sql.execute("SELECT 1 FROM categories WHERE id = ?", (category,)).fetchone()
    ):
        category = None  # not here (yet): the item shows under "no category"
    row = (
        v["sku"], v["name"], search_key(v["name"], v["sku"]), category, int(v["price_minor"]),
        v["currency"], v["tax_class"], bool(v.get("track_stock", True)),
        bool(v.get("active", True)), bool(v.get("available", True)), v.get("tile_color"),
        v.get("tile_position"), v.get("unit") or "piece", v.get("cost_minor"), v.get("image"),
        utc_text(uow.clock.now()), item_id,
    )  # fmt: skip
    updated = sql.execute(
        "UPDATE items SET sku = ?, name = ?, search_key = ?, category_id = ?, price_minor = ?, "
        "currency = ?, tax_class = ?, track_stock = ?, active = ?, available = ?, "
        "tile_color = ?, tile_position = ?, unit = ?, cost_minor = ?, image = ?, updated_at = ? "
        "WHERE id = ?",
        row,
    )
    if updated.rowcount == 0:
        sql.execute(
            "INSERT INTO items (sku, name, search_key, category_id, price_minor, currency, "
            "tax_class, track_stock, active, available, tile_color, tile_position, unit, "
            "cost_minor, image, updated_at, id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )
    codes = [str(c) for c in v.get("barcodes", [])]
    sql.execute("DELETE FROM barcodes WHERE item_id = ?", (item_id,))
    if codes:
        marks = ",".join("?" * len(codes))
        sql.execute(f"DELETE FROM barcodes WHERE code IN ({marks})", codes)
        sql.executemany(
            "INSERT INTO barcodes (code, item_id) VALUES (?, ?)", [(c, item_id) for c in codes]
        )
    sql.execute("DELETE FROM item_modifier_groups WHERE item_id = ?", (item_id,))
    sql.executemany(
        "INSERT INTO item_modifier_groups (item_id, group_id) "
        "SELECT ?, id FROM modifier_groups WHERE id = ?",
        [(item_id, g) for g in v.get("modifier_groups", [])],
    )
    return True


def insert_new_items(uow: UnitOfWork, docs: list[tuple[str, dict[str, tuple[Any, str]]]]) -> int:
    sql = uow.sql
    categories = {r[0] for r in sql.execute("SELECT id FROM categories")}
    groups = {r[0] for r in sql.execute("SELECT id FROM modifier_groups")}
    now = utc_text(uow.clock.now())
    rows, codes, attached, clocks = [], [], [], []
    for item_id, fields in docs:
        v = {k: value for k, (value, _) in fields.items()}
        category = v.get("category_id") if v.get("category_id") in categories else None
        rows.append((
            item_id, v["sku"], v["name"], search_key(v["name"], v["sku"]), category,
            int(v["price_minor"]), v["currency"], v["tax_class"],
            bool(v.get("track_stock", True)), bool(v.get("active", True)),
            bool(v.get("available", True)), v.get("tile_color"), v.get("tile_position"),
            v.get("unit") or "piece", v.get("cost_minor"), v.get("image"), now,
        ))  # fmt: skip
        codes += [(str(c), item_id) for c in v.get("barcodes", [])]
        attached += [(item_id, g) for g in v.get("modifier_groups", []) if g in groups]
        clocks += [("cat.item", item_id, name, stamp, 0) for name, (_, stamp) in fields.items()]
    sql.executemany(
        "INSERT INTO items (id, sku, name, search_key, category_id, price_minor, currency, "
        "tax_class, track_stock, active, available, tile_color, tile_position, unit, cost_minor, "
        "image, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    # A barcode the server gave to one of these items leaves whichever item holds it here.
    sql.executemany("DELETE FROM barcodes WHERE code = ?", [(c,) for c, _ in codes])
    sql.executemany("INSERT INTO barcodes (code, item_id) VALUES (?, ?)", codes)
    sql.executemany("INSERT INTO item_modifier_groups (item_id, group_id) VALUES (?, ?)", attached)
    sql.executemany(
        "INSERT INTO catalog_clocks (entity, entity_id, field, stamp, seq) VALUES (?, ?, ?, ?, ?)",
        clocks,
    )
    return len(rows)
