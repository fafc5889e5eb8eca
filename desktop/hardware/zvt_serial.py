"""ZVT over a serial line (RS-232, or a USB virtual COM port).

Each APDU travels in a frame `DLE STX <APDU with every DLE doubled> DLE ETX CRC-low CRC-high`.
The receiver answers one byte: ACK (06) for a good frame, NAK (15) for a bad one; the sender
repeats a frame up to three times. The CRC is CRC-16/KERMIT — polynomial x^16 + x^12 + x^5 + 1,
bit-reflected, initial value 0 — over the APDU and the ETX, sent low byte first.

Both ends use `SerialChannel` (the till here, the terminal in the simulator), so the simulator
exercises exactly the framing the till relies on.
"""

from __future__ import annotations

import time
from typing import Protocol

from desktop.hardware.zvt_apdu import Apdu

DLE, STX, ETX = 0x10, 0x02, 0x03
ACK, NAK = b"\x06", b"\x15"
TRIES = 3


class Port(Protocol):
    """What a channel needs of a serial port (pyserial's `Serial` is one)."""

    timeout: float | None

    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes, /) -> int | None: ...


class FrameError(Exception):
    """A frame that cannot be trusted: wrong CRC, cut short, or malformed."""


class Refused(ConnectionError):
    """Every try of a frame was answered NAK: the other side certainly did not take it."""


def crc16(data: bytes) -> int:
    """CRC-16/KERMIT (check value: `crc16(b"123456789") == 0x2189`)."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc


def frame(apdu: bytes) -> bytes:
    """The bytes on the line for one APDU."""
    crc = crc16(apdu + bytes([ETX]))
    stuffed = apdu.replace(bytes([DLE]), bytes([DLE, DLE]))
    return bytes([DLE, STX]) + stuffed + bytes([DLE, ETX, crc & 0xFF, crc >> 8])


class SerialChannel:
    """Send and receive APDUs over a port with the transport's ACK/NAK and repeats.

    Args:
        answer_timeout_s: how long `receive` waits for a frame to start (the terminal may take
            a minute while the customer types a PIN).
        ack_timeout_s: how long `send` waits for the ACK of a frame before repeating it.
        byte_timeout_s: the longest pause inside a frame; a longer one cuts the frame short.
    """

    def __init__(
        self,
        port: Port,
        *,
        answer_timeout_s: float,
        ack_timeout_s: float = 2.0,
        byte_timeout_s: float = 1.0,
    ) -> None:
        self.port = port
        self.answer_timeout_s = answer_timeout_s
        self.ack_timeout_s = ack_timeout_s
        self.byte_timeout_s = byte_timeout_s

    def set_timeout(self, seconds: float) -> None:
        self.answer_timeout_s = seconds

    def send(self, apdu: Apdu) -> None:
        """Deliver one APDU.

        Raises:
            Refused: every try was answered NAK (the frame was certainly not taken).
            ConnectionError: no acknowledgement (it may or may not have arrived).
        """
        data = frame(apdu.encode())
        answers = []
        for _ in range(TRIES):
            self.port.write(data)
            answer = self._acknowledgement()
            if answer == ACK:
                return
            answers.append(answer)
        if all(a == NAK for a in answers):
            raise Refused(f"the card terminal refused the frame {TRIES} times (NAK)")
        raise ConnectionError(f"the card terminal did not acknowledge after {TRIES} tries")

    def receive(self) -> Apdu:
        """The next APDU; a bad frame is answered NAK (the sender repeats it).

        Raises:
            TimeoutError: no frame started within the answer timeout.
            ConnectionError: three bad frames in a row.
        """
        for _ in range(TRIES):
            try:
                apdu = self._read_frame()
            except FrameError:
                self.port.write(NAK)
                continue
            self.port.write(ACK)
            return apdu
        raise ConnectionError(f"{TRIES} damaged frames in a row from the card terminal")

    # ------------------------------------------------------------------ the line
    def _acknowledgement(self) -> bytes:
        """ACK, NAK, or b"" for silence. Line noise is skipped, and so is a whole frame the
        other side sends meanwhile (a late answer crossing our frame): its bytes are data, and
        a 06 inside it is no acknowledgement."""
        deadline = time.monotonic() + self.ack_timeout_s
        while (left := deadline - time.monotonic()) > 0:
            self.port.timeout = left
            byte = self.port.read(1)
            if byte in (ACK, NAK):
                return byte
            if byte == bytes([DLE]):
                self.port.timeout = self.byte_timeout_s
                if self.port.read(1) == bytes([STX]):
                    self._skip_frame()
        return b""

    def _skip_frame(self) -> None:
        """Read past the rest of a frame (to DLE ETX and its CRC), unanswered."""
        while True:
            try:
                byte = self._read_byte(self.byte_timeout_s)
                if byte == DLE and self._read_byte(self.byte_timeout_s) == ETX:
                    self._read_byte(self.byte_timeout_s)
                    self._read_byte(self.byte_timeout_s)
                    return
            except FrameError:
                return

    def _read_byte(self, timeout: float) -> int:
        self.port.timeout = timeout
        byte = self.port.read(1)
        if not byte:
            raise FrameError("the frame was cut short")
        return byte[0]

    def _wait_for_start(self) -> None:
        """Skip anything before DLE STX (noise, a stray ACK) until the answer timeout."""
        deadline = time.monotonic() + self.answer_timeout_s
        previous = None
        while (left := deadline - time.monotonic()) > 0:
            self.port.timeout = left
            byte = self.port.read(1)
            if byte and previous == DLE and byte[0] == STX:
                return
            previous = byte[0] if byte else previous
        raise TimeoutError("the card terminal did not answer in time")

    def _read_frame(self) -> Apdu:
        self._wait_for_start()
        body = bytearray()
        while True:
            byte = self._read_byte(self.byte_timeout_s)
            if byte != DLE:
                body.append(byte)
                continue
            after = self._read_byte(self.byte_timeout_s)
            if after == DLE:
                body.append(DLE)
            elif after == STX:  # a new frame before this one ended: this one is lost
                body.clear()
            elif after == ETX:
                break
            else:
                raise FrameError(f"DLE followed by {after:#04x}")
        low, high = self._read_byte(self.byte_timeout_s), self._read_byte(self.byte_timeout_s)
        if low | high << 8 != crc16(bytes(body) + bytes([ETX])):
            raise FrameError("wrong CRC")
        try:
            return Apdu.decode(bytes(body))
        except ValueError as exc:
            raise FrameError(str(exc)) from None
