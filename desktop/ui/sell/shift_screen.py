"""The shift: open with a float, paid-in/out, cash drops and no-sale with reasons; for whoever
opened it (or a manager): a blind count by note and coin, a confirm step with over/short before
the close is final and the Z report; for managers the X report and the Z history with reprints
marked COPY."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.printing.report import report_text
from desktop.sales.shifts import CountCheck, MovementKind
from desktop.till.override import OverrideDesk
from desktop.till.shift_desk import ShiftDesk
from desktop.ui.components.primitives import Button, Card, Input, Size, Toast, ToastKind, Variant
from desktop.ui.components.prompts import TextPrompt
from desktop.ui.sell.override_dialog import run_approved
from desktop.ui.theme import space
from shared.errors import NovaError
from shared.money import Money

NEXT_SHIFT = (
    "No shift is open. To start the next one: put the float in the drawer, type it under "
    "Amount and press Open shift."
)


def ask_reason(parent: QWidget, title: str) -> str | None:
    return TextPrompt.ask(parent, title, "Reason")


class ShiftScreen(QWidget):
    ask_reason: Callable[[QWidget, str], str | None] = staticmethod(ask_reason)

    def __init__(self, desk: ShiftDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.overrides = OverrideDesk(desk.counter)
        self.last_toast: tuple[ToastKind, str] | None = None
        self.setProperty("role", "page")
        self.setAccessibleName("Shift & cash")
        self.status = QLabel("")
        self.status.setAccessibleName("shift status")
        self.status.setWordWrap(True)
        self.report = QLabel("")
        self.report.setAccessibleName("shift report")
        self.report.setWordWrap(True)
        self.report.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.amount = Input("Amount", placeholder="0.00", numeric=True, touch=True)
        self.buttons: dict[str, Button] = {}
        actions: tuple[tuple[str, str, Callable[[], None]], ...] = (
            ("open", "Open shift", self.open_shift),
            ("paid_in", "Paid in", lambda: self.movement("paid_in")),
            ("paid_out", "Paid out", lambda: self.movement("paid_out")),
            ("drop", "Cash drop", lambda: self.movement("drop")),
            ("no_sale", "No sale", lambda: self.movement("no_sale")),
            ("x", "X report", self.x_report),
        )
        cash_grid = QGridLayout()
        cash_grid.setSpacing(space("xs"))
        for index, (key, label, action) in enumerate(actions):
            button = Button(label, variant=Variant.SECONDARY, size=Size.TOUCH)
            button.clicked.connect(action)
            cash_grid.addWidget(button, index // 2, index % 2)
            self.buttons[key] = button
        left = QVBoxLayout()
        left.setSpacing(space("md"))
        left.addWidget(self.status)
        left.addWidget(self.amount)
        left.addLayout(cash_grid)
        # The X report is long: it scrolls rather than pushing the history off a 768 px screen.
        report_area = QScrollArea()
        report_area.setWidgetResizable(True)
        report_area.setFrameShape(QFrame.Shape.NoFrame)
        report_area.setWidget(self.report)
        left.addWidget(report_area, 2)
        left.addWidget(self._history_panel(), 1)
        right = QVBoxLayout()
        right.setSpacing(space("md"))
        right.addWidget(self._count_panel())
        right.addWidget(self._confirm_panel())
        right.addStretch(1)
        layout = QHBoxLayout(self)
        pad = space("lg")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("lg"))
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)
        self.refresh()

    def _count_panel(self) -> QWidget:
        """The blind count: notes and coins of the till's currency, nothing expected shown."""
        self.count_panel = QWidget()
        self.counts: dict[Money, QSpinBox] = {}
        grid = QGridLayout()
        grid.setSpacing(space("xs"))
        for index, denomination in enumerate(self.desk.denominations()):
            spin = QSpinBox()
            spin.setRange(0, 100_000)
            # A count is a few digits: the boxes share the column rather than claim their
            # six-digit width and squeeze the cash buttons beside them at 1024 px.
            spin.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            spin.setAccessibleName(f"count of {denomination}")
            spin.valueChanged.connect(self._counting)
            row, cell = index // 4 * 2, index % 4
            grid.addWidget(QLabel(str(denomination)), row, cell)
            grid.addWidget(spin, row + 1, cell)
            self.counts[denomination] = spin
        self.close_button = Button("Count done: check it", size=Size.TOUCH)
        self.close_button.clicked.connect(self.close_shift)
        column = QVBoxLayout(self.count_panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(space("sm"))
        column.addWidget(QLabel("Count the drawer, note by note and coin by coin:"))
        column.addLayout(grid)
        column.addWidget(self.close_button)
        return self.count_panel

    def _confirm_panel(self) -> QWidget:
        """Counted, expected and over/short, shown before the close is final."""
        self.confirm = Card("Close the shift?")
        self.confirm.setAccessibleName("close confirmation")
        self.confirm_text = QLabel("")
        self.confirm_text.setAccessibleName("count check")
        self.confirm_text.setWordWrap(True)
        self.confirm.body_layout.addWidget(self.confirm_text)
        self.back_button = Button("Back to the count", variant=Variant.SECONDARY)
        self.back_button.clicked.connect(self.back_to_count)
        self.confirm_button = Button("Close and print Z")
        self.confirm_button.clicked.connect(self.confirm_close)
        self.confirm.add_action(self.back_button)
        self.confirm.add_action(self.confirm_button)
        self.confirm.hide()
        return self.confirm

    def _history_panel(self) -> QWidget:
        """Past Z reports; any of them shown again or reprinted, marked COPY."""
        self.history_panel = QWidget()
        self.history = QListWidget()
        self.history.setAccessibleName("Z history")
        self.history.setWordWrap(True)
        self.history.currentItemChanged.connect(lambda *_: self.show_past_z())
        self.reprint_button = Button("Reprint (COPY)", variant=Variant.SECONDARY)
        self.reprint_button.clicked.connect(self.reprint)
        column = QVBoxLayout(self.history_panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(space("xs"))
        column.addWidget(QLabel("Past Z reports:"))
        column.addWidget(self.history, 1)
        column.addWidget(self.reprint_button)
        return self.history_panel

    def refresh(self) -> None:
        try:
            summary = self.desk.summary()
            manager = self.desk.manages_shifts()
            counts = self.desk.may_count(summary)
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        open_ = summary is not None
        if summary is None:
            self.status.setText(NEXT_SHIFT)
        else:
            since = summary.opened_at.astimezone().strftime("%Y-%m-%d %H:%M")
            self.status.setText(
                f"Shift open since {since} by {summary.opened_by} · float "
                f"{summary.float_amount} · {summary.sales_count} sale(s)"
            )
        self.buttons["open"].setEnabled(not open_)
        for key in ("paid_in", "paid_out", "drop", "no_sale"):
            self.buttons[key].setEnabled(open_)
        self.buttons["x"].setVisible(manager)
        self.buttons["x"].setEnabled(open_)
        # Whoever opened the shift counts it; a manager may count anyone's (or see it closed).
        self.count_panel.setVisible(manager or counts)
        self.count_panel.setEnabled(open_ and counts and self.confirm.isHidden())
        self.history_panel.setVisible(manager)
        if manager:
            self._fill_history()

    def _fill_history(self) -> None:
        self.history.blockSignals(True)
        self.history.clear()
        for past in self.desk.history():
            closed = past.closed_at.astimezone().strftime("%Y-%m-%d %H:%M")
            item = QListWidgetItem(f"Z {past.z_number} · {closed} · {past.gross}")
            item.setData(Qt.ItemDataRole.UserRole, str(past.shift_id))
            self.history.addItem(item)
        self.history.blockSignals(False)
        self.reprint_button.setEnabled(False)

    def _counting(self) -> None:
        # Blind count: an X report left on screen would show the expected cash while counting.
        if self.report.property("kind") == "x":
            self.report.clear()
            self.report.setProperty("kind", None)

    def x_report(self) -> None:
        """The X report on screen and, with a printer, on paper."""
        try:
            report = self.desk.report()
            self.desk.print_x()
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.report.setText(report_text(report) if report else "")
        self.report.setProperty("kind", "x")

    def open_shift(self) -> None:
        self._do(lambda: self.desk.open(self.amount.edit.text() or "0"), "Shift open")

    def movement(self, kind: MovementKind) -> None:
        titles = {"paid_in": "Paid in", "paid_out": "Paid out", "drop": "Cash drop"}
        reason = type(self).ask_reason(self, titles.get(kind, "No sale"))
        if reason is None:
            return
        amount = None if kind == "no_sale" else self.amount.edit.text()
        done = {
            "paid_in": "Paid in recorded",
            "paid_out": "Paid out recorded",
            "drop": "Cash drop recorded",
        }
        success = done.get(kind, "Drawer opened")
        try:
            # A cashier's no-sale: a manager may approve it here, as on the sell screen.
            approved = run_approved(
                self, self.overrides, lambda who: self.desk.movement(kind, reason, amount, who)
            )
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        if not approved:
            self.toast("no manager approved it: the drawer stays shut", ToastKind.INFO)
            return
        self.amount.edit.clear()
        self.toast(success, ToastKind.SUCCESS)
        self.refresh()

    def _counted(self) -> dict[Money, int]:
        return {d: spin.value() for d, spin in self.counts.items() if spin.value()}

    def close_shift(self) -> None:
        """The count is entered: show counted, expected and over/short before anything is final."""
        try:
            check = self.desk.check(self._counted())
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.confirm_text.setText(_check_text(check))
        self.confirm.show()
        self.count_panel.setEnabled(False)
        self.confirm_button.setFocus()

    def back_to_count(self) -> None:
        """Cancel the close: the counts stay as entered, to be corrected."""
        self.confirm.hide()
        self.count_panel.setEnabled(True)
        self.close_button.setFocus()

    def confirm_close(self) -> None:
        try:
            z, doc = self.desk.close(self._counted())
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.confirm.hide()
        for spin in self.counts.values():
            spin.setValue(0)  # the next shift counts from zero
        over_short = Money.from_minor(int(z["over_short_minor"]), z["currency"])
        self.toast(
            f"Shift closed, Z report No. {doc.z_number} — over/short {over_short}",
            ToastKind.SUCCESS,
        )
        self.refresh()
        self.report.setText(f"Z REPORT No. {doc.z_number}\n{report_text(z)}")
        self.report.setProperty("kind", "z")
        self.amount.setFocus()

    def _selected_shift(self) -> uuid.UUID | None:
        item = self.history.currentItem()
        return None if item is None else uuid.UUID(item.data(Qt.ItemDataRole.UserRole))

    def show_past_z(self) -> None:
        shift_id = self._selected_shift()
        self.reprint_button.setEnabled(shift_id is not None)
        if shift_id is None:
            return
        try:
            doc = self.desk.past_z(shift_id)
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.report.setText(
            f"COPY of Z REPORT No. {doc.z_number} · closed {doc.closed}\n"
            f"Sales {doc.sales_count} · {doc.currency} {doc.gross.amount:.2f} · "
            f"over/short {doc.over_short.amount:.2f}"
        )
        self.report.setProperty("kind", "copy")

    def reprint(self) -> None:
        shift_id = self._selected_shift()
        if shift_id is None:
            return
        try:
            doc = self.desk.reprint(shift_id)
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.toast(f"Copy of Z report No. {doc.z_number} sent to the printer", ToastKind.SUCCESS)

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


def _check_text(check: CountCheck) -> str:
    diff = check.over_short
    word = "Over" if diff.amount > 0 else "Short" if diff.amount < 0 else "Even"
    size = diff if diff.amount >= 0 else -diff
    text = f"Counted {check.counted}\nExpected {check.expected}\n{word} {size}"
    if not check.counted.amount:
        text += "\nNothing was counted: go back and enter the notes and coins."
    return text
