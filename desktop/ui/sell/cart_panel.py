"""The cart: lines with quantity and total (a line's discount under it), +/−/void on the
selected line, the totals with the ticket's discount. Tapping the selected line again clears
the selection: Discount then applies to the whole ticket."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.till.views import CartLine, CartView
from desktop.ui.components.primitives import Button, Size, Variant
from desktop.ui.theme import space


def _quantity(line_qty: object) -> str:
    text = str(line_qty)
    return text if "." in text else f"{text} ×"


def discount_text(line: CartLine) -> str:
    """ "−10 % · −0.35" (a percent off) or "−0.50" (an amount off); empty without a discount."""
    if line.discount is None:
        return ""
    amount = f"−{line.discount.amount}"
    if line.discount_percent is None:
        return amount
    return f"−{line.discount_percent.normalize():f} % · {amount}"


class CartPanel(QWidget):
    """Renders a `CartView`; emits what the cashier asked for, the screen calls the till."""

    bump = Signal(object, int)  # line id, +1 / -1
    void = Signal(object)  # line id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("cart")
        self.lines = QListWidget()
        self.lines.setAccessibleName("cart lines")
        self.lines.setProperty("role", "cart")
        self.lines.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # focus stays in the scan box
        self.lines.itemPressed.connect(self._pressed)
        self.lines.itemClicked.connect(self._clicked)
        self._was_selected: QListWidgetItem | None = None
        self.customer = QLabel("")
        self.customer.setProperty("role", "helper")
        self.net = QLabel()
        self.tax = QLabel()
        self.ticket_discount = QLabel()
        self.ticket_discount.setProperty("role", "helper")
        self.ticket_discount.setAccessibleName("ticket discount")
        self.total = QLabel()
        self.total.setProperty("role", "title")
        self.total.setAccessibleName("total due")
        self.plus = Button(
            "+", variant=Variant.SECONDARY, size=Size.TOUCH, accessible_name="one more"
        )
        self.minus = Button(
            "−", variant=Variant.SECONDARY, size=Size.TOUCH, accessible_name="one less"
        )
        self.remove = Button("Void line (F9)", variant=Variant.DANGER, size=Size.TOUCH)
        for button in (self.plus, self.minus, self.remove):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.plus.clicked.connect(lambda: self._emit_bump(+1))
        self.minus.clicked.connect(lambda: self._emit_bump(-1))
        self.remove.clicked.connect(self._emit_void)
        actions = QGridLayout()
        actions.setSpacing(space("sm"))
        actions.addWidget(self.minus, 0, 0)
        actions.addWidget(self.plus, 0, 1)
        actions.addWidget(self.remove, 0, 2)
        totals = QGridLayout()
        for row, (label, value) in enumerate(
            (("Net", self.net), ("Tax", self.tax), ("Total", self.total))
        ):
            totals.addWidget(QLabel(label), row, 0)
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            totals.addWidget(value, row, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(space("sm"))
        layout.addWidget(self.customer)
        layout.addWidget(self.lines, 1)
        layout.addLayout(actions)
        layout.addWidget(self.ticket_discount, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(totals)
        self.view: CartView | None = None

    def show_cart(self, view: CartView) -> None:
        self.view = view
        self.lines.clear()
        selected = None
        for line in view.lines:
            extras = f"\n   {', '.join(line.modifiers)}" if line.modifiers else ""
            if line.discount is not None:
                extras += f"\n   {discount_text(line)}"
            text = f"{_quantity(line.quantity)} {line.name}{extras}\t{line.total}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, line.id)
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole, f"{line.quantity} {line.name}, {line.total}"
            )
            self.lines.addItem(item)
            if line.id == view.last_added:
                selected = item
        if selected is None and self.lines.count():
            selected = self.lines.item(self.lines.count() - 1)
        if selected is not None:
            self.lines.setCurrentItem(selected)
            self.lines.scrollToItem(selected)
        self.net.setText(str(view.net))
        self.tax.setText(str(view.tax))
        self.total.setText(str(view.total))
        self._show_ticket_discount(view)
        if view.customer_name:
            self.customer.setText(f"{view.customer_name} · {view.customer_points} points")
        else:
            self.customer.setText("No customer")
        has_line = bool(view.lines)
        for button in (self.plus, self.minus, self.remove):
            button.setEnabled(has_line)

    def _show_ticket_discount(self, view: CartView) -> None:
        off = view.ticket_discount
        self.ticket_discount.setText(f"Ticket discount −{off.amount}" if off is not None else "")
        self.ticket_discount.setVisible(off is not None)

    def _pressed(self, item: QListWidgetItem) -> None:
        # Noted before the click selects it: a tap on the line already selected deselects it.
        self._was_selected = item if item.isSelected() else None

    def _clicked(self, item: QListWidgetItem) -> None:
        if item is self._was_selected:
            self.clear_selection()
        self._was_selected = None

    def clear_selection(self) -> None:
        """No line selected: Discount applies to the whole ticket; +/− and void wait."""
        self.lines.setCurrentRow(-1)
        self.lines.clearSelection()

    def selected_line(self) -> uuid.UUID | None:
        item: QListWidgetItem | None = self.lines.currentItem()
        if item is not None and not item.isSelected():
            item = None  # deselected: the ticket, not a line
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, uuid.UUID) else None

    def _emit_bump(self, delta: int) -> None:
        line = self.selected_line()
        if line is not None:
            self.bump.emit(line, delta)

    def _emit_void(self) -> None:
        line = self.selected_line()
        if line is not None:
            self.void.emit(line)
