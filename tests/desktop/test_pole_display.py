"""The pole display through pyserial's loop:// device: exactly the bytes a VFD needs."""

from __future__ import annotations

import subprocess
import sys

import serial

from desktop.hardware.pole_display import CLEAR, INIT, TO_LINE_2, PoleDisplay, render_display
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


def test_render_display_shows_both_lines() -> None:
    port = serial.serial_for_url("loop://", timeout=1)
    display = PoleDisplay(port)
    display.show_item("Bagel", eur("2.10"), eur("4.20"))
    top, bottom = render_display(port.read(200))
    assert (top, bottom) == ("Bagel           2.10", "TOTAL           4.20")


def test_nova_sim_display_on_a_pty() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "nova", "sim", "display", "--quit-after-ms", "3000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        device = proc.stdout.readline().split(" on ")[1].split(" ")[0]
        display = PoleDisplay(serial.serial_for_url(device, timeout=1))
        display.show_change(eur("10.00"), eur("2.50"))
        output, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "|CHANGE          2.50|" in output
