"""The sell screen's helpers: modifiers (min/max honoured), customers with their points,
discounts — each checked in the engine afterwards."""

from __future__ import annotations

import uuid

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.catalog.modifiers import attach_modifier_group, create_modifier_group
from desktop.db.models import Tender, Ticket, TicketLineModifier
from desktop.db.uow import UnitOfWork
from desktop.loyalty.customers import create_customer, find_customers
from desktop.loyalty.ledger import adjust_points
from desktop.staff.service import sign_in
from desktop.till.extras import Extras
from desktop.ui.components.primitives import ToastKind
from desktop.ui.sell.modifier_dialog import ModifierDialog
from desktop.ui.sell.sell_screen import SellScreen
from shared.money import Money
from tests.desktop.conftest import Shop
from tests.desktop.ui.test_sell_screen import scan, settle


def eur(text: str) -> Money:
    return Money(text, "EUR")


@pytest.fixture
def screen(qtbot: QtBot, shop: Shop) -> SellScreen:
    widget = SellScreen(shop.counter, shop.card)
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def milk(shop: Shop) -> uuid.UUID:
    """Latte comes with a milk choice: exactly one of whole (free) or oat (+0.40)."""

    def op(uow: UnitOfWork) -> uuid.UUID:
        manager = sign_in(uow, code="1", pin="1111")
        group = create_modifier_group(
            uow,
            manager,
            name="Milk",
            min_choices=1,
            max_choices=1,
            modifiers=[("Whole", eur("0")), ("Oat", eur("0.40"))],
        )
        attach_modifier_group(uow, manager, item_id=shop.items["LATTE"], group_id=group)
        return group

    return shop.runner.run(op)


def test_a_full_sale_with_modifiers_and_split_tender(
    qtbot: QtBot, screen: SellScreen, shop: Shop, milk: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert milk
    groups = Extras(shop.counter).choices(shop.items["LATTE"])
    dialog = ModifierDialog("Café Latte", groups)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()  # choose 1: nothing chosen yet
    by_name = {c.name: c.id for c in groups[0].choices}
    whole, oat = by_name["Whole"], by_name["Oat"]
    dialog.buttons[whole].click()
    dialog.buttons[oat].click()  # one only: oat replaces whole
    assert dialog.selected() == [oat]
    assert dialog.ok_button.isEnabled()

    monkeypatch.setattr(SellScreen, "pick_modifiers", staticmethod(lambda *_: [oat]))
    scan(qtbot, screen, "4006381333931")
    assert screen.cart.view is not None
    (line,) = screen.cart.view.lines
    assert (line.modifiers, line.total) == (("Oat",), eur("3.80"))

    tender = screen.tender_dialog(screen.cart.view)
    qtbot.addWidget(tender)
    for key in "2.00":
        tender.keypad.press(key)
    tender.card_button.click()
    tender.quick_buttons[0].click()  # exact cash for the 1.80 left
    settle(qtbot, tender)
    assert tender.sale is not None
    receipt = tender.sale.receipt_no

    def stored(uow: UnitOfWork) -> tuple[list[str], list[tuple[str, int]]]:
        conn = uow.conn
        names = list(conn.execute(select(TicketLineModifier.name)).scalars())
        tenders = conn.execute(
            select(Tender.kind, Tender.amount_minor)
            .join(Ticket, Ticket.id == Tender.ticket_id)
            .where(Ticket.receipt_no == receipt)
            .order_by(Tender.kind)
        ).all()
        return names, [tuple(t) for t in tenders]

    assert shop.runner.read(stored) == (["Oat"], [("card", 200), ("cash", 180)])


def test_cancelling_the_choice_adds_nothing(
    qtbot: QtBot, screen: SellScreen, milk: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert milk
    monkeypatch.setattr(SellScreen, "pick_modifiers", staticmethod(lambda *_: None))
    scan(qtbot, screen, "4006381333931")
    assert screen.cart.lines.count() == 0


def test_attach_a_customer_and_see_their_points(
    screen: SellScreen, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    def enrol(uow: UnitOfWork) -> uuid.UUID:
        manager = sign_in(uow, code="1", pin="1111")
        ana = create_customer(uow, manager, name="Ana Costa", phone="+49151234567")
        adjust_points(uow, manager, customer_id=ana, points=120, reason="welcome")
        return ana

    shop.runner.run(enrol)
    monkeypatch.setattr(SellScreen, "ask_text", staticmethod(lambda *_: "+49 151 234 567"))
    screen.customer_button.click()
    assert screen.last_toast == (ToastKind.SUCCESS, "Customer attached")
    assert screen.cart.customer.text() == "Ana Costa · 120 points"


def test_enrol_a_new_customer_from_the_counter(
    screen: SellScreen, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["bo@example.org", "Bo Berg"])
    monkeypatch.setattr(SellScreen, "ask_text", staticmethod(lambda *_: next(answers)))
    screen.customer_button.click()
    assert screen.cart.customer.text() == "Bo Berg · 0 points"


def test_line_and_ticket_discounts(
    qtbot: QtBot, screen: SellScreen, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan(qtbot, screen, "0001")  # 2.10
    scan(qtbot, screen, "0001")  # 4.20
    answers = iter(["10%", "loyal customer"])
    monkeypatch.setattr(SellScreen, "ask_text", staticmethod(lambda *_: next(answers)))
    monkeypatch.setattr(SellScreen, "ask_choice", staticmethod(lambda *_: 0))  # this line
    screen.discount_button.click()
    assert screen.last_toast == (ToastKind.SUCCESS, "Discount given")
    assert screen.cart.total.text() == "EUR 3.78"
    screen.cart.clear_selection()
    answers = iter(["5", "price match"])
    screen.discount_button.click()
    assert (
        screen.last_toast
        == (
            ToastKind.ERROR,
            "the discount is more than the ticket; a ticket never goes below zero",
        )
        or screen.cart.total.text() == "EUR 0.00"
    )
    answers = iter(["lots", "x"])
    screen.discount_button.click()
    assert screen.last_toast == (
        ToastKind.ERROR,
        "type a percent like 10% or an amount like 1.50",
    )
    assert shop.counter.cart().total == eur("0.00")


def test_a_swiped_loyalty_card_finds_its_customer(
    screen: SellScreen, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    def enrol(uow: UnitOfWork) -> None:
        manager = sign_in(uow, code="1", pin="1111")
        create_customer(uow, manager, name="Ana Costa", card_number="6009123456789")

    shop.runner.run(enrol)
    swipe = "%B6009123456789^COSTA/ANA^2912101?"
    monkeypatch.setattr(SellScreen, "ask_text", staticmethod(lambda *_: swipe))
    screen.customer_button.click()
    assert screen.cart.customer.text() == "Ana Costa · 0 points"


def test_an_unknown_loyalty_card_enrols_with_its_number_never_its_tracks(
    screen: SellScreen, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["%B6009000000001^NEW/CUSTOMER^2912101999?", "Nia New"])
    monkeypatch.setattr(SellScreen, "ask_text", staticmethod(lambda *_: next(answers)))
    screen.customer_button.click()
    assert screen.cart.customer.text() == "Nia New · 0 points"
    found = shop.runner.read(lambda uow: find_customers(uow, "6009000000001"))
    assert [(c.name, c.card_number, c.phone) for c in found] == [("Nia New", "6009000000001", None)]
