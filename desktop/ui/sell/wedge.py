"""Keyboard-wedge scanners when the focus is not in a text field.

A wedge scanner "types" the code and Enter. In the scan box that is a scan already; but after a
click on the cart or a button the keys would land there and be lost. While the sell screen is
shown, this filter watches key presses aimed at a widget of the screen that is not a text field:
a burst of characters faster than anyone types (each within `MAX_GAP_S` of the last), ending in
Enter, is taken as a scan. Slower keys are a person's and go where they were going.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

MAX_GAP_S = 0.05  # scanners send a character every few ms; people type every 100 ms or more
MIN_LENGTH = 4
TEXT_FIELDS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)


class WedgeBurst(QObject):
    scanned = Signal(str)

    def __init__(self, screen: QWidget) -> None:
        super().__init__(screen)
        self.screen = screen
        self._burst = ""
        self._last = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802, ARG002 — Qt API
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        focus = QApplication.focusWidget()
        if (
            focus is None
            or isinstance(focus, TEXT_FIELDS)
            or not (focus is self.screen or self.screen.isAncestorOf(focus))
        ):
            return False
        now = time.monotonic()
        fast = now - self._last <= MAX_GAP_S
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            code, self._burst = (self._burst if fast else ""), ""
            if len(code) >= MIN_LENGTH:
                self.scanned.emit(code)
                return True
            return False
        text = event.text()
        if len(text) == 1 and text.isprintable() and not text.isspace():
            self._burst = (self._burst if fast else "") + text
            self._last = now
            return True  # a button or the cart would ignore it (or jump rows) anyway
        self._burst = ""
        return False
