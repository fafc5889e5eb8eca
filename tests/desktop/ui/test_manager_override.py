"""Manager override and sign-out at the counter, driven like a cashier and a manager would: the
real sell and refund screens, the real override dialog (only its modal loop is replaced by the
manager's key presses), and the engine's records checked afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.db.models import AuditEntry, TicketLine
from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.sales.checkout import TenderRequest
from desktop.staff.service import sign_in
from desktop.till.demo import demo_counter
from desktop.till.override import OverrideDesk
from desktop.till.refund_desk import RefundDesk
from desktop.till.shift_desk import ShiftDesk
from desktop.till.views import CartView
from desktop.ui.components.primitives import ToastKind
from desktop.ui.sell.override_dialog import OverrideDialog
from desktop.ui.sell.refund_screen import RefundScreen
from desktop.ui.sell.sell_screen import SellScreen
from desktop.ui.sell.shift_screen import ShiftScreen
from desktop.ui.till_window import TillWindows
from shared.money import Money
from tests.desktop.conftest import Shop

Entry = tuple[str, str]  # what the manager types: staff code (or card swipe), PIN


class Manager:
    """Stands in for the person at the till while the override dialog is open: types each
    (code, PIN) in turn into the real dialog, then — if it is still open — cancels it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.entries: list[Entry] = []
        self.dialogs: list[OverrideDialog] = []
        self.said: list[str] = []  # the dialog's message after each entry
        monkeypatch.setattr(OverrideDialog, "exec", lambda dialog: self._exec(dialog))

    def will_type(self, *entries: Entry) -> None:
        self.entries = list(entries)

    def _exec(self, dialog: OverrideDialog) -> int:
        self.dialogs.append(dialog)
        for code, pin in self.entries:
            dialog.enter(code, pin)
            self.said.append(dialog.message.text())
            if dialog.approver is not None:
                return dialog.result()
        dialog.cancel_button.click()
        return dialog.result()


@pytest.fixture
def manager(monkeypatch: pytest.MonkeyPatch) -> Manager:
    return Manager(monkeypatch)


@pytest.fixture
def cashier(shop: Shop) -> Shop:
    """The shop with its cashier (pos.sell and shift.open only) signed in."""
    shop.counter.sign_out()
    shop.counter.sign_in("2", "2222")
    return shop


@pytest.fixture
def screen(qtbot: QtBot, cashier: Shop, monkeypatch: pytest.MonkeyPatch) -> SellScreen:
    widget = SellScreen(cashier.counter, cashier.card)
    qtbot.addWidget(widget)
    widget.show()
    monkeypatch.setattr(SellScreen, "ask_text", staticmethod(cashier_types))
    # Discount with a line selected asks "this line or the whole ticket": this line.
    monkeypatch.setattr(SellScreen, "ask_choice", staticmethod(lambda *_a: 0))
    return widget


def cashier_types(_parent: object, title: str, label: str = "Reason") -> str:
    """The cashier's answers to the sell screen's questions."""
    if title == "Discount":
        return "10%" if label.startswith("Off") else "regular customer"
    if title == "Change the price":
        return "2.50" if label.startswith("New price") else "dented cup"
    return "scanned by mistake"


def ring_up(screen: SellScreen, *codes: str) -> CartView:
    for code in codes:
        screen.scan_code(code)
    view = screen.cart.view
    assert view is not None
    return view


def audit(shop: Shop, action: str) -> list[tuple[str, str | None]]:
    rows = shop.runner.read(
        lambda uow: uow.conn.execute(
            select(AuditEntry.actor_id, AuditEntry.authorized_by).where(AuditEntry.action == action)
        ).all()
    )
    return [(str(a), str(b) if b else None) for a, b in rows]


def ids(shop: Shop, code: str) -> str:
    """The user id of staff code `code` (through a throwaway sign-in)."""
    pins = {"1": "1111", "2": "2222"}
    return str(shop.runner.run(lambda uow: sign_in(uow, code=code, pin=pins[code])).id)


