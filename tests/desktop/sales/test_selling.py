"""Selling on the terminal: tickets, tenders, receipt numbers, outbox; refusals write nothing."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from desktop.catalog.service import lookup_barcode, search
from desktop.db.models import AuditEntry, OutboxRecord, Tender, Ticket, TicketLine
from desktop.db.uow import UnitOfWork
from desktop.sales.checkout import FinalizedSale, TenderRequest, finalize
from desktop.sales.pricing import ticket_totals
from desktop.sales.tickets import add_line, change_quantity, open_ticket, void_line
from shared.errors import AuthzError, Conflict, NotFound, ValidationFailed
from shared.money import Money
from shared.permissions import Permission
from tests.desktop.conftest import Till


def eur(text: str) -> Money:
    return Money(text, "EUR")


def item_id(till: Till, sku: str) -> uuid.UUID:
    value = till.item(sku)
    assert isinstance(value, uuid.UUID)
    return value


def count(uow: UnitOfWork, column: object) -> int:
    return int(uow.conn.execute(select(func.count(column))).scalar_one())  # type: ignore[arg-type]


def snapshot(uow: UnitOfWork) -> tuple[int, ...]:
    return (
        count(uow, Ticket.id),
        count(uow, TicketLine.id),
        count(uow, Tender.id),
        count(uow, OutboxRecord.seq),
        count(uow, AuditEntry.id),
    )


def pay(till: Till, ticket: uuid.UUID, *tenders: TenderRequest) -> FinalizedSale:
    return finalize(
        till.uow, till.cashier, ticket_id=ticket, tenders=tenders, payment_terminal=till.card
    )


def sale(till: Till, *lines: tuple[str, str]) -> uuid.UUID:
    ticket = open_ticket(till.uow, till.cashier)
    for sku, qty in lines:
        add_line(till.uow, till.cashier, ticket_id=ticket, item_id=item_id(till, sku), quantity=qty)
    return ticket


class TestCatalogLookup:
    def test_barcode_lookup_is_exact(self, till: Till) -> None:
        assert lookup_barcode(till.uow, "4006381333931").sku == "LATTE"
        assert lookup_barcode(till.uow, "0001").sku == "BAGEL"
        with pytest.raises(NotFound, match="search by name"):
            lookup_barcode(till.uow, "400638133393")

    def test_search_is_case_and_accent_insensitive_prefix_first(self, till: Till) -> None:
        assert [v.sku for v in search(till.uow, "cafe")] == ["LATTE"]
        assert [v.sku for v in search(till.uow, "COMTE")] == ["CHEESE"]
        assert [v.sku for v in search(till.uow, "atte")] == ["LATTE"]  # substring
        assert search(till.uow, "   ") == []


class TestTicket:
    def test_cash_sale_with_change(self, till: Till) -> None:
        ticket = sale(till, ("LATTE", "2"), ("BAGEL", "1"))
        done = pay(till, ticket, TenderRequest("cash", eur("10.00")))
        till.uow.commit()
        assert done.totals.gross == eur("8.90")
        assert done.change == eur("1.10")
        assert done.receipt_no == "T01-000001"
        row = till.uow.conn.execute(select(Ticket.__table__).where(Ticket.id == ticket)).one()
        assert (row.status, row.gross_minor, row.receipt_no) == ("paid", 890, "T01-000001")
        tender = till.uow.conn.execute(select(Tender.__table__)).one()
        assert (tender.kind, tender.amount_minor, tender.tendered_minor, tender.change_minor) == (
            "cash",
            890,
            1000,
            110,
        )

    def test_weighed_quantity_is_priced_exactly(self, till: Till) -> None:
        ticket = sale(till, ("CHEESE", "0.385"))
        assert ticket_totals(till.uow, ticket).gross == eur("9.59")  # 24.90 x 0.385 = 9.5865

    def test_split_tender_card_then_cash(self, till: Till) -> None:
        ticket = sale(till, ("LATTE", "3"))
        done = pay(
            till, ticket, TenderRequest("card", eur("5.00")), TenderRequest("cash", eur("6.00"))
        )
        assert done.change == eur("0.80")
        assert done.card_approvals == ("A00001",)
        rows = till.uow.conn.execute(select(Tender.__table__).order_by(Tender.kind)).all()
        assert [(r.kind, r.amount_minor, r.card_last4, r.card_scheme) for r in rows] == [
            ("card", 500, "4242", "VISA"),
            ("cash", 520, None, None),
        ]

    def test_declined_card_leaves_the_ticket_open_and_reverses_earlier_cards(
        self, till: Till
    ) -> None:
        ticket = sale(till, ("LATTE", "2"))
        till.card.decline.add(eur("1.80"))
        before = snapshot(till.uow)
        with pytest.raises(Conflict, match="card declined"):
            pay(
                till, ticket, TenderRequest("card", eur("5.00")), TenderRequest("card", eur("1.80"))
            )
        assert till.card.reversals == ["A00001"]
        assert snapshot(till.uow) == before
        status = till.uow.conn.execute(select(Ticket.status).where(Ticket.id == ticket)).scalar()
        assert status == "open"
        done = pay(till, ticket, TenderRequest("cash", eur("6.80")))
        assert done.receipt_no == "T01-000001"

    def test_void_line_needs_permission_and_reason_and_is_audited(self, till: Till) -> None:
        ticket = sale(till, ("LATTE", "1"), ("BAGEL", "2"))
        line = till.uow.conn.execute(
            select(TicketLine.id).where(TicketLine.ticket_id == ticket, TicketLine.position == 2)
        ).scalar_one()
        with pytest.raises(AuthzError, match=r"pos\.void"):
            void_line(till.uow, till.cashier, line_id=line, reason="customer changed mind")
        with pytest.raises(ValidationFailed, match="why"):
            void_line(till.uow, till.manager, line_id=line, reason=" ")
        void_line(till.uow, till.manager, line_id=line, reason="customer changed mind")
        assert ticket_totals(till.uow, ticket).gross == eur("3.40")
        entry = till.uow.conn.execute(
            select(AuditEntry.__table__).where(AuditEntry.action == "ticket.line_voided")
        ).one()
        assert entry.actor_id == till.manager.id
        assert json.loads(entry.details)["reason"] == "customer changed mind"

    def test_change_quantity(self, till: Till) -> None:
        ticket = sale(till, ("BAGEL", "1"))
        line = till.uow.conn.execute(select(TicketLine.id)).scalar_one()
        change_quantity(till.uow, till.cashier, line_id=line, quantity="3")
        assert ticket_totals(till.uow, ticket).gross == eur("6.30")


class TestReceiptNumbersAndOutbox:
    def test_receipt_numbers_and_outbox_are_gap_free_across_refusals(self, till: Till) -> None:
        receipts = []
        for n in range(5):
            ticket = sale(till, ("BAGEL", "1"))
            if n == 2:  # a refused checkout in the middle consumes nothing
                with pytest.raises(ValidationFailed):
                    pay(till, ticket, TenderRequest("cash", eur("1.00")))
            done = pay(till, ticket, TenderRequest("cash", eur("2.10")))
            till.uow.commit()
            receipts.append(done.receipt_no)
        assert receipts == [f"T01-{n:06d}" for n in range(1, 6)]
        seqs = list(
            till.uow.conn.execute(select(OutboxRecord.seq).order_by(OutboxRecord.seq)).scalars()
        )
        assert seqs == list(range(1, len(seqs) + 1))
        finalized = (
            till.uow.conn.execute(
                select(OutboxRecord.payload).where(OutboxRecord.kind == "ticket.finalized")
            )
            .scalars()
            .all()
        )
        assert [json.loads(p)["receipt_no"] for p in finalized] == receipts


class TestRefusals:
    @pytest.mark.parametrize("qty", ["0", "-1", "abc", "10001", "0.0001"])
    def test_bad_quantity(self, till: Till, qty: str) -> None:
        ticket = open_ticket(till.uow, till.cashier)
        before = snapshot(till.uow)
        with pytest.raises(ValidationFailed, match=r"quantit"):
            add_line(
                till.uow,
                till.cashier,
                ticket_id=ticket,
                item_id=item_id(till, "LATTE"),
                quantity=qty,
            )
        assert snapshot(till.uow) == before

    def test_unknown_item(self, till: Till) -> None:
        ticket = open_ticket(till.uow, till.cashier)
        with pytest.raises(NotFound, match="no such item"):
            add_line(till.uow, till.cashier, ticket_id=ticket, item_id=uuid.uuid4())

    def test_not_fully_paid(self, till: Till) -> None:
        ticket = sale(till, ("LATTE", "1"))
        with pytest.raises(ValidationFailed, match="still due"):
            pay(till, ticket, TenderRequest("cash", eur("3.00")))

    def test_card_cannot_overtender(self, till: Till) -> None:
        ticket = sale(till, ("LATTE", "1"))
        with pytest.raises(ValidationFailed, match="only cash gives change"):
            pay(till, ticket, TenderRequest("card", eur("5.00")))
        assert till.card.charges == []

    def test_cash_overtender_beyond_policy(self, till: Till) -> None:
        ticket = sale(till, ("LATTE", "1"))
        with pytest.raises(AuthzError, match="more change") as refused:
            pay(till, ticket, TenderRequest("cash", eur("600.00")))
        assert refused.value.details["permission"] == Permission.POS_OVER_TENDER

    def test_a_manager_approves_change_beyond_policy(self, till: Till) -> None:
        ticket = sale(till, ("LATTE", "1"))
        cash = [TenderRequest("cash", eur("600.00"))]
        done = finalize(
            till.uow, till.cashier, ticket_id=ticket, tenders=cash, payment_terminal=till.card,
            approver=till.manager,
        )  # fmt: skip
        assert done.change == eur("596.60")
        row = till.uow.conn.execute(
            select(AuditEntry.actor_id, AuditEntry.authorized_by).where(
                AuditEntry.action == "ticket.change_over_limit"
            )
        ).one()
        assert (row.actor_id, row.authorized_by) == (till.cashier.id, till.manager.id)

    def test_wrong_currency(self, till: Till) -> None:
        ticket = sale(till, ("LATTE", "1"))
        with pytest.raises(ValidationFailed, match="in EUR"):
            pay(till, ticket, TenderRequest("cash", Money("5", "USD")))

    def test_empty_ticket(self, till: Till) -> None:
        ticket = open_ticket(till.uow, till.cashier)
        with pytest.raises(ValidationFailed, match="no items"):
            pay(till, ticket, TenderRequest("cash", eur("1")))

    def test_paid_ticket_cannot_change(self, till: Till) -> None:
        ticket = sale(till, ("BAGEL", "1"))
        pay(till, ticket, TenderRequest("cash", eur("2.10")))
        with pytest.raises(Conflict, match="is paid and"):
            add_line(till.uow, till.cashier, ticket_id=ticket, item_id=item_id(till, "BAGEL"))

    def test_selling_needs_permission(self, till: Till) -> None:
        from desktop.staff.service import Actor

        nobody = Actor(uuid.uuid4(), "Guest", frozenset())
        with pytest.raises(AuthzError, match=r"pos\.sell"):
            open_ticket(till.uow, nobody)

    def test_quantity_decimal_type_is_kept(self, till: Till) -> None:
        ticket = sale(till, ("CHEESE", "1.250"))
        qty = till.uow.conn.execute(
            select(TicketLine.quantity).where(TicketLine.ticket_id == ticket)
        ).scalar()
        assert Decimal(str(qty)) == Decimal("1.25")


class TestSearchIndex:
    def test_trigram_index_follows_renames_and_deletes(self, till: Till) -> None:
        from sqlalchemy import delete, update

        from desktop.catalog.service import search_key
        from desktop.db.models import Barcode, Item

        bagel = item_id(till, "BAGEL")
        till.uow.conn.execute(
            update(Item).where(Item.id == bagel).values(search_key=search_key("Pretzel", "BAGEL"))
        )
        assert [v.sku for v in search(till.uow, "pretz")] == ["BAGEL"]
        assert search(till.uow, "bage")[0].sku == "BAGEL"  # SKU still in the key
        assert search(till.uow, "agel") == search(till.uow, "bagel")
        till.uow.conn.execute(delete(Barcode).where(Barcode.item_id == bagel))
        till.uow.conn.execute(delete(Item).where(Item.id == bagel))
        assert search(till.uow, "pretz") == []

    def test_short_text_is_a_prefix_search(self, till: Till) -> None:
        assert [v.sku for v in search(till.uow, "ba")] == ["BAGEL"]
        assert search(till.uow, "el") == []  # substring needs 3+ characters

    def test_quotes_and_wildcards_are_literal(self, till: Till) -> None:
        assert search(till.uow, 'caf"e') == []
        assert search(till.uow, "%%%") == []
