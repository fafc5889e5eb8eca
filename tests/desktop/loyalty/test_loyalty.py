"""Customers and the points ledger: accrual, redemption with the offline guard, refund
reversals, expiry with an injected clock, adjustments, and bad input that writes nothing."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from desktop.loyalty.customers import create_customer, find_customers
from desktop.loyalty.ledger import (
    adjust_points,
    apply_server_balance,
    balance,
    entries,
    expire_points,
    redeemable,
)
from desktop.loyalty.program import Program, configure_program
from desktop.modules import set_module
from desktop.sales.checkout import FinalizedSale, TenderRequest, finalize
from desktop.sales.refunds import RefundLine, refund
from desktop.sales.tickets import add_line, attach_customer, live_lines, open_ticket
from shared.clock import FakeClock
from shared.errors import AuthzError, Conflict, ValidationFailed
from shared.money import Money
from tests.desktop.conftest import Till
from tests.desktop.inventory.test_ledger import item


def eur(text: str) -> Money:
    return Money(text, "EUR")


@pytest.fixture
def ana(till: Till) -> uuid.UUID:
    return create_customer(
        till.uow, till.cashier, name="Ana Costa", phone="+49 151 234-567", email="Ana@Example.org"
    )


def sale(
    till: Till,
    customer: uuid.UUID | None,
    lines: list[tuple[str, str]],
    tenders: list[TenderRequest],
    *,
    by: str = "manager",
) -> FinalizedSale:
    actor = till.manager if by == "manager" else till.cashier
    ticket = open_ticket(till.uow, actor)
    for sku, qty in lines:
        add_line(till.uow, actor, ticket_id=ticket, item_id=item(till, sku), quantity=qty)
    if customer:
        attach_customer(till.uow, actor, ticket_id=ticket, customer_id=customer)
    done = finalize(till.uow, actor, ticket_id=ticket, tenders=tenders, payment_terminal=till.card)
    till.uow.commit()
    return done


def confirm_all(till: Till, customer: uuid.UUID) -> None:
    """What sync does once the server has every entry: confirm them and send the balance."""
    ids = [e.id for e in entries(till.uow, customer)]
    apply_server_balance(
        till.uow,
        customer_id=customer,
        points=balance(till.uow, customer),
        as_of=till.uow.clock.now(),
        confirmed=ids,
    )


class TestCustomers:
    def test_dedup_on_normalised_phone_email_and_card(self, till: Till, ana: uuid.UUID) -> None:
        for kwargs, field in (
            ({"phone": "+49151234567"}, "phone"),
            ({"email": " ana@EXAMPLE.org "}, "email"),
        ):
            with pytest.raises(Conflict) as caught:
                create_customer(till.uow, till.cashier, name="Twin", **kwargs)
            assert caught.value.details == {"field": field, "customer_id": str(ana)}
        create_customer(till.uow, till.cashier, name="Bo", card_number="C-1")
        with pytest.raises(Conflict, match="card number"):
            create_customer(till.uow, till.cashier, name="Cy", card_number="C-1")

    def test_found_by_phone_email_card_or_name(self, till: Till, ana: uuid.UUID) -> None:
        for query in ("0049? no", "+49 (151) 234 567", "ana@example.org", "costa"):
            found = [c.id for c in find_customers(till.uow, query)]
            assert found == ([] if "?" in query else [ana]), query

    @pytest.mark.parametrize(
        ("kwargs", "text"),
        [
            ({"name": "X"}, "find the customer again"),
            ({"name": "", "phone": "+49151234567"}, "needs a name"),
            ({"name": "X", "email": "not-an-email"}, "not an e-mail"),
            ({"name": "X", "phone": "12"}, "6 to 15 digits"),
        ],
    )
    def test_bad_customers(self, till: Till, kwargs: dict[str, str], text: str) -> None:
        with pytest.raises(ValidationFailed, match=text):
            create_customer(till.uow, till.cashier, **kwargs)  # type: ignore[arg-type]


class TestAccrual:
    def test_points_for_money_paid_in_the_sales_transaction(
        self, till: Till, ana: uuid.UUID
    ) -> None:
        sale(till, ana, [("LATTE", "3")], [TenderRequest("cash", eur("20.00"))])  # 10.20
        assert balance(till.uow, ana) == 10
        (earn,) = entries(till.uow, ana)
        assert earn.kind == "earn"
        assert earn.expires_at == earn.at + timedelta(days=365)
        sale(till, None, [("LATTE", "1")], [TenderRequest("cash", eur("5.00"))])
        assert balance(till.uow, ana) == 10

    def test_program_rounding(self, till: Till, ana: uuid.UUID) -> None:
        configure_program(till.uow, Program(points_per_unit=Decimal(2), rounding="half_up"))
        sale(till, ana, [("BAGEL", "1")], [TenderRequest("cash", eur("2.10"))])  # 4.2 -> 4
        sale(till, ana, [("LATTE", "1")], [TenderRequest("cash", eur("3.40"))])  # 6.8 -> 7
        assert balance(till.uow, ana) == 11

    def test_no_points_with_the_module_off(self, till: Till, ana: uuid.UUID) -> None:
        set_module(till.uow, "loyalty", enabled=False)
        sale(till, ana, [("LATTE", "3")], [TenderRequest("cash", eur("20.00"))])
        assert balance(till.uow, ana) == 0
        with pytest.raises(AuthzError, match="loyalty module"):
            create_customer(till.uow, till.cashier, name="New", phone="+4915100000")


class TestRedemption:
    def test_pay_with_points_against_the_confirmed_balance(
        self, till: Till, ana: uuid.UUID
    ) -> None:
        adjust_points(till.uow, till.manager, customer_id=ana, points=500, reason="welcome")
        assert redeemable(till.uow, ana) == 0  # nothing confirmed by the server yet
        confirm_all(till, ana)
        assert redeemable(till.uow, ana) == 500
        done = sale(
            till,
            ana,
            [("LATTE", "1")],
            [TenderRequest("points", eur("3.00")), TenderRequest("cash", eur("0.40"))],
        )
        assert done.change == eur("0.00")
        assert balance(till.uow, ana) == 500 - 300 + 0  # 0.40 paid in money earns 0 points
        assert redeemable(till.uow, ana) == 200  # the unconfirmed redemption counts against it

    def test_offline_terminal_cannot_spend_what_it_does_not_know(
        self, till: Till, ana: uuid.UUID
    ) -> None:
        apply_server_balance(
            till.uow, customer_id=ana, points=250, as_of=till.uow.clock.now(), confirmed=[]
        )
        sale(till, ana, [("LATTE", "3")], [TenderRequest("cash", eur("20.00"))])  # earns 10
        assert balance(till.uow, ana) == 10  # local view: only local entries
        assert redeemable(till.uow, ana) == 250  # the local earn waits for confirmation
        before = len(entries(till.uow, ana))
        with pytest.raises(ValidationFailed, match="only 250 points"):
            sale(
                till,
                ana,
                [("LATTE", "1")],
                [TenderRequest("points", eur("3.00")), TenderRequest("card", eur("0.40"))],
            )
        till.uow.rollback()
        assert till.card.charges == []  # refused before any card was charged
        assert len(entries(till.uow, ana)) == before

    @pytest.mark.parametrize(
        ("amount", "text"),
        [("0.50", "at least 100 points"), ("1.005", "whole cents")],
    )
    def test_bad_redemptions_write_nothing(
        self, till: Till, ana: uuid.UUID, amount: str, text: str
    ) -> None:
        adjust_points(till.uow, till.manager, customer_id=ana, points=500, reason="welcome")
        confirm_all(till, ana)
        with pytest.raises(ValidationFailed, match=text):
            sale(
                till,
                ana,
                [("LATTE", "1")],
                [TenderRequest("points", Money(amount, "EUR")), TenderRequest("cash", eur("5"))],
            )

    def test_points_need_a_customer_and_the_permission(self, till: Till, ana: uuid.UUID) -> None:
        with pytest.raises(ValidationFailed, match="attach the customer"):
            sale(
                till,
                None,
                [("LATTE", "1")],
                [TenderRequest("points", eur("1.00")), TenderRequest("cash", eur("2.40"))],
            )
        till.uow.rollback()
        with pytest.raises(AuthzError, match=r"loyalty\.redeem"):
            sale(
                till,
                ana,
                [("LATTE", "1")],
                [TenderRequest("points", eur("1.00")), TenderRequest("cash", eur("2.40"))],
                by="cashier",
            )


class TestRefundsAndExpiry:
    def test_refunds_take_back_earned_points_in_proportion_summing_exactly(
        self, till: Till, ana: uuid.UUID
    ) -> None:
        done = sale(till, ana, [("LATTE", "3")], [TenderRequest("cash", eur("20.00"))])
        (line,) = live_lines(till.uow, done.ticket_id)
        taken = []
        for _ in range(3):
            before = balance(till.uow, ana)
            refund(
                till.uow,
                till.manager,
                original_id=done.ticket_id,
                lines=[RefundLine(line.id, 1)],
                tender="cash",
                reason="r",
                payment_terminal=till.card,
            )
            taken.append(before - balance(till.uow, ana))
        assert taken == [3, 3, 4]
        assert balance(till.uow, ana) == 0

    def test_a_points_refund_gives_the_points_back(self, till: Till, ana: uuid.UUID) -> None:
        adjust_points(till.uow, till.manager, customer_id=ana, points=500, reason="welcome")
        confirm_all(till, ana)
        done = sale(till, ana, [("LATTE", "1")], [TenderRequest("points", eur("3.40"))])
        assert balance(till.uow, ana) == 160
        (line,) = live_lines(till.uow, done.ticket_id)
        refund(
            till.uow,
            till.manager,
            original_id=done.ticket_id,
            lines=[RefundLine(line.id, 1)],
            tender="points",
            reason="r",
            payment_terminal=till.card,
        )
        assert balance(till.uow, ana) == 500

    def test_expiry_lapses_what_is_left_of_old_lots_once(
        self, till: Till, ana: uuid.UUID, clock: FakeClock
    ) -> None:
        configure_program(till.uow, Program(expiry_days=30, min_redeem=10))
        adjust_points(till.uow, till.manager, customer_id=ana, points=5, reason="no expiry")
        sale(till, ana, [("LATTE", "30")], [TenderRequest("cash", eur("102.00"))])  # earns 102
        confirm_all(till, ana)
        sale(
            till,
            ana,
            [("BAGEL", "1")],
            [TenderRequest("points", eur("0.50")), TenderRequest("cash", eur("1.60"))],
        )  # -50, +1
        clock.advance(timedelta(days=20))
        sale(till, ana, [("LATTE", "1")], [TenderRequest("cash", eur("3.40"))])  # +3, newer lot
        clock.advance(timedelta(days=11))
        # FIFO: the 50 redeemed used up the 5 without expiry and 45 of the 102, so 57 of it
        # lapse, with the 1 point earned on the bagel (same day): 58.
        assert expire_points(till.uow) == 58
        assert expire_points(till.uow) == 0
        assert balance(till.uow, ana) == 5 + 102 - 50 + 1 + 3 - 58
        clock.advance(timedelta(days=30))
        assert expire_points(till.uow) == 3  # the later lot, in its turn


class TestAdjustments:
    def test_reason_permission_and_never_below_zero(self, till: Till, ana: uuid.UUID) -> None:
        with pytest.raises(ValidationFailed, match="reason"):
            adjust_points(till.uow, till.manager, customer_id=ana, points=5, reason=" ")
        with pytest.raises(AuthzError, match=r"loyalty\.adjust"):
            adjust_points(till.uow, till.cashier, customer_id=ana, points=5, reason="x")
        adjust_points(till.uow, till.manager, customer_id=ana, points=5, reason="goodwill")
        with pytest.raises(ValidationFailed, match="cannot go below zero"):
            adjust_points(till.uow, till.manager, customer_id=ana, points=-6, reason="x")
        assert balance(till.uow, ana) == 5

    def test_entries_are_immutable(self, till: Till, ana: uuid.UUID) -> None:
        adjust_points(till.uow, till.manager, customer_id=ana, points=5, reason="goodwill")
        with pytest.raises(sqlite3.DatabaseError, match="immutable"):
            till.uow.sql.execute("UPDATE loyalty_entries SET points = 500")
        with pytest.raises(sqlite3.DatabaseError, match="immutable"):
            till.uow.sql.execute("DELETE FROM loyalty_entries")