class TestVoid:
    def test_a_manager_approves_the_cashiers_void(
        self, screen: SellScreen, cashier: Shop, manager: Manager
    ) -> None:
        view = ring_up(screen, "0001", "4006381333931")
        manager.will_type(("1", "1111"))
        screen.void(view.lines[0].id)
        assert screen.last_toast == (ToastKind.SUCCESS, "Line voided")
        assert [x.name for x in cashier.counter.cart().lines] == ["Café Latte"]
        assert audit(cashier, "ticket.line_voided") == [(ids(cashier, "2"), ids(cashier, "1"))]
        assert screen.scan_box.hasFocus() or screen.focusWidget() is screen.scan_box

    def test_minus_on_the_last_one_takes_the_line_off_with_approval(
        self, screen: SellScreen, cashier: Shop, manager: Manager
    ) -> None:
        view = ring_up(screen, "0001", "4006381333931")
        manager.will_type((";EMP0001=0000?", "1111"))  # the manager swipes their staff card
        screen.cart.bump.emit(view.lines[0].id, -1)
        assert [x.name for x in cashier.counter.cart().lines] == ["Café Latte"]
        assert audit(cashier, "ticket.line_voided") == [(ids(cashier, "2"), ids(cashier, "1"))]

    def test_cancelling_leaves_the_ticket_as_it_was(
        self, screen: SellScreen, cashier: Shop, manager: Manager
    ) -> None:
        view = ring_up(screen, "0001", "0001", "4006381333931")
        before = cashier.counter.cart()
        manager.will_type()  # nobody comes: the cashier cancels
        screen.void(view.lines[0].id)
        assert manager.dialogs, "the override dialog was offered"
        assert screen.last_toast == (
            ToastKind.INFO,
            "no manager approved it: nothing was changed",
        )
        assert cashier.counter.cart() == before
        voided = cashier.runner.read(
            lambda uow: uow.conn.execute(
                select(TicketLine.id).where(TicketLine.voided_at.is_not(None))
            ).all()
        )
        assert voided == []
        assert audit(cashier, "ticket.line_voided") == []


class TestDiscount:
    def test_a_manager_approves_a_line_discount(
        self, screen: SellScreen, cashier: Shop, manager: Manager
    ) -> None:
        ring_up(screen, "0001", "4006381333931")  # the latte, rung up last, is selected
        manager.will_type(("1", "1111"))
        screen.discount()
        assert screen.last_toast == (ToastKind.SUCCESS, "Discount given")
        assert cashier.counter.cart().total == Money("5.16", "EUR")  # 2.10 + 3.40 less 10%
        assert audit(cashier, "ticket.line_discounted") == [(ids(cashier, "2"), ids(cashier, "1"))]


class TestWrongPins:
    def test_three_wrong_pins_lock_the_manager_code(
        self, screen: SellScreen, cashier: Shop, manager: Manager
    ) -> None:
        view = ring_up(screen, "0001")
        before = cashier.counter.cart()
        manager.will_type(("1", "0000"), ("1", "9999"), ("1", "4321"), ("1", "1111"))
        screen.void(view.lines[0].id)
        assert manager.said[:3] == ["wrong user code or PIN"] * 3
        assert "locked" in manager.said[3]  # the right PIN, too late
        assert cashier.counter.cart() == before
        # Locked as at sign-in: the manager cannot sign in either.
        with pytest.raises(Exception, match="locked"):
            cashier.counter.sign_in("1", "1111")

    def test_an_approver_without_the_permission_is_refused_in_the_dialog(
        self, screen: SellScreen, cashier: Shop, manager: Manager
    ) -> None:
        view = ring_up(screen, "0001")
        manager.will_type(("2", "2222"))  # a second cashier
        screen.void(view.lines[0].id)
        assert manager.said == [
            "this person may not approve this (Void a line): ask a manager who may"
        ]
        assert len(cashier.counter.cart().lines) == 1


