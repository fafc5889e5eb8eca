"""Modifiers, notes, 86, location prices, price changes, categories, vouchers, cash rounding."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from desktop.catalog.modifiers import attach_modifier_group, create_modifier_group
from desktop.catalog.service import (
    change_price,
    create_category,
    set_available,
    set_category,
    set_location_override,
)
from desktop.db.models import AuditEntry, Tender, Ticket, TicketLine, TicketLineModifier
from desktop.sales.checkout import TenderRequest, cash_due, finalize
from desktop.sales.config import load
from desktop.sales.pricing import ticket_totals
from desktop.sales.shifts import x_report
from desktop.sales.tickets import add_line, attach_customer, open_ticket
from shared.errors import AuthzError, ValidationFailed
from shared.money import Money
from tests.desktop.conftest import Till


def eur(text: str) -> Money:
    return Money(text, "EUR")


def iid(till: Till, sku: str) -> uuid.UUID:
    value = till.item(sku)
    assert isinstance(value, uuid.UUID)
    return value


@pytest.fixture
def milk(till: Till) -> dict[str, uuid.UUID]:
    group = create_modifier_group(
        till.uow,
        till.manager,
        name="Milk",
        min_choices=1,
        max_choices=1,
        modifiers=[("Whole", eur("0")), ("Oat", eur("0.40"))],
    )
    extras = create_modifier_group(
        till.uow,
        till.manager,
        name="Extras",
        min_choices=0,
        max_choices=2,
        modifiers=[("Shot", eur("0.60")), ("Syrup", eur("0.30")), ("Cream", eur("0.50"))],
    )
    for g in (group, extras):
        attach_modifier_group(till.uow, till.manager, item_id=iid(till, "LATTE"), group_id=g)
    from desktop.db.models import Modifier

    rows = till.uow.conn.execute(select(Modifier.name, Modifier.id)).all()
    return {str(name): mid for name, mid in rows}


class TestModifiers:
    def test_choices_add_their_price_and_are_kept_on_the_line(
        self, till: Till, milk: dict[str, uuid.UUID]
    ) -> None:
        ticket = open_ticket(till.uow, till.cashier)
        line = add_line(
            till.uow,
            till.cashier,
            ticket_id=ticket,
            item_id=iid(till, "LATTE"),
            modifiers=[milk["Oat"], milk["Shot"]],
            note="extra hot",
        )
        assert ticket_totals(till.uow, ticket).gross == eur("4.40")
        row = till.uow.conn.execute(select(TicketLine.__table__).where(TicketLine.id == line)).one()
        assert (row.unit_price_minor, row.note) == (440, "extra hot")
        names = (
            till.uow.conn.execute(
                select(TicketLineModifier.name).where(TicketLineModifier.line_id == line)
            )
            .scalars()
            .all()
        )
        assert sorted(names) == ["Oat", "Shot"]

    @pytest.mark.parametrize(
        ("choice", "message"),
        [
            ([], "Milk: choose 1"),
            (["Whole", "Oat"], "Milk: choose 1"),
            (["Whole", "Shot", "Syrup", "Cream"], "Extras: choose 0 to 2"),
        ],
    )
    def test_min_and_max_are_enforced(
        self, till: Till, milk: dict[str, uuid.UUID], choice: list[str], message: str
    ) -> None:
        ticket = open_ticket(till.uow, till.cashier)
        with pytest.raises(ValidationFailed, match=message):
            add_line(
                till.uow,
                till.cashier,
                ticket_id=ticket,
                item_id=iid(till, "LATTE"),
                modifiers=[milk[c] for c in choice],
            )

    def test_modifier_of_another_item_is_refused(
        self, till: Till, milk: dict[str, uuid.UUID]
    ) -> None:
        ticket = open_ticket(till.uow, till.cashier)
        with pytest.raises(ValidationFailed, match="not offered with Bagel"):
            add_line(
                till.uow,
                till.cashier,
                ticket_id=ticket,
                item_id=iid(till, "BAGEL"),
                modifiers=[milk["Oat"]],
            )

    def test_bad_group_bounds(self, till: Till) -> None:
        with pytest.raises(ValidationFailed, match="min <= max"):
            create_modifier_group(
                till.uow,
                till.manager,
                name="x",
                min_choices=2,
                max_choices=1,
                modifiers=[("a", eur("0"))],
            )


class TestAvailabilityAndPrices:
    def test_86_blocks_new_lines_until_back(self, till: Till) -> None:
        set_available(till.uow, till.manager, item_id=iid(till, "BAGEL"), available=False)
        ticket = open_ticket(till.uow, till.cashier)
        with pytest.raises(ValidationFailed, match=r"unavailable today \(86\)"):
            add_line(till.uow, till.cashier, ticket_id=ticket, item_id=iid(till, "BAGEL"))
        set_available(till.uow, till.manager, item_id=iid(till, "BAGEL"), available=True)
        add_line(till.uow, till.cashier, ticket_id=ticket, item_id=iid(till, "BAGEL"))
        with pytest.raises(AuthzError):
            set_available(till.uow, till.cashier, item_id=iid(till, "BAGEL"), available=False)

    def test_location_override_price_and_availability(self, till: Till) -> None:
        assert load(till.uow).location_code == "MAIN"
        set_location_override(
            till.uow,
            till.manager,
            item_id=iid(till, "LATTE"),
            location_code="MAIN",
            price=eur("3.90"),
        )
        set_location_override(
            till.uow,
            till.manager,
            item_id=iid(till, "BAGEL"),
            location_code="AIRPORT",
            available=False,
        )
        ticket = open_ticket(till.uow, till.cashier)
        add_line(till.uow, till.cashier, ticket_id=ticket, item_id=iid(till, "LATTE"))
        add_line(till.uow, till.cashier, ticket_id=ticket, item_id=iid(till, "BAGEL"))  # not here
        assert ticket_totals(till.uow, ticket).gross == eur("6.00")

    def test_price_change_is_audited_and_open_lines_keep_their_price(self, till: Till) -> None:
        ticket = open_ticket(till.uow, till.cashier)
        add_line(till.uow, till.cashier, ticket_id=ticket, item_id=iid(till, "BAGEL"))
        change_price(till.uow, till.manager, item_id=iid(till, "BAGEL"), price=eur("2.50"))
        add_line(till.uow, till.cashier, ticket_id=ticket, item_id=iid(till, "BAGEL"))
        assert ticket_totals(till.uow, ticket).gross == eur("4.60")
        entry = till.uow.conn.execute(
            select(AuditEntry.details).where(AuditEntry.action == "catalog.price_changed")
        ).scalar_one()
        assert '"from_minor": 210' in entry
        assert '"to_minor": 250' in entry


class TestTicketExtras:
    def test_categories_reach_the_report(self, till: Till) -> None:
        drinks = create_category(till.uow, till.manager, name="Drinks")
        set_category(till.uow, till.manager, item_id=iid(till, "LATTE"), category_id=drinks)
        ticket = open_ticket(till.uow, till.cashier)
        add_line(till.uow, till.cashier, ticket_id=ticket, item_id=iid(till, "LATTE"))
        add_line(till.uow, till.cashier, ticket_id=ticket, item_id=iid(till, "BAGEL"))
        finalize(
            till.uow,
            till.cashier,
            ticket_id=ticket,
            tenders=[TenderRequest("cash", eur("10"))],
            payment_terminal=till.card,
        )
        assert x_report(till.uow, till.manager)["by_category"] == {
            "Drinks": 340,
            "Uncategorized": 210,
        }

    def test_attach_customer(self, till: Till) -> None:
        ticket = open_ticket(till.uow, till.cashier)
        customer = uuid.uuid4()
        attach_customer(till.uow, till.cashier, ticket_id=ticket, customer_id=customer)
        stored = till.uow.conn.execute(select(Ticket.customer_id).where(Ticket.id == ticket))
        assert stored.scalar() == customer

    def test_voucher_needs_a_code_and_is_recorded(self, till: Till) -> None:
        ticket = open_ticket(till.uow, till.cashier)
        add_line(till.uow, till.cashier, ticket_id=ticket, item_id=iid(till, "LATTE"))
        with pytest.raises(ValidationFailed, match="voucher code"):
            finalize(
                till.uow,
                till.cashier,
                ticket_id=ticket,
                tenders=[TenderRequest("voucher", eur("3.40"))],
                payment_terminal=till.card,
            )
        finalize(
            till.uow,
            till.cashier,
            ticket_id=ticket,
            tenders=[TenderRequest("voucher", eur("3.40"), voucher_code="GIFT-77")],
            payment_terminal=till.card,
        )
        assert till.uow.conn.execute(select(Tender.reference)).scalar() == "GIFT-77"


class TestCashRounding:
    @pytest.mark.parametrize(
        ("due", "step", "expected"),
        [
            ("3.42", 5, "3.40"),
            ("3.43", 5, "3.45"),
            ("3.47", 5, "3.45"),
            ("3.48", 10, "3.50"),
            ("3.42", 1, "3.42"),
        ],
    )
    def test_cash_due_rounds_to_the_smallest_coin(self, due: str, step: int, expected: str) -> None:
        assert cash_due(eur(due), step) == eur(expected)

    def test_rounding_is_recorded_on_the_ticket(self, till: Till) -> None:
        from desktop.sales.config import SellingConfig, configure

        configure(
            till.uow, SellingConfig(terminal_code="T01", currency="EUR", cash_rounding_minor=5)
        )
        ticket = open_ticket(till.uow, till.cashier)
        add_line(
            till.uow,
            till.cashier,
            ticket_id=ticket,
            item_id=iid(till, "CHEESE"),
            quantity=Decimal("0.1"),
        )  # 2.49
        done = finalize(
            till.uow,
            till.cashier,
            ticket_id=ticket,
            tenders=[TenderRequest("cash", eur("5.00"))],
            payment_terminal=till.card,
        )
        assert done.totals.gross == eur("2.49")
        assert done.change == eur("2.50")
        row = till.uow.conn.execute(select(Ticket.rounding_minor).where(Ticket.id == ticket))
        assert row.scalar() == 1
