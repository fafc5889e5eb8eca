"""A customer pole display: 2 × 20 characters on a serial port, the Epson ESC/POS display command
set (DM-D110 and the many compatibles). Shows the last item and the total, then the change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.money import Money

if TYPE_CHECKING:
    import serial

WIDTH = 20
INIT = b"\x1b@"
CLEAR = b"\x0c"
TO_LINE_2 = b"\x1f\x24\x01\x02"  # US $ x y: cursor to column 1, row 2


def _row(left: str, right: str = "") -> str:
    room = WIDTH - len(right) - (1 if right else 0)
    return (left[:room].ljust(room) + (" " + right if right else ""))[:WIDTH]


class PoleDisplay:
    def __init__(self, port: serial.SerialBase) -> None:
        self.port = port
        self.port.write(INIT)

    @classmethod
    def open(cls, url: str, baudrate: int = 9600) -> PoleDisplay:
        """A pyserial URL or device: `/dev/ttyUSB0`, `COM3`, `socket://host:port`, `loop://`."""
        import serial

        return cls(serial.serial_for_url(url, baudrate=baudrate, timeout=1, write_timeout=1))

    def show(self, top: str, bottom: str) -> None:
        data = CLEAR + _encode(top.ljust(WIDTH)[:WIDTH]) + TO_LINE_2
        self.port.write(data + _encode(bottom.ljust(WIDTH)[:WIDTH]))

    def show_item(self, name: str, price: Money, total: Money) -> None:
        self.show(_row(name, f"{price.amount:.2f}"), _row("TOTAL", f"{total.amount:.2f}"))

    def show_change(self, total: Money, change: Money) -> None:
        self.show(_row("PAID", f"{total.amount:.2f}"), _row("CHANGE", f"{change.amount:.2f}"))

    def welcome(self, text: str = "Welcome") -> None:
        self.show(text.center(WIDTH), "")


def _encode(text: str) -> bytes:
    # Displays ship with code page 437: accents survive, the rest becomes "?".
    return text.encode("cp437", "replace")


def render_display(data: bytes) -> tuple[str, str]:
    """What a 2 × 20 display shows after `data` (for the simulator and tests): both lines."""
    lines = [" " * WIDTH, " " * WIDTH]
    row = col = 0
    i = 0
    while i < len(data):
        if data[i : i + 2] == INIT or data[i] == CLEAR[0]:
            lines, row, col = [" " * WIDTH, " " * WIDTH], 0, 0
            i += 2 if data[i : i + 2] == INIT else 1
        elif data[i : i + 2] == TO_LINE_2[:2]:
            col, row = data[i + 2] - 1, data[i + 3] - 1
            i += 4
        else:
            char = bytes([data[i]]).decode("cp437")
            if row < 2 and col < WIDTH:
                lines[row] = lines[row][:col] + char + lines[row][col + 1 :]
                col += 1
            i += 1
    return lines[0], lines[1]
