"""Touch-sized questions the counter asks: a line of text (a void's reason), one choice of a
few (this line or the whole ticket) and a weight on the keypad (an item sold by the kg). Qt's
own QInputDialog has small buttons and no theme: a cashier on a touch screen misses them."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.ui.components.primitives import (
    Button,
    Input,
    KeypadMode,
    NumericKeypad,
    Size,
    Variant,
)
from desktop.ui.theme import size, space


class TextPrompt(QDialog):
    """One line of text; `TextPrompt.ask(...)` returns it, or None when cancelled."""

    def __init__(self, title: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        heading = QLabel(title)
        heading.setProperty("role", "title")
        heading.setWordWrap(True)
        self.field = Input(label, touch=True)
        self.field.edit.returnPressed.connect(self.accept)
        self.cancel_button = Button("Cancel", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.ok_button = Button("OK", variant=Variant.PRIMARY, size=Size.TOUCH)
        self.cancel_button.clicked.connect(self.reject)
        self.ok_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)
        layout = QVBoxLayout(self)
        pad = space("xl")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("lg"))
        layout.addWidget(heading)
        layout.addWidget(self.field)
        layout.addLayout(buttons)
        self.setMinimumWidth(size("toast_width"))
        self.field.edit.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, label: str) -> str | None:
        dialog = cls(title, label, parent)
        return dialog.field.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


class ChoicePrompt(QDialog):
    """One of a few options, each a touch button; `ChoicePrompt.ask(...)` returns its index,
    or None when cancelled."""

    def __init__(self, title: str, options: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.picked: int | None = None
        heading = QLabel(title)
        heading.setProperty("role", "title")
        heading.setWordWrap(True)
        layout = QVBoxLayout(self)
        pad = space("xl")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("md"))
        layout.addWidget(heading)
        self.option_buttons: list[Button] = []
        for index, option in enumerate(options):
            button = Button(option, variant=Variant.SECONDARY, size=Size.TOUCH)
            button.clicked.connect(lambda _=False, i=index: self.pick(i))
            layout.addWidget(button)
            self.option_buttons.append(button)
        self.cancel_button = Button("Cancel", variant=Variant.GHOST, size=Size.TOUCH)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(self.cancel_button)
        self.setMinimumWidth(size("toast_width"))

    def pick(self, index: int) -> None:
        self.picked = index
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, options: list[str]) -> int | None:
        dialog = cls(title, options, parent)
        dialog.exec()
        return dialog.picked


class WeightPrompt(QDialog):
    """A weight in kg typed on the touch keypad (or the keyboard); `WeightPrompt.ask(...)`
    returns it as typed ("0.385"), or None when cancelled."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.weight: str | None = None
        heading = QLabel(title)
        heading.setProperty("role", "title")
        heading.setWordWrap(True)
        hint = QLabel("Weight in kg, like 0.385")
        hint.setProperty("role", "helper")
        self.keypad = NumericKeypad(KeypadMode.QUANTITY, max_length=8)
        self.keypad.submitted.connect(self.take)
        self.cancel_button = Button("Cancel", variant=Variant.GHOST, size=Size.TOUCH)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        pad = space("xl")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("md"))
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.keypad)
        layout.addWidget(self.cancel_button)
        self.setMinimumWidth(size("toast_width"))
        self.keypad.setFocus()

    def take(self, value: str) -> None:
        self.weight = value
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, title: str) -> str | None:
        dialog = cls(title, parent)
        dialog.exec()
        return dialog.weight
