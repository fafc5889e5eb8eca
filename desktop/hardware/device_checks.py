"""The "does it work?" checks Back office → Devices runs on the devices that are not printers:
a card payment of 0.01 and its reversal, a line of text on the customer display, one code from
a serial scanner, one swipe from a serial card reader. Each talks to the device through the same
code the till sells with, blocks up to its timeout (callers run it off the UI thread) and
returns what to tell the manager; the world's failures (unplugged, refused, nothing scanned)
are `Unavailable` with the reason.
"""

from __future__ import annotations

import time

from desktop.hardware.cards import parse_swipe
from desktop.hardware.payment_terminal import PaymentTerminal
from desktop.hardware.pole_display import PoleDisplay
from shared.errors import Unavailable
from shared.money import Money

READ_TIMEOUT_S = 15.0  # long enough to pick up the scanner or find a card
TEST_TEXT = ("Nova POS", "display test")


def payment_test(terminal: PaymentTerminal, currency: str) -> str:
    """Charge 0.01 on the card terminal and reverse it at once: the terminal, its line and the
    acquirer all answered. Raises Unavailable: not reached, declined, or not reversed."""
    cent = Money.from_minor(1, currency)
    result = terminal.charge(cent, reference="device-test")
    if not result.approved or not result.approval_code:
        raise Unavailable(f"the card terminal declined the test payment: {result.message}")
    terminal.reverse(result.approval_code, reference="device-test")
    return f"{cent} approved ({result.approval_code}) and reversed"


def display_test(connection: str) -> str:
    """Show two lines on the customer display. Raises Unavailable: the port cannot be opened."""
    try:
        display = PoleDisplay.open(connection)
    except OSError as exc:
        raise Unavailable(f"could not open the customer display: {exc}") from None
    try:
        display.show(*TEST_TEXT)
        display.port.flush()
    except OSError as exc:  # SerialTimeoutException: opened, but nothing takes the bytes
        raise Unavailable(f"the customer display did not take the text: {exc}") from None
    finally:
        display.port.close()
    return " / ".join(TEST_TEXT)


def read_line(connection: str, *, timeout_s: float = READ_TIMEOUT_S, what: str = "code") -> str:
    """The next line a serial scanner or card reader sends within `timeout_s`.

    Raises:
        Unavailable: the port cannot be opened, or nothing arrived in time.
    """
    import serial

    deadline = time.monotonic() + timeout_s
    try:
        with serial.serial_for_url(connection, baudrate=9600, timeout=0.2) as port:
            buffer = b""
            while time.monotonic() < deadline:
                buffer += bytes(port.read(64))
                for line in buffer.replace(b"\r", b"\n").split(b"\n")[:-1]:
                    text: str = line.decode("ascii", "ignore").strip()
                    if text:
                        return text
    except OSError as exc:  # SerialException: unplugged, busy, no permission
        raise Unavailable(f"could not open {connection}: {exc}") from None
    raise Unavailable(f"no {what} arrived within {timeout_s:g} seconds")


def swipe_test(connection: str, *, timeout_s: float = READ_TIMEOUT_S) -> str:
    """One swipe on a serial card reader, told as what the till would keep of it."""
    return describe_swipe(read_line(connection, timeout_s=timeout_s, what="card swipe"))


def describe_swipe(line: str) -> str:
    """Raises Unavailable: not a readable swipe."""
    swipe = parse_swipe(line)
    if swipe is None:
        raise Unavailable("the card could not be read: swipe it again, steadily")
    if swipe.payment_card:
        return "a bank card: read, and its number dropped (pay by card on the terminal)"
    return f"card {swipe.number}" + (f" ({swipe.name})" if swipe.name else "")
