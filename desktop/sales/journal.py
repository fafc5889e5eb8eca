"""The sales journal: past tickets of this till and of the other tills of its location (those
arrive by sync, see `desktop/sales/remote.py`), found by receipt number, local date, amount,
card or customer, newest first and in pages; and one ticket in full with where its sync stands.

Read only. Times are stored UTC; the journal speaks the location's local time (the machine's
zone when the location has none), so "3 December" means the shop's 3 December.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, exists, func, or_, select

from desktop.db.models import (
    Customer,
    OutboxRecord,
    SyncIssue,
    SyncState,
    Tender,
    Ticket,
    User,
)
from desktop.db.uow import UnitOfWork
from desktop.loyalty.customers import phone_key
from desktop.printing.receipt import ReceiptDoc, receipt_for
from desktop.sales.remote import OTHER_TILLS_SHIFT
from desktop.sync.till_config import location
from shared.errors import NotFound, ValidationFailed
from shared.money import Money

PAGE_SIZE = 40
_PUSHED_KINDS = ("ticket.finalized", "ticket.refunded")  # the record that carries a ticket

# What a cashier reads for each place a ticket's outbox record can be in.
SYNCED = "Synced"
WAITING = "Waiting to sync"
OTHER_TILL = "From another till"
_ISSUE_WORDS = {
    "needs_review": "Synced, kept for review",
    "deferred": "Held by the server (waits for another record)",
    "rejected": "Refused by the server",
    "quarantined": "Quarantined by the server",
}


@dataclass(frozen=True)
class JournalQuery:
    """What to look for; every field left empty matches everything."""

    receipt_prefix: str = ""
    date_from: date | None = None  # local dates, both ends included
    date_to: date | None = None
    amount_minor: int | None = None  # the ticket's total exactly (a refund's, without its sign)
    card_last4: str = ""
    customer: str = ""  # name (contains) or phone
    page: int = 0


@dataclass(frozen=True)
class JournalRow:
    ticket_id: uuid.UUID
    receipt_no: str
    kind: str  # sale or refund
    closed_at: str  # local, "2026-12-03 18:05"
    cashier: str
    total: Money
    tenders: str  # "cash 10.00 · card ••4242"
    sync: str  # SYNCED, WAITING, OTHER_TILL or an issue's words
    refunded: Money  # refunded against this sale so far (zero for a refund)


@dataclass(frozen=True)
class JournalPage:
    rows: tuple[JournalRow, ...]
    page: int
    has_more: bool


@dataclass(frozen=True)
class TenderDetail:
    kind: str
    amount: Money  # applied to the ticket
    card: str  # "VISA ••4242", "" for cash
    reference: str  # approval code or voucher


@dataclass(frozen=True)
class RefundMade:
    receipt_no: str
    closed_at: str
    amount: Money  # positive: what went back


@dataclass(frozen=True)
class TicketDetail:
    row: JournalRow
    receipt: ReceiptDoc  # lines with modifiers and discounts, taxes per rate, totals
    tenders: tuple[TenderDetail, ...]
    refunds: tuple[RefundMade, ...]
    refund_of: str | None  # a refund: the sale's receipt number
    customer: str | None = None  # the loyalty customer on the ticket, when this till knows them


def zone_of(uow: UnitOfWork) -> tzinfo:
    """The location's time zone; the machine's when the location names none or an unknown one."""
    where = location(uow)
    if where is not None and where.timezone:
        with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(where.timezone)
    return datetime.now(UTC).astimezone().tzinfo or UTC


def _local(at: datetime | None, zone: tzinfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if at else ""


def _day_start(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def _conditions(query: JournalQuery, zone: tzinfo) -> list[Any]:
    found: list[Any] = [Ticket.status == "paid", Ticket.receipt_no.is_not(None)]
    if query.receipt_prefix:
        found.append(Ticket.receipt_no.startswith(query.receipt_prefix, autoescape=True))
    if query.date_from is not None:
        found.append(Ticket.closed_at >= _day_start(query.date_from, zone))
    if query.date_to is not None:
        found.append(Ticket.closed_at < _day_start(query.date_to + timedelta(days=1), zone))
    if query.amount_minor is not None:
        found.append(Ticket.gross_minor.in_([query.amount_minor, -query.amount_minor]))
    if query.card_last4:
        found.append(
            exists().where(Tender.ticket_id == Ticket.id, Tender.card_last4 == query.card_last4)
        )
    if query.customer:
        match = [Customer.name.icontains(query.customer, autoescape=True)]
        with contextlib.suppress(ValidationFailed):  # a name is not a phone number
            match.append(Customer.phone_key == phone_key(query.customer))
        found.append(Ticket.customer_id.in_(select(Customer.id).where(or_(*match))))
    return found


def search(uow: UnitOfWork, query: JournalQuery, *, page_size: int = PAGE_SIZE) -> JournalPage:
    """One page of matching tickets, newest first (`has_more`: a next page exists)."""
    zone = zone_of(uow)
    heads = uow.conn.execute(
        select(Ticket.__table__)
        .where(and_(*_conditions(query, zone)))
        .order_by(Ticket.closed_at.desc(), Ticket.id.desc())
        .limit(page_size + 1)
        .offset(query.page * page_size)
    ).all()
    rows = _rows(uow, heads[:page_size], zone)
    return JournalPage(rows, query.page, len(heads) > page_size)


def _rows(uow: UnitOfWork, heads: Sequence[Any], zone: tzinfo) -> tuple[JournalRow, ...]:
    """The page's rows with four reads in all, whatever the page size."""
    ids = [h.id for h in heads]
    names = dict(
        uow.conn.execute(
            select(User.id, User.name).where(User.id.in_({h.cashier_id for h in heads}))
        ).all()
    )
    paid: dict[uuid.UUID, list[str]] = {}
    for ticket_id, kind, amount, last4, currency in uow.conn.execute(
        select(Tender.ticket_id, Tender.kind, Tender.amount_minor, Tender.card_last4,
               Ticket.currency)
        .join(Ticket, Ticket.id == Tender.ticket_id)
        .where(Tender.ticket_id.in_(ids))
        .order_by(Tender.created_at)
    ):  # fmt: skip
        text = f"{kind} {Money.from_minor(abs(int(amount)), currency).amount}"
        paid.setdefault(ticket_id, []).append(f"{text} ••{last4}" if last4 else text)
    refunded = dict(
        uow.conn.execute(
            select(Ticket.refund_of, func.sum(Ticket.gross_minor))
            .where(Ticket.refund_of.in_(ids), Ticket.kind == "refund", Ticket.status == "paid")
            .group_by(Ticket.refund_of)
        ).all()
    )
    states = sync_states(uow, heads)
    return tuple(
        JournalRow(
            h.id, str(h.receipt_no), h.kind, _local(h.closed_at, zone),
            names.get(h.cashier_id, "—"), Money.from_minor(int(h.gross_minor or 0), h.currency),
            " · ".join(paid.get(h.id, [])), states[h.id],
            Money.from_minor(-int(refunded.get(h.id) or 0), h.currency),
        )
        for h in heads
    )  # fmt: skip


