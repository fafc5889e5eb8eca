"""The stock ledger: write movements, read levels, walk the history, prove the balances.

Stock of an item at a location is the sum of its movements — never a number two terminals
overwrite. `stock_levels` is a running balance maintained by triggers in the same statement as
each movement, so reading a level is a primary-key lookup; `check_balances` proves it equals the
ledger (`nova inventory check`).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from desktop.db.models.types import utc_text
from desktop.db.uow import UnitOfWork
from shared.errors import ValidationFailed
from shared.ids import uuid7

MILLI = Decimal(1000)
KINDS = ("sale", "refund_restock", "adjustment", "transfer_in", "transfer_out", "count_variance")

_INSERT = (
    "INSERT INTO stock_movements (id, item_id, location_code, qty_milli, kind, reason, note, "
    "ticket_id, count_id, transfer_id, actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_LEVEL = "SELECT qty_milli FROM stock_levels WHERE item_id = ? AND location_code = ?"
_AS_OF = (
    "SELECT coalesce(sum(qty_milli), 0) FROM stock_movements "
    "WHERE item_id = ? AND location_code = ? AND at <= ?"
)


def to_milli(quantity: Decimal) -> int:
    """Thousandths of a unit, exactly (weighed goods carry up to 3 decimals)."""
    scaled = quantity * MILLI
    if scaled != scaled.to_integral_value():
        raise ValidationFailed(
            "quantities have at most 3 decimals", details={"quantity": str(quantity)}
        )
    return int(scaled)


def from_milli(milli: int) -> Decimal:
    return (Decimal(milli) / MILLI).normalize() if milli % 1000 else Decimal(milli // 1000)


@dataclass(frozen=True)
class Movement:
    """One line of the ledger, before it is written."""

    item_id: uuid.UUID
    location_code: str
    qty_milli: int
    kind: str
    actor_id: uuid.UUID
    reason: str | None = None
    note: str | None = None
    ticket_id: uuid.UUID | None = None
    count_id: uuid.UUID | None = None
    transfer_id: uuid.UUID | None = None


def record(uow: UnitOfWork, movements: Iterable[Movement], at: datetime) -> list[uuid.UUID]:
    """Append movements in the caller's transaction (plain SQL: sales call this per ticket)."""
    stamp = utc_text(at)
    rows, ids = [], []
    for m in movements:
        movement_id = uuid7()
        ids.append(movement_id)
        rows.append(
            (
                str(movement_id),
                str(m.item_id),
                m.location_code,
                m.qty_milli,
                m.kind,
                m.reason,
                m.note,
                str(m.ticket_id) if m.ticket_id else None,
                str(m.count_id) if m.count_id else None,
                str(m.transfer_id) if m.transfer_id else None,
                str(m.actor_id),
                stamp,
            )
        )
    if rows:
        uow.sql.executemany(_INSERT, rows)
    return ids


