"""Printer connections other than the network: a serial port (a real pty) and a device file."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from desktop.hardware.printer_link import (
    Address,
    FileLink,
    PrinterState,
    SerialLink,
    parse_link,
)


def test_parse_links() -> None:
    assert parse_link("tcp://10.0.0.5:9101") == Address("10.0.0.5", 9101)
    assert parse_link("serial:///dev/ttyS0?baudrate=19200") == SerialLink("/dev/ttyS0", 19200)
    assert parse_link("serial://COM3") == SerialLink("COM3", 9600)
    assert parse_link("file:///dev/usb/lp0") == FileLink("/dev/usb/lp0")
    with pytest.raises(ValueError, match="tcp://, serial://"):
        parse_link("lpt://1")


def test_serial_printer_on_a_pty_prints_and_answers_status() -> None:
    master, slave = os.openpty()
    try:
        link = SerialLink(os.ttyname(slave))
        link.send(b"\x1b@Hello\n")
        assert os.read(master, 100) == b"\x1b@Hello\n"

        def printer() -> None:  # the device side: answer each DLE EOT with "all fine"
            for _ in range(3):
                request = os.read(master, 3)
                assert request[:2] == b"\x10\x04"
                os.write(master, b"\x12")

        answering = threading.Thread(target=printer)
        answering.start()
        assert link.status() is PrinterState.OK
        answering.join(5)
    finally:
        os.close(master)
        os.close(slave)


def test_garbage_answers_are_unknown_never_paper_out() -> None:
    # loop:// echoes what we send: the "answer" to DLE EOT is our own request byte.
    assert SerialLink("loop://").status() is PrinterState.UNKNOWN


def test_device_file(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    device.touch()
    link = FileLink(str(device))
    link.send(b"receipt")
    assert device.read_bytes() == b"receipt"
    assert link.status() is PrinterState.UNKNOWN  # a device file cannot say more
    assert FileLink(str(tmp_path / "missing")).status() is PrinterState.UNREACHABLE
    with pytest.raises(FileNotFoundError):
        FileLink(str(tmp_path / "no" / "such")).send(b"x")
