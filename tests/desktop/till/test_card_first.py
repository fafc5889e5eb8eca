"""Cards are charged before the sale's write transaction: a slow terminal never holds the
database, and an approval the sale can no longer use is reversed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from desktop.hardware.payment_terminal import CardResult, SimulatedPaymentTerminal
from desktop.sales.checkout import TenderRequest
from desktop.sales.tickets import add_line
from shared.errors import Conflict, ValidationFailed
from shared.money import Money
from tests.desktop.conftest import Shop


def eur(text: str) -> Money:
    return Money(text, "EUR")


class MeddlingTerminal(SimulatedPaymentTerminal):
    """Runs `during` while "the customer types their PIN", then approves."""

    def __init__(self, during: Callable[[], None]) -> None:
        super().__init__()
        self.during = during

    def charge(self, amount: Money, *, reference: str) -> CardResult:
        self.during()
        return super().charge(amount, reference=reference)


def test_the_database_is_free_while_the_card_is_charged(shop: Shop) -> None:
    counter = shop.counter
    counter.scan("0001")
    wrote: list[str] = []

    def other_writer() -> None:  # e.g. the print worker marking a job printed
        shop.runner.run(lambda uow: uow.sql.execute("SELECT 1"))
        wrote.append("done")

    terminal = MeddlingTerminal(other_writer)
    done = counter.pay([TenderRequest("card", eur("2.10"))], terminal)
    assert wrote == ["done"]  # a write transaction got through during the card payment
    assert done.total == eur("2.10")
    assert terminal.reversals == []


def test_an_approval_the_sale_cannot_use_is_reversed(shop: Shop) -> None:
    counter = shop.counter
    cart = counter.scan("0001")
    ticket = cart.ticket_id
    assert ticket is not None

    def change_the_ticket() -> None:  # another line appears while the card is charged
        shop.runner.run(
            lambda uow: add_line(
                uow,
                counter.who(),
                ticket_id=ticket,
                item_id=shop.items["LATTE"],  # type: ignore[arg-type]
            )
        )

    terminal = MeddlingTerminal(change_the_ticket)
    with pytest.raises(ValidationFailed, match="not fully paid"):  # checked again at finalize
        counter.pay([TenderRequest("card", eur("2.10"))], terminal)
    assert terminal.reversals == ["A00001"]  # the customer is not charged for nothing
    assert counter.cart().total == eur("5.50")  # the ticket is still open


def test_a_decline_reverses_earlier_cards_of_the_same_sale(shop: Shop) -> None:
    counter = shop.counter
    counter.scan("4006381333931")  # 3.40
    terminal = SimulatedPaymentTerminal(decline={eur("1.40")})
    with pytest.raises(Conflict, match="card declined"):
        counter.pay(
            [TenderRequest("card", eur("2.00")), TenderRequest("card", eur("1.40"))], terminal
        )
    assert terminal.reversals == ["A00001"]
