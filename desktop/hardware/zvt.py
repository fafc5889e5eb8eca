"""ZVT (the German ECR ↔ payment terminal protocol), the subset a till needs, over TCP.

Frames (APDUs) are `class, instruction, length, data`; a length of 0xFF is followed by two bytes
(little endian). The till (ECR) sends a command; the terminal (PT) acknowledges `80 00 00`, may
send intermediate status `04 FF` and status information `04 0F` (result, amount, trace number,
masked card), and ends with completion `06 0F` or abort `06 1E`. The ECR acknowledges every
message it receives.

Never charged twice: before a payment the till notes the terminal's last trace number; if the
answer is lost (timeout, dropped connection), it asks for the last transaction (`06 20`) and
counts the payment as approved only when a new trace with our amount is there.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from desktop.hardware.payment_terminal import CardResult
from shared.errors import Unavailable
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


def read_apdu(conn: socket.socket) -> Apdu:
    """One frame from the socket (raises OSError/TimeoutError when the line fails)."""
    head = _read_exact(conn, 3)
    length = head[2]
    if length == 0xFF:
        length = int.from_bytes(_read_exact(conn, 2), "little")
    return Apdu(head[0], head[1], _read_exact(conn, length))


def _read_exact(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("the payment terminal closed the connection")
        data += chunk
    return data


def bcd(value: int, size: int) -> bytes:
    digits = str(value).rjust(size * 2, "0")
    if len(digits) > size * 2:
        raise ValueError(f"{value} does not fit {size} BCD bytes")
    return bytes(int(digits[i : i + 2], 16) for i in range(0, len(digits), 2))


def from_bcd(data: bytes) -> int:
    return int(data.hex() or "0")


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


class ZvtTerminal:
    """A `PaymentTerminal` speaking ZVT over TCP (the terminal's ECR port, often 20007)."""

    def __init__(self, host: str, port: int = 20007, *, timeout_s: float = 90.0) -> None:
        self.host, self.port, self.timeout_s = host, port, timeout_s

    @classmethod
    def from_url(cls, url: str) -> ZvtTerminal:
        """`zvt://host[:port]` (port 20007 by default)."""
        parts = urlsplit(url)
        if parts.scheme != "zvt" or not parts.hostname:
            raise ValueError(f"a ZVT terminal is zvt://host[:port], not {url!r}")
        return cls(parts.hostname, parts.port or 20007)

    # ------------------------------------------------------------------ the interface
    def charge(self, amount: Money, *, reference: str) -> CardResult:  # noqa: ARG002
        before = self._last_trace()
        try:
            return self._transaction(Apdu(*AUTHORIZATION, amount_field(amount)))
        except OSError:
            # The answer was lost: did the terminal take the money? Ask before anything else.
            last = self._last_status()
            if (
                last is not None
                and last.trace != before
                and last.amount_minor == amount.minor_units
            ):
                return self._result(last)
            raise Unavailable(
                "the card terminal stopped answering and did not take the payment; try again",
                details={"terminal": f"{self.host}:{self.port}"},
            ) from None

    def refund(self, amount: Money, *, reference: str) -> CardResult:  # noqa: ARG002
        return self._transaction(Apdu(*REFUND, amount_field(amount)))

    def reverse(self, approval_code: str, *, reference: str) -> None:  # noqa: ARG002
        receipt = int(approval_code.removeprefix("R").lstrip("0") or "0")
        self._transaction(Apdu(*REVERSAL, bytes([BMP_RECEIPT]) + bcd(receipt, 2)))

    def online(self) -> bool:
        """Status enquiry: the terminal answers and is ready (result 00)."""
        try:
            with socket.create_connection((self.host, self.port), timeout=5) as conn:
                conn.settimeout(5)
                conn.sendall(Apdu(*STATUS_ENQUIRY).encode())
                read_apdu(conn)
                while True:
                    message = read_apdu(conn)
                    conn.sendall(ACK)
                    if message.command == STATUS_INFO:
                        return parse_status(message.data).result == 0
                    if message.command in (COMPLETION, PT_ABORT):
                        return message.command == COMPLETION
        except OSError:
            return False

    def end_of_day(self) -> int:
        """Close the terminal's day (settlement); returns the total it settled, minor units."""
        total = 0
        with socket.create_connection((self.host, self.port), timeout=10) as conn:
            conn.settimeout(self.timeout_s)
            conn.sendall(Apdu(*END_OF_DAY).encode())
            read_apdu(conn)
            while True:
                message = read_apdu(conn)
                conn.sendall(ACK)
                if message.command == STATUS_INFO:
                    total = parse_status(message.data).amount_minor or 0
                elif message.command == COMPLETION:
                    return total
                elif message.command == PT_ABORT:
                    raise Unavailable("the card terminal refused the end of day")

    def cancel(self) -> None:
        """Ask the terminal to abort the payment in progress (the customer changed their mind)."""
        with socket.create_connection((self.host, self.port), timeout=5) as conn:
            conn.sendall(Apdu(*ABORT).encode())
            read_apdu(conn)  # the terminal's acknowledgement

    # ------------------------------------------------------------------ the protocol
    def _transaction(self, command: Apdu) -> CardResult:
        with socket.create_connection((self.host, self.port), timeout=10) as conn:
            conn.settimeout(self.timeout_s)
            conn.sendall(command.encode())
            if read_apdu(conn).encode() != ACK:
                raise ConnectionError("the card terminal refused the command")
            status: StatusInfo | None = None
            while True:
                message = read_apdu(conn)
                conn.sendall(ACK)
                if message.command == STATUS_INFO:
                    status = parse_status(message.data)
                elif message.command == COMPLETION:
                    return self._result(status) if status else CardResult(approved=False)
                elif message.command == PT_ABORT:
                    code = message.data[0] if message.data else 0xFF
                    return CardResult(approved=False, message=f"declined (code {code:#04x})")
                # intermediate status (PIN entry, "insert card") and anything else: keep waiting

    def _last_status(self) -> StatusInfo | None:
        try:
            with socket.create_connection((self.host, self.port), timeout=5) as conn:
                conn.settimeout(5)
                conn.sendall(Apdu(*LAST_TRANSACTION).encode())
                read_apdu(conn)  # the acknowledgement
                while True:
                    message = read_apdu(conn)
                    conn.sendall(ACK)
                    if message.command == STATUS_INFO:
                        return parse_status(message.data)
                    if message.command in (COMPLETION, PT_ABORT):
                        return None
        except OSError:
            return None

    def _last_trace(self) -> int | None:
        last = self._last_status()
        return last.trace if last else None

    @staticmethod
    def _result(status: StatusInfo) -> CardResult:
        if status.result != 0:
            return CardResult(approved=False, message=f"declined (code {status.result:#04x})")
        code = f"R{status.receipt:04d}" if status.receipt is not None else None
        return CardResult(True, approval_code=code, last4=status.last4, scheme=status.scheme)
