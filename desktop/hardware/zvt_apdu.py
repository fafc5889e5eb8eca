"""ZVT application messages (APDUs) — the bytes both transports carry — and the fields a till
reads from the terminal's status information.

An APDU is `class, instruction, length, data`; a length of 0xFF is followed by two bytes (little
endian). Amounts and trace numbers are BCD.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.money import Money

ACK = bytes([0x80, 0x00, 0x00])
AUTHORIZATION = (0x06, 0x01)
REFUND = (0x06, 0x31)
REVERSAL = (0x06, 0x30)
ABORT = (0x06, 0xB0)
LAST_TRANSACTION = (0x06, 0x20)  # "repeat receipt": the PT re-sends the last status information
STATUS_ENQUIRY = (0x05, 0x01)
END_OF_DAY = (0x06, 0x50)
STATUS_INFO = (0x04, 0x0F)
INTERMEDIATE = (0x04, 0xFF)
COMPLETION = (0x06, 0x0F)
PT_ABORT = (0x06, 0x1E)

# Administrative commands start with the terminal's 3-byte BCD password ("000000" unless the
# terminal's operator set another).
WITH_PASSWORD = {STATUS_ENQUIRY, END_OF_DAY, REVERSAL, REFUND}
DEFAULT_PASSWORD = "000000"
ERROR = 0x84  # "84 xx": the terminal refuses a command (wrong password, not possible now)

# BMPs (fields) of the status information that a till uses.
BMP_AMOUNT, BMP_TRACE, BMP_RESULT, BMP_RECEIPT, BMP_PAN, BMP_CARD_TYPE = (
    0x04, 0x0B, 0x27, 0x87, 0x22, 0x8A,
)  # fmt: skip
CARD_TYPES = {0x05: "girocard", 0x06: "Mastercard", 0x0A: "VISA", 0x2E: "Maestro"}


@dataclass(frozen=True)
class Apdu:
    cls: int
    instr: int
    data: bytes = b""

    @property
    def command(self) -> tuple[int, int]:
        return (self.cls, self.instr)

    def encode(self) -> bytes:
        n = len(self.data)
        length = bytes([n]) if n < 0xFF else bytes([0xFF]) + n.to_bytes(2, "little")
        return bytes([self.cls, self.instr]) + length + self.data

    @classmethod
    def decode(cls, raw: bytes) -> Apdu:
        """One whole APDU (a serial frame's content).

        Raises:
            ValueError: the length field does not match the bytes (a corrupted frame).
        """
        offset, length = 3, raw[2] if len(raw) >= 3 else -1
        if length == 0xFF:
            offset, length = 5, int.from_bytes(raw[3:5], "little")
        if length < 0 or len(raw) != offset + length:
            raise ValueError(f"not a whole APDU: {raw[:8].hex()}… ({len(raw)} bytes)")
        return cls(raw[0], raw[1], raw[offset:])


def read_apdu(read_exact: Callable[[int], bytes]) -> Apdu:
    """One APDU from a stream (TCP), given a function that returns exactly n bytes or raises."""
    head = read_exact(3)
    length = head[2]
    if length == 0xFF:
        length = int.from_bytes(read_exact(2), "little")
    return Apdu(head[0], head[1], read_exact(length))


def bcd(value: int, size: int) -> bytes:
    digits = str(value).rjust(size * 2, "0")
    if len(digits) > size * 2:
        raise ValueError(f"{value} does not fit {size} BCD bytes")
    return bytes(int(digits[i : i + 2], 16) for i in range(0, len(digits), 2))


def from_bcd(data: bytes) -> int:
    return int(data.hex() or "0")


def password_field(password: str) -> bytes:
    """Raises ValueError: not six digits."""
    if not (len(password) == 6 and password.isdigit()):
        raise ValueError("the terminal password is six digits")
    return bcd(int(password), 3)


def amount_field(amount: Money) -> bytes:
    return bytes([BMP_AMOUNT]) + bcd(amount.minor_units, 6)


@dataclass(frozen=True)
class StatusInfo:
    result: int
    amount_minor: int | None
    trace: int | None
    receipt: int | None
    last4: str | None
    scheme: str | None


def parse_status(data: bytes) -> StatusInfo:
    """The BMPs of a status information message (unknown BMPs end the parse safely)."""
    fields: dict[int, bytes] = {}
    i = 0
    fixed = {BMP_RESULT: 1, BMP_AMOUNT: 6, BMP_TRACE: 3, BMP_RECEIPT: 2, BMP_CARD_TYPE: 1}
    while i < len(data):
        bmp = data[i]
        i += 1
        if bmp in fixed:
            fields[bmp] = data[i : i + fixed[bmp]]
            i += fixed[bmp]
        elif bmp == BMP_PAN:  # LLVAR: F<tens> F<units> = byte count, then BCD (E = masked)
            count = (data[i] & 0x0F) * 10 + (data[i + 1] & 0x0F)
            fields[bmp] = data[i + 2 : i + 2 + count]
            i += 2 + count
        else:
            break
    pan = fields.get(BMP_PAN, b"").hex().rstrip("f")
    digits = "".join(c for c in pan if c.isdigit())
    return StatusInfo(
        result=fields.get(BMP_RESULT, b"\xff")[0],
        amount_minor=from_bcd(fields[BMP_AMOUNT]) if BMP_AMOUNT in fields else None,
        trace=from_bcd(fields[BMP_TRACE]) if BMP_TRACE in fields else None,
        receipt=from_bcd(fields[BMP_RECEIPT]) if BMP_RECEIPT in fields else None,
        last4=digits[-4:] if len(digits) >= 4 else None,
        scheme=CARD_TYPES.get(fields[BMP_CARD_TYPE][0]) if BMP_CARD_TYPE in fields else None,
    )