def tracked(uow: UnitOfWork, item_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """The items among `item_ids` whose stock is tracked (services skip the others)."""
    if not item_ids:
        return set()
    marks = ", ".join("?" * len(item_ids))  # only placeholders are formatted into the SQL
    rows = uow.sql.execute(
        f"SELECT id FROM items WHERE track_stock AND id IN ({marks})",
        [str(i) for i in item_ids],
    )
    return {uuid.UUID(r[0]) for r in rows}


@dataclass(frozen=True)
class StockView:
    item_id: uuid.UUID
    location_code: str
    quantity: Decimal

    @property
    def negative(self) -> bool:
        """Selling below zero is allowed (the shelf may be right and the books wrong), flagged."""
        return self.quantity < 0


def stock_level(uow: UnitOfWork, item_id: uuid.UUID, location_code: str) -> StockView:
    row = uow.sql.execute(_LEVEL, (str(item_id), location_code)).fetchone()
    return StockView(item_id, location_code, from_milli(row[0] if row else 0))


def stock_as_of(uow: UnitOfWork, item_id: uuid.UUID, location_code: str, at: datetime) -> Decimal:
    """Stock at a past moment: the sum of movements up to and including `at`."""
    (milli,) = uow.sql.execute(_AS_OF, (str(item_id), location_code, utc_text(at))).fetchone()
    return from_milli(int(milli))


def negative_stock(uow: UnitOfWork, location_code: str) -> list[StockView]:
    rows = uow.sql.execute(
        "SELECT item_id, qty_milli FROM stock_levels WHERE location_code = ? AND qty_milli < 0 "
        "ORDER BY qty_milli",
        (location_code,),
    )
    return [StockView(uuid.UUID(i), location_code, from_milli(q)) for i, q in rows]


@dataclass(frozen=True)
class Mismatch:
    item_id: str
    location_code: str
    ledger_milli: int
    balance_milli: int


def check_balances(sql: sqlite3.Connection) -> list[Mismatch]:
    """Every running balance against the sum of its movements (both directions).

    Takes a bare connection so `nova inventory check` can read while a till is selling (WAL).
    """
    rows = sql.execute(
        """
        WITH ledger AS (
            SELECT item_id, location_code, sum(qty_milli) AS q FROM stock_movements
            GROUP BY item_id, location_code
        )
        SELECT l.item_id, l.location_code, l.q, coalesce(s.qty_milli, 0)
        FROM ledger l LEFT JOIN stock_levels s
            ON s.item_id = l.item_id AND s.location_code = l.location_code
        WHERE coalesce(s.qty_milli, 0) != l.q
        UNION ALL
        SELECT s.item_id, s.location_code, 0, s.qty_milli FROM stock_levels s
        WHERE s.qty_milli != 0 AND NOT EXISTS (
            SELECT 1 FROM stock_movements m
            WHERE m.item_id = s.item_id AND m.location_code = s.location_code
        )
        """
    )
    return [Mismatch(i, loc, int(q), int(b)) for i, loc, q, b in rows]


@dataclass(frozen=True)
class HistoryEntry:
    """One movement as the inventory audit log shows it: who, when, where, why, linked to what."""

    id: uuid.UUID
    at: datetime
    item_id: uuid.UUID
    location_code: str
    quantity: Decimal
    kind: str
    reason: str | None
    note: str | None
    actor_id: uuid.UUID
    ticket_id: uuid.UUID | None
    count_id: uuid.UUID | None
    transfer_id: uuid.UUID | None


def history(
    uow: UnitOfWork,
    *,
    item_id: uuid.UUID | None = None,
    location_code: str | None = None,
    before: uuid.UUID | None = None,
    limit: int = 100,
) -> list[HistoryEntry]:
    """Movements newest first, filtered; page with `before` = the last id seen (UUIDv7 order)."""
    where, args = [], []
    for column, value in (("item_id", item_id), ("location_code", location_code)):
        if value is not None:
            where.append(f"{column} = ?")
            args.append(str(value))
    if before is not None:
        where.append("id < ?")
        args.append(str(before))
    clause = f"WHERE {' AND '.join(where)}" if where else ""  # fixed column names only
    rows = uow.sql.execute(
        "SELECT id, at, item_id, location_code, qty_milli, kind, reason, note, actor_id, "
        f"ticket_id, count_id, transfer_id FROM stock_movements {clause} ORDER BY id DESC LIMIT ?",
        [*args, max(1, min(limit, 1000))],
    )

    def uid(value: str | None) -> uuid.UUID | None:
        return uuid.UUID(value) if value else None

    return [
        HistoryEntry(
            uuid.UUID(r[0]),
            datetime.fromisoformat(r[1]),
            uuid.UUID(r[2]),
            r[3],
            from_milli(r[4]),
            r[5],
            r[6],
            r[7],
            uuid.UUID(r[8]),
            uid(r[9]),
            uid(r[10]),
            uid(r[11]),
        )
        for r in rows
    ]
