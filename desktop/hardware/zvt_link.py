"""How ZVT messages reach the payment terminal: TCP (the terminal's ECR port) or a serial line.

A *session* is one dialogue (a command, the terminal's answers, our acknowledgements) on a fresh
connection — a new socket, or the serial port opened with its input flushed, so a late or
duplicated answer of an earlier dialogue can never be read as this one's.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

from desktop.hardware.zvt_apdu import Apdu, read_apdu
from desktop.hardware.zvt_serial import SerialChannel

CONNECT_TIMEOUT_S = 10.0


class Channel(Protocol):
    def send(self, apdu: Apdu) -> None: ...

    def receive(self) -> Apdu: ...

    def set_timeout(self, seconds: float) -> None: ...


class ZvtLink(Protocol):
    def session(self, timeout_s: float) -> AbstractContextManager[Channel]: ...

    def describe(self) -> str: ...


class SocketChannel:
    """APDUs back to back on a TCP stream (no framing: TCP already delivers them whole)."""

    def __init__(self, conn: socket.socket) -> None:
        self.conn = conn

    def send(self, apdu: Apdu) -> None:
        self.conn.sendall(apdu.encode())

    def receive(self) -> Apdu:
        return read_apdu(self._read_exact)

    def set_timeout(self, seconds: float) -> None:
        self.conn.settimeout(seconds)

    def _read_exact(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.conn.recv(n - len(data))
            if not chunk:
                raise ConnectionError("the payment terminal closed the connection")
            data += chunk
        return data


@dataclass(frozen=True)
class TcpZvtLink:
    host: str
    port: int = 20007

    @contextmanager
    def session(self, timeout_s: float) -> Iterator[Channel]:
        address = (self.host, self.port)
        with socket.create_connection(address, timeout=min(timeout_s, CONNECT_TIMEOUT_S)) as conn:
            conn.settimeout(timeout_s)
            yield SocketChannel(conn)

    def describe(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class SerialZvtLink:
    """A terminal on a serial port: a device path, `COM3`, or any pyserial URL; 8 data bits,
    no parity, 2 stop bits, as the ZVT transport asks."""

    port: str
    baudrate: int = 9600
    ack_timeout_s: float = 2.0
    byte_timeout_s: float = 1.0

    @contextmanager
    def session(self, timeout_s: float) -> Iterator[Channel]:
        import serial

        with serial.serial_for_url(
            self.port,
            baudrate=self.baudrate,
            stopbits=serial.STOPBITS_TWO,
            timeout=self.byte_timeout_s,
            write_timeout=self.ack_timeout_s,
        ) as port:  # SerialException (unplugged, busy, no permission) is an OSError
            port.reset_input_buffer()
            yield SerialChannel(
                port,
                answer_timeout_s=timeout_s,
                ack_timeout_s=self.ack_timeout_s,
                byte_timeout_s=self.byte_timeout_s,
            )

    def describe(self) -> str:
        return self.port


def parse_zvt_url(url: str) -> ZvtLink:
    """`zvt://host[:port]` (TCP, port 20007 by default) or `zvt+serial:///dev/ttyUSB0`
    (also `zvt+serial://COM3`; `?baudrate=19200` when the terminal is set to another speed).

    Raises:
        ValueError: anything else.
    """
    parts = urlsplit(url.strip())
    if parts.scheme == "zvt" and parts.hostname:
        return TcpZvtLink(parts.hostname, parts.port or 20007)
    if parts.scheme == "zvt+serial" and (parts.netloc or parts.path):
        baud = parse_qs(parts.query).get("baudrate", ["9600"])[0]
        if not baud.isdigit():
            raise ValueError(f"baudrate is a number, not {baud!r}")
        return SerialZvtLink(parts.netloc + parts.path, int(baud))
    raise ValueError(
        f"a ZVT terminal is zvt://host[:port] or zvt+serial:///dev/ttyUSB0, not {url!r}"
    )
