"""The sell screen, driven like a cashier would (keyboard-wedge scans, clicks, F-keys), checking
the engine's state afterwards, not only what the widgets say."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, select

from desktop.db.models import Barcode, Tender, Ticket
from desktop.db.uow import UnitOfWork
from desktop.hardware.barcodes import check_digit
from desktop.hardware.payment_terminal import CardResult, SimulatedPaymentTerminal
from desktop.till.catalog_desk import CatalogDesk
from desktop.ui.components.primitives import ToastKind
from desktop.ui.components.prompts import WeightPrompt
from desktop.ui.sell.sell_screen import SellScreen
from desktop.ui.sell.tender_dialog import TenderDialog, quick_amounts
from desktop.ui.theme import apply_theme
from shared.money import Money
from tests.desktop.conftest import Shop


def eur(text: str) -> Money:
    return Money(text, "EUR")


@pytest.fixture
def screen(qtbot: QtBot, shop: Shop) -> SellScreen:
    widget = SellScreen(shop.counter, shop.card)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget


def scan(qtbot: QtBot, screen: SellScreen, code: str) -> None:
    """A keyboard-wedge scanner: the digits, fast, then Enter."""
    screen.scan_box.setFocus()
    qtbot.keyClicks(screen.scan_box, code)
    qtbot.keyClick(screen.scan_box, Qt.Key.Key_Return)


def settle(qtbot: QtBot, dialog: TenderDialog) -> None:
    """Wait for a card payment running in its worker to report back."""
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    dialog.wait_for_payment()


def paid_tickets(shop: Shop) -> list[tuple[str, int]]:
    query = select(Ticket.receipt_no, Ticket.gross_minor).where(Ticket.status == "paid")
    return [tuple(r) for r in shop.runner.read(lambda uow: uow.conn.execute(query).all())]  # type: ignore[misc]


def tenders_of(shop: Shop, receipt: str) -> list[tuple[str, int]]:
    query = (
        select(Tender.kind, Tender.amount_minor)
        .join(Ticket, Ticket.id == Tender.ticket_id)
        .where(Ticket.receipt_no == receipt)
        .order_by(Tender.kind)
    )
    return [tuple(r) for r in shop.runner.read(lambda uow: uow.conn.execute(query).all())]  # type: ignore[misc]


def test_a_scanned_sale_paid_in_cash(qtbot: QtBot, screen: SellScreen, shop: Shop) -> None:
    scan(qtbot, screen, "4006381333931")
    scan(qtbot, screen, "4006381333931")
    assert screen.cart.lines.count() == 1  # the second scan counted the line up
    assert screen.cart.lines.item(0).text().startswith("2 × Café Latte")
    assert screen.cart.total.text() == "EUR 6.80"
    assert screen.scan_box.hasFocus()  # ready for the next scan
    dialog = screen.tender_dialog(screen.cart.view)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    assert dialog.quick_buttons[2].text() == "EUR 20.00"
    dialog.quick_buttons[2].click()  # the customer hands over a 20
    assert dialog.sale is not None
    assert dialog.sale.change == eur("13.20")
    assert paid_tickets(shop) == [("T01-000001", 680)]


def test_split_tender_card_then_cash_with_plus_and_void(
    qtbot: QtBot, screen: SellScreen, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan(qtbot, screen, "0001")  # bagel 2.10
    scan(qtbot, screen, "4006381333931")  # latte 3.40
    screen.cart.lines.setCurrentRow(0)
    screen.cart.plus.click()  # 2 bagels
    screen.cart.lines.setCurrentRow(1)
    monkeypatch.setattr(SellScreen, "ask_text", staticmethod(lambda *_: "wrong item"))
    qtbot.keyClick(screen, Qt.Key.Key_F9)  # void the latte
    assert screen.last_toast == (ToastKind.SUCCESS, "Line voided")
    assert screen.cart.total.text() == "EUR 4.20"
    dialog = screen.tender_dialog(screen.cart.view)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    for key in "3.00":
        dialog.keypad.press(key)
    dialog.card_button.click()  # 3.00 by card
    assert dialog.sale is None
    assert dialog.remaining_label.text() == "Still due EUR 1.20"
    dialog.quick_buttons[0].click()  # exact cash for the rest: with a card in it, a worker pays
    assert dialog.busy
    assert dialog.card_button.text() == "Waiting for the card terminal…"
    settle(qtbot, dialog)
    assert dialog.sale is not None
    receipt = dialog.sale.receipt_no
    assert tenders_of(shop, receipt) == [("card", 300), ("cash", 120)]
    assert shop.card.charges == [(eur("3.00"), shop.card.charges[0][1])]


def test_a_declined_card_leaves_the_ticket_open(
    qtbot: QtBot, screen: SellScreen, shop: Shop
) -> None:
    scan(qtbot, screen, "0001")
    shop.card.decline.add(eur("2.10"))
    dialog = screen.tender_dialog(screen.cart.view)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.card_button.click()
    settle(qtbot, dialog)
    assert dialog.sale is None
    assert dialog.error is not None
    assert "declined" in dialog.error
    assert dialog.tenders == []
    assert paid_tickets(shop) == []
    assert screen.counter.cart().total == eur("2.10")


def test_a_tile_draws_the_picture_the_till_holds_and_keeps_its_text(
    qtbot: QtBot, screen: SellScreen, shop: Shop
) -> None:
    import io

    from PIL import Image

    from desktop.catalog.images import store
    from shared.tile_image import tile_image

    out = io.BytesIO()
    Image.new("RGB", (400, 200), (10, 150, 90)).save(out, format="PNG")
    tile = tile_image(out.getvalue())
    lacking = "ab" * 32  # named by an item, but its bytes never arrived

    def pictures(uow: UnitOfWork) -> None:
        store(uow, tile.sha256, tile.png)
        uow.sql.execute("UPDATE items SET image = ? WHERE name = 'Bagel'", (tile.sha256,))
        uow.sql.execute("UPDATE items SET image = ? WHERE sku = 'LATTE'", (lacking,))

    shop.runner.run(pictures)
    scan(qtbot, screen, "bagel")
    (bagel,) = screen.tile_buttons
    assert bagel.picture is not None
    assert (bagel.picture.width(), bagel.picture.height()) == (56, 28)  # fits the tile, upright
    assert bagel.text() == "Bagel\nEUR 2.10"
    assert bagel.sizeHint().height() > bagel.picture.height() + bagel.fontMetrics().height() * 2
    assert not bagel.grab().isNull()  # it paints
    scan(qtbot, screen, "latte")
    (latte,) = screen.tile_buttons
    assert latte.picture is None  # as today until the till holds the bytes


def test_typed_name_searches_and_a_tile_adds(qtbot: QtBot, screen: SellScreen) -> None:
    scan(qtbot, screen, "bag")
    assert [b.accessibleName() for b in screen.tile_buttons] == ["add Bagel"]
    assert screen.last_toast == (ToastKind.INFO, "1 item(s) match “bag”")
    screen.tile_buttons[0].click()
    assert screen.cart.view is not None
    assert [line.name for line in screen.cart.view.lines] == ["Bagel"]
    scan(qtbot, screen, "zzz")
    assert screen.last_toast == (ToastKind.ERROR, "nothing matches “zzz”")


def test_park_with_f8_and_refusals_are_toasts(qtbot: QtBot, screen: SellScreen, shop: Shop) -> None:
    qtbot.keyClick(screen, Qt.Key.Key_F8)
    assert screen.last_toast == (ToastKind.ERROR, "there is no ticket to park")
    scan(qtbot, screen, "0001")
    qtbot.keyClick(screen, Qt.Key.Key_F8)
    assert screen.last_toast == (ToastKind.SUCCESS, "Ticket parked")
    assert len(shop.counter.parked()) == 1
    assert screen.cart.lines.count() == 0
    screen.pay()
    assert screen.last_toast == (
        ToastKind.ERROR,
        "the ticket is empty: scan or pick an item first",
    )


def test_quick_amounts_are_round_notes() -> None:
    assert quick_amounts(eur("6.80")) == [eur("6.80"), eur("10"), eur("20"), eur("50")]
    assert quick_amounts(eur("20.00"))[0] == eur("20.00")


def test_touch_targets_and_the_scan_box(qtbot: QtBot, screen: SellScreen) -> None:
    apply_theme(screen, "light")
    qtbot.waitUntil(lambda: screen.pay_button.height() >= 48)
    for button in [screen.pay_button, screen.park_button, *screen.tile_buttons]:
        assert button.height() >= 48, button.text()
        assert button.width() >= 48, button.text()
    assert screen.scan_box.height() >= 48


def test_park_then_resume_with_f10(
    qtbot: QtBot, screen: SellScreen, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan(qtbot, screen, "0001")
    qtbot.keyClick(screen, Qt.Key.Key_F8)
    scan(qtbot, screen, "4006381333931")
    qtbot.keyClick(screen, Qt.Key.Key_F8)
    offered: list[list[str]] = []

    def choose(_parent: object, _title: str, labels: list[str]) -> int:
        offered.append(labels)
        return 0

    monkeypatch.setattr(SellScreen, "ask_choice", staticmethod(choose))
    qtbot.keyClick(screen, Qt.Key.Key_F10)
    assert offered == [["1 line(s) · EUR 2.10 · Bagel", "1 line(s) · EUR 3.40 · Café Latte"]]
    assert screen.last_toast == (ToastKind.SUCCESS, "Ticket resumed")
    assert [line.name for line in shop.counter.cart().lines] == ["Bagel"]
    assert len(shop.counter.parked()) == 1


def test_quantity_prefix_for_weighed_goods_and_multiples(
    qtbot: QtBot, screen: SellScreen, shop: Shop
) -> None:
    scan(qtbot, screen, "3*0001")  # three bagels
    scan(qtbot, screen, "comt")  # find the cheese (sold by the kg) ...
    screen.scan_box.setText("0.385*")  # ... type its weight, then tap its tile
    screen.tile_buttons[0].click()
    lines = [(line.name, line.quantity) for line in shop.counter.cart().lines]
    assert lines == [("Bagel", Decimal(3)), ("Comté (per kg)", Decimal("0.385"))]
    assert screen.scan_box.text() == ""
    scan(qtbot, screen, "-1*0001")
    assert screen.last_toast is not None
    assert screen.last_toast[0] is ToastKind.ERROR


class SlowTerminal(SimulatedPaymentTerminal):
    """A card terminal that takes its time, like a real one waiting for the customer's PIN."""

    def charge(self, amount: Money, *, reference: str) -> CardResult:
        time.sleep(0.4)
        return super().charge(amount, reference=reference)


