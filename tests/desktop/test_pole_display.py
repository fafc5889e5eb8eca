"""The pole display through pyserial's loop:// device: exactly the bytes a VFD needs."""

from __future__ import annotations

import serial

from desktop.hardware.pole_display import CLEAR, INIT, TO_LINE_2, PoleDisplay
from shared.money import Money


def eur(text: str) -> Money:
    return Money(text, "EUR")


def test_item_total_and_change() -> None:
    port = serial.serial_for_url("loop://", timeout=1)
    display = PoleDisplay(port)
    assert port.read(2) == INIT
    display.show_item("Café Latte with oat milk", eur("3.80"), eur("12.30"))
    data = port.read(100)
    assert data.startswith(CLEAR)
    top, bottom = data[1:].split(TO_LINE_2)
    assert top.decode("cp437") == "Café Latte with 3.80"
    assert bottom.decode("cp437") == "TOTAL          12.30"
    display.show_change(eur("12.30"), eur("7.70"))
    _, change = port.read(100)[1:].split(TO_LINE_2)
    assert change.decode("cp437") == "CHANGE          7.70"


def test_lines_never_overflow_and_unknown_characters_degrade() -> None:
    port = serial.serial_for_url("loop://", timeout=1)
    display = PoleDisplay(port)
    port.read(2)
    display.show("x" * 50, "日本")
    top, bottom = port.read(100)[1:].split(TO_LINE_2)
    assert len(top) == len(bottom) == 20
    assert bottom.decode("cp437").startswith("??")
