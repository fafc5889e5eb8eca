"""Sign-in at the counter: staff code, then the PIN on the touch keypad (or the keyboard)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.hardware.cards import looks_like_swipe, parse_swipe, scanned_staff_code
from desktop.staff.service import Actor
from desktop.till.counter import Counter
from desktop.ui.components.primitives import (
    Button,
    Card,
    Input,
    KeypadMode,
    NumericKeypad,
    Size,
    Variant,
)
from desktop.ui.theme import size, space
from desktop.ui.theme.tiles import wrap_name
from shared.errors import NovaError

MAX_TILES = 12  # more people than that: type the code
TILE_COLUMNS = 2  # whole names on a 1024-pixel screen
STAFF_NAME_LINE = 14  # characters a staff tile's line holds whole


class SignInScreen(QWidget):
    """Emits `signed_in(actor)`; a wrong code or PIN (and the lockout) is said in place."""

    signed_in = Signal(object)

    def __init__(self, counter: Counter, parent: QWidget | None = None, *, hint: str = "") -> None:
        """`hint`: a line under the intro, e.g. the demo tenant's codes and PINs (empty: none;
        `nova start` passes it only while the till is enrolled in the demo tenant it seeded)."""
        super().__init__(parent)
        self.counter = counter
        self.setProperty("role", "page")
        self.setAccessibleName("Sign in")
        # Not a numeric field: an employee card's reader types its track data here too.
        self.code = Input("Staff code", placeholder="e.g. 1, or swipe your card", touch=True)
        self.code.setMinimumWidth(size("nav_width") + size("nav_width") // 2)  # the hint whole
        self.keypad = NumericKeypad(KeypadMode.PIN, max_length=8)
        self.code.edit.returnPressed.connect(self.code_entered)
        self.keypad.submitted.connect(self.submit)
        self.message = QLabel("")
        self.message.setProperty("role", "helper")
        self.message.setAccessibleName("sign-in message")
        self.message.setWordWrap(True)
        self.hint = QLabel(hint)
        self.hint.setProperty("role", "helper")
        self.hint.setAccessibleName("sign-in hint")
        self.hint.setWordWrap(True)
        self.hint.setVisible(bool(hint))
        card = Card("Sign in", "Tap your name or type your staff code, then your PIN.")
        self.card = card
        # Two columns — who you are, then the PIN keypad beside it — so the card fits a
        # 768-pixel-high screen under a title bar, with room for the demo banner.
        card.setMaximumWidth(size("nav_width") * 4)
        # A tile per person: tap your name instead of typing your code.
        self.tiles: list[Button] = []
        tiles = QGridLayout()
        tiles.setSpacing(space("sm"))
        for index, (code, name) in enumerate(counter.staff()[:MAX_TILES]):
            # A long name on two lines rather than cut ("emo Cashi") in half a card.
            tile = Button(wrap_name(name, STAFF_NAME_LINE), variant=Variant.SECONDARY,
                          size=Size.TOUCH, accessible_name=name)  # fmt: skip
            tile.clicked.connect(lambda _=False, c=code: self.pick(c))
            tiles.addWidget(tile, index // TILE_COLUMNS, index % TILE_COLUMNS)
            self.tiles.append(tile)
        who = QVBoxLayout()
        who.setSpacing(space("md"))
        # The hint goes under the card's intro, where a short screen never pushes it off.
        who.addWidget(self.hint)
        who.addLayout(tiles)
        who.addWidget(self.code)
        who.addWidget(self.message)
        who.addStretch(1)
        columns = QHBoxLayout()
        columns.setSpacing(space("xl"))
        columns.addLayout(who, 1)
        columns.addWidget(self.keypad)
        card.body_layout.addLayout(columns)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.code.edit.setFocus()

    def pick(self, code: str) -> None:
        """A staff tile: the code is filled in, the PIN is next."""
        self.code.edit.setText(code)
        self.message.setText("")
        self.keypad.setFocus()

    def code_entered(self) -> None:
        """Enter in the code field: a swiped or scanned staff card fills in its code; then the
        PIN."""
        text = self.code.edit.text().strip()
        printed = scanned_staff_code(text)  # a printed staff card, read by a wedge scanner
        if printed is not None:
            self.code.edit.setText(printed)
        elif looks_like_swipe(text):
            card = parse_swipe(text)
            code = card.staff_code if card else None
            self.code.edit.setText(code or "")
            if card is not None and card.payment_card:
                self.message.setText(
                    "That is a bank card. Swipe your staff card or type your code."
                )
                return
            if code is None:
                self.message.setText("That card is not an employee card. Type your code.")
                return
        self.message.setText("")
        self.keypad.setFocus()

    def card_swiped(self, text: str) -> None:
        """A swipe from a serial card reader: as if the reader had typed it into the code box."""
        self.code.edit.setText(text)
        self.code_entered()

    def submit(self, pin: str) -> None:
        code = self.code.edit.text().strip()
        self.keypad.clear()
        if not code:
            self.message.setText("Type your staff code first.")
            self.code.edit.setFocus()
            return
        try:
            actor: Actor = self.counter.sign_in(code, pin)
        except NovaError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText("")
        self.code.edit.clear()
        self.signed_in.emit(actor)
