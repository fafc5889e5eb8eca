"""The manager override: a small dialog asking a manager's staff code (or card swipe) and PIN
for ONE refused action. A wrong PIN, a locked code or a person who may not approve is said in
place and the dialog stays open; Cancel changes nothing. The rules live in
`desktop/till/override.py`."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.staff.service import Actor
from desktop.till.override import OVERRIDABLE, OverrideDesk, overridable
from desktop.ui.components.primitives import Button, Input, KeypadMode, NumericKeypad, Size, Variant
from desktop.ui.theme import space
from shared.errors import NovaError


class OverrideDialog(QDialog):
    """`OverrideDialog.ask(parent, desk, permission)` → the approving manager, or None."""

    def __init__(self, desk: OverrideDesk, permission: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.permission = permission
        self.approver: Actor | None = None
        what = OVERRIDABLE.get(permission, "This")
        self.setWindowTitle("Manager approval")
        self.setAccessibleName("manager approval")
        self.setModal(True)
        heading = QLabel(f"{what}: a manager must approve")
        heading.setProperty("role", "title")
        heading.setWordWrap(True)
        intro = QLabel("For this one action only. The cashier stays signed in.")
        intro.setProperty("role", "helper")
        intro.setWordWrap(True)
        # Not a numeric field: a keyboard-wedge card reader types the staff card's track here.
        self.code = Input("Manager's staff code", placeholder="e.g. 1, or swipe a card")
        self.code.edit.returnPressed.connect(self._code_entered)
        self.keypad = NumericKeypad(KeypadMode.PIN, max_length=8)
        self.keypad.setAccessibleName("manager PIN keypad")
        self.keypad.ok_button.setText("Approve")
        self.keypad.submitted.connect(self.approve)
        self.message = QLabel("")
        self.message.setProperty("role", "error")
        self.message.setAccessibleName("approval message")
        self.message.setWordWrap(True)
        self.cancel_button = Button("Cancel", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        # Two columns — the words and the code beside the PIN keypad — so the dialog stays
        # short enough for a 768-pixel screen with a title bar.
        left = QVBoxLayout()
        left.setSpacing(space("sm"))
        for widget in (heading, intro, self.code, self.message):
            left.addWidget(widget)
        left.addStretch(1)
        left.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QHBoxLayout(self)
        pad = space("lg")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("lg"))
        layout.addLayout(left, 1)
        layout.addWidget(self.keypad)
        self.code.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    @classmethod
    def ask(cls, parent: QWidget | None, desk: OverrideDesk, permission: str) -> Actor | None:
        """Block until a manager approved (their `Actor`) or the cashier cancelled (None)."""
        dialog = cls(desk, permission, parent)
        dialog.exec()
        return dialog.approver

    def _code_entered(self) -> None:
        """Enter in the code field (or a card reader's swipe): the PIN is next."""
        self.message.setText("")
        self.keypad.setFocus(Qt.FocusReason.OtherFocusReason)

    def card_swiped(self, text: str) -> None:
        """A swipe from a serial card reader: as if it had been typed into the code field."""
        self.code.edit.setText(text)
        self._code_entered()

    def enter(self, code: str, pin: str) -> None:
        """What a manager types: the code, then the PIN on the keypad, then Approve."""
        self.code.edit.setText(code)
        self.keypad.clear()
        for digit in pin:
            self.keypad.press(digit)
        self.keypad.submit()

    def approve(self, pin: str) -> None:
        self.keypad.clear()
        try:
            self.approver = self.desk.approve(self.code.edit.text(), pin, self.permission)
        except NovaError as exc:
            self.message.setText(exc.message)
            self.keypad.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.accept()


def run_approved(
    parent: QWidget, desk: OverrideDesk, action: Callable[[Actor | None], None]
) -> bool:
    """Run `action`; a refusal a manager may lift opens this dialog and runs it once more with
    that manager. False when nobody approved (nothing was done).

    Raises:
        NovaError: a refusal no override lifts, or the approved attempt's own refusal.
    """
    try:
        action(None)
    except NovaError as exc:
        permission = overridable(exc)
        if permission is None:
            raise
        approver = OverrideDialog.ask(parent, desk, permission)
        if approver is None:
            return False
        action(approver)
    return True
