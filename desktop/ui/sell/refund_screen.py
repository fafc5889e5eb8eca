"""Refunds: find the sale by receipt number (typed or scanned), pick lines and quantities,
choose where the money goes. Every cashier can open it; one without `pos.refund` calls a manager
to the till, who approves this one refund in the override dialog."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.hardware.payment_terminal import PaymentTerminal
from desktop.sales.checkout import TenderKind
from desktop.staff.service import Actor
from desktop.till.override import OverrideDesk
from desktop.till.refund_desk import RefundDesk, SaleToRefund
from desktop.ui.components.primitives import Button, Input, Size, Toast, ToastKind, Variant
from desktop.ui.sell.override_dialog import run_approved
from desktop.ui.theme import space
from shared.errors import NovaError

COLUMNS = ("Item", "Sold", "Left", "Refund", "Back on shelf")


class RefundScreen(QWidget):
    def __init__(
        self, desk: RefundDesk, payment_terminal: PaymentTerminal, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.overrides = OverrideDesk(desk.counter)
        self.payment_terminal = payment_terminal
        self.sale: SaleToRefund | None = None
        self.last_toast: tuple[ToastKind, str] | None = None
        self.setProperty("role", "page")
        self.setAccessibleName("Refunds")
        self.receipt_box = QLineEdit()
        self.receipt_box.setPlaceholderText("Receipt number (type or scan the receipt), Enter")
        self.receipt_box.setAccessibleName("receipt number")
        self.receipt_box.setProperty("density", Size.TOUCH.value)
        self.receipt_box.returnPressed.connect(lambda: self.load(self.receipt_box.text()))
        self.heading = QLabel("")
        self.heading.setProperty("role", "title")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("lines of the sale")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the item's name
        self.reason = Input("Reason", placeholder="e.g. damaged, wrong size")
        self.tender_buttons: dict[str, Button] = {}
        tenders = QHBoxLayout()
        choices: tuple[tuple[TenderKind, str], ...] = (
            ("cash", "Refund in cash"),
            ("card", "To the card"),
            ("voucher", "To the voucher"),
            ("points", "As points"),
        )
        for kind, label in choices:
            button = Button(label, variant=Variant.SECONDARY, size=Size.TOUCH)
            button.clicked.connect(lambda _=False, k=kind: self.refund(k))
            button.setEnabled(False)
            tenders.addWidget(button)
            self.tender_buttons[kind] = button
        self.copy_button = Button("Print a copy", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.copy_button.setToolTip("The sale's receipt again, headed COPY")
        self.copy_button.clicked.connect(self.print_copy)
        self.copy_button.setEnabled(False)
        tenders.addStretch(1)
        tenders.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        pad = space("lg")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("md"))
        layout.addWidget(self.receipt_box)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.reason)
        layout.addLayout(tenders)

    def load(self, receipt_no: str) -> None:
        try:
            sale = self.desk.find(receipt_no.strip())
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.sale = sale
        self.heading.setText(f"Sale {sale.receipt_no} · {sale.total}")
        self.table.setRowCount(len(sale.lines))
        for row, line in enumerate(sale.lines):
            cells = (line.name, str(line.sold), str(line.left), "0", "")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 3:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                else:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if column == 4:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Checked)
                self.table.setItem(row, column, item)
        # Money goes back the way it came, or in cash.
        for kind, button in self.tender_buttons.items():
            button.setEnabled(kind == "cash" or kind in sale.paid_with)
        self.copy_button.setEnabled(True)

    def print_copy(self) -> None:
        if self.sale is None:
            return
        try:
            self.desk.print_copy(self.sale)
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.toast(f"Copy of {self.sale.receipt_no} sent to the printer", ToastKind.SUCCESS)

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None  # every cell is filled by `load`
        return item

    def set_quantity(self, row: int, quantity: str, *, restock: bool = True) -> None:
        """What a cashier types into the Refund column (and the shelf tick box)."""
        self._cell(row, 3).setText(quantity)
        state = Qt.CheckState.Checked if restock else Qt.CheckState.Unchecked
        self._cell(row, 4).setCheckState(state)

    def _picks(self) -> list[tuple[uuid.UUID, Decimal, bool]]:
        assert self.sale is not None
        picks: list[tuple[uuid.UUID, Decimal, bool]] = []
        for row, line in enumerate(self.sale.lines):
            text = self._cell(row, 3).text().strip().replace(",", ".") or "0"
            try:
                qty = Decimal(text)
            except InvalidOperation:
                qty = Decimal(-1)  # the engine words the error
            restock = self._cell(row, 4).checkState() == Qt.CheckState.Checked
            if qty != 0:
                picks.append((line.line_id, qty, restock))
        return picks

    def refund(self, tender: TenderKind) -> None:
        if self.sale is None:
            self.toast("find the sale first: type or scan its receipt number", ToastKind.ERROR)
            return
        sale, picks, reason = self.sale, self._picks(), self.reason.edit.text()

        def attempt(approver: Actor | None = None) -> None:
            done = self.desk.refund(
                sale,
                picks,
                tender=tender,
                reason=reason,
                payment_terminal=self.payment_terminal,
                approver=approver,
            )
            self.toast(f"Refunded {done.amount} — receipt {done.receipt_no}", ToastKind.SUCCESS)
            self.reason.edit.clear()
            self.load(sale.receipt_no)

        try:
            if not run_approved(self, self.overrides, attempt):
                self.toast("no manager approved it: nothing was refunded", ToastKind.INFO)
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)

    def toast(self, message: str, kind: ToastKind) -> None:
        self.last_toast = (kind, message)
        Toast.show_message(self, message, kind)
