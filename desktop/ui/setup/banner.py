"""The demo banner: on every screen of a demo till, with the way out ("Set up this till")."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.ui.components.primitives import Button, Variant
from desktop.ui.theme import space

BANNER_TEXT = "Demo till — practice only: nothing here reaches a business"
DEMO_PINS = "Sign in with code 1, PIN 1234 (manager) or code 2, PIN 2222 (cashier)"


class DemoBanner(QFrame):
    """Says this is a demo; `setup_requested` when the person wants a real till instead."""

    setup_requested = Signal()

    def __init__(self, *, pins: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "demo-banner")
        self.setAccessibleName("demo banner")
        self.text = QLabel(BANNER_TEXT)
        self.text.setWordWrap(True)
        self.pins = QLabel(DEMO_PINS)
        self.pins.setProperty("role", "helper")
        self.pins.setVisible(pins)
        self.setup_button = Button("Set up this till", variant=Variant.SECONDARY)
        self.setup_button.clicked.connect(self.setup_requested.emit)
        words = QVBoxLayout()
        words.setSpacing(0)
        words.addWidget(self.text)
        words.addWidget(self.pins)
        row = QHBoxLayout(self)
        row.setContentsMargins(space("lg"), space("sm"), space("lg"), space("sm"))
        row.addLayout(words, 1)
        row.addWidget(self.setup_button)
