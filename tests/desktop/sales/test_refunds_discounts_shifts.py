"""Refunds, discounts, park/resume, manager override, cash movements and the Z report."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop.db.models import AuditEntry, Shift, Tender, Ticket, TicketLine
from desktop.sales.checkout import FinalizedSale, TenderRequest, finalize
from desktop.sales.discounts import discount_line, discount_ticket
from desktop.sales.pricing import ticket_totals
from desktop.sales.refunds import RefundLine, RefundResult, find_by_receipt, refund
from desktop.sales.shifts import cash_movement, close_shift, x_report
from desktop.sales.tickets import add_line, open_shift, open_ticket, park, parked_tickets, resume
from desktop.staff.service import override
from shared.errors import AuthnError, AuthzError, Conflict, ValidationFailed
from shared.money import Money
from tests.desktop.conftest import Till


def eur(text: str) -> Money:
    return Money(text, "EUR")


def sell(till: Till, lines: list[tuple[str, str]], tenders: list[TenderRequest]) -> FinalizedSale:
    ticket = open_ticket(till.uow, till.cashier)
    for sku, qty in lines:
        item = till.item(sku)
        assert isinstance(item, uuid.UUID)
        add_line(till.uow, till.cashier, ticket_id=ticket, item_id=item, quantity=qty)
    done = finalize(
        till.uow, till.cashier, ticket_id=ticket, tenders=tenders, payment_terminal=till.card
    )
    till.uow.commit()
    return done


def line_ids(till: Till, ticket_id: uuid.UUID) -> list[uuid.UUID]:
    q = select(TicketLine.id).where(TicketLine.ticket_id == ticket_id).order_by(TicketLine.position)
    return [uuid.UUID(str(x)) for x in till.uow.conn.execute(q).scalars()]


class TestRefunds:
    def test_partial_refunds_never_exceed_what_was_sold(self, till: Till) -> None:
        sale = sell(till, [("LATTE", "3")], [TenderRequest("cash", eur("20.00"))])
        (line,) = line_ids(till, sale.ticket_id)
        first = refund(
            till.uow,
            till.manager,
            original_id=sale.ticket_id,
            lines=[RefundLine(line, 1)],
            tender="cash",
            reason="cold",
            payment_terminal=till.card,
        )
        second = refund(
            till.uow,
            till.manager,
            original_id=sale.ticket_id,
            lines=[RefundLine(line, 2)],
            tender="cash",
            reason="cold",
            payment_terminal=till.card,
        )
        assert first.amount + second.amount == sale.totals.gross
        from desktop.db.models import TicketLineTax

        taxes = till.uow.conn.execute(select(TicketLineTax.tax_minor)).scalars().all()
        assert sum(taxes) == 0  # the refunds' per-rate taxes cancel the sale's exactly
        assert (first.receipt_no, second.receipt_no) == ("T01R-000001", "T01R-000002")
        with pytest.raises(ValidationFailed, match="only 0 of Café Latte"):
            refund(
                till.uow,
                till.manager,
                original_id=sale.ticket_id,
                lines=[RefundLine(line, 1)],
                tender="cash",
                reason="again",
                payment_terminal=till.card,
            )

    @settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=7))
    def test_any_split_of_refunds_sums_exactly_to_the_sale(
        self, till: Till, splits: list[int]
    ) -> None:
        sale = sell(till, [("CHEESE", "0.7")], [TenderRequest("cash", eur("20.00"))])
        (line,) = line_ids(till, sale.ticket_id)
        sold, refunded, total = Decimal("0.7"), Decimal(0), eur("0")
        for part in splits:
            qty = min(Decimal(part) / 10, sold - refunded)
            if qty <= 0:
                break
            total += refund(
                till.uow,
                till.manager,
                original_id=sale.ticket_id,
                lines=[RefundLine(line, qty)],
                tender="cash",
                reason="r",
                payment_terminal=till.card,
            ).amount
            refunded += qty
        if refunded < sold:
            total += refund(
                till.uow,
                till.manager,
                original_id=sale.ticket_id,
                lines=[RefundLine(line, sold - refunded)],
                tender="cash",
                reason="r",
                payment_terminal=till.card,
            ).amount
        assert total == sale.totals.gross

    def test_find_by_receipt_and_card_refund_limited_to_card_paid(self, till: Till) -> None:
        sale = sell(
            till,
            [("LATTE", "2")],
            [TenderRequest("card", eur("5.00")), TenderRequest("cash", eur("1.80"))],
        )
        assert find_by_receipt(till.uow, " T01-000001 ") == sale.ticket_id
        (line,) = line_ids(till, sale.ticket_id)
        with pytest.raises(ValidationFailed, match="refund the rest in cash"):
            refund(
                till.uow,
                till.manager,
                original_id=sale.ticket_id,
                lines=[RefundLine(line, 2)],
                tender="card",
                reason="r",
                payment_terminal=till.card,
            )
        done = refund(
            till.uow,
            till.manager,
            original_id=sale.ticket_id,
            lines=[RefundLine(line, 1)],
            tender="card",
            reason="r",
            payment_terminal=till.card,
        )
        assert done.amount == eur("3.40")
        assert till.card.refunds == [(done.amount, str(sale.ticket_id))]

    def test_voucher_refund_credits_the_voucher_that_paid(self, till: Till) -> None:
        sale = sell(
            till,
            [("LATTE", "2")],
            [
                TenderRequest("voucher", eur("4.00"), voucher_code="GIFT-1"),
                TenderRequest("voucher", eur("2.80"), voucher_code="GIFT-2"),
            ],
        )
        (line,) = line_ids(till, sale.ticket_id)

        def to_voucher(code: str | None) -> RefundResult:
            return refund(
                till.uow,
                till.manager,
                original_id=sale.ticket_id,
                lines=[RefundLine(line, 1)],
                tender="voucher",
                voucher_code=code,
                reason="r",
                payment_terminal=till.card,
            )

        with pytest.raises(ValidationFailed, match="several vouchers"):
            to_voucher(None)
        with pytest.raises(ValidationFailed, match="did not pay for this sale"):
            to_voucher("NOPE")
        with pytest.raises(ValidationFailed, match="more than voucher GIFT-2 paid"):
            to_voucher("GIFT-2")  # 3.40 > 2.80
        done = to_voucher("GIFT-1")
        till.uow.commit()
        assert done.amount == eur("3.40")
        assert done.tender == "voucher"
        kind, amount, reference = till.uow.conn.execute(
            select(Tender.kind, Tender.amount_minor, Tender.reference).where(
                Tender.ticket_id == done.ticket_id
            )
        ).one()
        assert (kind, amount, reference) == ("voucher", -340, "GIFT-1")
        with pytest.raises(ValidationFailed, match="more than voucher GIFT-1 paid"):
            to_voucher("GIFT-1")  # only 0.60 left on it
        assert till.card.refunds == []

    def test_voucher_refund_of_a_sale_paid_otherwise_is_refused(self, till: Till) -> None:
        sale = sell(till, [("LATTE", "1")], [TenderRequest("cash", eur("5.00"))])
        (line,) = line_ids(till, sale.ticket_id)
        with pytest.raises(ValidationFailed, match="not paid with a voucher"):
            refund(
                till.uow,
                till.manager,
                original_id=sale.ticket_id,
                lines=[RefundLine(line, 1)],
                tender="voucher",
                reason="r",
                payment_terminal=till.card,
            )

    def test_cashier_needs_a_manager_override(self, till: Till) -> None:
        sale = sell(till, [("BAGEL", "1")], [TenderRequest("cash", eur("2.10"))])
        (line,) = line_ids(till, sale.ticket_id)
        with pytest.raises(AuthzError, match=r"pos\.refund"):
            refund(
                till.uow,
                till.cashier,
                original_id=sale.ticket_id,
                lines=[RefundLine(line, 1)],
                tender="cash",
                reason="r",
                payment_terminal=till.card,
            )
        with pytest.raises(AuthnError):
            override(till.uow, code="1", pin="9999", permission="pos.refund")
        with pytest.raises(AuthzError):  # a cashier cannot approve for another cashier
            override(till.uow, code="2", pin="2222", permission="pos.refund")
        manager = override(till.uow, code="1", pin="1111", permission="pos.refund")
        refund(
            till.uow,
            till.cashier,
            original_id=sale.ticket_id,
            lines=[RefundLine(line, 1)],
            tender="cash",
            reason="stale",
            payment_terminal=till.card,
            approver=manager,
        )
        entry = till.uow.conn.execute(
            select(AuditEntry.__table__).where(AuditEntry.action == "ticket.refunded")
        ).one()
        assert (entry.actor_id, entry.authorized_by) == (till.cashier.id, till.manager.id)

    def test_refund_of_a_refund_or_open_ticket_is_refused(self, till: Till) -> None:
        ticket = open_ticket(till.uow, till.cashier)
        with pytest.raises(Conflict, match="only completed sales"):
            refund(
                till.uow,
                till.manager,
                original_id=ticket,
                lines=[RefundLine(ticket, 1)],
                tender="cash",
                reason="r",
                payment_terminal=till.card,
            )


class TestDiscounts:
    def test_line_percent_and_ticket_amount(self, till: Till) -> None:
        ticket = open_ticket(till.uow, till.cashier)
        latte, bagel = till.item("LATTE"), till.item("BAGEL")
        assert isinstance(latte, uuid.UUID)
        assert isinstance(bagel, uuid.UUID)
        first = add_line(till.uow, till.cashier, ticket_id=ticket, item_id=latte, quantity=2)
        add_line(till.uow, till.cashier, ticket_id=ticket, item_id=bagel)
        discount_line(till.uow, till.manager, line_id=first, percent=Decimal(10), reason="staff")
        assert ticket_totals(till.uow, ticket).gross == eur("8.22")  # 6.80 - 0.68 + 2.10
        discount_ticket(till.uow, till.manager, ticket_id=ticket, amount=eur("1.00"), reason="vip")
        totals = ticket_totals(till.uow, ticket)
        assert totals.gross == eur("7.22")
        assert sum(lt.gross.minor_units for lt in totals.lines) == 722

    def test_never_below_zero_and_needs_permission(self, till: Till) -> None:
        ticket = open_ticket(till.uow, till.cashier)
        bagel = till.item("BAGEL")
        assert isinstance(bagel, uuid.UUID)
        line = add_line(till.uow, till.cashier, ticket_id=ticket, item_id=bagel)
        with pytest.raises(AuthzError, match=r"pos\.discount"):
            discount_line(till.uow, till.cashier, line_id=line, percent=Decimal(5), reason="x")
        with pytest.raises(ValidationFailed, match="below zero"):
            discount_line(till.uow, till.manager, line_id=line, amount=eur("2.20"), reason="x")
        with pytest.raises(ValidationFailed, match="at most 100"):
            discount_line(till.uow, till.manager, line_id=line, percent=Decimal(101), reason="x")
        discount_ticket(till.uow, till.manager, ticket_id=ticket, amount=eur("50.00"), reason="x")
        assert ticket_totals(till.uow, ticket).gross == eur("0.00")


class TestParkAndShift:
    def test_park_resume_and_carry_over_to_the_next_shift(self, till: Till) -> None:
        parked = open_ticket(till.uow, till.cashier)
        park(till.uow, till.cashier, ticket_id=parked)
        left_open = open_ticket(till.uow, till.cashier)
        sell(till, [("BAGEL", "2")], [TenderRequest("cash", eur("5.00"))])
        close_shift(till.uow, till.manager, counted={eur("5.00"): 30, eur("0.10"): 9})
        assert set(parked_tickets(till.uow)) == {parked, left_open}
        with pytest.raises(Conflict, match="no shift is open"):
            open_ticket(till.uow, till.cashier)
        new_shift = open_shift(till.uow, till.manager, float_amount=eur("100"))
        resume(till.uow, till.cashier, ticket_id=parked)
        row = till.uow.conn.execute(select(Ticket.__table__).where(Ticket.id == parked)).one()
        assert (row.status, row.shift_id) == ("open", new_shift)
        with pytest.raises(Conflict, match="not parked"):
            resume(till.uow, till.cashier, ticket_id=parked)

    def test_z_report_totals_and_over_short(self, till: Till) -> None:
        sell(till, [("LATTE", "2")], [TenderRequest("cash", eur("10.00"))])  # 6.80 cash
        sell(till, [("BAGEL", "1")], [TenderRequest("card", eur("2.10"))])
        cash_movement(till.uow, till.manager, kind="paid_in", amount=eur("20.00"), reason="change")
        cash_movement(till.uow, till.manager, kind="paid_out", amount=eur("5.50"), reason="milk")
        cash_movement(till.uow, till.manager, kind="no_sale", reason="customer change")
        x = x_report(till.uow, till.manager)
        assert x["expected_cash_minor"] == 15000 + 680 + 2000 - 550
        z = close_shift(till.uow, till.manager, counted={eur("50.00"): 3, eur("1.00"): 21})
        assert z["gross_minor"] == 890
        assert z["by_tender"] == {"cash": 680, "card": 210}
        assert z["tax_minor"] == sum(v["tax_minor"] for v in z["by_tax_class"].values())
        assert z["tax_minor"] == sum(v["tax_minor"] for v in z["by_tax_rate"].values())
        assert set(z["by_tax_rate"]) == {"VAT19", "VAT7"}
        assert z["by_tax_rate"]["VAT19"]["percent"] == "19"
        assert z["by_cashier"] == {"Carl Cashier": 890}
        assert z["no_sales"] == 1
        assert z["counted_cash_minor"] == 17100
        assert z["over_short_minor"] == 17100 - 17130
        assert z["provisional_tickets"] == 2
        stored = till.uow.conn.execute(select(Shift.z_report)).scalar_one()
        assert json.loads(stored) == z

    def test_bad_counts_are_refused(self, till: Till) -> None:
        with pytest.raises(ValidationFailed, match="whole number"):
            close_shift(till.uow, till.manager, counted={eur("1.00"): -1})
        with pytest.raises(ValidationFailed, match="denominations"):
            close_shift(till.uow, till.manager, counted={Money("1", "USD"): 1})
        with pytest.raises(AuthzError):
            close_shift(till.uow, till.cashier, counted={})