class TestPriceAndNoSale:
    def test_a_manager_approves_a_price_change_with_f5(
        self, qtbot: QtBot, screen: SellScreen, cashier: Shop, manager: Manager
    ) -> None:
        ring_up(screen, "4006381333931")
        manager.will_type(("1", "1111"))
        qtbot.keyClick(screen, Qt.Key.Key_F5)
        assert screen.last_toast == (ToastKind.SUCCESS, "Price changed")
        assert cashier.counter.cart().total == Money("2.50", "EUR")
        assert audit(cashier, "ticket.line_repriced") == [(ids(cashier, "2"), ids(cashier, "1"))]

    def test_a_manager_approves_a_no_sale_with_f11(
        self, qtbot: QtBot, screen: SellScreen, cashier: Shop, manager: Manager
    ) -> None:
        manager.will_type(("1", "1111"))
        qtbot.keyClick(screen, Qt.Key.Key_F11)
        assert screen.last_toast == (ToastKind.SUCCESS, "Drawer opened (no sale)")
        assert audit(cashier, "drawer.no_sale") == [(ids(cashier, "2"), ids(cashier, "1"))]

    def test_a_manager_approves_a_no_sale_on_the_shift_screen(
        self, qtbot: QtBot, cashier: Shop, manager: Manager, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(ShiftScreen, "ask_reason", staticmethod(lambda *_: "change for 50"))
        page = ShiftScreen(ShiftDesk(cashier.counter))
        qtbot.addWidget(page)
        manager.will_type(("1", "1111"))
        page.buttons["no_sale"].click()
        assert page.last_toast == (ToastKind.SUCCESS, "Drawer opened")
        assert audit(cashier, "drawer.no_sale") == [(ids(cashier, "2"), ids(cashier, "1"))]


class TestOverTender:
    def test_a_manager_approves_more_change_than_the_limit(
        self, qtbot: QtBot, screen: SellScreen, cashier: Shop, manager: Manager
    ) -> None:
        view = ring_up(screen, "4006381333931")
        dialog = screen.tender_dialog(view)
        qtbot.addWidget(dialog)
        manager.will_type(("1", "1111"))
        for key in "600":  # 600.00 handed over for 3.40: past the 500.00 change limit
            dialog.keypad.press(key)
        dialog.cash_button.click()
        assert dialog.sale is not None
        assert dialog.sale.change == Money("596.60", "EUR")
        assert audit(cashier, "ticket.change_over_limit") == [
            (ids(cashier, "2"), ids(cashier, "1"))
        ]

    def test_card_plus_cash_with_too_much_change_asks_before_the_card_is_charged(
        self, qtbot: QtBot, screen: SellScreen, cashier: Shop, manager: Manager
    ) -> None:
        view = ring_up(screen, "4006381333931")
        dialog = screen.tender_dialog(view)
        qtbot.addWidget(dialog)
        manager.will_type(("1", "1111"))
        dialog.keypad.press("1")
        dialog.card_button.click()  # 1.00 by card, the rest in cash
        for key in "600":  # 600.00 handed over for 2.40: past the 500.00 change limit
            dialog.keypad.press(key)
        dialog.cash_button.click()
        assert len(manager.dialogs) == 1  # asked on the UI thread, before the worker ran
        qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
        dialog.wait_for_payment()
        assert dialog.sale is not None
        assert dialog.sale.change == Money("597.60", "EUR")
        assert audit(cashier, "ticket.change_over_limit") == [
            (ids(cashier, "2"), ids(cashier, "1"))
        ]

    def test_card_plus_cash_without_approval_charges_nothing(
        self, qtbot: QtBot, screen: SellScreen, cashier: Shop, manager: Manager
    ) -> None:
        view = ring_up(screen, "4006381333931")
        dialog = screen.tender_dialog(view)
        qtbot.addWidget(dialog)
        manager.will_type()  # nobody approves
        dialog.keypad.press("1")
        dialog.card_button.click()
        for key in "600":
            dialog.keypad.press(key)
        dialog.cash_button.click()
        assert dialog.worker is None  # the card was never sent to the terminal
        assert dialog.sale is None
        assert dialog.error is not None
        assert "more change than the till may give" in dialog.error
        assert cashier.counter.cart().lines == view.lines

    def test_without_approval_the_tender_dialog_says_why(
        self, qtbot: QtBot, screen: SellScreen, cashier: Shop, manager: Manager
    ) -> None:
        view = ring_up(screen, "4006381333931")
        dialog = screen.tender_dialog(view)
        qtbot.addWidget(dialog)
        manager.will_type()  # the cashier cancels the approval
        for key in "600":
            dialog.keypad.press(key)
        dialog.cash_button.click()
        assert dialog.sale is None
        assert dialog.error is not None
        assert "more change than the till may give" in dialog.error
        assert cashier.counter.cart().lines == view.lines  # still open, as it was


class TestRefund:
    def test_a_cashier_opens_refunds_and_a_manager_approves(
        self, qtbot: QtBot, cashier: Shop, manager: Manager
    ) -> None:
        counter = cashier.counter
        counter.scan("4006381333931")
        receipt = counter.pay([TenderRequest("cash", Money("5.00", "EUR"))], cashier.card)
        refunds = RefundScreen(RefundDesk(counter), cashier.card)
        qtbot.addWidget(refunds)
        refunds.load(receipt.receipt_no)
        refunds.set_quantity(0, "1")
        refunds.reason.edit.setText("cold")
        manager.will_type(("1", "1111"))
        refunds.tender_buttons["cash"].click()
        assert refunds.last_toast is not None
        assert refunds.last_toast[0] is ToastKind.SUCCESS
        assert audit(cashier, "ticket.refunded") == [(ids(cashier, "2"), ids(cashier, "1"))]


class TestSignOut:
    @pytest.fixture
    def windows(self, qtbot: QtBot, tmp_path: Path) -> Iterator[TillWindows]:
        counter = demo_counter(tmp_path)
        windows = TillWindows(counter, SimulatedPaymentTerminal())
        qtbot.addWidget(windows.sign_in)
        windows.show()
        yield windows
        counter.runner.engine.dispose()

    @staticmethod
    def sign_in(qtbot: QtBot, windows: TillWindows, code: str, pin: str) -> SellScreen:
        windows.sign_in.code.edit.setText(code)
        for digit in pin:
            windows.sign_in.keypad.press(digit)
        windows.sign_in.keypad.submit()
        assert windows.window is not None
        qtbot.addWidget(windows.window)
        sell = windows.window.open_screen("sell")
        assert isinstance(sell, SellScreen)
        return sell

    def test_sign_out_parks_the_ticket_for_its_cashier(
        self, qtbot: QtBot, windows: TillWindows
    ) -> None:
        sell = self.sign_in(qtbot, windows, "2", "2222")  # the demo cashier
        sell.scan_code("4006381333931")
        assert windows.sign_out_button is not None
        qtbot.mouseClick(windows.sign_out_button, Qt.MouseButton.LeftButton)
        assert windows.window is None
        assert windows.sign_in.isVisible()
        assert "parked for Demo Cashier" in windows.sign_in.message.text()
        other = self.sign_in(qtbot, windows, "1", "1234")  # the demo manager: an empty ticket
        assert other.cart.view is not None
        assert other.cart.view.lines == ()
        assert len(windows.counter.parked()) == 1  # … who could still Resume it
        assert windows.window is not None
        window = windows.window
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
        qtbot.keyClick(other.scan_box, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        assert windows.window is None
        again = self.sign_in(qtbot, windows, "2", "2222")
        assert again.cart.view is not None
        assert [(x.name, x.quantity) for x in again.cart.view.lines] == [("Café Latte", Decimal(1))]
        assert windows.counter.parked() == []


def test_a_serial_card_reader_swipe_goes_to_the_open_approval(qtbot: QtBot, tmp_path: Path) -> None:
    counter = demo_counter(tmp_path)
    windows = TillWindows(counter, SimulatedPaymentTerminal())
    qtbot.addWidget(windows.sign_in)
    counter.sign_in("2", "2222")
    window = windows.open_till(counter.who())
    qtbot.addWidget(window)
    dialog = OverrideDialog(OverrideDesk(counter), "pos.void", window)
    qtbot.addWidget(dialog)
    dialog.show()  # modal: what the reader sends is the manager's card, not a customer's
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog, timeout=5000)
    windows._scanned(";EMP0001=0000?")
    for digit in "1234":
        dialog.keypad.press(digit)
    dialog.keypad.submit()
    assert dialog.approver is not None
    assert dialog.approver.name == "Demo Manager"
    assert counter.cart().customer_name is None
    counter.runner.engine.dispose()


def test_the_dialog_names_the_one_action_and_fits_the_screen(qtbot: QtBot, cashier: Shop) -> None:
    dialog = OverrideDialog(OverrideDesk(cashier.counter), "pos.refund")
    qtbot.addWidget(dialog)
    dialog.show()
    hint = dialog.sizeHint()
    assert hint.height() <= 600  # fits a 1024×768 screen with a title bar and the header
    assert hint.width() <= 1000
    assert "Refund" in dialog.findChildren(type(dialog.message))[0].text()
