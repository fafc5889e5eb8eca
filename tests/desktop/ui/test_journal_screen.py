"""The sales journal driven like a manager would, on a till database with real sales rung up
through the Counter: search, a sale in full, a COPY reprint, Refund… into the Refunds screen."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, insert, select, update

from desktop.catalog.modifiers import attach_modifier_group, create_modifier_group
from desktop.db.models import Modifier, OutboxRecord, PrintJob, SyncIssue, SyncState
from desktop.db.uow import UnitOfWork
from desktop.hardware.sim_printer import render_text
from desktop.sales.checkout import TenderRequest
from desktop.sales.journal import OTHER_TILL, SYNCED, WAITING, JournalQuery, search
from desktop.sales.remote import apply_remote_sale
from desktop.till.extras import Extras
from desktop.till.journal_desk import JournalDesk
from desktop.ui.backoffice.journal_screen import JournalScreen
from desktop.ui.components.primitives import ToastKind
from desktop.ui.sell.refund_screen import RefundScreen
from desktop.ui.shell.registry import Mode
from desktop.ui.till_window import TillWindows
from shared.clock import FakeClock
from shared.ids import uuid7
from shared.money import Money
from tests.desktop.conftest import Shop

pytestmark = pytest.mark.gui

DAY_ONE = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def eur(text: str) -> Money:
    return Money(text, "EUR")


def ring_up_two_days(shop: Shop, clock: FakeClock) -> tuple[str, str]:
    """Day one: two lattes in cash (then synced). Day two: a latte with oat milk and a bagel
    by card, for a customer (not synced yet)."""
    counter = shop.counter
    clock.set(DAY_ONE)
    counter.scan("4006381333931")
    counter.scan("4006381333931")
    cash = counter.pay([TenderRequest("cash", eur("10.00"))], shop.card).receipt_no

    def synced_so_far(uow: UnitOfWork) -> None:
        upto = uow.conn.execute(select(func.max(OutboxRecord.seq))).scalar()
        uow.conn.execute(
            insert(SyncState).values(
                id=1, server_url="http://127.0.0.1:9", device_id=uuid7(), pushed_seq=upto
            )
        )

    shop.runner.run(synced_so_far)
    latte = shop.items["LATTE"]
    assert isinstance(latte, uuid.UUID)
    manager = counter.who()

    def oat_milk(uow: UnitOfWork) -> uuid.UUID:
        group = create_modifier_group(
            uow, manager, name="Milk", min_choices=0, max_choices=1,
            modifiers=[("Oat", eur("0.40"))],
        )  # fmt: skip
        attach_modifier_group(uow, manager, item_id=latte, group_id=group)
        return uuid.UUID(str(uow.conn.execute(select(Modifier.id)).scalar_one()))

    oat = shop.runner.run(oat_milk)
    clock.set(DAY_ONE + timedelta(days=1))
    counter.add(latte, 1, [oat])
    counter.scan("4012345678901")  # a bagel
    extras = Extras(counter)
    extras.attach(extras.enrol("Greta Gruber", "+49 151 2345678"))
    card = counter.pay([TenderRequest("card", counter.cart().total)], shop.card).receipt_no
    return cash, card


def receipts(screen: JournalScreen) -> list[str]:
    return [row.receipt_no for row in screen.rows]


def search_form(screen: JournalScreen, **fields: str) -> None:
    for name, box in screen.fields.items():
        box.set_text(fields.get(name, ""))
    screen.search_button.click()


class TestJournalScreen:
    def test_search_by_receipt_amount_card_date_and_customer(
        self, qtbot: QtBot, shop: Shop, clock: FakeClock
    ) -> None:
        cash, card = ring_up_two_days(shop, clock)
        screen = JournalScreen(JournalDesk(shop.counter))
        qtbot.addWidget(screen)
        assert receipts(screen) == [card, cash]  # newest first
        assert screen.table.item(1, 3).text() == "cash 6.80"  # type: ignore[union-attr]
        search_form(screen, receipt=cash.lower())
        assert receipts(screen) == [cash]
        search_form(screen, amount="6,80")
        assert receipts(screen) == [cash]
        search_form(screen, card="4242")
        assert receipts(screen) == [card]
        search_form(screen, date_from="2026-12-01", date_to="2026-12-01")
        assert receipts(screen) == [cash]
        search_form(screen, customer="greta")
        assert receipts(screen) == [card]
        search_form(screen, customer="+49 (151) 234-5678")  # the phone, written another way
        assert receipts(screen) == [card]
        # Wrong fields are marked beside themselves; the list stays as it was.
        search_form(screen, amount="ten", card="42", date_from="2026-12-02", date_to="2026-12-01")
        assert screen.fields["amount"].helper.text() == "an amount like 12.50"
        assert screen.fields["card"].helper.text() == "the card's last 4 digits"
        assert screen.fields["date_to"].helper.text() == "the end date is before the start date"
        assert not screen.fields["receipt"].has_error
        assert receipts(screen) == [card]
        screen.clear_button.click()
        assert receipts(screen) == [card, cash]
        assert not screen.fields["amount"].has_error

    def test_detail_shows_lines_modifiers_taxes_tenders_and_sync_state(
        self, qtbot: QtBot, shop: Shop, clock: FakeClock
    ) -> None:
        cash, card = ring_up_two_days(shop, clock)
        screen = JournalScreen(JournalDesk(shop.counter))
        qtbot.addWidget(screen)
        assert screen.heading.text() == f"Sale {card}"  # the newest is opened
        assert screen.facts.text().endswith(f"for Greta Gruber · {WAITING}")
        assert screen.detail_texts() == [
            "1 × Café Latte  3.80",
            "+ Oat",
            "1 × Bagel  2.10",
            "Total  EUR 5.90",
            "Tax VAT19 19%  0.61",
            "Tax VAT7 7%  0.14",
            "Paid: Card VISA ••4242  5.90",
        ]
        screen.table.selectRow(1)
        assert screen.heading.text() == f"Sale {cash}"
        assert SYNCED in screen.facts.text()
        assert "Paid: Cash  6.80" in screen.detail_texts()
        assert screen.table.item(1, 4).text() == SYNCED  # type: ignore[union-attr]

    def test_reprint_prints_the_receipt_headed_copy(
        self, qtbot: QtBot, shop: Shop, clock: FakeClock
    ) -> None:
        _, card = ring_up_two_days(shop, clock)
        screen = JournalScreen(JournalDesk(shop.counter))
        qtbot.addWidget(screen)
        screen.reprint_button.click()
        assert screen.last_toast == (ToastKind.ERROR, "no receipt printer is set up on this till")
        shop.counter.printer = True
        screen.reprint_button.click()
        assert screen.last_toast == (ToastKind.SUCCESS, f"Copy of {card} sent to the printer")
        (payload,) = shop.runner.read(
            lambda uow: uow.conn.execute(select(PrintJob.payload)).scalars().all()
        )
        text = render_text(payload)
        assert "*** COPY ***" in text
        assert f"RECEIPT {card}" in text
        assert "+ Oat" in text or "Oat" in text

    def test_refund_opens_the_refund_screen_with_that_sale(
        self, qtbot: QtBot, shop: Shop, clock: FakeClock
    ) -> None:
        cash, _ = ring_up_two_days(shop, clock)
        windows = TillWindows(shop.counter, shop.card)
        qtbot.addWidget(windows.sign_in)
        window = windows.open_till(shop.counter.who())
        qtbot.addWidget(window)
        window.set_mode(Mode.BACK_OFFICE)
        journal = window.open_screen("journal")
        assert isinstance(journal, JournalScreen)
        search_form(journal, receipt=cash)
        journal.refund_button.click()
        assert window.mode is Mode.TERMINAL
        refunds = window.stack.currentWidget()
        assert isinstance(refunds, RefundScreen)
        assert refunds.sale is not None
        assert refunds.sale.receipt_no == cash
        assert refunds.heading.text() == f"Sale {cash} · EUR 6.80"
        refunds.set_quantity(0, "1")
        refunds.reason.edit.setText("cold")
        refunds.tender_buttons["cash"].click()
        assert refunds.last_toast is not None
        assert refunds.last_toast[0] is ToastKind.SUCCESS
        window.set_mode(Mode.BACK_OFFICE)
        assert window.open_screen("journal") is journal  # redrawn on its return
        assert journal.rows[0].refunded == eur("3.40")
        assert journal.detail_texts()[-1].startswith("Refund T01R-000001")
        windows.close()


def test_pages_newest_first_with_another_tills_sale(shop: Shop, clock: FakeClock) -> None:
    """Another till's sale arrives by sync: it is in the journal, found by its card, and says
    where it came from; pages follow each other without a gap."""
    cash, card = ring_up_two_days(shop, clock)
    latte = shop.items["LATTE"]
    body = {
        "ticket_id": str(uuid7()), "receipt_no": "T02-000001", "currency": "EUR",
        "closed_at": (DAY_ONE + timedelta(days=2)).isoformat(), "gross_minor": 340,
        "tax_minor": 54,
        "lines": [{"id": str(uuid7()), "item_id": str(latte), "name": "Café Latte",
                   "quantity": "1", "unit_price_minor": 340, "tax_class": "STD",
                   "gross_minor": 340, "tax_minor": 54, "taxes": [["VAT19", "19", 54]]}],
        "tenders": [{"id": str(uuid7()), "kind": "card", "amount_minor": 340,
                     "card_last4": "1881", "card_scheme": "MC"}],
    }  # fmt: skip
    assert shop.runner.run(lambda uow: apply_remote_sale(uow, body))
    pages = [
        shop.runner.read(lambda uow, n=n: search(uow, JournalQuery(page=n), page_size=2))
        for n in (0, 1)
    ]
    assert [[r.receipt_no for r in p.rows] for p in pages] == [["T02-000001", card], [cash]]
    assert [p.has_more for p in pages] == [True, False]
    assert pages[0].rows[0].sync == OTHER_TILL
    found = shop.runner.read(lambda uow: search(uow, JournalQuery(card_last4="1881")))
    assert [r.tenders for r in found.rows] == ["card 3.40 ••1881"]

    def pushed_with_a_review(uow: UnitOfWork) -> None:
        """The server took everything and kept the card sale for a manager's review."""
        upto = uow.conn.execute(select(func.max(OutboxRecord.seq))).scalar()
        uow.conn.execute(update(SyncState).values(pushed_seq=upto))
        (seq,) = (
            uow.conn.execute(
                select(OutboxRecord.seq)
                .where(OutboxRecord.kind == "ticket.finalized")
                .order_by(OutboxRecord.seq)
            )
            .scalars()
            .all()[1:]
        )
        uow.conn.execute(
            insert(SyncIssue).values(seq=seq, kind="ticket.finalized", status="needs_review",
                                     at=clock.now())
        )  # fmt: skip

    shop.runner.run(pushed_with_a_review)
    first = shop.runner.read(lambda uow: search(uow, JournalQuery(receipt_prefix="T01")))
    assert [r.sync for r in first.rows] == ["Synced, kept for review", SYNCED]
