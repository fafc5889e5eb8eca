"""The catalog's side of sync (docs/sync-protocol.md, "Catalog").

Every catalog write here also records a `catalog.edited` outbox record: the fields it changed,
their values as stored, this till's hybrid-logical-clock stamp, and the stamps of the values it
replaced (so the server can tell a later edit from a concurrent one). Documents the server sends
land field by field, except over a field whose own edit has not been pushed yet: that edit
reaches the server next and the server's answer comes back in a later pull.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from desktop.catalog.text import search_key
from desktop.db.lookup import existing
from desktop.db.models.local_meta import REPLICA_ID_KEY
from desktop.db.models.types import utc_text
from desktop.db.uow import UnitOfWork
from desktop.outbox.service import append
from shared.catalog_sync import (
    EDIT_KIND,
    ENTITIES,
    ORDER,
    edit_entity_uuid,
    item_location_id,
    parse_document,
)
from shared.clock import HlcStamp

_ITEM_COLUMNS = (
    "sku", "name", "category_id", "price_minor", "currency", "tax_class", "track_stock",
    "active", "available",
)  # fmt: skip
_FLAGS = ("track_stock", "active", "available")


def _node(uow: UnitOfWork) -> str:
    if "catalog.node" not in uow.cache:
        (value,) = uow.sql.execute(
            "SELECT value FROM local_meta WHERE key = ?", (REPLICA_ID_KEY,)
        ).fetchone()
        uow.cache["catalog.node"] = uuid.UUID(str(value)).hex
    return str(uow.cache["catalog.node"])


def next_stamp(uow: UnitOfWork) -> HlcStamp:
    """Larger than every stamp this till holds (its own and the server's), even when the wall
    clock stepped back."""
    (top,) = uow.sql.execute("SELECT max(stamp) FROM catalog_clocks").fetchone()
    last = HlcStamp.parse(top) if top else None
    return HlcStamp.after(last, uow.clock.now(), _node(uow))


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
        row = sql.execute("SELECT name, position FROM categories WHERE id = ?", (entity_id,))
        found = row.fetchone()
        return None if found is None else {"name": found[0], "position": found[1]}
    if entity == "cat.tax_class":
        rates = sql.execute(
            "SELECT code, percent FROM tax_rates WHERE tax_class = ? ORDER BY code", (entity_id,)
        )
        return {"rates": [[code, percent] for code, percent in rates]}
    if entity == "cat.modifier_group":
        found = sql.execute(
            "SELECT name, min_choices, max_choices FROM modifier_groups WHERE id = ?", (entity_id,)
        ).fetchone()
        if found is None:
            return None
        modifiers = sql.execute(
            "SELECT id, name, price_delta_minor FROM modifiers WHERE group_id = ? ORDER BY id",
            (entity_id,),
        )
        return {
            "name": found[0],
            "min_choices": found[1],
            "max_choices": found[2],
            "modifiers": [{"id": i, "name": n, "price_delta_minor": p} for i, n, p in modifiers],
        }
    item_id, _, code = entity_id.partition("@")
    found = sql.execute(
        "SELECT price_minor, available FROM location_overrides "
        "WHERE item_id = ? AND location_code = ?",
        (item_id, code),
    ).fetchone()
    if found is None:
        return {"price_minor": None, "available": None}
    return {"price_minor": found[0], "available": None if found[1] is None else bool(found[1])}


def _clocks(uow: UnitOfWork, entity: str, entity_id: str) -> dict[str, tuple[str, int]]:
    rows = uow.sql.execute(
        "SELECT field, stamp, seq FROM catalog_clocks WHERE entity = ? AND entity_id = ?",
        (entity, entity_id),
    )
    return {f: (s, q) for f, s, q in rows}


def _set_clocks(
    uow: UnitOfWork, entity: str, entity_id: str, stamps: dict[str, str], seq: int
) -> None:
    uow.sql.executemany(
        "INSERT INTO catalog_clocks (entity, entity_id, field, stamp, seq) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (entity, entity_id, field) DO UPDATE SET stamp = excluded.stamp, "
        "seq = excluded.seq",
        [(entity, entity_id, f, s, seq) for f, s in stamps.items()],
    )


def record(
    uow: UnitOfWork, entity: str, entity_id: str | uuid.UUID, names: Iterable[str] | None = None
) -> None:
    """Outbox the edit just written to `entity` (all its fields, or `names`)."""
    key = str(entity_id)
    values = snapshot(uow, entity, key)
    if values is None:
        return
    fields = {n: values[n] for n in (names or ENTITIES[entity])}
    held = _clocks(uow, entity, key)
    stamp = next_stamp(uow).encode()
    payload = {
        "entity": entity,
        "id": key,
        "stamp": stamp,
        "fields": fields,
        "base": {n: held[n][0] if n in held else None for n in fields},
    }
    seq = append(uow, kind=EDIT_KIND, entity_id=edit_entity_uuid(entity, key), payload=payload)
    _set_clocks(uow, entity, key, dict.fromkeys(fields, stamp), seq)


def record_location_override(uow: UnitOfWork, item_id: uuid.UUID, location_code: str) -> None:
    record(uow, "cat.item_location", item_location_id(item_id, location_code))


def adopt_unstamped(uow: UnitOfWork) -> int:
    """Outbox every catalog entry that has no stamps yet (written before catalog sync existed,
    or loaded in bulk): the server learns the whole catalog this till started with."""
    sql = uow.sql
    queries = {
        "cat.tax_class": "SELECT DISTINCT tax_class AS k FROM tax_rates",
        "cat.category": "SELECT id AS k FROM categories",
        "cat.modifier_group": "SELECT id AS k FROM modifier_groups",
        "cat.item": "SELECT id AS k FROM items",
        "cat.item_location": "SELECT item_id || '@' || location_code AS k FROM location_overrides",
    }
    adopted = 0
    for entity in ORDER:
        stamped = "SELECT entity_id FROM catalog_clocks WHERE entity = ?"
        rows = sql.execute(
            f"SELECT k FROM ({queries[entity]}) WHERE k NOT IN ({stamped}) ORDER BY k",
            (entity,),
        ).fetchall()
        for (key,) in rows:
            record(uow, entity, str(key))
        adopted += len(rows)
    return adopted


def apply_document(
    uow: UnitOfWork, entity: str, entity_id: str, body: dict[str, Any], pushed_seq: int
) -> bool:
    """Take the server's fields, except those whose own local edit is still unpushed."""
    allowed = ENTITIES.get(entity, ())
    held = _clocks(uow, entity, entity_id)
    take = {
        name: (value, stamp)
        for name, (value, stamp) in parse_document(body).items()
        if name in allowed and held.get(name, ("", 0))[1] <= pushed_seq
    }
    if not take:
        return False
    values = {**(snapshot(uow, entity, entity_id) or {}), **{n: v for n, (v, _) in take.items()}}
    if not _materialize(uow, entity, entity_id, values):
        return False
    _set_clocks(uow, entity, entity_id, {n: s for n, (_, s) in take.items()}, 0)
    return True


def _materialize(uow: UnitOfWork, entity: str, entity_id: str, v: dict[str, Any]) -> bool:
    sql = uow.sql
    if entity == "cat.tax_class":
        uow.cache.pop(f"tax_rates.{entity_id}", None)
        sql.execute("DELETE FROM tax_rates WHERE tax_class = ?", (entity_id,))
        sql.executemany(
            "INSERT INTO tax_rates (tax_class, code, percent) VALUES (?, ?, ?)",
            [(entity_id, code, str(percent)) for code, percent in v.get("rates", [])],
        )
        return True
    if entity == "cat.category":
        if "name" not in v:
            return False
        sql.execute(
            "INSERT INTO categories (id, name, position) VALUES (?, ?, ?) ON CONFLICT (id) "
            "DO UPDATE SET name = excluded.name, position = excluded.position",
            (entity_id, v["name"], int(v.get("position") or 0)),
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
    if known and (v.get("price_minor") is not None or v.get("available") is not None):
        sql.execute(
            "INSERT INTO location_overrides (location_code, item_id, price_minor, available) "
            "VALUES (?, ?, ?, ?)",
            (code, item_id, v.get("price_minor"), v.get("available")),
        )
    return bool(known)


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
        "INSERT INTO modifiers (id, group_id, name, price_delta_minor) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
        "price_delta_minor = excluded.price_delta_minor",
        [(m["id"], group_id, m["name"], m["price_delta_minor"]) for m in v.get("modifiers", [])],
    )
    return True


_REQUIRED = {"sku", "name", "price_minor", "currency", "tax_class"}


def _item_row(uow: UnitOfWork, item_id: str, v: dict[str, Any]) -> bool:
    if not v.keys() >= _REQUIRED:
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
        bool(v.get("active", True)), bool(v.get("available", True)), utc_text(uow.clock.now()),
        item_id,
    )  # fmt: skip
    updated = sql.execute(
        "UPDATE items SET sku = ?, name = ?, search_key = ?, category_id = ?, price_minor = ?, "
        "currency = ?, tax_class = ?, track_stock = ?, active = ?, available = ?, updated_at = ? "
        "WHERE id = ?",
        row,
    )
    if updated.rowcount == 0:
        sql.execute(
            "INSERT INTO items (sku, name, search_key, category_id, price_minor, currency, "
            "tax_class, track_stock, active, available, updated_at, id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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


def apply_documents(
    uow: UnitOfWork, documents: list[tuple[str, str, dict[str, Any]]], pushed_seq: int
) -> int:
    """Many documents at once, in order (a bootstrap page, a catalog catch-up): runs of items
    new to this till go in with one statement per table; everything else goes through
    `apply_document`."""
    items = [d for d in documents if d[0] == "cat.item"]
    present = _present_items(uow, {i for _, i, _ in items})
    taken_skus = _taken_skus(uow, items)
    applied = 0
    bulk: list[tuple[str, dict[str, tuple[Any, str]]]] = []
    for entity, entity_id, body in documents:
        fields = parse_document(body) if entity == "cat.item" else {}
        sku = str(fields.get("sku", (None,))[0])
        if (
            entity == "cat.item"
            and entity_id not in present
            and fields.keys() >= _REQUIRED
            and sku not in taken_skus
        ):
            present.add(entity_id)  # a second document of it in this run is an update
            taken_skus.add(sku)
            bulk.append((entity_id, fields))
            continue
        if bulk:
            applied += _insert_items(uow, bulk)
            bulk = []
        applied += apply_document(uow, entity, entity_id, body, pushed_seq)
    if bulk:
        applied += _insert_items(uow, bulk)
    return applied


def _present_items(uow: UnitOfWork, ids: set[str]) -> set[str]:
    """Items here already, or with clocks here (an unpushed local edit of a deleted row)."""
    stamped = (
        "SELECT DISTINCT entity_id FROM catalog_clocks "
        "WHERE entity = 'cat.item' AND entity_id IN ({marks})"
    )
    return existing(uow, "SELECT id FROM items WHERE id IN ({marks})", ids) | existing(
        uow, stamped, ids
    )


def _taken_skus(uow: UnitOfWork, items: list[tuple[str, str, dict[str, Any]]]) -> set[str]:
    skus = {str(b["fields"]["sku"]["value"]) for _, _, b in items if "sku" in b.get("fields", {})}
    return existing(uow, "SELECT sku FROM items WHERE sku IN ({marks})", skus)


def _insert_items(uow: UnitOfWork, docs: list[tuple[str, dict[str, tuple[Any, str]]]]) -> int:
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
            bool(v.get("available", True)), now,
        ))  # fmt: skip
        codes += [(str(c), item_id) for c in v.get("barcodes", [])]
        attached += [(item_id, g) for g in v.get("modifier_groups", []) if g in groups]
        clocks += [("cat.item", item_id, name, stamp, 0) for name, (_, stamp) in fields.items()]
    sql.executemany(
        "INSERT INTO items (id, sku, name, search_key, category_id, price_minor, currency, "
        "tax_class, track_stock, active, available, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
