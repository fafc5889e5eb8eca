"""The shift: open with a float, paid-in/out and no-sale with reasons, the X report, and closing
with the drawer counted by denomination (over/short and the Z report on screen)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.printing.report import report_text
from desktop.sales.shifts import MovementKind
from desktop.till.shift_desk import ShiftDesk
from desktop.ui.components.primitives import Button, Input, Size, Toast, ToastKind, Variant
from desktop.ui.theme import space
from shared.errors import NovaError
from shared.money import Money


def ask_reason(parent: QWidget, title: str) -> str | None:
    text, ok = QInputDialog.getText(parent, title, "Reason")
    return text if ok else None


class ShiftScreen(QWidget):
    ask_reason: Callable[[QWidget, str], str | None] = staticmethod(ask_reason)

    def __init__(self, desk: ShiftDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.last_toast: tuple[ToastKind, str] | None = None
        self.setProperty("role", "page")
        self.setAccessibleName("Shift & cash")
        self.report = QLabel("")
        self.report.setAccessibleName("shift report")
        self.report.setWordWrap(True)
        self.amount = Input("Amount", placeholder="0.00", numeric=True, touch=True)
        self.buttons: dict[str, Button] = {}
        row = QGridLayout()  # three a row: whole labels beside the navigation at 1024 px
        row.setSpacing(space("sm"))
        actions: tuple[tuple[str, str, Callable[[], None]], ...] = (
            ("open", "Open shift (float = amount)", self.open_shift),
            ("paid_in", "Paid in", lambda: self.movement("paid_in")),
            ("paid_out", "Paid out", lambda: self.movement("paid_out")),
            ("no_sale", "No sale (open drawer)", lambda: self.movement("no_sale")),
            ("x", "X report", self.x_report),
        )
        for index, (key, label, action) in enumerate(actions):
            button = Button(label, variant=Variant.SECONDARY, size=Size.TOUCH)
            button.clicked.connect(action)
            row.addWidget(button, index // 3, index % 3)
            self.buttons[key] = button
        self.counts: dict[Money, QSpinBox] = {}
        count_grid = QGridLayout()
        count_grid.setSpacing(space("xs"))
        for index, denomination in enumerate(desk.denominations()):
            spin = QSpinBox()
            spin.setRange(0, 100_000)
            spin.setAccessibleName(f"count of {denomination}")
            count_grid.addWidget(QLabel(str(denomination)), index // 5 * 2, index % 5)
            count_grid.addWidget(spin, index // 5 * 2 + 1, index % 5)
            self.counts[denomination] = spin
        self.close_button = Button("Count and close the shift (Z report)", size=Size.TOUCH)
        self.close_button.clicked.connect(self.close_shift)
        layout = QVBoxLayout(self)
        pad = space("lg")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("md"))
        # The report beside the amount and its actions: the page fits a 768-pixel screen.
        top = QHBoxLayout()
        top.setSpacing(space("lg"))
        top.addWidget(self.report, 1)
        actions_column = QVBoxLayout()
        actions_column.addWidget(self.amount)
        actions_column.addLayout(row)
        top.addLayout(actions_column, 2)
        layout.addLayout(top)
        layout.addWidget(QLabel("Cash in the drawer, by note and coin:"))
        layout.addLayout(count_grid)
        layout.addWidget(self.close_button)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        try:
            report = self.desk.report()
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        open_ = report is not None
        self.report.setText(report_text(report) if report else "No shift is open.")
        self.buttons["open"].setEnabled(not open_)
        for key in ("paid_in", "paid_out", "no_sale", "x"):
            self.buttons[key].setEnabled(open_)
        self.close_button.setEnabled(open_)

    def x_report(self) -> None:
        """Refresh the X report on screen and, with a printer, print it."""
        self.refresh()
        try:
            self.desk.print_x()
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)

    def open_shift(self) -> None:
        self._do(lambda: self.desk.open(self.amount.edit.text() or "0"), "Shift open")

    def movement(self, kind: MovementKind) -> None:
        reason = type(self).ask_reason(self, kind.replace("_", " ").capitalize())
        if reason is None:
            return
        amount = None if kind == "no_sale" else self.amount.edit.text()
        done = {"paid_in": "Paid in recorded", "paid_out": "Paid out recorded"}
        self._do(lambda: self.desk.movement(kind, reason, amount), done.get(kind, "Drawer opened"))

    def close_shift(self) -> None:
        counted = {d: spin.value() for d, spin in self.counts.items() if spin.value()}
        try:
            z = self.desk.close(counted)
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        over_short = Money.from_minor(int(z["over_short_minor"]), z["currency"])
        self.toast(f"Shift closed — over/short {over_short}", ToastKind.SUCCESS)
        self.refresh()
        self.report.setText(report_text(z))

    def _do(self, action: Callable[[], None], success: str) -> None:
        try:
            action()
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.amount.edit.clear()
        self.toast(success, ToastKind.SUCCESS)
        self.refresh()

    def toast(self, message: str, kind: ToastKind) -> None:
        self.last_toast = (kind, message)
        Toast.show_message(self, message, kind)
