"""What each pushed mutation does on the server (the conflict table of docs/sync-protocol.md).

Handlers run inside a SAVEPOINT of the push transaction. They write projections keyed by natural
ids (ticket id, receipt number, payment id, movement id, entry id) and publish the facts other
terminals of the tenant need. A handler raises:

- `Deferred` when a fact it depends on has not arrived (a refund of a sale still in another
  terminal's outbox): the mutation is stored and re-applied when that fact lands;
- nothing, but calls `ctx.review(why)`, when the fact happened at the till but breaks a server
  rule: the effects are kept as they happened (a completed sale is never rejected) and the stored
  result is `needs_review`, so a person has a look;
- `Held` when it names something the business does not have (a location code): it is kept for
  review without its effects, and accepting the review applies it (once the thing exists);
- `Invalid` when it is not a mutation this server can apply at all (unknown kind or version, or a
  payload outside the bounds of `shared/facts.py`).

Before any handler runs, `apply` checks the payload's shape and bounds (`shared.facts`), so a
bad value is a per-mutation rejection and never a database error that fails the whole push.
Items and customers a fact names must be on record in the tenant: a fact naming one that has
not arrived yet is deferred until it does (a till pushes an item's creation before its sales,
but a catalog adopted on the first sync comes after the sales made before it).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from shared.catalog_sync import EDIT_KIND, CatalogEdit
from shared.errors import ValidationFailed
from shared.facts import TILL_MOVED, check_fact
from shared.ids import uuid7
from shared.sale_check import recheck_sale
from shared.sync import ChangeOp
from syncserver.catalog.merge import merge_edit
from syncserver.models import (
    AuditEvent,
    CatalogDocument,
    Location,
    Sale,
    SaleLine,
    SalePayment,
    SaleTax,
    ServerCustomer,
    ServerLoyaltyEntry,
    ServerStockMovement,
    SyncReplica,
    User,
)
from syncserver.models.base import Base, table_of
from syncserver.sync.changes import ChangeDraft, encode, mark_balance_changed, publish


class Deferred(Exception):
    def __init__(self, waits_for: uuid.UUID, detail: str) -> None:
        super().__init__(detail)
        self.waits_for = waits_for


class Invalid(Exception):
    pass


class Held(Exception):
    """Kept for a person without its effects; accepting the review applies it."""


@dataclass
class Context:
    session: Session
    tenant_id: uuid.UUID
    location_id: uuid.UUID
    location_code: str
    replica_id: uuid.UUID
    seq: int
    created_at: datetime  # when the till recorded the fact
    reviews: list[str] = field(default_factory=list)
    # Per push, shared by its mutations: user id -> tenant (None: unknown), location code -> id.
    users: dict[uuid.UUID, uuid.UUID | None] = field(default_factory=dict)
    locations: dict[str, uuid.UUID | None] = field(default_factory=dict)
    # Item and customer ids known to be on record in the tenant (shared by a push's mutations).
    known: set[uuid.UUID] = field(default_factory=set)
    # (item, location code) -> moments of posted counts; loaded once per push when first needed.
    counts: dict[tuple[uuid.UUID, str], list[datetime]] | None = None
    root: Context | None = None  # the push's shared context, which keeps `counts`
    # Set for a batch applied under one savepoint: rows wait here and go in one statement per
    # table (in first-written order, so parents precede children); None writes at once.
    pending: dict[type[Base], list[dict[str, Any]]] | None = None

    def review(self, why: str) -> None:
        self.reviews.append(why)

    def write(self, model: type[Base], rows: list[dict[str, Any]]) -> None:
        if self.pending is None:
            self.session.execute(insert(table_of(model)), rows)
        else:
            self.pending.setdefault(model, []).extend(rows)

    def flush_writes(self) -> None:
        """Before a handler reads what earlier mutations of the batch wrote."""
        if self.pending:
            for model, rows in self.pending.items():
                self.session.execute(insert(table_of(model)), rows)
            self.pending.clear()


Handler = Callable[[Context, dict[str, Any]], None]
HANDLERS: dict[tuple[str, int], Handler] = {}
# Facts kept only as the stored mutation (the server's copy), with no projection yet.
RECORDED_ONLY = {
    "shift.opened",
    "shift.closed",
    # A till's drawer: paid in/out, cash drops to the safe, no-sale opens (with their reasons).
    "cash.paid_in",
    "cash.paid_out",
    "cash.drop",
    "cash.no_sale",
    "count.started",
    "count.counted",
    "count.cancelled",
}


def handles(kind: str, version: int = 1) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[(kind, version)] = fn
        return fn

    return register


def apply(ctx: Context, kind: str, version: int, payload: dict[str, Any]) -> None:
    try:
        check_fact(kind, version, payload)
    except ValidationFailed as exc:
        raise Invalid(str(exc)) from None
    if kind in RECORDED_ONLY and version == 1:
        return
    handler = HANDLERS.get((kind, version))
    if handler is None:
        raise Invalid(f"unknown mutation {kind} v{version}")
    handler(ctx, payload)


def _uuid(value: Any, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Invalid(f"{what} is not a uuid") from exc


def _time(value: Any, what: str) -> datetime:
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise Invalid(f"{what} is not a time") from exc
    if at.tzinfo is None:
        raise Invalid(f"{what} has no zone")
    return at


def _check_user(ctx: Context, user_id: Any, what: str, *, review: bool = True) -> uuid.UUID | None:
    """Users named in a mutation must belong to the tenant (terminal-only demo users do not)."""
    if user_id is None:
        return None
    uid = _uuid(user_id, what)
    if uid not in ctx.users:
        ctx.users[uid] = ctx.session.scalar(select(User.tenant_id).where(User.id == uid))
    tenant = ctx.users[uid]
    if tenant is None:
        if review:
            ctx.review(f"{what} {uid} is not a user the server knows")
        return None
    elif tenant != ctx.tenant_id:
        # Says nothing about the other business (not even that the id exists).
        raise Invalid("this record cannot be accepted")
    return uid


def _require_known(ctx: Context, items: set[uuid.UUID], customers: set[uuid.UUID]) -> None:
    """Items and customers a fact names must be on record in the tenant; one that is not yet
    defers the fact until it arrives (`Deferred` names what it waits for)."""
    for model_ids, kind in ((items, "item"), (customers, "customer")):
        missing = model_ids - ctx.known
        if not missing:
            continue
        ctx.flush_writes()
        if kind == "item":
            found = ctx.session.scalars(
                select(CatalogDocument.entity_id).where(
                    CatalogDocument.tenant_id == ctx.tenant_id,
                    CatalogDocument.entity == "cat.item",
                    CatalogDocument.entity_id.in_([str(i) for i in missing]),
                )
            ).all()
            have = {uuid.UUID(f) for f in found}
        else:
            have = set(
                ctx.session.scalars(
                    select(ServerCustomer.id).where(
                        ServerCustomer.tenant_id == ctx.tenant_id,
                        ServerCustomer.id.in_(list(missing)),
                    )
                ).all()
            )
        ctx.known.update(have)
        still = sorted(missing - have)
        if still:
            raise Deferred(still[0], f"waits for {kind} {still[0]}, not on record yet")


def _movements(
    ctx: Context, moves: list[dict[str, Any]], *, kind: str, at: datetime,
    location: str | None = None,
) -> None:  # fmt: skip
    """Write stock movements (one statement) and publish them to the tills of their location."""
    if not moves:
        return
    code = location or ctx.location_code
    rows = [
        {
            "id": _uuid(m["id"], "movement id"),
            "tenant_id": ctx.tenant_id,
            "item_id": _uuid(m["item_id"], "item id"),
            "location_code": code,
            "qty_milli": int(m["qty_milli"]),
            "kind": kind,
            "replica_id": ctx.replica_id,
            "at": at,
        }
        for m in moves
    ]
    ctx.write(ServerStockMovement, rows)
    location_id = _location_id(ctx, code)
    if kind not in COUNT_KINDS:
        for row in rows:
            _correct_counts_after(ctx, row, location_id)
    for row in rows:
        body = {
            "id": str(row["id"]),
            "item_id": str(row["item_id"]),
            "location_code": code,
            "qty_milli": row["qty_milli"],
            "kind": kind,
            "at": at.isoformat(),
        }
        publish(
            ctx.session,
            ChangeDraft(
                ctx.tenant_id,
                "stock_movement",
                str(row["id"]),
                ChangeOp.APPEND,
                body,
                location_id=location_id,
                origin_replica=ctx.replica_id,
            ),
        )


COUNT_KINDS = ("count_variance", "count_correction")


def _count_moments(ctx: Context) -> dict[tuple[uuid.UUID, str], list[datetime]]:
    holder = ctx.root or ctx
    if holder.counts is None:
        ctx.flush_writes()
        rows = ctx.session.execute(
            select(
                ServerStockMovement.item_id, ServerStockMovement.location_code,
                ServerStockMovement.at,
            ).where(
                ServerStockMovement.tenant_id == ctx.tenant_id,
                ServerStockMovement.kind == "count_variance",
            )
        ).all()  # fmt: skip
        counts: dict[tuple[uuid.UUID, str], list[datetime]] = {}
        for item, code, at in rows:
            counts.setdefault((item, code), []).append(at)
        holder.counts = counts
    return holder.counts


def _correction(
    ctx: Context, item: uuid.UUID, code: str, qty: int, at: datetime, location_id: uuid.UUID
) -> None:
    """A count already absorbed this quantity: put it back, dated at that count, for every till
    of the location (also the one whose movement caused it)."""
    row = {
        "id": uuid7(), "tenant_id": ctx.tenant_id, "item_id": item, "location_code": code,
        "qty_milli": qty, "kind": "count_correction", "replica_id": ctx.replica_id, "at": at,
    }  # fmt: skip
    ctx.write(ServerStockMovement, [row])
    body = {"id": str(row["id"]), "item_id": str(item), "location_code": code,
            "qty_milli": qty, "kind": "count_correction", "at": at.isoformat()}  # fmt: skip
    publish(
        ctx.session,
        ChangeDraft(
            ctx.tenant_id,
            "stock_movement",
            str(row["id"]),
            ChangeOp.APPEND,
            body,
            location_id=location_id,
        ),
    )


def _correct_counts_after(ctx: Context, row: dict[str, Any], location_id: uuid.UUID) -> None:
    """A movement dated at or before a count already posted arrives late: the count measured the
    shelf after it happened, so the count's variance already holds it. One correction, at the
    first count after the movement, keeps stock = what was counted + what happened since."""
    moments = _count_moments(ctx).get((row["item_id"], row["location_code"]))
    if not moments:
        return
    later = [t for t in moments if t >= row["at"]]
    if later:
        _correction(ctx, row["item_id"], row["location_code"], -int(row["qty_milli"]),
                    min(later), location_id)  # fmt: skip


def _location_id(ctx: Context, code: str) -> uuid.UUID:
    """Stock is scoped to the location it sits in (a transfer's far end goes to that shop)."""
    if code == ctx.location_code:
        return ctx.location_id
    if code not in ctx.locations:
        ctx.locations[code] = ctx.session.scalar(
            select(Location.id).where(Location.tenant_id == ctx.tenant_id, Location.code == code)
        )
    found = ctx.locations[code]
    if found is None:
        raise Held(f"location {code} is not one of the business's locations")
    return found


def _loyalty(ctx: Context, entries: list[dict[str, Any]]) -> None:
    """Write loyalty entries (one statement); a redemption that overdraws goes to review."""
    if not entries:
        return
    rows: list[dict[str, Any]] = [
        {
            "id": _uuid(e["id"], "loyalty entry id"),
            "tenant_id": ctx.tenant_id,
            "customer_id": _uuid(e["customer_id"], "customer id"),
            "points": int(e["points"]),
            "kind": str(e["kind"]),
            "replica_id": ctx.replica_id,
            "body": encode(e),
            "at": _time(e["at"], "loyalty entry time"),
        }
        for e in entries
    ]
    ctx.write(ServerLoyaltyEntry, rows)
    for entry, row in zip(entries, rows, strict=True):
        publish(
            ctx.session,
            ChangeDraft(
                ctx.tenant_id,
                "loyalty_entry",
                str(row["id"]),
                ChangeOp.APPEND,
                entry,
                origin_replica=ctx.replica_id,
            ),
        )
    for customer_id in {r["customer_id"] for r in rows}:
        mark_balance_changed(ctx.session, ctx.tenant_id, customer_id)
    spent = {r["customer_id"] for r in rows if int(r["points"]) < 0}
    if spent:
        ctx.flush_writes()
    for customer_id in spent:
        balance = ctx.session.scalar(
            select(func.coalesce(func.sum(ServerLoyaltyEntry.points), 0)).where(
                ServerLoyaltyEntry.tenant_id == ctx.tenant_id,
                ServerLoyaltyEntry.customer_id == customer_id,
            )
        )
        if balance is not None and balance < 0:
            # Two terminals redeemed the same points offline: keep both, never claw back silently.
            ctx.review(f"overdraft: customer {customer_id} is at {balance} points")


def _sale_row(
    ctx: Context, p: dict[str, Any], *, kind: str, refund_of: uuid.UUID | None
) -> dict[str, Any]:
    return {
        "id": _uuid(p["ticket_id"], "ticket id"),
        "tenant_id": ctx.tenant_id,
        "location_id": ctx.location_id,
        "replica_id": ctx.replica_id,
        "seq": ctx.seq,
        "kind": kind,
        "refund_of": refund_of,
        "receipt_no": str(p["receipt_no"]),
        "currency": str(p.get("currency") or "XXX"),
        "gross_minor": int(p["gross_minor"]),
        "tax_minor": int(p.get("tax_minor") or 0),
        "cashier_id": _check_user(ctx, p.get("cashier_id"), "cashier"),
        "closed_at": _time(p["closed_at"], "closing time"),
    }


# What another till of the location needs to refund a sale (or to know what was refunded).
_TICKET_FIELDS = (
    "ticket_id", "receipt_no", "refund_of", "cashier_id", "customer_id", "currency",
    "closed_at", "net_minor", "tax_minor", "gross_minor", "lines", "tenders", "tender",
    "voucher",
)  # fmt: skip


def _publish_ticket(ctx: Context, entity: str, ticket_id: uuid.UUID, p: dict[str, Any]) -> None:
    """Sales and refunds go to the other tills of the location: a customer may bring a
    purchase back to any till of the shop."""
    body = {k: p[k] for k in _TICKET_FIELDS if k in p}
    publish(
        ctx.session,
        ChangeDraft(
            ctx.tenant_id, entity, str(ticket_id), ChangeOp.APPEND, body,
            location_id=ctx.location_id, origin_replica=ctx.replica_id,
        ),
    )  # fmt: skip


def _named(p: dict[str, Any]) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """The items and customers a ticket payload names (lines, movements, loyalty, customer)."""
    items = {_uuid(x["item_id"], "item id") for x in p.get("movements", [])}
    items |= {_uuid(x["item_id"], "item id") for x in p.get("lines", []) if x.get("item_id")}
    customers = {_uuid(e["customer_id"], "customer id") for e in p.get("loyalty", [])}
    if p.get("customer_id"):
        customers.add(_uuid(p["customer_id"], "customer id"))
    return items, customers


def _receipt_clash(ctx: Context, sale: dict[str, Any]) -> None:
    """Receipt numbers are unique per till; two tills printing the same one (misconfigured with
    one terminal code) both keep their sales, and a person hears of it."""
    other = ctx.session.scalar(
        select(Sale.replica_id)
        .where(
            Sale.tenant_id == ctx.tenant_id,
            Sale.receipt_no == sale["receipt_no"],
            Sale.replica_id != ctx.replica_id,
        )
        .limit(1)
    )
    if other is not None:
        ctx.review(
            f"receipt number {sale['receipt_no']} is also printed by another till "
            f"(replica {other}): give each till its own terminal code"
        )


def _line_rows(
    ctx: Context, sale_id: uuid.UUID, lines: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The sale's lines as sold, numbered from 1 in the till's order; modifiers as JSON."""
    return [
        {
            "tenant_id": ctx.tenant_id, "sale_id": sale_id, "line_no": n,
            "item_id": _uuid(line["item_id"], "item id") if line.get("item_id") else None,
            "name": str(line.get("name") or ""), "quantity": str(line["quantity"]),
            "unit_price_minor": int(line["unit_price_minor"]),
            "gross_minor": int(line["gross_minor"]), "tax_minor": int(line.get("tax_minor") or 0),
            "discount_minor": int(line.get("discount_minor") or 0),
            "modifiers": json.dumps(
                [{"id": str(m["id"]), "name": str(m["name"]),
                  "price_delta_minor": int(m["price_delta_minor"])}
                 for m in line.get("modifiers") or []],
                separators=(",", ":"),
            ),
        }
        for n, line in enumerate(lines, start=1)
    ]  # fmt: skip


def _taxes_per_rate(lines: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """The lines' per-rate taxes summed per (code, percent): the percent in force at the sale,
    normalized ("19.00" and "19" are one rate)."""
    totals: dict[tuple[str, str], int] = {}
    for line in lines:
        for code, percent, tax in line.get("taxes") or []:
            key = (str(code), _percent_text(percent))
            totals[key] = totals.get(key, 0) + int(tax)
    return totals


def _percent_text(value: Any) -> str:
    number = Decimal(str(value)).normalize()
    return format(number, "f")


@handles("ticket.finalized")
def ticket_finalized(ctx: Context, p: dict[str, Any]) -> None:
    _require_known(ctx, *_named(p))
    sale = _sale_row(ctx, p, kind="sale", refund_of=None)
    ctx.write(Sale, [sale])
    _receipt_clash(ctx, sale)
    for problem in recheck_sale(p):
        ctx.review(f"the figures do not add up: {problem}")
    tenders = p.get("tenders", [])
    if tenders:
        payments = [
            {
                "tenant_id": ctx.tenant_id,
                "id": _uuid(t["id"], "payment id"),
                "sale_id": sale["id"],
                "kind": str(t["kind"]),
                "amount_minor": int(t["amount_minor"]),
            }
            for t in tenders
        ]
        ctx.write(SalePayment, payments)
    taxes = _taxes_per_rate(p.get("lines", []))
    if taxes:
        ctx.write(
            SaleTax,
            [
                {"tenant_id": ctx.tenant_id, "sale_id": sale["id"], "rate_code": code,
                 "rate_percent": percent, "tax_minor": tax}
                for (code, percent), tax in sorted(taxes.items())
            ],
        )  # fmt: skip
    lines = _line_rows(ctx, sale["id"], p.get("lines", []))
    if lines:
        ctx.write(SaleLine, lines)
    paid = sum(int(t["amount_minor"]) for t in tenders)
    if paid != sale["gross_minor"]:
        ctx.review(f"tenders {paid} do not add up to the total {sale['gross_minor']}")
    _publish_ticket(ctx, "sale", sale["id"], p)
    _movements(ctx, p.get("movements", []), kind="sale", at=sale["closed_at"])
    _loyalty(ctx, p.get("loyalty", []))


@handles("ticket.refunded")
def ticket_refunded(ctx: Context, p: dict[str, Any]) -> None:
    original_id = _uuid(p["refund_of"], "refunded ticket id")
    ctx.flush_writes()  # the sale may be earlier in this very batch
    original = ctx.session.get(Sale, (ctx.tenant_id, original_id))
    if original is None:
        raise Deferred(original_id, "waits for the sale it refunds")
    _require_known(ctx, *_named(p))
    refund = _sale_row(ctx, p, kind="refund", refund_of=original_id)
    refund["currency"] = original.currency
    refund["tax_minor"] = sum(int(line.get("tax_minor") or 0) for line in p.get("lines", []))
    ctx.write(Sale, [refund])
    ctx.flush_writes()
    refunded = ctx.session.scalar(
        select(func.coalesce(func.sum(Sale.gross_minor), 0)).where(
            Sale.tenant_id == ctx.tenant_id, Sale.refund_of == original_id
        )
    )
    if refunded is not None and -refunded > original.gross_minor:
        # Two terminals refunded the same sale offline: the money is gone, a manager looks.
        ctx.review(f"refunds {-refunded} exceed the sale {original.gross_minor}")
    _publish_ticket(ctx, "refund", refund["id"], p)
    _movements(ctx, p.get("movements", []), kind="refund_restock", at=refund["closed_at"])
    _loyalty(ctx, p.get("loyalty", []))


@handles("inventory.adjusted")
def inventory_adjusted(ctx: Context, p: dict[str, Any]) -> None:
    _check_user(ctx, p.get("actor_id"), "actor")
    _require_known(ctx, {_uuid(p["item_id"], "item id")}, set())
    movement = {"id": p["movement_id"], "item_id": p["item_id"], "qty_milli": p["qty_milli"]}
    at = _time(p["at"], "adjustment time")
    _movements(ctx, [movement], kind="adjustment", at=at, location=str(p["location_code"]))


@handles("inventory.transferred")
def inventory_transferred(ctx: Context, p: dict[str, Any]) -> None:
    _check_user(ctx, p.get("actor_id"), "actor")
    _require_known(ctx, {_uuid(p["item_id"], "item id")}, set())
    out_id, in_id = p["movements"]
    at, qty = _time(p["at"], "transfer time"), int(p["qty_milli"])
    item = p["item_id"]
    out = {"id": out_id, "item_id": item, "qty_milli": -qty}
    _movements(ctx, [out], kind="transfer_out", at=at, location=str(p["from"]))
    into = {"id": in_id, "item_id": item, "qty_milli": qty}
    _movements(ctx, [into], kind="transfer_in", at=at, location=str(p["to"]))


@handles("count.posted")
def count_posted(ctx: Context, p: dict[str, Any]) -> None:
    """The till's variance is counted − its stock as of the count. The server may know movements
    dated before the count that the till had not seen: the variance is recomputed against the
    server's stock as of that moment, and the difference written as a correction. A count that
    arrives after a later count is compensated at that later count."""
    _check_user(ctx, p.get("posted_by"), "poster")
    _require_known(ctx, {_uuid(ln["item_id"], "item id") for ln in p.get("lines", [])}, set())
    ctx.flush_writes()
    location_id = _location_id(ctx, ctx.location_code)
    for line in p.get("lines", []):
        item = _uuid(line["item_id"], "item id")
        at = _time(line["counted_at"], "count")
        known = ctx.session.scalar(
            select(func.coalesce(func.sum(ServerStockMovement.qty_milli), 0)).where(
                ServerStockMovement.tenant_id == ctx.tenant_id,
                ServerStockMovement.item_id == item,
                ServerStockMovement.location_code == ctx.location_code,
                ServerStockMovement.at <= at,
            )
        )
        expected = int(line["counted_milli"]) - int(known or 0)
        variance = int(line["variance_milli"])
        if variance and line.get("movement_id") is not None:
            movement = {"id": line["movement_id"], "item_id": item, "qty_milli": variance}
            _movements(ctx, [movement], kind="count_variance", at=at)
        else:
            # Nothing to move, but the count's moment must be on record: facts dated before it
            # that arrive later are judged against it. A zero row, kept on the server only.
            marker = {
                "id": uuid7(), "tenant_id": ctx.tenant_id, "item_id": item,
                "location_code": ctx.location_code, "qty_milli": 0, "kind": "count_variance",
                "replica_id": ctx.replica_id, "at": at,
            }  # fmt: skip
            ctx.write(ServerStockMovement, [marker])
        if expected != variance:
            _correction(ctx, item, ctx.location_code, expected - variance, at, location_id)
        moments = _count_moments(ctx).setdefault((item, ctx.location_code), [])
        later = [t for t in moments if t > at]
        if later and expected:
            # A later count is already in: it measured the shelf after this one, so what this
            # count changes must not reach past it.
            _correction(ctx, item, ctx.location_code, -expected, min(later), location_id)
        moments.append(at)


@handles("customer.created")
def customer_created(ctx: Context, p: dict[str, Any]) -> None:
    customer = _uuid(p["id"], "customer id")
    row = {"tenant_id": ctx.tenant_id, "id": customer, "replica_id": ctx.replica_id,
           "created_at": ctx.created_at}  # fmt: skip
    ctx.write(ServerCustomer, [row])
    ctx.known.add(customer)
    publish(
        ctx.session,
        ChangeDraft(
            ctx.tenant_id,
            "customer",
            str(p["id"]),
            ChangeOp.APPEND,
            p,
            origin_replica=ctx.replica_id,
        ),
    )


@handles("loyalty.adjusted")
@handles("loyalty.expired")
def loyalty_entry(ctx: Context, p: dict[str, Any]) -> None:
    _require_known(ctx, set(), {_uuid(p["customer_id"], "customer id")})
    _loyalty(ctx, [p])


@handles("audit.recorded")
def audit_recorded(ctx: Context, p: dict[str, Any]) -> None:
    # The till's own audit trail is kept even when it names a terminal-only user.
    actor = _check_user(ctx, p.get("actor_id"), "actor", review=False)
    details = {k: v for k, v in p.items() if k not in {"action", "target_id"}}
    ctx.session.add(
        AuditEvent(
            id=uuid7(),
            tenant_id=ctx.tenant_id,
            actor_id=actor,
            action=f"till.{p.get('action', 'unknown')}"[:64],
            target=str(p.get("target_id"))[:120] if p.get("target_id") else None,
            before=None,
            after=encode({**details, "replica": str(ctx.replica_id), "seq": ctx.seq}),
            request_id=None,
            ip=None,
            at=ctx.created_at,
        )
    )


@handles(TILL_MOVED)
def till_moved(ctx: Context, p: dict[str, Any]) -> None:
    """From this record on, the till's facts happen at its new location; the ones before it
    stay at the old one (the push loop re-reads the location after applying this)."""
    location_id = _uuid(p["location_id"], "location id")
    found = ctx.session.scalar(
        select(Location.id).where(Location.tenant_id == ctx.tenant_id, Location.id == location_id)
    )
    if found is None:
        raise Invalid(f"location {location_id} is not one of this business's")
    replica = ctx.session.get(SyncReplica, ctx.replica_id)
    assert replica is not None  # the push holds it locked
    replica.location_id = location_id


@handles(EDIT_KIND)
def catalog_edited(ctx: Context, p: dict[str, Any]) -> None:
    """Merged field by field; concurrent edits become conflict records in the inbox, and the
    mutation itself is applied (the catalog always has one current value per field)."""
    try:
        edit = CatalogEdit.model_validate(p)
    except (ValidationError, ValidationFailed) as exc:
        raise Invalid(f"not a catalog edit: {str(exc)[:300]}") from exc
    if edit.entity == "cat.item_location":
        # An item's price or on-sale at one shop: its own tills (and the API) set it, never a
        # till of another shop (its manager holds catalog.edit for their shop only).
        place = edit.id.rpartition("@")[2]
        if place.upper() != ctx.location_code.upper():
            raise Invalid(
                f"a till sets an item's price and on-sale at its own location "
                f"({ctx.location_code}) only, not at {place}"
            )
    merge_edit(ctx.session, ctx.tenant_id, ctx.replica_id, edit, datetime.now(UTC))
