"""The device side of ZVT in a thread: a payment terminal simulator for tests and `nova sim`,
on TCP (`SimulatedZvtTerminal`) or on a pseudo-terminal as a serial device
(`SerialSimulatedZvtTerminal`).

It approves, declines listed amounts, and misbehaves on request: `silent` (acknowledges, then
never answers), `drop_after_approval` (takes the money, then drops the line before telling the
till), `duplicate` (sends the completion twice), `late` (takes the money and answers only after
the till gave up, deaf to anything meanwhile). On the serial line it can also damage frames:
a wrong CRC, a frame cut off half-way, noise before frames, or NAK every frame it receives.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import time
import tty
from dataclasses import dataclass, field
from typing import Self

from desktop.hardware.sim_server import TcpSimulator
from desktop.hardware.zvt_apdu import (
    ABORT,
    ACK,
    AUTHORIZATION,
    BMP_AMOUNT,
    BMP_CARD_TYPE,
    BMP_PAN,
    BMP_RECEIPT,
    BMP_RESULT,
    BMP_TRACE,
    COMPLETION,
    END_OF_DAY,
    ERROR,
    INTERMEDIATE,
    LAST_TRANSACTION,
    PT_ABORT,
    REFUND,
    REVERSAL,
    STATUS_ENQUIRY,
    STATUS_INFO,
    WITH_PASSWORD,
    Apdu,
    bcd,
    from_bcd,
    password_field,
)
from desktop.hardware.zvt_link import Channel, SocketChannel
from desktop.hardware.zvt_serial import NAK, SerialChannel, frame

MASKED_PAN = bytes([0xF0, 0xF8]) + bytes.fromhex("4111eeeeeeee4242")  # 8 bytes: 16 digits, masked


@dataclass
class ZvtDevice:
    """What the terminal does with a command, whatever line it came on."""

    decline_minor: set[int] = field(default_factory=set)
    fault: str | None = None  # silent, drop_after_approval, duplicate, late
    silent_s: float = 5.0  # how long `silent` stays silent, and `late` waits before answering
    password: str = "000000"
    transactions: list[tuple[str, int]] = field(default_factory=list)  # (kind, amount) taken
    trace: int = 0
    _last: bytes | None = None

    def handle(self, channel: Channel, command: Apdu) -> None:
        if command.command in WITH_PASSWORD:
            if command.data[:3] != password_field(self.password):
                channel.send(Apdu(ERROR, 0x83))  # refused: wrong password
                return
            command = Apdu(command.cls, command.instr, command.data[3:])
        if command.command == ABORT:
            self.transactions.append(("abort", 0))
        channel.send(Apdu.decode(ACK))
        if command.command in (AUTHORIZATION, REFUND):
            self._pay(channel, command)
        elif command.command == LAST_TRANSACTION:
            if self._last is None:
                self._send(channel, Apdu(*PT_ABORT, bytes([0x64])))
            else:
                self._send(channel, Apdu(*STATUS_INFO, self._last))
                self._send(channel, Apdu(*COMPLETION))
        elif command.command == STATUS_ENQUIRY:
            self._send(channel, Apdu(*STATUS_INFO, bytes([BMP_RESULT, 0])))
            self._send(channel, Apdu(*COMPLETION))
        elif command.command == END_OF_DAY:
            total = sum(a for k, a in self.transactions if k == "sale") - sum(
                a for k, a in self.transactions if k == "refund"
            )
            self.transactions.append(("end_of_day", total))
            info = bytes([BMP_RESULT, 0, BMP_AMOUNT]) + bcd(total, 6)
            self._send(channel, Apdu(*STATUS_INFO, info))
            self._send(channel, Apdu(*COMPLETION))
        elif command.command == REVERSAL:
            self.transactions.append(("reversal", 0))
            self._send(channel, Apdu(*STATUS_INFO, bytes([BMP_RESULT, 0])))
            self._send(channel, Apdu(*COMPLETION))

    def _pay(self, channel: Channel, command: Apdu) -> None:
        if self.fault == "silent":
            threading.Event().wait(self.silent_s)  # acknowledged, then nothing
            return
        amount = from_bcd(command.data[1:7]) if command.data[:1] == bytes([BMP_AMOUNT]) else 0
        self._send(channel, Apdu(*INTERMEDIATE, bytes([0x0A])))  # "insert card"
        if amount in self.decline_minor:
            self._send(channel, Apdu(*PT_ABORT, bytes([0x05])))  # declined
            return
        self.trace += 1
        kind = "refund" if command.command == REFUND else "sale"
        self.transactions.append((kind, amount))
        self._last = (
            bytes([BMP_RESULT, 0, BMP_AMOUNT])
            + bcd(amount, 6)
            + bytes([BMP_TRACE])
            + bcd(self.trace, 3)
            + bytes([BMP_RECEIPT])
            + bcd(self.trace, 2)
            + bytes([BMP_PAN])
            + MASKED_PAN
            + bytes([BMP_CARD_TYPE, 0x0A])
        )
        if self.fault == "drop_after_approval":
            self.fault = None  # once: the next call (the till asking) gets answers
            return  # the money is taken; the till never hears it
        if self.fault == "late":
            self.fault = None
            threading.Event().wait(self.silent_s)  # busy: the till's questions go unanswered
        self._send(channel, Apdu(*STATUS_INFO, self._last))
        self._send(channel, Apdu(*COMPLETION))
        if self.fault == "duplicate":
            self._send_again(channel, Apdu(*COMPLETION))

    @staticmethod
    def _send(channel: Channel, message: Apdu) -> None:
        channel.send(message)
        if channel.receive().encode() != ACK:
            raise ConnectionError("the ECR did not acknowledge")

    @staticmethod
    def _send_again(channel: Channel, message: Apdu) -> None:
        """A duplicated answer, sent without waiting for anyone to take it."""
        if isinstance(channel, SerialChannel):
            channel.port.write(frame(message.encode()))
        else:
            channel.send(message)


@dataclass
class SimulatedZvtTerminal(ZvtDevice, TcpSimulator):
    host: str = "127.0.0.1"
    port: int = 0

    @property
    def url(self) -> str:
        return f"zvt://{self.host}:{self.port}"

    def serve_connection(self, conn: socket.socket) -> None:
        conn.settimeout(3)
        channel = SocketChannel(conn)
        self.handle(channel, channel.receive())


class _PtyPort:
    """The device end of a pseudo-terminal, read and written like a pyserial port — with the
    simulator's frame damage applied to what it writes."""

    def __init__(self, fd: int, sim: SerialSimulatedZvtTerminal) -> None:
        self.fd, self.sim = fd, sim
        self.timeout: float | None = 0.2

    def read(self, size: int = 1) -> bytes:
        deadline = time.monotonic() + (self.timeout or 0)
        data = b""
        while len(data) < size and (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                data += os.read(self.fd, size - len(data))
        return data

    def write(self, data: bytes, /) -> int:
        sim = self.sim
        if data[:2] == b"\x10\x02":  # a frame
            if sim.corrupt_frames:
                sim.corrupt_frames -= 1
                data = data[:-1] + bytes([data[-1] ^ 0xFF])
            elif sim.cut_frames:
                sim.cut_frames -= 1
                data = data[: len(data) // 2]
            data = sim.noise + data
        os.write(self.fd, data)
        return len(data)


@dataclass
class SerialSimulatedZvtTerminal(ZvtDevice):
    """A ZVT terminal on a serial line: a pty whose device path the till opens with pyserial."""

    corrupt_frames: int = 0  # the next N frames it sends carry a wrong CRC
    cut_frames: int = 0  # the next N frames it sends stop half-way
    noise: bytes = b""  # line noise before every frame it sends
    nak_storm: bool = False  # refuse every frame it receives (see `refuse_everything`)
    path: str = ""
    _pending: bytes = b""
    _refusing: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"zvt+serial://{self.path}"

    def start(self) -> Self:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line editing: a byte pipe like a real port
        self.path = os.ttyname(self._slave)
        self._running = True
        self._thread = threading.Thread(target=self._serve, name="sim-zvt-serial", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._running = False
        self._thread.join(5)
        os.close(self._master)
        os.close(self._slave)  # held open so the master never reads EIO between sessions

    def _serve(self) -> None:
        port = _PtyPort(self._master, self)
        channel = SerialChannel(port, answer_timeout_s=0.2, ack_timeout_s=0.5, byte_timeout_s=0.5)
        while self._running:
            if self.nak_storm:
                self._refuse(port)
                continue
            try:
                command = channel.receive()
            except (TimeoutError, ConnectionError):
                continue
            channel.set_timeout(3)  # within a dialogue: wait for the till's acknowledgements
            with contextlib.suppress(OSError):
                self.handle(channel, command)
            channel.set_timeout(0.2)

    def refuse_everything(self) -> None:
        """Start a NAK storm, once the serving loop is between frames (a frame it is reading
        right now would otherwise still be taken)."""
        self._refusing.clear()
        self.nak_storm = True
        if not self._refusing.wait(5):
            raise TimeoutError("the simulator did not start refusing")

    def _refuse(self, port: _PtyPort) -> None:
        """NAK every frame that ends on the line."""
        self._refusing.set()
        pending = self._pending + port.read(64)
        while (end := pending.find(b"\x10\x03")) >= 0 and len(pending) >= end + 4:
            os.write(self._master, NAK)
            pending = pending[end + 4 :]
        self._pending = pending
