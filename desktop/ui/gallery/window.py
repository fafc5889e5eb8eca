"""The gallery window: our Storybook of Qt primitives, light and dark side by side."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.components.primitives import (
    Button,
    Card,
    ConfirmDialog,
    Input,
    KeypadMode,
    NumericKeypad,
    Size,
    Toast,
    ToastKind,
    Variant,
)
from desktop.ui.theme import Theme, apply_theme, space

STATES = ("normal", "disabled", "busy")
PINNED_MS = 24 * 3600 * 1000  # gallery toasts stay put


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "heading")
    return label


def _buttons() -> QWidget:
    box = QWidget()
    grid = QGridLayout(box)
    grid.setSpacing(space("sm"))
    for col, state in enumerate(STATES, start=1):
        grid.addWidget(QLabel(state), 0, col)
    row = 1
    for size in Size:
        for variant in Variant:
            grid.addWidget(QLabel(f"{variant.value} / {size.value}"), row, 0)
            for col, state in enumerate(STATES, start=1):
                name = f"{variant.value} {size.value} {state}"
                button = Button("Pay", variant=variant, size=size, accessible_name=name)
                if state == "disabled":
                    button.setEnabled(False)
                elif state == "busy":
                    button.set_busy(True)
                grid.addWidget(button, row, col)
            row += 1
    return box


def _inputs() -> QWidget:
    box = QWidget()
    grid = QGridLayout(box)
    grid.setSpacing(space("md"))
    plain = Input("Customer email", placeholder="name@example.com", helper="For the receipt")
    error = Input("Quantity", helper="Whole or weighed", numeric=True)
    error.set_text("0")
    error.set_error("Quantity must be more than zero")
    numeric = Input("Amount", placeholder="0.00", numeric=True)
    touch = Input("Search or scan", placeholder="Name, SKU or barcode", touch=True)
    disabled = Input("Receipt number", helper="Filled in by the printer")
    disabled.edit.setEnabled(False)
    for i, field in enumerate((plain, error, numeric, touch, disabled)):
        grid.addWidget(field, i // 2, i % 2)
    return box


def _feedback() -> QWidget:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setSpacing(space("sm"))
    for kind, text in (
        (ToastKind.SUCCESS, "Sale 0042 completed"),
        (ToastKind.ERROR, "Printer offline — the receipt is queued"),
        (ToastKind.INFO, "3 changes waiting to sync"),
    ):
        toast = Toast(box, text, kind, duration_ms=PINNED_MS)
        column.addWidget(toast)
    card = Card("Shift", "No shift is open. Open one with a cash float to start selling.")
    card.add_action(Button("Open shift", size=Size.TOUCH))
    column.addWidget(card)
    dialog = ConfirmDialog(
        "Void line?",
        "Remove 2 × Latte from the ticket.",
        confirm="Void line",
        cancel="Keep",
        danger=True,
    )
    dialog.setWindowFlags(Qt.WindowType.Widget)  # shown inline, never modal here
    column.addWidget(dialog)
    return box


def _keypads() -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    amount = NumericKeypad(KeypadMode.AMOUNT)
    for key in "12.5":
        amount.press(key)
    pin = NumericKeypad(KeypadMode.PIN)
    for key in "1234":
        pin.press(key)
    row.addWidget(amount)
    row.addWidget(pin)
    return box


def theme_panel(theme: Theme) -> QWidget:
    """Every primitive, styled with `theme` (applied to this subtree only)."""
    panel = QWidget()
    panel.setProperty("role", "page")
    panel.setAccessibleName(f"{theme} theme")
    layout = QVBoxLayout(panel)
    pad = space("xl")
    layout.setContentsMargins(pad, pad, pad, pad)
    layout.setSpacing(space("lg"))
    title = QLabel(f"{theme.capitalize()} theme")
    title.setProperty("role", "display")
    layout.addWidget(title)
    for heading, section in (
        ("Buttons", _buttons()),
        ("Inputs", _inputs()),
        ("Toasts, card and dialog", _feedback()),
        ("Numeric keypads", _keypads()),
    ):
        layout.addWidget(_heading(heading))
        layout.addWidget(section)
    layout.addStretch(1)
    apply_theme(panel, theme)
    return panel


class GalleryWindow(QMainWindow):
    """Both themes side by side in one scrollable window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Nova POS — design system gallery")
        self.content = QWidget()
        row = QHBoxLayout(self.content)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.panels = {theme: theme_panel(theme) for theme in ("light", "dark")}
        for panel in self.panels.values():
            row.addWidget(panel)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.content)
        self.setCentralWidget(scroll)
        apply_theme(self, "light")
