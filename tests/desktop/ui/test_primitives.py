"""The primitives on real widgets: sizes, accessible names and state changes by click and key."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

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
from desktop.ui.theme import apply_theme, load_tokens, size

pytestmark = pytest.mark.gui


@pytest.fixture
def host(qtbot: QtBot) -> QWidget:
    """A themed window to put primitives in (the theme decides sizes)."""
    window = QWidget()
    qtbot.addWidget(window)
    apply_theme(window, "light")
    window.resize(size("window_min_width"), size("window_min_height"))
    window.show()
    qtbot.waitExposed(window)
    return window


def add(host: QWidget, widget: QWidget) -> QWidget:
    widget.setParent(host)
    widget.show()
    widget.adjustSize()
    return widget


class TestButton:
    @pytest.mark.parametrize("variant", list(Variant))
    def test_touch_size_is_at_least_the_touch_target(self, host: QWidget, variant: Variant) -> None:
        b = add(host, Button("Pay", variant=variant, size=Size.TOUCH))
        assert b.height() >= 48
        assert b.width() >= 48
        assert b.property("variant") == variant.value
        assert b.accessibleName() == "Pay"

    def test_normal_size_uses_the_control_height(self, host: QWidget) -> None:
        b = add(host, Button("Cancel", size=Size.NORMAL))
        assert b.height() >= load_tokens().size["control_height"]

    def test_click_emits_and_busy_blocks_a_second_press(self, host: QWidget, qtbot: QtBot) -> None:
        b = Button("Charge card", accessible_name="charge card")
        add(host, b)
        clicks: list[bool] = []
        b.clicked.connect(lambda: clicks.append(True))
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
        b.set_busy(True)
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
        assert clicks == [True]
        assert b.busy
        assert b.text() == "Working…"
        assert b.accessibleDescription() == "busy"
        b.set_busy(False)
        assert b.text() == "Charge card"
        assert b.isEnabled()

    def test_keyboard_activates_a_focused_button(self, host: QWidget, qtbot: QtBot) -> None:
        b = add(host, Button("OK"))
        assert isinstance(b, Button)
        pressed: list[bool] = []
        b.clicked.connect(lambda: pressed.append(True))
        b.setFocus()
        qtbot.keyClick(b, Qt.Key.Key_Space)
        assert pressed == [True]
        assert b.focusPolicy() == Qt.FocusPolicy.StrongFocus


class TestInput:
    def test_label_placeholder_helper_and_accessible_name(self, host: QWidget) -> None:
        field = Input("Email", placeholder="name@shop.com", helper="For receipts")
        add(host, field)
        assert field.edit.accessibleName() == "Email"
        assert field.edit.placeholderText() == "name@shop.com"
        assert field.helper.text() == "For receipts"

    def test_error_state_shows_message_then_clears(self, host: QWidget) -> None:
        field = Input("Quantity", helper="Whole or weighed")
        add(host, field)
        field.set_error("Quantity must be more than zero")
        assert field.has_error
        assert field.helper.text() == "Quantity must be more than zero"
        assert field.helper.property("role") == "error"
        assert field.edit.accessibleDescription() == "Quantity must be more than zero"
        field.set_error(None)
        assert not field.has_error
        assert field.helper.text() == "Whole or weighed"

    def test_numeric_mode_accepts_decimals_and_rejects_letters(
        self, host: QWidget, qtbot: QtBot
    ) -> None:
        field = Input("Amount", numeric=True)
        add(host, field)
        qtbot.keyClicks(field.edit, "12a,5x0")
        assert field.text() == "12,50"
        assert field.value() == Decimal("12.50")

    def test_touch_input_is_tall_enough(self, host: QWidget) -> None:
        field = Input("PIN", touch=True)
        add(host, field)
        assert field.edit.height() >= 48


class TestCard:
    def test_title_body_and_actions(self, host: QWidget) -> None:
        card = Card("Shift", "Open a shift to start selling")
        card.add_action(Button("Open shift"))
        add(host, card)
        assert card.accessibleName() == "Shift"
        assert card.title.text() == "Shift"
        assert card.actions_row.count() == 2  # stretch + button


class TestToast:
    def test_shows_without_taking_focus_then_fades_and_goes(
        self, host: QWidget, qtbot: QtBot
    ) -> None:
        toast = Toast.show_message(host, "Sale completed", ToastKind.SUCCESS, duration_ms=30)
        assert toast.isVisible()
        assert toast.accessibleName() == "success: Sale completed"
        assert toast.focusPolicy() == Qt.FocusPolicy.NoFocus
        assert toast.geometry().bottom() < host.height()
        with qtbot.waitSignal(toast.faded, timeout=3000):
            pass
        assert not toast.isVisible()

    def test_errors_stay_longer_than_successes(self) -> None:
        assert Toast.DEFAULT_MS[ToastKind.ERROR] > Toast.DEFAULT_MS[ToastKind.SUCCESS]


class TestNumericKeypad:
    def test_amount_entry_by_touch(self, host: QWidget, qtbot: QtBot) -> None:
        pad = NumericKeypad(KeypadMode.AMOUNT)
        add(host, pad)
        assert isinstance(pad, NumericKeypad)
        for key in ["1", "2", ".", "5", "0", "9"]:  # third decimal ignored
            qtbot.mouseClick(pad.buttons[key], Qt.MouseButton.LeftButton)
        assert pad.value == "12.50"
        with qtbot.waitSignal(pad.submitted, timeout=1000) as got:
            qtbot.mouseClick(pad.ok_button, Qt.MouseButton.LeftButton)
        assert got.args == ["12.50"]

    def test_pin_is_masked_and_has_no_decimal_point(self, host: QWidget, qtbot: QtBot) -> None:
        pad = NumericKeypad(KeypadMode.PIN)
        add(host, pad)
        assert isinstance(pad, NumericKeypad)
        pad.setFocus()
        qtbot.keyClicks(pad, "12.34")
        assert pad.value == "1234"
        assert pad.display.text() == "1234"
        assert pad.display.displayText() != "1234"
        assert not pad.buttons["."].isEnabled()
        assert pad.accessibleName() == "pin keypad"

    def test_keyboard_backspace_escape_and_enter(self, host: QWidget, qtbot: QtBot) -> None:
        pad = NumericKeypad(KeypadMode.QUANTITY)
        add(host, pad)
        assert isinstance(pad, NumericKeypad)
        pad.setFocus()
        qtbot.keyClicks(pad, "0,385")
        assert pad.value == "0.385"
        qtbot.keyClick(pad, Qt.Key.Key_Backspace)
        assert pad.value == "0.38"
        with qtbot.waitSignal(pad.submitted, timeout=1000) as got:
            qtbot.keyClick(pad, Qt.Key.Key_Return)
        assert got.args == ["0.38"]
        qtbot.keyClick(pad, Qt.Key.Key_Escape)
        assert pad.value == ""

    def test_keys_are_touch_sized_with_names(self, host: QWidget) -> None:
        pad = NumericKeypad()
        add(host, pad)
        assert isinstance(pad, NumericKeypad)
        for key, button in pad.buttons.items():
            assert button.height() >= 48, key
        assert pad.buttons["⌫"].accessibleName() == "delete"


class TestConfirmDialog:
    def test_accept_and_reject(self, host: QWidget, qtbot: QtBot) -> None:
        dialog = ConfirmDialog(
            "Void line?",
            "Remove 2 x Latte",
            confirm="Void",
            cancel="Keep",
            danger=True,
            parent=host,
        )
        qtbot.addWidget(dialog)
        assert dialog.cancel_button.isDefault()  # Enter does the safe thing on a danger question
        assert dialog.confirm_button.property("variant") == "danger"
        with qtbot.waitSignal(dialog.accepted, timeout=1000):
            dialog.open()
            qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
        with qtbot.waitSignal(dialog.rejected, timeout=1000):
            dialog.open()
            qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    def test_ask_is_patchable_so_tests_never_block(
        self, host: QWidget, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(ConfirmDialog, "ask", classmethod(lambda *_a, **_k: True))
        assert ConfirmDialog.ask(host, "Close shift?", "Counted cash matches") is True


class TestPrompts:
    """The counter's touch-sized questions (a void's reason, line or whole ticket)."""

    def test_a_text_prompt_gives_the_text_or_none(self, qtbot: QtBot) -> None:
        from desktop.ui.components.prompts import TextPrompt

        prompt = TextPrompt("Void line", "Reason")
        qtbot.addWidget(prompt)
        prompt.field.set_text("scanned twice")
        prompt.ok_button.click()
        assert prompt.result() == QDialog.DialogCode.Accepted
        assert prompt.field.text() == "scanned twice"
        cancelled = TextPrompt("Void line", "Reason")
        qtbot.addWidget(cancelled)
        cancelled.cancel_button.click()
        assert cancelled.result() == QDialog.DialogCode.Rejected

    def test_a_choice_prompt_gives_the_index_or_none(self, qtbot: QtBot) -> None:
        from desktop.ui.components.prompts import ChoicePrompt

        prompt = ChoicePrompt("Discount", ["This line", "Whole ticket"])
        qtbot.addWidget(prompt)
        prompt.option_buttons[1].click()
        assert prompt.picked == 1
        cancelled = ChoicePrompt("Discount", ["This line", "Whole ticket"])
        qtbot.addWidget(cancelled)
        cancelled.cancel_button.click()
        assert cancelled.picked is None