def sync_states(uow: UnitOfWork, heads: Iterable[Any]) -> dict[uuid.UUID, str]:
    """Where each ticket's outbox record stands: sent and confirmed, still waiting, or what the
    server said about it; a ticket another till sold has no record here."""
    heads = list(heads)
    own = [h.id for h in heads if h.shift_id != OTHER_TILLS_SHIFT]
    # entity_id is not indexed (every sale would pay for it): one scan of the outbox per page.
    seqs = dict(
        uow.conn.execute(
            select(OutboxRecord.entity_id, OutboxRecord.seq).where(
                OutboxRecord.kind.in_(_PUSHED_KINDS), OutboxRecord.entity_id.in_(own)
            )
        ).all()
    )
    issues = dict(
        uow.conn.execute(
            select(SyncIssue.seq, SyncIssue.status).where(SyncIssue.seq.in_(seqs.values()))
        ).all()
    )
    pushed = uow.conn.execute(select(SyncState.pushed_seq).where(SyncState.id == 1)).scalar()
    states: dict[uuid.UUID, str] = {}
    for h in heads:
        seq = seqs.get(h.id)
        if h.shift_id == OTHER_TILLS_SHIFT:
            states[h.id] = OTHER_TILL
        elif seq is None or pushed is None or seq > int(pushed):
            states[h.id] = WAITING
        else:
            states[h.id] = _ISSUE_WORDS.get(issues.get(seq, ""), SYNCED)
    return states


def detail(uow: UnitOfWork, ticket_id: uuid.UUID) -> TicketDetail:
    """One ticket in full.

    Raises:
        NotFound: no finished ticket has this id.
    """
    head = uow.conn.execute(
        select(Ticket.__table__).where(Ticket.id == ticket_id, Ticket.status == "paid")
    ).first()
    if head is None:
        raise NotFound("that ticket is not in the journal", details={"ticket_id": str(ticket_id)})
    zone = zone_of(uow)
    (row,) = _rows(uow, [head], zone)
    currency = head.currency
    tenders = tuple(
        TenderDetail(
            t.kind,
            Money.from_minor(abs(int(t.amount_minor)), currency),
            " ".join(p for p in (t.card_scheme, f"••{t.card_last4}" if t.card_last4 else "") if p),
            t.reference or t.approval_code or "",
        )
        for t in uow.conn.execute(
            select(Tender.__table__)
            .where(Tender.ticket_id == ticket_id)
            .order_by(Tender.created_at)
        )
    )
    refunds = tuple(
        RefundMade(str(r.receipt_no), _local(r.closed_at, zone),
                   Money.from_minor(-int(r.gross_minor or 0), currency))
        for r in uow.conn.execute(
            select(Ticket.receipt_no, Ticket.closed_at, Ticket.gross_minor)
            .where(Ticket.refund_of == ticket_id, Ticket.kind == "refund",
                   Ticket.status == "paid")
            .order_by(Ticket.closed_at)
        )
    )  # fmt: skip
    refund_of = None
    if head.refund_of is not None:
        refund_of = uow.conn.execute(
            select(Ticket.receipt_no).where(Ticket.id == head.refund_of)
        ).scalar()
    customer = None
    if head.customer_id is not None:
        customer = uow.conn.execute(
            select(Customer.name).where(Customer.id == head.customer_id)
        ).scalar()
    doc = receipt_for(uow, ticket_id, row.cashier)
    return TicketDetail(row, doc, tenders, refunds, refund_of, customer)
