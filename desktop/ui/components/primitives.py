"""The design system's Qt primitives: Button, Input, Card, Toast, NumericKeypad, ConfirmDialog.

They carry no styling of their own: each sets dynamic properties that the theme's stylesheet
turns into looks, and an accessible name for screen readers and tests.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import ClassVar

from PySide6.QtCore import (
    QEasingCurve,
    QPropertyAnimation,
    QRegularExpression,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGraphicsOpacityEffect,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.theme import repolish, size, space


class Variant(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    DANGER = "danger"
    GHOST = "ghost"


class Size(StrEnum):
    NORMAL = "normal"
    TOUCH = "touch"  # at least the touch-target token (48 px) in both directions


class Button(QPushButton):
    """A push button with a variant, a size and a busy state (disabled, says it is working)."""

    def __init__(
        self,
        text: str,
        *,
        variant: Variant = Variant.PRIMARY,
        size: Size = Size.NORMAL,
        accessible_name: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(text, parent)
        self._label = text
        self.setProperty("variant", variant.value)
        self.setProperty("density", size.value)
        self.setProperty("busy", False)
        self.setAccessibleName(accessible_name or text)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    @property
    def busy(self) -> bool:
        return bool(self.property("busy"))

    def set_label(self, text: str) -> None:
        """A new text (and accessible name) that a busy state ends back on."""
        self._label = text
        self.setAccessibleName(text)
        if not self.busy:
            self.setText(text)

    def set_busy(self, busy: bool, *, label: str = "Working…") -> None:
        """While busy the button cannot be pressed twice (a card payment, a print)."""
        self.setProperty("busy", busy)
        self.setEnabled(not busy)
        self.setText(label if busy else self._label)
        self.setAccessibleDescription("busy" if busy else "")
        repolish(self)


class Input(QWidget):
    """A labelled line edit with placeholder, helper text, error state and a numeric mode."""

    NUMBER = QRegularExpression(r"^-?\d{0,9}([.,]\d{0,4})?$")

    def __init__(
        self,
        label: str,
        *,
        placeholder: str = "",
        helper: str = "",
        numeric: bool = False,
        touch: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.label = QLabel(label)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setAccessibleName(label)
        self.edit.setProperty("density", Size.TOUCH.value if touch else Size.NORMAL.value)
        self.edit.setProperty("error", False)
        self.label.setBuddy(self.edit)
        self.helper = QLabel(helper)
        self.helper.setProperty("role", "helper")
        self.helper.setVisible(bool(helper))
        self._helper_text = helper
        self.numeric = numeric
        if numeric:
            self.edit.setValidator(QRegularExpressionValidator(self.NUMBER, self.edit))
            self.edit.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
            self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(space("xs"))
        layout.addWidget(self.label)
        layout.addWidget(self.edit)
        layout.addWidget(self.helper)
        self.setAccessibleName(label)
        self.setFocusProxy(self.edit)

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)

    def value(self) -> Decimal | None:
        """The numeric value (comma or point as decimal mark), or None when empty/invalid."""
        raw = self.edit.text().strip().replace(",", ".")
        if not raw or raw in {"-", "."}:
            return None
        try:
            return Decimal(raw)
        except InvalidOperation:
            return None

    @property
    def has_error(self) -> bool:
        return bool(self.edit.property("error"))

    def set_error(self, message: str | None) -> None:
        """Show `message` in the error state, or clear it (back to the helper text)."""
        self.edit.setProperty("error", bool(message))
        self.helper.setProperty("role", "error" if message else "helper")
        self.helper.setText(message or self._helper_text)
        self.helper.setVisible(bool(message or self._helper_text))
        self.edit.setAccessibleDescription(message or "")
        repolish(self.edit)
        repolish(self.helper)


class Card(QFrame):
    """A raised surface with a title, a body and a row of actions."""

    def __init__(
        self, title: str, body: QWidget | str | None = None, *, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setAccessibleName(title)
        self.title = QLabel(title)
        self.title.setProperty("role", "title")
        self.body_layout = QVBoxLayout()
        self.actions_row = QHBoxLayout()
        self.actions_row.addStretch(1)
        layout = QVBoxLayout(self)
        pad = space("lg")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("md"))
        layout.addWidget(self.title)
        layout.addLayout(self.body_layout)
        layout.addLayout(self.actions_row)
        if isinstance(body, str):
            text = QLabel(body)
            text.setWordWrap(True)
            self.body_layout.addWidget(text)
        elif body is not None:
            self.body_layout.addWidget(body)

    def add_action(self, button: QPushButton) -> QPushButton:
        self.actions_row.addWidget(button)
        return button


class ToastKind(StrEnum):
    SUCCESS = "success"
    ERROR = "error"
    INFO = "info"


class Toast(QFrame):
    """A message that floats over its window, never takes focus, then fades and deletes itself."""

    FADE_MS = 400
    DEFAULT_MS: ClassVar[dict[ToastKind, int]] = {
        ToastKind.SUCCESS: 2500,
        ToastKind.INFO: 3000,
        ToastKind.ERROR: 6000,  # errors stay longer: the cashier must be able to read them
    }
    faded = Signal()

    def __init__(
        self, parent: QWidget, message: str, kind: ToastKind, *, duration_ms: int | None = None
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setProperty("role", "toast")
        self.setProperty("kind", kind.value)
        self.setAccessibleName(f"{kind.value}: {message}")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.label = QLabel(message)
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        self._opacity = QGraphicsOpacityEffect(self)
        self._opacity.setOpacity(1.0)
        self.setGraphicsEffect(self._opacity)
        self._fade = QPropertyAnimation(self._opacity, b"opacity", self)
        self._fade.setDuration(self.FADE_MS)
        self._fade.setStartValue(1.0)
        self._fade.setEndValue(0.0)
        self._fade.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._fade.finished.connect(self._done)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fade.start)
        self._timer.start(self.DEFAULT_MS[kind] if duration_ms is None else duration_ms)

    @classmethod
    def show_message(
        cls, parent: QWidget, message: str, kind: ToastKind = ToastKind.INFO, **kw: int
    ) -> Toast:
        """Show a toast at the bottom centre of `parent`'s window; returns immediately."""
        host = parent.window()
        toast = cls(host, message, kind, **kw)
        toast.adjustSize()
        margin = space("xl")
        toast.move((host.width() - toast.width()) // 2, host.height() - toast.height() - margin)
        toast.show()
        toast.raise_()
        return toast

    @property
    def opacity(self) -> float:
        return float(self._opacity.opacity())

    def _done(self) -> None:
        self.hide()
        self.faded.emit()
        self.deleteLater()


class KeypadMode(StrEnum):
    PIN = "pin"  # digits only, masked
    QUANTITY = "quantity"  # digits and one decimal point (weighed goods)
    AMOUNT = "amount"  # digits and one decimal point, at most two decimals


class NumericKeypad(QWidget):
    """Touch entry of PINs, quantities and amounts; the physical keyboard works too."""

    submitted = Signal(str)
    KEYS = ("7", "8", "9", "4", "5", "6", "1", "2", "3", ".", "0", "⌫")

    def __init__(
        self,
        mode: KeypadMode = KeypadMode.AMOUNT,
        *,
        max_length: int = 12,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.mode = mode
        self.max_length = max_length
        self.setAccessibleName(f"{mode.value} keypad")
        self.display = QLineEdit()
        self.display.setReadOnly(True)
        self.display.setProperty("role", "keypad-display")
        self.display.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.display.setAccessibleName(f"{mode.value} entered")
        self.display.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if mode is KeypadMode.PIN:
            self.display.setEchoMode(QLineEdit.EchoMode.Password)
        grid = QGridLayout()
        grid.setSpacing(space("sm"))
        self.buttons: dict[str, QPushButton] = {}
        for index, key in enumerate(self.KEYS):
            name = {"⌫": "delete", ".": "decimal point"}.get(key, key)
            button = Button(key, variant=Variant.SECONDARY, size=Size.TOUCH, accessible_name=name)
            button.setProperty("role", "key")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            if key == "." and mode is KeypadMode.PIN:
                button.setEnabled(False)
            grid.addWidget(button, index // 3, index % 3)
            self.buttons[key] = button
        self.clear_button = Button(
            "C", variant=Variant.GHOST, size=Size.TOUCH, accessible_name="clear"
        )
        self.clear_button.clicked.connect(self.clear)
        self.ok_button = Button("OK", size=Size.TOUCH, accessible_name="confirm entry")
        self.ok_button.clicked.connect(self.submit)
        grid.addWidget(self.clear_button, 4, 0)
        grid.addWidget(self.ok_button, 4, 1, 1, 2)
        layout = QVBoxLayout(self)
        layout.setSpacing(space("sm"))
        layout.addWidget(self.display)
        layout.addLayout(grid)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._value = ""

    @property
    def value(self) -> str:
        return self._value

    def _set(self, value: str) -> None:
        self._value = value
        self.display.setText(value)

    def press(self, key: str) -> None:
        """Apply one key; keys that would make the entry invalid are ignored."""
        if key == "⌫":
            self._set(self._value[:-1])
            return
        if len(self._value) >= self.max_length:
            return
        if key == ".":
            if self.mode is KeypadMode.PIN or "." in self._value:
                return
            self._set((self._value or "0") + ".")
            return
        if not key.isdigit():
            return
        decimals = self._value.split(".", 1)[1] if "." in self._value else ""
        if self.mode is KeypadMode.AMOUNT and len(decimals) >= 2:
            return
        self._set(self._value + key)

    def clear(self) -> None:
        self._set("")

    def submit(self) -> None:
        if self._value:
            self.submitted.emit(self._value)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key, text = event.key(), event.text()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        elif key == Qt.Key.Key_Backspace:
            self.press("⌫")
        elif key == Qt.Key.Key_Escape:
            self.clear()
        elif text and (text.isdigit() or text in ".,"):
            self.press("." if text == "," else text)
        else:
            super().keyPressEvent(event)


class ConfirmDialog(QDialog):
    """Asks one yes/no question. Call `ConfirmDialog.ask(...)`; tests patch `ask`."""

    def __init__(
        self,
        title: str,
        message: str,
        *,
        confirm: str,
        cancel: str,
        danger: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        text = QLabel(message)
        text.setWordWrap(True)
        heading = QLabel(title)
        heading.setProperty("role", "title")
        self.cancel_button = Button(cancel, variant=Variant.SECONDARY, size=Size.TOUCH)
        self.confirm_button = Button(
            confirm, variant=Variant.DANGER if danger else Variant.PRIMARY, size=Size.TOUCH
        )
        self.cancel_button.clicked.connect(self.reject)
        self.confirm_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        pad = space("xl")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("lg"))
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addLayout(buttons)
        # The safe choice has the focus: Enter on a danger question must not destroy anything.
        (self.cancel_button if danger else self.confirm_button).setDefault(True)
        self.setMinimumWidth(size("toast_width"))

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        title: str,
        message: str,
        *,
        confirm: str = "OK",
        cancel: str = "Cancel",
        danger: bool = False,
    ) -> bool:
        """Block until the user answers; True when confirmed."""
        dialog = cls(title, message, confirm=confirm, cancel=cancel, danger=danger, parent=parent)
        return dialog.exec() == QDialog.DialogCode.Accepted
