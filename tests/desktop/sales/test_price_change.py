"""A line's price changed at the till: the permission or a manager, a reason, both people on the
record, and the changed line never absorbs the next scan of the same item."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop.db.models import AuditEntry
from desktop.staff.service import sign_in
from shared.errors import AuthzError, ValidationFailed
from shared.money import Money
from shared.permissions import Permission
from tests.desktop.conftest import Shop


@pytest.fixture
def cashier(shop: Shop) -> Shop:
    shop.counter.sign_out()
    shop.counter.sign_in("2", "2222")
    return shop


class TestChangePrice:
    def test_a_cashier_needs_a_manager(self, cashier: Shop) -> None:
        counter = cashier.counter
        line = counter.scan("4006381333931").lines[0].id
        with pytest.raises(AuthzError) as refused:
            counter.change_price(line, "2.50", "dented cup")
        assert refused.value.details["permission"] == Permission.POS_PRICE_CHANGE
        assert counter.cart().total == Money("3.40", "EUR")

    def test_approved_it_reprices_the_line_and_names_both(self, cashier: Shop) -> None:
        counter = cashier.counter
        line = counter.scan("4006381333931").lines[0].id
        manager = counter.runner.run(lambda uow: sign_in(uow, code="1", pin="1111"))
        cart = counter.change_price(line, "2,50", "dented cup", manager)
        assert cart.total == Money("2.50", "EUR")
        row = cashier.runner.read(
            lambda uow: uow.conn.execute(
                select(AuditEntry.actor_id, AuditEntry.authorized_by).where(
                    AuditEntry.action == "ticket.line_repriced"
                )
            ).one()
        )
        assert (row.actor_id, row.authorized_by) == (counter.who().id, manager.id)
        # The next latte is a line of its own, at the catalog's price.
        cart = counter.scan("4006381333931")
        assert [(x.unit_price, x.quantity) for x in cart.lines] == [
            (Money("2.50", "EUR"), 1),
            (Money("3.40", "EUR"), 1),
        ]

    @pytest.mark.parametrize(("price", "reason"), [("-1", "x"), ("abc", "x"), ("2.50", " ")])
    def test_bad_input_changes_nothing(self, shop: Shop, price: str, reason: str) -> None:
        counter = shop.counter  # the manager: allowed, but the input is wrong
        line = counter.scan("4006381333931").lines[0].id
        with pytest.raises(ValidationFailed):
            counter.change_price(line, price, reason)
        assert counter.cart().total == Money("3.40", "EUR")
