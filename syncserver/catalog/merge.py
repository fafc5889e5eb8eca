"""Merge a terminal's catalog edit into the server's document, field by field.

Per field (shared/catalog_sync.py): an edit whose editor saw the value in place (its base is the
field's stamp, or the field was last set by the same till) simply replaces it. Otherwise the two
edits were concurrent: the larger clock stamp wins and, when the values differ, a conflict record
keeps both for a manager. SKUs and barcodes stay unique per business: the item that claimed one
first keeps it; a later claimant's SKU becomes `SKU~<last 8 characters of its id>` and its
duplicate barcodes are dropped — each with a conflict record — so every till ends up with the
same catalog.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from shared.catalog_sync import (
    MAX_AHEAD_MS,
    SERVER_NODE,
    SERVER_ONLY,
    CatalogEdit,
    check_value,
    document_body,
)
from shared.clock import HlcStamp
from shared.errors import Conflict, NotFound
from shared.ids import uuid7
from shared.sync import ChangeOp
from syncserver.models import CatalogConflict, CatalogDocument, CatalogKey
from syncserver.models.base import table_of
from syncserver.sync.changes import ChangeDraft, encode, publish

Field = list[Any]  # [value, stamp, origin replica or None]


@dataclass
class Document:
    """A catalog document loaded for change (row locked on Postgres)."""

    tenant_id: uuid.UUID
    entity: str
    entity_id: str
    fields: dict[str, Field]
    row: CatalogDocument | None

    def top(self) -> HlcStamp | None:
        stamps = [HlcStamp.parse(f[1]) for f in self.fields.values()]
        return max(stamps) if stamps else None


def load(session: Session, tenant_id: uuid.UUID, entity: str, entity_id: str) -> Document:
    row = session.get(CatalogDocument, (tenant_id, entity, entity_id), with_for_update=True)
    fields = json.loads(row.fields) if row is not None else {}
    return Document(tenant_id, entity, entity_id, fields, row)


def server_stamp(doc: Document, now: datetime) -> HlcStamp:
    """A server stamp larger than every stamp in the document."""
    return HlcStamp.after(doc.top(), now, SERVER_NODE)


def merge_edit(
    session: Session, tenant_id: uuid.UUID, origin: uuid.UUID | None, edit: CatalogEdit,
    now: datetime,
) -> list[str]:  # fmt: skip
    """Apply one edit; returns a note per conflict it recorded (empty when none)."""
    doc = load(session, tenant_id, edit.entity, edit.id)
    stamp = HlcStamp.parse(edit.stamp)
    if stamp.wall_ms > int(now.timestamp() * 1000) + MAX_AHEAD_MS:
        stamp = server_stamp(doc, now)  # a till clock far ahead may not win for days
    me = str(origin) if origin is not None else None
    notes: list[str] = []
    server_only = SERVER_ONLY.get(edit.entity, frozenset())
    for name, value in edit.fields.items():
        if name in server_only:
            continue  # a picture is set by uploading it here, never by a till's edit
        current = doc.fields.get(name)
        if current is None:
            doc.fields[name] = [value, stamp.encode(), me]
            continue
        held, held_stamp, held_origin = current
        if value == held:
            # Nothing to choose, but a later edit's stamp must stay on record: an edit made
            # before it, arriving after it, must not pass for one made after it. A till merely
            # offering what it holds (no base: its catalog from before sync) changes nothing.
            if edit.base.get(name) is not None and stamp > HlcStamp.parse(held_stamp):
                doc.fields[name] = [value, stamp.encode(), me]
            continue
        if edit.base.get(name) == held_stamp or (me is not None and held_origin == me):
            later = stamp if stamp > HlcStamp.parse(held_stamp) else server_stamp(doc, now)
            doc.fields[name] = [value, later.encode(), me]
            continue
        incoming: Field = [value, stamp.encode(), me]
        kept, other = (
            (incoming, current) if stamp > HlcStamp.parse(held_stamp) else (current, incoming)
        )
        doc.fields[name] = kept
        notes.append(_conflict(session, doc, name, "concurrent", kept, other, now))
    if doc.entity == "cat.item":
        notes += _claim_keys(session, doc, now)
    save(session, doc, now)
    return notes


def save(session: Session, doc: Document, now: datetime) -> None:
    """Store the document and publish it whole (tills apply whole documents)."""
    text = json.dumps(doc.fields, sort_keys=True, separators=(",", ":"))
    if doc.row is None:
        doc.row = CatalogDocument(
            tenant_id=doc.tenant_id, entity=doc.entity, entity_id=doc.entity_id, fields=text,
            updated_at=now,
        )  # fmt: skip
        session.add(doc.row)
    else:
        doc.row.fields, doc.row.updated_at = text, now
    body = document_body({k: (f[0], f[1]) for k, f in doc.fields.items()})
    publish(session, ChangeDraft(doc.tenant_id, doc.entity, doc.entity_id, ChangeOp.UPSERT, body))


def _conflict(
    session: Session, doc: Document, name: str, reason: str, kept: Field, other: Field,
    now: datetime,
) -> str:  # fmt: skip
    session.add(
        CatalogConflict(
            id=uuid7(), tenant_id=doc.tenant_id, entity=doc.entity, entity_id=doc.entity_id,
            field=name, reason=reason, kept_value=encode({"v": kept[0]}),
            kept_origin=uuid.UUID(kept[2]) if kept[2] else None,
            other_value=encode({"v": other[0]}),
            other_origin=uuid.UUID(other[2]) if other[2] else None, created_at=now,
        )
    )  # fmt: skip
    return (
        f"{reason} edit of {doc.entity} {doc.entity_id} {name}: "
        f"kept {kept[0]!r}, set aside {other[0]!r}"
    )


def _owners(session: Session, tenant_id: uuid.UUID, kind: str, keys: list[str]) -> dict[str, str]:
    if not keys:
        return {}
    rows = session.execute(
        select(CatalogKey.key, CatalogKey.item_id).where(
            CatalogKey.tenant_id == tenant_id, CatalogKey.kind == kind, CatalogKey.key.in_(keys)
        )
    ).all()
    return {str(k): str(i) for k, i in rows}


def _claim_keys(session: Session, doc: Document, now: datetime) -> list[str]:
    """Keep SKUs and barcodes unique: the first holder keeps one, a later claimant gives way."""
    notes: list[str] = []
    session.flush()
    if "sku" in doc.fields:
        sku = str(doc.fields["sku"][0])
        holder = _owners(session, doc.tenant_id, "sku", [sku]).get(sku)
        if holder is not None and holder != doc.entity_id:
            renamed = f"{sku}~{doc.entity_id[-8:]}"
            before = doc.fields["sku"]
            doc.fields["sku"] = [renamed, server_stamp(doc, now).encode(), None]
            notes.append(_conflict(session, doc, "sku", "duplicate_sku", doc.fields["sku"],
                                   before, now))  # fmt: skip
        _own(session, doc, "sku", [str(doc.fields["sku"][0])])
    if "barcodes" in doc.fields:
        codes = [str(c) for c in doc.fields["barcodes"][0]]
        holders = _owners(session, doc.tenant_id, "barcode", codes)
        taken = [c for c in codes if holders.get(c, doc.entity_id) != doc.entity_id]
        if taken:
            before = doc.fields["barcodes"]
            kept = [c for c in codes if c not in taken]
            doc.fields["barcodes"] = [kept, server_stamp(doc, now).encode(), None]
            notes.append(_conflict(session, doc, "barcodes", "duplicate_barcode",
                                   doc.fields["barcodes"], before, now))  # fmt: skip
        _own(session, doc, "barcode", [str(c) for c in doc.fields["barcodes"][0]])
    return notes


def _own(session: Session, doc: Document, kind: str, keys: list[str]) -> None:
    """Make `keys` exactly the keys of this kind the item holds."""
    session.execute(
        delete(CatalogKey).where(
            CatalogKey.tenant_id == doc.tenant_id,
            CatalogKey.kind == kind,
            CatalogKey.item_id == doc.entity_id,
            CatalogKey.key.not_in(keys),
        )
    )
    held = _owners(session, doc.tenant_id, kind, keys)
    for key in keys:
        if key not in held:
            session.add(CatalogKey(tenant_id=doc.tenant_id, kind=kind, key=key,
                                   item_id=doc.entity_id))  # fmt: skip
    session.flush()


def write_field(
    session: Session, tenant_id: uuid.UUID, entity: str, entity_id: str, name: str, value: Any,
    now: datetime,
) -> None:  # fmt: skip
    """A server-authored value for one field (a manager settling a conflict): it gets a server
    stamp larger than anything in the document, so it reaches every till and stays.

    Raises:
        NotFound: no such document.
        Conflict: the SKU or a barcode belongs to another item.
    """
    check_value(entity, name, value)
    doc = load(session, tenant_id, entity, entity_id)
    if doc.row is None:
        raise NotFound("no such catalog entry", details={"entity": entity, "id": entity_id})
    if entity == "cat.item":
        _refuse_taken_keys(session, tenant_id, entity_id, {name: value})
    doc.fields[name] = [value, server_stamp(doc, now).encode(), None]
    if entity == "cat.item":
        _claim_keys(session, doc, now)
    save(session, doc, now)


def write_fields(
    session: Session, tenant_id: uuid.UUID, entity: str, entity_id: str, fields: dict[str, Any],
    now: datetime,
) -> bool:  # fmt: skip
    """Server-authored values (the catalog API): the document is created when missing, and each
    field whose value differs gets one server stamp larger than anything in the document, so
    tills take it through the catalog channel like any edit. Values already in place keep their
    stamps: repeating a write publishes nothing.

    Returns:
        Whether anything changed.

    Raises:
        ValidationFailed: a value the field cannot hold (shared/catalog_sync.py).
        Conflict: the SKU or a barcode belongs to another item (details.field names which).
    """
    for name, value in fields.items():
        check_value(entity, name, value)
    doc = load(session, tenant_id, entity, entity_id)
    changed = {k: v for k, v in fields.items() if k not in doc.fields or doc.fields[k][0] != v}
    if not changed:
        return False
    if entity == "cat.item":
        _refuse_taken_keys(session, tenant_id, entity_id, changed)
    stamp = server_stamp(doc, now).encode()
    for name, value in changed.items():
        doc.fields[name] = [value, stamp, None]
    if entity == "cat.item":
        _claim_keys(session, doc, now)
    save(session, doc, now)
    return True


def _refuse_taken_keys(
    session: Session, tenant_id: uuid.UUID, item_id: str, fields: dict[str, Any]
) -> None:
    """A person setting a SKU or barcode another item holds is told so (tills' offline edits
    give way instead: see `_claim_keys`)."""
    for name, kind in (("sku", "sku"), ("barcodes", "barcode")):
        if name not in fields:
            continue
        value = fields[name]
        keys = [str(value)] if name == "sku" else [str(v) for v in value]
        taken = {k for k, i in _owners(session, tenant_id, kind, keys).items() if i != item_id}
        if taken:
            raise Conflict(
                f"{'SKU' if kind == 'sku' else 'barcode'} {', '.join(sorted(taken))} "
                "already belongs to another item",
                details={"field": name, "taken": sorted(taken)},
            )


def create_items(
    session: Session, tenant_id: uuid.UUID, items: list[tuple[str, dict[str, Any]]],
    now: datetime,
) -> None:  # fmt: skip
    """New item documents in bulk (a CSV import): what `write_fields` does for each, with
    multi-row INSERTs instead of a load, a key check and a flush per item.

    The caller has checked, in this transaction, that every id is new, that every value fits
    its field and that no SKU or barcode is held (by another item or twice in `items`): here a
    taken key fails the insert on the keys' primary key instead of giving way.
    """
    stamp = HlcStamp.after(None, now, SERVER_NODE).encode()
    docs: list[dict[str, Any]] = []
    keys: list[dict[str, Any]] = []
    for entity_id, fields in items:
        body = {name: [value, stamp, None] for name, value in fields.items()}
        text = json.dumps(body, sort_keys=True, separators=(",", ":"))
        docs.append({"tenant_id": tenant_id, "entity": "cat.item", "entity_id": entity_id,
                     "fields": text, "updated_at": now})  # fmt: skip
        owned = [("sku", str(fields["sku"]))]
        owned += [("barcode", str(c)) for c in fields.get("barcodes", [])]
        keys += [{"tenant_id": tenant_id, "kind": kind, "key": key, "item_id": entity_id}
                 for kind, key in owned]  # fmt: skip
        published = document_body({k: (v, stamp) for k, v in fields.items()})
        publish(session, ChangeDraft(tenant_id, "cat.item", entity_id, ChangeOp.UPSERT, published))
    for lo in range(0, len(docs), 1000):
        session.execute(insert(table_of(CatalogDocument)), docs[lo : lo + 1000])
    for lo in range(0, len(keys), 1000):
        session.execute(insert(table_of(CatalogKey)), keys[lo : lo + 1000])


def change_items(
    session: Session, tenant_id: uuid.UUID, changes: list[tuple[str, dict[str, Any]]],
    now: datetime,
) -> None:  # fmt: skip
    """Changed fields of existing items in bulk (a CSV import): what `write_fields` does for
    each — a server stamp above the document's, the document published whole — with one read
    and one UPDATE per thousand items instead of a load, a key check and a flush per item.

    The caller has checked, in this transaction, that every id is an item, that every value
    fits its field and differs from the one held, and that every SKU or barcode set is free or
    let go by another item in `changes`: all the changed items let go of their keys of a changed
    kind before any takes its new ones, so a barcode may move between two of them.
    """
    table = table_of(CatalogDocument)
    held: dict[str, dict[str, Field]] = {}
    ids = [entity_id for entity_id, _ in changes]
    for lo in range(0, len(ids), 1000):
        found = session.execute(
            select(table.c.entity_id, table.c.fields)
            .where(table.c.tenant_id == tenant_id, table.c.entity == "cat.item",
                   table.c.entity_id.in_(ids[lo : lo + 1000]))
            .with_for_update()
        )  # fmt: skip
        held.update((str(entity_id), json.loads(text)) for entity_id, text in found)
    rows: list[dict[str, Any]] = []
    letting_go: dict[str, list[str]] = {"sku": [], "barcode": []}
    keys: list[dict[str, Any]] = []
    for entity_id, changed in changes:
        if entity_id not in held:
            raise NotFound(f"there is no item {entity_id}", details={"item_id": entity_id})
        fields = held[entity_id]
        stamp = server_stamp(Document(tenant_id, "cat.item", entity_id, fields, None), now)
        for name, value in changed.items():
            fields[name] = [value, stamp.encode(), None]
        text = json.dumps(fields, sort_keys=True, separators=(",", ":"))
        rows.append({"b_tenant": tenant_id, "b_id": entity_id, "b_fields": text, "b_now": now})
        owned: list[tuple[str, str]] = []
        if "sku" in changed:
            letting_go["sku"].append(entity_id)
            owned.append(("sku", str(changed["sku"])))
        if "barcodes" in changed:
            letting_go["barcode"].append(entity_id)
            owned += [("barcode", str(c)) for c in changed["barcodes"]]
        keys += [{"tenant_id": tenant_id, "kind": kind, "key": key, "item_id": entity_id}
                 for kind, key in owned]  # fmt: skip
        body = document_body({k: (f[0], f[1]) for k, f in fields.items()})
        publish(session, ChangeDraft(tenant_id, "cat.item", entity_id, ChangeOp.UPSERT, body))
    for kind, holders in letting_go.items():
        for lo in range(0, len(holders), 1000):
            session.execute(
                delete(CatalogKey).where(
                    CatalogKey.tenant_id == tenant_id, CatalogKey.kind == kind,
                    CatalogKey.item_id.in_(holders[lo : lo + 1000]),
                )
            )  # fmt: skip
    for lo in range(0, len(keys), 1000):
        session.execute(insert(table_of(CatalogKey)), keys[lo : lo + 1000])
    write = (
        update(table)
        .where(table.c.tenant_id == bindparam("b_tenant"), table.c.entity == "cat.item",
               table.c.entity_id == bindparam("b_id"))
        .values(fields=bindparam("b_fields"), updated_at=bindparam("b_now"))
    )  # fmt: skip
    for lo in range(0, len(rows), 1000):
        session.execute(write, rows[lo : lo + 1000])
