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

from desktop.catalog.rows import REQUIRED, insert_new_items, materialize, snapshot
from desktop.db.lookup import existing
from desktop.db.models.local_meta import REPLICA_ID_KEY
from desktop.db.uow import UnitOfWork
from desktop.outbox.service import append
from shared.catalog_sync import (
    EDIT_KIND,
    ENTITIES,
    ORDER,
    SERVER_ONLY,
    edit_entity_uuid,
    item_location_id,
    parse_document,
)
from shared.clock import HlcStamp


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
    own = SERVER_ONLY.get(entity, frozenset())
    fields = {n: values[n] for n in (names or ENTITIES[entity]) if n not in own}
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


def record_location_override(
    uow: UnitOfWork, item_id: uuid.UUID, location_code: str, *, listed: bool = False
) -> None:
    """The till's price and on-sale at a location, and with `listed` whether the shop carries
    the item. Only fields the till changed go out: a price edit here must not overwrite an
    assortment decision made on the server meanwhile (the field clocks merge each field)."""
    key = item_location_id(item_id, location_code)
    names = ("price_minor", "available", "listed") if listed else ("price_minor", "available")
    record(uow, "cat.item_location", key, names=names)


def adopt_unstamped(uow: UnitOfWork) -> int:
    """Outbox every catalog entry that has no stamps yet (written before catalog sync existed,
    or loaded in bulk): the server learns the whole catalog this till started with."""
    sql = uow.sql
    queries = {
        "cat.tax_class": "SELECT DISTINCT tax_class AS k FROM tax_rates",
        "cat.tax_class_location": (
            "SELECT tax_class || '@' || location_code AS k FROM tax_class_locations"
        ),
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
    if not materialize(uow, entity, entity_id, values):
        return False
    _set_clocks(uow, entity, entity_id, {n: s for n, (_, s) in take.items()}, 0)
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
            and fields.keys() >= REQUIRED
            and sku not in taken_skus
        ):
            present.add(entity_id)  # a second document of it in this run is an update
            taken_skus.add(sku)
            bulk.append((entity_id, fields))
            continue
        if bulk:
            applied += insert_new_items(uow, bulk)
            bulk = []
        applied += apply_document(uow, entity, entity_id, body, pushed_seq)
    if bulk:
        applied += insert_new_items(uow, bulk)
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