def test_a_slow_card_terminal_never_freezes_the_screen(qtbot: QtBot, shop: Shop) -> None:
    screen = SellScreen(shop.counter, SlowTerminal())
    qtbot.addWidget(screen)
    scan(qtbot, screen, "0001")
    dialog = screen.tender_dialog(screen.cart.view)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    started = time.perf_counter()
    dialog.card_button.click()
    assert time.perf_counter() - started < 0.05  # the click returns at once
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(20)
    settle(qtbot, dialog)
    timer.stop()
    assert dialog.sale is not None
    assert len(ticks) >= 5  # the event loop kept running while the card was processed


def test_a_scale_label_sells_its_weight(qtbot: QtBot, screen: SellScreen, shop: Shop) -> None:
    def register(uow: UnitOfWork) -> None:
        uow.conn.execute(insert(Barcode).values(code="2100123", item_id=shop.items["CHEESE"]))

    shop.runner.run(register)
    body = "210012300385"  # PLU 00123, 385 g
    scan(qtbot, screen, body + str(check_digit(body)))
    (line,) = shop.counter.cart().lines
    assert (line.name, line.quantity, line.total) == (
        "Comté (per kg)",
        Decimal("0.385"),
        eur("9.59"),
    )


def test_a_weighed_item_asks_for_its_weight_unless_a_label_or_a_quantity_gives_it(
    qtbot: QtBot, screen: SellScreen, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = CatalogDesk(shop.counter)
    cheese = shop.items["CHEESE"]
    assert isinstance(cheese, uuid.UUID)
    desk.save_item(replace(desk.draft(cheese), unit="weighed", barcodes=("2100123",)), cheese)
    asked: list[str] = []

    def weigh(_parent: object, name: str) -> str | None:
        asked.append(name)
        return "0.250" if len(asked) == 1 else None  # the second time the cashier cancels

    monkeypatch.setattr(SellScreen, "ask_weight", staticmethod(weigh))
    assert screen.redraw_if_catalog_changed()  # as after any catalog save
    (tile,) = [b for b in screen.tile_buttons if b.accessibleName() == "add Comté (per kg)"]
    assert tile.text().endswith("EUR 24.90/kg")
    tile.click()
    tile.click()  # cancelled: nothing added
    body = "210012300385"  # a scale label: 385 g, no question
    scan(qtbot, screen, body + str(check_digit(body)))
    qtbot.keyClicks(screen.scan_box, "1.2*")
    tile.click()  # a quantity typed first: no question either
    assert asked == ["Comté (per kg)", "Comté (per kg)"]
    assert [line.quantity for line in shop.counter.cart().lines] == [
        Decimal("0.250"), Decimal("0.385"), Decimal("1.2")
    ]  # fmt: skip

    prompt = WeightPrompt("Weigh Comté")  # the real question: the touch keypad
    qtbot.addWidget(prompt)
    for key in ("0", ".", "4", "2"):
        prompt.keypad.buttons[key].click()
    prompt.keypad.ok_button.click()
    assert prompt.weight == "0.42"


def test_price_labels_sell_each_pack_at_its_printed_price(
    qtbot: QtBot, screen: SellScreen, shop: Shop
) -> None:
    def register(uow: UnitOfWork) -> None:
        uow.conn.execute(insert(Barcode).values(code="2800123", item_id=shop.items["CHEESE"]))

    shop.runner.run(register)
    shop.counter.price_prefixes = frozenset({"28"})
    for price in ("00459", "00612"):
        body = "2800123" + price
        scan(qtbot, screen, body + str(check_digit(body)))
    lines = shop.counter.cart().lines
    assert [(line.quantity, line.total) for line in lines] == [
        (Decimal(1), eur("4.59")),
        (Decimal(1), eur("6.12")),
    ]  # two packs, two lines, each at its label's price
    assert shop.counter.cart().total == eur("10.71")


class CancellableTerminal(SimulatedPaymentTerminal):
    """Waits for the customer until the till cancels, then answers "aborted"."""

    def __init__(self) -> None:
        super().__init__()
        self.cancelled = threading.Event()

    def charge(self, amount: Money, *, reference: str) -> CardResult:  # noqa: ARG002
        self.cancelled.wait(5)
        return CardResult(approved=False, message="aborted at the till")

    def cancel(self) -> None:
        self.cancelled.set()


def test_a_card_payment_can_be_cancelled_from_the_till(qtbot: QtBot, shop: Shop) -> None:
    terminal = CancellableTerminal()
    screen = SellScreen(shop.counter, terminal)
    qtbot.addWidget(screen)
    scan(qtbot, screen, "0001")
    dialog = screen.tender_dialog(screen.cart.view)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.card_button.click()
    assert dialog.abort_card_button.isVisibleTo(dialog)
    dialog.abort_card_button.click()
    settle(qtbot, dialog)
    assert dialog.sale is None
    assert dialog.error is not None
    assert "aborted at the till" in dialog.error
    assert not dialog.abort_card_button.isVisibleTo(dialog)
    assert paid_tickets(shop) == []


def test_a_wedge_scan_rings_up_even_when_the_focus_left_the_scan_box(
    qtbot: QtBot, screen: SellScreen, shop: Shop
) -> None:
    screen.activateWindow()
    screen.customer_button.setFocus()  # the cashier clicked a button; the scanner fires
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.customer_button)
    qtbot.keyClicks(screen.customer_button, "4006381333931")  # as fast as a scanner
    qtbot.keyClick(screen.customer_button, Qt.Key.Key_Return)
    assert [line.name for line in shop.counter.cart().lines] == ["Café Latte"]
    # A person typing on a button is not a scan: nothing rings up, nothing breaks.
    screen.customer_button.setFocus()
    for key in "0001":
        qtbot.keyClicks(screen.customer_button, key)
        qtbot.wait(80)
    assert len(shop.counter.cart().lines) == 1
