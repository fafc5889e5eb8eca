"""Sign-in at the counter with the demo shop: code + PIN keypad, wrong PIN, lockout."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from desktop.staff.service import Actor
from desktop.till.counter import Counter
from desktop.till.demo import seed_demo
from desktop.till.runner import Runner
from desktop.ui.sell.sign_in import SignInScreen
from shared.clock import FakeClock


@pytest.fixture
def demo_counter(engine: Engine, clock: FakeClock) -> Counter:
    runner = Runner(engine, clock)
    assert runner.run(seed_demo) is True
    assert runner.run(seed_demo) is False  # only ever into an unconfigured database
    return Counter(runner)


def type_pin(screen: SignInScreen, code: str, pin: str) -> None:
    screen.code.edit.setText(code)
    for digit in pin:
        screen.keypad.buttons[digit].click()
    screen.keypad.ok_button.click()


def test_sign_in_then_sell_from_the_demo_shop(qtbot: QtBot, demo_counter: Counter) -> None:
    screen = SignInScreen(demo_counter)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.signed_in) as signal:
        type_pin(screen, "2", "2222")
    actor = signal.args[0]
    assert isinstance(actor, Actor)
    assert actor.name == "Demo Cashier"
    cart = demo_counter.scan("4006381333931")
    assert [line.name for line in cart.lines] == ["Café Latte"]
    assert screen.keypad.value == ""  # the PIN never stays on screen


def test_wrong_pin_and_lockout_are_said_in_place(qtbot: QtBot, demo_counter: Counter) -> None:
    screen = SignInScreen(demo_counter)
    qtbot.addWidget(screen)
    type_pin(screen, "1", "9999")
    first = screen.message.text()
    assert first
    assert demo_counter.actor is None
    for _ in range(5):
        type_pin(screen, "1", "9999")
    assert "locked" in screen.message.text().lower()
    type_pin(screen, "", "1234")
    assert screen.message.text() == "Type your staff code first."


def test_an_employee_card_swipe_fills_the_code(qtbot: QtBot, demo_counter: Counter) -> None:
    screen = SignInScreen(demo_counter)
    qtbot.addWidget(screen)
    screen.code.edit.setText(";EMP0002=0000?")  # what the card reader types
    screen.code.edit.returnPressed.emit()
    assert screen.code.edit.text() == "2"
    with qtbot.waitSignal(screen.signed_in):
        for digit in "2222":
            screen.keypad.press(digit)
        screen.keypad.submit()
    screen.code.edit.setText("%B6009123456789^COSTA/ANA^2912?")  # a loyalty card, not staff
    screen.code.edit.returnPressed.emit()
    assert screen.code.edit.text() == ""
    assert "not an employee card" in screen.message.text()


def test_tap_your_name_then_your_pin(qtbot: QtBot, demo_counter: Counter) -> None:
    screen = SignInScreen(demo_counter)
    qtbot.addWidget(screen)
    assert [t.text() for t in screen.tiles] == ["Demo Cashier", "Demo Manager"]
    screen.tiles[1].click()
    assert screen.code.edit.text() == "1"
    with qtbot.waitSignal(screen.signed_in) as signal:
        type_pin(screen, "1", "1234")
    assert signal.args[0].name == "Demo Manager"


def test_a_hint_line_shows_under_the_keypad_only_when_given(
    qtbot: QtBot, demo_counter: Counter
) -> None:
    plain = SignInScreen(demo_counter)
    qtbot.addWidget(plain)
    assert not plain.hint.isVisibleTo(plain)
    hint = "Demo: manager code 1 / PIN 1357 · cashier code 2 / PIN 2468"
    screen = SignInScreen(demo_counter, hint=hint)
    qtbot.addWidget(screen)
    assert screen.hint.isVisibleTo(screen)
    assert screen.hint.text() == hint
    assert screen.hint.accessibleName() == "sign-in hint"


def test_a_scanned_staff_card_fills_the_code(qtbot: QtBot, demo_counter: Counter) -> None:
    """A printed staff card's barcode, typed by a keyboard-wedge scanner or sent by a serial
    one: the code is filled in and the PIN is still asked."""
    screen = SignInScreen(demo_counter)
    qtbot.addWidget(screen)
    screen.code.edit.setText("EMP0002")
    screen.code.edit.returnPressed.emit()
    assert screen.code.edit.text() == "2"
    assert demo_counter.actor is None  # the card alone signs no one in
    screen.card_swiped("EMP0001")  # from a serial scanner
    assert screen.code.edit.text() == "1"
    with qtbot.waitSignal(screen.signed_in) as signal:
        for digit in "1234":
            screen.keypad.press(digit)
        screen.keypad.submit()
    assert signal.args[0].name == "Demo Manager"
