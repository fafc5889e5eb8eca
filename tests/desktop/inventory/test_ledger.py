"""The stock ledger: sales and refunds move stock in their transaction, adjustments, transfers,
negative stock, immutability, history and the balance check."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.catalog.service import create_item
from desktop.inventory.adjustments import adjust, transfer
from desktop.inventory.ledger import (
    check_balances,
    history,
    negative_stock,
    stock_as_of,
    stock_level,
)
from desktop.modules import set_module
from desktop.sales.checkout import TenderRequest, finalize
from desktop.sales.refunds import RefundLine, refund
from desktop.sales.tickets import add_line, live_lines, open_ticket
from nova.cli import main
from shared.clock import FakeClock
from shared.errors import AuthzError, Conflict, NotFound, ValidationFailed
from shared.money import Money
from tests.desktop.conftest import Till


def item(till: Till, sku: str) -> uuid.UUID:
    found = till.item(sku)
    assert isinstance(found, uuid.UUID)
    return found


def sell(till: Till, lines: list[tuple[str, str]]) -> uuid.UUID:
    ticket = open_ticket(till.uow, till.cashier)
    for sku, qty in lines:
        add_line(till.uow, till.cashier, ticket_id=ticket, item_id=item(till, sku), quantity=qty)
    finalize(
        till.uow,
        till.cashier,
        ticket_id=ticket,
        tenders=[TenderRequest("cash", Money("200.00", "EUR"))],
        payment_terminal=till.card,
    )
    till.uow.commit()
    return ticket


def level(till: Till, sku: str, location: str = "MAIN") -> Decimal:
    return stock_level(till.uow, item(till, sku), location).quantity


def paper_bag(till: Till) -> uuid.UUID:
    """An item whose stock is not tracked."""
    return create_item(
        till.uow,
        till.manager,
        sku="BAG",
        name="Paper bag",
        price=Money("0.10", "EUR"),
        tax_class="STD",
        track_stock=False,
    )


def movement_count(till: Till) -> int:
    return int(till.uow.sql.execute("SELECT count(*) FROM stock_movements").fetchone()[0])


class TestSalesAndRefunds:
    def test_a_sale_takes_stock_in_its_own_transaction(self, till: Till) -> None:
        adjust(till.uow, till.manager, item_id=item(till, "LATTE"), change="10", reason="received")
        sell(till, [("LATTE", "2"), ("CHEESE", "0.385")])
        assert level(till, "LATTE") == Decimal(8)
        assert level(till, "CHEESE") == Decimal("-0.385")
        (entry, *_) = history(till.uow, item_id=item(till, "LATTE"))
        assert (entry.kind, entry.quantity, entry.actor_id) == (
            "sale",
            Decimal(-2),
            till.cashier.id,
        )
        assert entry.ticket_id is not None

    def test_untracked_items_write_no_movements(self, till: Till) -> None:
        bag = paper_bag(till)
        before = movement_count(till)
        ticket = open_ticket(till.uow, till.cashier)
        add_line(till.uow, till.cashier, ticket_id=ticket, item_id=bag, quantity=3)
        finalize(
            till.uow,
            till.cashier,
            ticket_id=ticket,
            tenders=[TenderRequest("cash", Money("1.00", "EUR"))],
            payment_terminal=till.card,
        )
        assert movement_count(till) == before

    def test_a_declined_sale_moves_nothing(self, till: Till) -> None:
        ticket = open_ticket(till.uow, till.cashier)
        add_line(till.uow, till.cashier, ticket_id=ticket, item_id=item(till, "BAGEL"))
        till.card.decline.add(Money("2.10", "EUR"))
        with pytest.raises(Conflict, match="declined"):
            finalize(
                till.uow,
                till.cashier,
                ticket_id=ticket,
                tenders=[TenderRequest("card", Money("2.10", "EUR"))],
                payment_terminal=till.card,
            )
        assert movement_count(till) == 0

    def test_refund_restocks_only_what_goes_back_on_the_shelf(self, till: Till) -> None:
        sale = sell(till, [("LATTE", "3"), ("BAGEL", "2")])
        latte, bagel = live_lines(till.uow, sale)
        refund(
            till.uow,
            till.manager,
            original_id=sale,
            lines=[RefundLine(latte.id, 1, restock=True), RefundLine(bagel.id, 2, restock=False)],
            tender="cash",
            reason="spilled",
            payment_terminal=till.card,
        )
        assert level(till, "LATTE") == Decimal(-2)
        assert level(till, "BAGEL") == Decimal(-2)
        kinds = [e.kind for e in history(till.uow, item_id=item(till, "LATTE"))]
        assert kinds == ["refund_restock", "sale"]


class TestAdjustments:
    def test_reasons_and_signs(self, till: Till) -> None:
        latte = item(till, "LATTE")
        adjust(till.uow, till.manager, item_id=latte, change="+12", reason="received")
        done = adjust(
            till.uow, till.manager, item_id=latte, change="-2", reason="damage", note=" dropped "
        )
        assert done.stock.quantity == Decimal(10)
        adjust(till.uow, till.manager, item_id=latte, change="-1", reason="correction")
        (last, *_) = history(till.uow, item_id=latte)
        assert (last.reason, last.quantity) == ("correction", Decimal(-1))
        damage = history(till.uow, item_id=latte)[1]
        assert damage.note == "dropped"

    @pytest.mark.parametrize(
        ("change", "reason", "text"),
        [
            ("5", "damage", "removes stock"),
            ("-5", "received", "adds stock"),
            ("0", "correction", "more than zero"),
            ("1.0005", "correction", "3 decimals"),
            ("2", "gift", "reason is one of"),
            ("abc", "correction", "not a quantity"),
        ],
    )
    def test_bad_adjustments_write_nothing(
        self, till: Till, change: str, reason: str, text: str
    ) -> None:
        with pytest.raises(ValidationFailed, match=text):
            adjust(
                till.uow, till.manager, item_id=item(till, "LATTE"), change=change, reason=reason
            )
        assert movement_count(till) == 0

    def test_permission_module_unknown_and_untracked_items(self, till: Till) -> None:
        with pytest.raises(AuthzError, match=r"inventory\.adjust"):
            adjust(
                till.uow, till.cashier, item_id=item(till, "LATTE"), change="1", reason="received"
            )
        with pytest.raises(NotFound):
            adjust(till.uow, till.manager, item_id=uuid.uuid4(), change="1", reason="received")
        bag = paper_bag(till)
        with pytest.raises(ValidationFailed, match="not stock-tracked"):
            adjust(till.uow, till.manager, item_id=bag, change="1", reason="received")
        set_module(till.uow, "inventory", enabled=False)
        with pytest.raises(AuthzError, match="inventory module is switched off"):
            adjust(
                till.uow, till.manager, item_id=item(till, "LATTE"), change="1", reason="received"
            )
        assert movement_count(till) == 0

    def test_transfer_writes_a_pair(self, till: Till) -> None:
        latte = item(till, "LATTE")
        transfer_id = transfer(
            till.uow, till.manager, item_id=latte, quantity="4", to_location="airport"
        )
        assert level(till, "LATTE") == Decimal(-4)
        assert level(till, "LATTE", "AIRPORT") == Decimal(4)
        pair = history(till.uow, item_id=latte)
        assert {e.transfer_id for e in pair} == {transfer_id}
        assert sorted(e.kind for e in pair) == ["transfer_in", "transfer_out"]
        with pytest.raises(ValidationFailed, match="another location"):
            transfer(till.uow, till.manager, item_id=latte, quantity="1", to_location="main")


class TestLedgerRules:
    def test_negative_stock_is_allowed_and_flagged(self, till: Till) -> None:
        sell(till, [("BAGEL", "3")])
        view = stock_level(till.uow, item(till, "BAGEL"), "MAIN")
        assert view.negative
        assert [v.item_id for v in negative_stock(till.uow, "MAIN")] == [item(till, "BAGEL")]

    def test_movements_cannot_be_edited_or_deleted(self, till: Till) -> None:
        adjust(till.uow, till.manager, item_id=item(till, "LATTE"), change="1", reason="received")
        for statement in (
            "UPDATE stock_movements SET qty_milli = 5",
            "DELETE FROM stock_movements",
        ):
            with pytest.raises(sqlite3.DatabaseError, match="immutable"):
                till.uow.sql.execute(statement)

    def test_the_check_finds_a_tampered_balance(self, till: Till) -> None:
        sell(till, [("LATTE", "2")])
        adjust(till.uow, till.manager, item_id=item(till, "BAGEL"), change="5", reason="received")
        assert check_balances(till.uow.sql) == []
        till.uow.sql.execute("UPDATE stock_levels SET qty_milli = qty_milli + 1")
        assert len(check_balances(till.uow.sql)) == 2

    def test_stock_as_of_a_moment(self, till: Till, clock: FakeClock) -> None:
        latte = item(till, "LATTE")
        adjust(till.uow, till.manager, item_id=latte, change="10", reason="received")
        then = clock.now()
        clock.advance(timedelta(minutes=5))
        sell(till, [("LATTE", "3")])
        assert stock_as_of(till.uow, latte, "MAIN", then) == Decimal(10)
        assert stock_as_of(till.uow, latte, "MAIN", clock.now()) == Decimal(7)

    def test_history_pages_newest_first(self, till: Till) -> None:
        latte = item(till, "LATTE")
        for _ in range(5):
            adjust(till.uow, till.manager, item_id=latte, change="1", reason="received")
        first = history(till.uow, item_id=latte, limit=2)
        rest = history(till.uow, item_id=latte, before=first[-1].id, limit=10)
        ids = [e.id for e in first + rest]
        assert len(ids) == 5
        assert ids == sorted(ids, reverse=True)


def test_check_command_reads_beside_a_selling_till(
    till: Till, terminal_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sell(till, [("LATTE", "2"), ("BAGEL", "1")])
    assert main(["inventory", "check", "--database", str(terminal_db)]) == 0
    assert "ok: 2 movements, 0 mismatching" in capsys.readouterr().out
    till.uow.sql.execute("UPDATE stock_levels SET qty_milli = 0")
    till.uow.commit()
    assert main(["inventory", "check", "--database", str(terminal_db)]) == 1
    out = capsys.readouterr().out
    assert out.count("MISMATCH") == 2
    assert "FAILED" in out


def test_a_switched_off_module_disappears_from_the_navigation(till: Till) -> None:
    from desktop.modules import enabled_modules
    from desktop.session import SessionContext
    from shared.navigation import visible_screens

    set_module(till.uow, "inventory", enabled=False)
    perms = frozenset(till.manager.permissions)
    ctx = SessionContext(till.manager.name, perms, enabled_modules(till.uow))
    shown = {s.module for s in visible_screens(ctx.permissions, ctx.enabled_modules)}
    assert "inventory" not in shown
    assert "loyalty" in shown
    set_module(till.uow, "inventory", enabled=True)
    assert "inventory" in enabled_modules(till.uow)
