"""Tender: cash with quick amounts, card, points and split payments, then finalize once.

The dialog only collects `TenderRequest`s; the till's `pay` validates and writes everything in
one transaction, so a declined card or a short payment leaves the ticket open and unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_CEILING, Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.sales.checkout import TenderRequest
from desktop.till.views import SaleDone
from desktop.ui.components.primitives import (
    Button,
    KeypadMode,
    NumericKeypad,
    Size,
    Variant,
)
from desktop.ui.sell.pay_worker import PayWorker
from desktop.ui.theme import size, space
from shared.errors import NovaError
from shared.money import Money, sum_money


def quick_amounts(due: Money) -> list[Money]:
    """Exact, then the next round notes a customer is likely to hand over."""
    amounts = [due]
    for step in (Decimal(5), Decimal(10), Decimal(20), Decimal(50)):
        rounded = (due.amount / step).to_integral_value(rounding=ROUND_CEILING) * step
        candidate = Money(rounded, due.currency)
        if candidate > due and candidate not in amounts:
            amounts.append(candidate)
    return amounts[:4]


class TenderDialog(QDialog):
    def __init__(
        self,
        due: Money,
        pay: Callable[[list[TenderRequest], bool], SaleDone],
        parent: QWidget | None = None,
        *,
        offer_receipt: bool = False,
        cancel_card: Callable[[], None] | None = None,
        before_card: Callable[[list[TenderRequest]], None] | None = None,
    ) -> None:
        super().__init__(parent)
        # Runs on the UI thread before a card payment goes to its worker: what needs a person
        # (a manager approving more change than the limit) is asked here, never in the worker.
        self._before_card = before_card
        self.setWindowTitle("Take payment")
        self.setAccessibleName("take payment")
        self.setModal(True)
        self.due = due
        self._pay = pay
        self.tenders: list[TenderRequest] = []
        self.sale: SaleDone | None = None
        self.worker: PayWorker | None = None
        self.busy = False
        self.error: str | None = None

        self.remaining_label = QLabel()
        self.remaining_label.setProperty("role", "title")
        self.remaining_label.setAccessibleName("still due")
        self.taken = QListWidget()
        self.taken.setAccessibleName("tenders taken")
        self.taken.setProperty("role", "tenders")
        self.keypad = NumericKeypad(KeypadMode.AMOUNT)
        self.keypad.submitted.connect(lambda value: self.add("cash", value))
        quick = QGridLayout()
        quick.setSpacing(space("sm"))
        self.quick_buttons: list[Button] = []
        for index, amount in enumerate(quick_amounts(due)):
            label = "Exact" if amount == due else str(amount)
            button = Button(label, variant=Variant.SECONDARY, size=Size.TOUCH)
            button.clicked.connect(lambda _=False, a=amount: self.add("cash", str(a.amount)))
            quick.addWidget(button, index // 2, index % 2)
            self.quick_buttons.append(button)
        self.cash_button = Button("Cash (typed amount)", size=Size.TOUCH)
        self.cash_button.clicked.connect(lambda: self.add("cash", self.keypad.value))
        self.card_button = Button("Card", size=Size.TOUCH, accessible_name="pay the rest by card")
        self.card_button.clicked.connect(lambda: self.add("card", self.keypad.value or None))
        self.points_button = Button("Points", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.points_button.clicked.connect(lambda: self.add("points", self.keypad.value or None))
        # The customer may not want paper: asked before paying, printed after the commit.
        self.receipt_button = Button("Print receipt", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.receipt_button.setCheckable(True)
        self.receipt_button.setChecked(True)
        self.receipt_button.setVisible(offer_receipt)
        self.receipt_button.toggled.connect(
            lambda on: self.receipt_button.setText("Print receipt" if on else "No receipt")
        )
        # While the card terminal works, its payment can be aborted from the till.
        self.abort_card_button = Button(
            "Cancel card payment", variant=Variant.DANGER, size=Size.TOUCH
        )
        self.abort_card_button.setVisible(False)
        self._cancel_card = cancel_card
        self.abort_card_button.clicked.connect(self.abort_card)
        self.cancel_button = Button("Back to the ticket", variant=Variant.GHOST, size=Size.TOUCH)
        self.cancel_button.clicked.connect(self.reject)
        # What went wrong is said under the buttons the cashier just pressed, never only in
        # a toast at the bottom of the dialog.
        self.message = QLabel("")
        self.message.setProperty("role", "alert")
        self.message.setAccessibleName("payment message")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        methods = QGridLayout()
        methods.setSpacing(space("sm"))
        methods.addWidget(self.cash_button, 0, 0, 1, 2)
        methods.addWidget(self.card_button, 1, 0)
        methods.addWidget(self.points_button, 1, 1)
        # Two columns, so the whole dialog fits a 768-pixel-high screen under a title bar:
        # amounts and keypad on the left, ways to pay and what happened on the right.
        left = QVBoxLayout()
        left.setSpacing(space("md"))
        left.addWidget(QLabel(f"Total {due}"))
        left.addWidget(self.remaining_label)
        left.addLayout(quick)
        left.addWidget(self.keypad)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(space("md"))
        right.addLayout(methods)
        right.addWidget(self.message)
        right.addWidget(self.abort_card_button)
        right.addWidget(self.taken, 1)
        right.addWidget(self.receipt_button)
        right.addWidget(self.cancel_button)
        layout = QHBoxLayout(self)
        pad = space("xl")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("xl"))
        layout.addLayout(left)
        layout.addLayout(right, 1)
        self.taken.setMinimumWidth(size("toast_width"))
        self._refresh()

    @property
    def receipt_wanted(self) -> bool:
        return self.receipt_button.isChecked()

    @property
    def remaining(self) -> Money:
        paid = sum_money((t.amount for t in self.tenders), self.due.currency)
        return self.due - paid

    def add(self, kind: str, value: str | None) -> None:
        """Add a tender: an amount typed (or a quick amount), or — for card/points — the rest.

        Once the tenders cover what is due, the sale is finalized in one go.
        """
        self.error = None
        self.message.setVisible(False)
        try:
            amount = Money(value, self.due.currency) if value else self.remaining
        except NovaError as exc:
            self._fail(exc.message)
            return
        if amount.amount <= 0:
            self._fail("enter an amount first")
            return
        self.tenders.append(TenderRequest(kind, amount))  # type: ignore[arg-type]
        self.keypad.clear()
        if self.remaining.amount <= 0:
            self._finish()
        self._refresh()

    def _finish(self) -> None:
        tenders = list(self.tenders)
        if any(t.kind == "card" for t in tenders):
            if self._before_card is not None:
                try:
                    self._before_card(tenders)
                except NovaError as exc:
                    self._refused(exc.message)
                    return
            # The card terminal may take a while: pay in a worker, keep the screen alive.
            receipt = self.receipt_wanted
            self.worker = PayWorker(lambda: self._pay(tenders, receipt))
            self.worker.paid.connect(self._paid)
            self.worker.refused.connect(self._refused)
            self._set_busy(True)
            self.worker.start()
            return
        try:
            self._paid(self._pay(tenders, self.receipt_wanted))
        except NovaError as exc:
            self._refused(exc.message)

    def _paid(self, sale: SaleDone) -> None:
        self._set_busy(False)
        self.sale = sale
        self.accept()

    def _refused(self, message: str) -> None:
        # A declined card or a refused tender: start the tendering again, ticket unchanged.
        self._set_busy(False)
        self.tenders.clear()
        self._fail(message)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.card_button.set_busy(busy, label="Waiting for the card terminal…")
        for button in (
            self.cash_button,
            self.points_button,
            self.cancel_button,
            *self.quick_buttons,
        ):
            button.setEnabled(not busy)
        self.keypad.setEnabled(not busy)
        self.abort_card_button.setVisible(busy and self._cancel_card is not None)

    def abort_card(self) -> None:
        """Ask the terminal to abort; its answer (declined/aborted) ends the wait as usual."""
        if self._cancel_card is None:
            return
        try:
            self._cancel_card()
        except (NovaError, OSError) as exc:
            self.show_error(f"the card terminal did not take the cancel: {exc}")

    def wait_for_payment(self, timeout_ms: int = 30_000) -> None:
        """Block until a card payment in progress is over (tests, closing the app)."""
        if self.worker is not None:
            self.worker.wait(timeout_ms)

    def _fail(self, message: str) -> None:
        self.show_error(message)
        self._refresh()

    def show_error(self, message: str) -> None:
        """Say why the payment did not go through, under the payment buttons."""
        self.error = message
        self.message.setText(message)
        self.message.setVisible(True)

    def _refresh(self) -> None:
        self.taken.clear()
        for tender in self.tenders:
            self.taken.addItem(f"{tender.kind}: {tender.amount}")
        remaining = self.remaining
        text = f"Still due {remaining}" if remaining.amount > 0 else f"Change {-remaining}"
        self.remaining_label.setText(text)
        self.keypad.setFocus(Qt.FocusReason.OtherFocusReason)
