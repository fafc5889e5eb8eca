"""The counter facade: each action one transaction, refusals leave the ticket as it was."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from desktop.db.models import Ticket
from desktop.sales.checkout import TenderRequest
from shared.errors import AuthnError, NotFound, ValidationFailed
from shared.money import Money
from tests.desktop.conftest import Shop


def eur(text: str) -> Money:
    return Money(text, "EUR")


def status_of(shop: Shop, ticket_id: uuid.UUID) -> str:
    return str(
        shop.runner.read(
            lambda uow: uow.conn.execute(
                select(Ticket.status).where(Ticket.id == ticket_id)
            ).scalar()
        )
    )


def test_scan_bump_void_and_pay(shop: Shop) -> None:
    counter = shop.counter
    cart = counter.scan("4006381333931")
    assert [(line.name, line.quantity) for line in cart.lines] == [("Café Latte", Decimal(1))]
    assert cart.last_added == cart.lines[0].id
    cart = counter.bump(cart.lines[0].id, +2)
    assert cart.total == eur("10.20")
    cart = counter.scan("0001")  # a bagel
    cart = counter.void(cart.lines[1].id, "customer changed mind")
    assert [line.name for line in cart.lines] == ["Café Latte"]
    ticket = cart.ticket_id
    assert ticket is not None
    done = counter.pay([TenderRequest("cash", eur("20.00"))], shop.card)
    assert (done.total, done.change) == (eur("10.20"), eur("9.80"))
    assert done.receipt_no == "T01-000001"
    assert status_of(shop, ticket) == "paid"
    assert counter.cart().empty


def test_refusals_change_nothing(shop: Shop) -> None:
    counter = shop.counter
    with pytest.raises(NotFound):
        counter.scan("999")
    assert counter.ticket_id is None  # no empty ticket left behind
    cart = counter.scan("0001")
    with pytest.raises(ValidationFailed, match="void the line"):
        counter.bump(cart.lines[0].id, -1)
    with pytest.raises(ValidationFailed, match="not fully paid"):
        counter.pay([TenderRequest("cash", eur("1.00"))], shop.card)
    assert counter.cart().lines[0].quantity == Decimal(1)


def test_park_and_resume(shop: Shop) -> None:
    counter = shop.counter
    first = counter.scan("0001").ticket_id
    assert first is not None
    counter.park()
    assert counter.cart().empty
    counter.scan("4006381333931")
    with pytest.raises(ValidationFailed, match="park or finish"):
        counter.resume(first)
    counter.park()
    assert len(counter.parked()) == 2
    resumed = counter.resume(first)
    assert [line.name for line in resumed.lines] == ["Bagel"]


def test_signed_out_counter_refuses(shop: Shop) -> None:
    shop.counter.sign_out()
    with pytest.raises(AuthnError, match="sign in"):
        shop.counter.scan("0001")


def test_scanning_the_last_item_again_counts_it_up(shop: Shop) -> None:
    counter = shop.counter
    counter.scan("0001")
    cart = counter.scan("0001")
    assert [(line.name, line.quantity) for line in cart.lines] == [("Bagel", Decimal(2))]
    cart = counter.scan("4006381333931")
    cart = counter.scan("0001")  # not the last line any more: a new line
    assert [line.quantity for line in cart.lines] == [Decimal(2), Decimal(1), Decimal(1)]
