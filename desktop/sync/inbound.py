"""Apply what the server sends: staff, module switches, business settings, the selling rules and
the till's location (server-authored,
the server wins), catalog documents (merged on the server; see desktop/catalog/sync.py) and
other tills' facts (stock movements, customers, loyalty entries, sales and refunds of this
location — see desktop/sales/remote.py), each at most once by its id.

Called by the sync engine inside the transaction that also advances the pull cursor.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from desktop.business import apply_settings
from desktop.catalog.sync import apply_document, apply_documents
from desktop.db.lookup import existing
from desktop.db.models import (
    Customer,
    Item,
    LoyaltyEntry,
    Role,
    RolePermission,
    StockMovement,
    User,
)
from desktop.db.models.types import utc_text
from desktop.db.uow import UnitOfWork
from desktop.loyalty.customers import email_key, phone_key
from desktop.loyalty.ledger import apply_server_balance
from desktop.modules import set_module
from desktop.sales.remote import apply_remote_refund, apply_remote_sale, apply_remote_sales
from desktop.sync.till_config import apply_location, apply_selling
from shared.catalog_sync import is_catalog
from shared.errors import ValidationFailed
from shared.permissions import ALL_MODULES, ALL_PERMISSIONS
from shared.sync import Change, ChangeOp

# Terminal roles are views of the server's grants: one per synced person, named after it.
_ROLE_NAMESPACE = uuid.UUID("6f1c2a52-7d55-4c1e-9a57-3f6b8c0e2d11")
_NOBODY = uuid.UUID(int=0)  # actor of facts that arrive without one


def apply_changes(uow: UnitOfWork, changes: list[Change], location_id: uuid.UUID | None) -> int:
    """Apply a page in order; runs of stock movements and loyalty entries go in one statement
    each (a catch-up brings tens of thousands). Returns how many changed something here."""
    applied = 0
    run: list[Change] = []
    uow.cache["sync.pushed_seq"] = int(
        uow.sql.execute("SELECT coalesce(max(pushed_seq), 0) FROM sync_state").fetchone()[0]
    )
    for change in changes:
        if run and change.entity != run[0].entity:
            applied += _apply_run(uow, run, location_id)
            run = []
        run.append(change)
    if run:
        applied += _apply_run(uow, run, location_id)
    return applied


def _apply_run(uow: UnitOfWork, run: list[Change], location_id: uuid.UUID | None) -> int:
    entity = run[0].entity
    if entity == "stock_movement":
        return _movements(uow, [c.body for c in run])
    if entity == "loyalty_entry":
        return _loyalty_entries(uow, [c.body for c in run])
    if entity == "sale":
        return apply_remote_sales(uow, [c.body for c in run])
    if is_catalog(entity):
        pushed = int(uow.cache.get("sync.pushed_seq", 0))
        return apply_documents(uow, [(c.entity, c.entity_id, c.body) for c in run], pushed)
    return sum(apply_change(uow, c, location_id) for c in run)


def _known(uow: UnitOfWork, table: str, ids: set[str]) -> set[str]:
    return existing(uow, f"SELECT id FROM {table} WHERE id IN ({{marks}})", ids)


def _movements(uow: UnitOfWork, bodies: list[dict[str, Any]]) -> int:
    items = _known(uow, "items", {str(b["item_id"]) for b in bodies})
    rows = [
        (str(b["id"]), str(b["item_id"]), str(b["location_code"]), int(b["qty_milli"]),
         str(b["kind"]), str(_NOBODY), utc_text(_time(b["at"])))
        for b in bodies
        if str(b["item_id"]) in items  # an item this till's catalog does not have: skipped
    ]  # fmt: skip
    done = uow.sql.executemany(
        "INSERT OR IGNORE INTO stock_movements (id, item_id, location_code, qty_milli, kind, "
        "actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return max(0, done.rowcount)  # rows new here (a re-pull inserts none)


def _loyalty_entries(uow: UnitOfWork, bodies: list[dict[str, Any]]) -> int:
    customers = _known(uow, "customers", {str(b["customer_id"]) for b in bodies})

    def text_or_none(value: Any) -> str | None:
        return None if value in (None, "") else str(value)

    rows = [
        (
            str(b["id"]), str(b["customer_id"]), str(b["kind"]), int(b["points"]),
            text_or_none(b.get("ticket_id")), text_or_none(b.get("lot_id")),
            utc_text(_time(b["expires_at"])) if b.get("expires_at") else None,
            b.get("reason"), str(b.get("actor_id") or _NOBODY), str(b.get("origin") or "server"),
            utc_text(_time(b["at"])),
        )
        for b in bodies
        if str(b["customer_id"]) in customers
    ]  # fmt: skip
    done = uow.sql.executemany(
        "INSERT OR IGNORE INTO loyalty_entries (id, customer_id, kind, points, ticket_id, lot_id, "
        "expires_at, reason, actor_id, origin, at, confirmed) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
        rows,
    )
    return max(0, done.rowcount)


def apply_change(uow: UnitOfWork, change: Change, location_id: uuid.UUID | None) -> bool:
    """Apply one change; returns False when it was skipped (unknown here, or already known)."""
    body = change.body
    if is_catalog(change.entity):
        pushed = int(uow.cache.get("sync.pushed_seq", 0))
        return apply_document(uow, change.entity, change.entity_id, body, pushed)
    if change.entity == "staff":
        return _staff(uow, change, location_id)
    if change.entity == "settings" and change.op is ChangeOp.UPSERT:
        apply_settings(uow, body)
        return True
    if change.entity == "selling" and change.op is ChangeOp.UPSERT:
        apply_selling(uow, body)
        return True
    if change.entity == "location" and change.op is ChangeOp.UPSERT:
        return apply_location(uow, change.entity_id, body)
    if change.entity == "modules" and change.op is ChangeOp.UPSERT:
        for module, enabled in body.items():
            if module in ALL_MODULES:
                set_module(uow, module, enabled=bool(enabled))
        return True
    if change.entity == "stock_movement":
        return _movement(uow, body)
    if change.entity == "sale":
        return apply_remote_sale(uow, body)
    if change.entity == "refund":
        return apply_remote_refund(uow, body)
    if change.entity == "customer":
        return _customer(uow, body)
    if change.entity == "loyalty_entry":
        return _loyalty(uow, body)
    if change.entity == "loyalty_balance":
        return _balance(uow, body)
    return False  # an entity this version does not use (a newer server): skip, never fail


def _time(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def _staff(uow: UnitOfWork, change: Change, location_id: uuid.UUID | None) -> bool:
    user_id = uuid.UUID(change.entity_id)
    if change.op is ChangeOp.DELETE:
        uow.conn.execute(update(User).where(User.id == user_id).values(active=False))
        return True
    body = change.body
    granted = set(body.get("everywhere", []))
    if location_id is not None:
        granted |= set(body.get("by_location", {}).get(str(location_id), []))
    granted &= ALL_PERMISSIONS
    role_id = uuid.uuid5(_ROLE_NAMESPACE, str(user_id))
    role_name = f"{' + '.join(body.get('roles', [])) or 'no role'} ({body['code']})"
    if uow.conn.execute(select(Role.id).where(Role.id == role_id)).scalar() is None:
        uow.conn.execute(insert(Role).values(id=role_id, name=role_name))
    else:
        uow.conn.execute(update(Role).where(Role.id == role_id).values(name=role_name))
    uow.conn.execute(delete(RolePermission).where(RolePermission.role_id == role_id))
    if granted:
        uow.conn.execute(
            insert(RolePermission), [{"role_id": role_id, "permission": p} for p in granted]
        )
    # The server owns staff codes: a terminal-only user holding this code steps aside.
    uow.conn.execute(
        update(User)
        .where(User.code == body["code"], User.id != user_id)
        .values(code=f"local-{str(user_id)[:8]}", active=False)
    )
    active = bool(body.get("active")) and bool(granted) and body.get("pin_hash") is not None
    values = {
        "code": body["code"],
        "name": body["name"],
        "pin_hash": body.get("pin_hash") or "!",
        "role_id": role_id,
        "active": active,
    }
    stored = uow.conn.execute(select(User.pin_hash).where(User.id == user_id)).first()
    if stored is None:
        uow.conn.execute(insert(User).values(id=user_id, failed_pins=0, **values))
    else:
        if stored.pin_hash != values["pin_hash"]:
            # A manager set a new PIN: the code's lock from wrong PINs is lifted with it.
            values |= {"failed_pins": 0, "locked_until": None}
        uow.conn.execute(update(User).where(User.id == user_id).values(**values))
    return True


def _movement(uow: UnitOfWork, body: dict[str, Any]) -> bool:
    item_id = uuid.UUID(str(body["item_id"]))
    if uow.conn.execute(select(Item.id).where(Item.id == item_id)).scalar() is None:
        return False  # an item this till's catalog does not have
    done = uow.conn.execute(
        insert(StockMovement)
        .prefix_with("OR IGNORE")
        .values(
            id=uuid.UUID(str(body["id"])),
            item_id=item_id,
            location_code=str(body["location_code"]),
            qty_milli=int(body["qty_milli"]),
            kind=str(body["kind"]),
            actor_id=_NOBODY,
            at=_time(body["at"]),
        )
    )
    return done.rowcount == 1


def _customer(uow: UnitOfWork, body: dict[str, Any]) -> bool:
    phone, email = body.get("phone"), body.get("email")
    keys: dict[str, str | None] = {"phone_key": None, "email_key": None}
    with contextlib.suppress(ValidationFailed):
        keys["phone_key"] = phone_key(phone) if phone else None
    with contextlib.suppress(ValidationFailed):
        keys["email_key"] = email_key(email) if email else None
    done = uow.conn.execute(
        insert(Customer)
        .prefix_with("OR IGNORE")  # known already, or the same phone/e-mail/card created here
        .values(
            id=uuid.UUID(str(body["id"])),
            name=str(body["name"]),
            phone=phone,
            email=email,
            card_number=body.get("card_number"),
            created_by=uuid.UUID(str(body.get("created_by") or _NOBODY)),
            created_at=_time(body["created_at"]),
            **keys,
        )
    )
    return done.rowcount == 1


def _balance(uow: UnitOfWork, body: dict[str, Any]) -> bool:
    """The server's balance for a customer: what this till may let them redeem offline."""
    customer_id = uuid.UUID(str(body["customer_id"]))
    if uow.conn.execute(select(Customer.id).where(Customer.id == customer_id)).scalar() is None:
        return False
    apply_server_balance(
        uow, customer_id=customer_id, points=int(body["points"]), as_of=_time(body["as_of"]),
        confirmed=[],
    )  # fmt: skip
    return True


def _loyalty(uow: UnitOfWork, body: dict[str, Any]) -> bool:
    customer_id = uuid.UUID(str(body["customer_id"]))
    if uow.conn.execute(select(Customer.id).where(Customer.id == customer_id)).scalar() is None:
        return False

    def maybe_uuid(key: str) -> uuid.UUID | None:
        value = body.get(key)
        return uuid.UUID(str(value)) if value else None

    done = uow.conn.execute(
        insert(LoyaltyEntry)
        .prefix_with("OR IGNORE")
        .values(
            id=uuid.UUID(str(body["id"])),
            customer_id=customer_id,
            kind=str(body["kind"]),
            points=int(body["points"]),
            ticket_id=maybe_uuid("ticket_id"),
            lot_id=maybe_uuid("lot_id"),
            expires_at=_time(body["expires_at"]) if body.get("expires_at") else None,
            reason=body.get("reason"),
            actor_id=maybe_uuid("actor_id") or _NOBODY,
            origin=str(body.get("origin") or "server"),
            at=_time(body["at"]),
            confirmed=True,
        )
    )
    return done.rowcount == 1
