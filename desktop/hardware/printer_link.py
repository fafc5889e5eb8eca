"""Talking to a receipt printer: over the network (TCP 9100), a serial port, a device file
(`/dev/usb/lp0`), a USB id (`usb_printers.py`) or a CUPS queue (`cups_link.py`): send bytes,
ask its status (DLE EOT) where the connection can answer.

Short timeouts: a dead printer must cost the worker seconds, never the cashier anything. Status
is three-valued (FIELD-NOTES): a printer that does not answer is `unknown`, not "out of paper".
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import urlsplit

TIMEOUT_S = 3.0
ACCEPTED = (
    "tcp://192.168.1.50:9100, usb://04b8:0e15, cups://queue, /dev/usb/lp0 or serial:///dev/ttyS0"
)
# A host name as DNS spells it (labels of letters, digits and hyphens, dot-separated).
HOST_LABELS = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+\.?$", re.I)
DLE_EOT_PRINTER = b"\x10\x04\x01"  # transmit printer status
DLE_EOT_OFFLINE = b"\x10\x04\x02"  # transmit offline cause status
DLE_EOT_PAPER = b"\x10\x04\x04"  # transmit roll paper sensor status
STATUS_REQUESTS = (DLE_EOT_PRINTER, DLE_EOT_OFFLINE, DLE_EOT_PAPER)


class PrinterState(StrEnum):
    OK = "ok"
    PAPER_OUT = "paper out"
    PAPER_LOW = "paper low"
    DRAWER_OPEN = "drawer open"  # fine to print; the cash drawer is still open
    COVER_OPEN = "cover open"
    OFFLINE = "offline"  # answered: an error, or not ready
    UNREACHABLE = "unreachable"  # no connection at all
    UNKNOWN = "unknown"  # connected, but no valid status answer


class Link(Protocol):
    """How bytes reach one printer."""

    def send(self, data: bytes) -> None: ...

    def status(self) -> PrinterState: ...


@dataclass(frozen=True)
class Address:
    """A network printer (raw TCP, port 9100)."""

    host: str
    port: int

    def send(self, data: bytes) -> None:
        send(self, data)

    def status(self) -> PrinterState:
        return status(self)

    @classmethod
    def parse(cls, url: str) -> Address:
        """`tcp://192.168.1.50:9100` (the port defaults to 9100)."""
        parts = urlsplit(url if "://" in url else f"tcp://{url}")
        if parts.scheme != "tcp" or not parts.hostname:
            raise ValueError(f"a network printer is tcp://host[:port], not {url!r}")
        try:
            port = parts.port or 9100
        except ValueError:  # a port that is not a number, or past 65535
            raise ValueError(f"{url!r} has no valid port: use e.g. {ACCEPTED}") from None
        if not plausible_host(parts.hostname):
            raise ValueError(f"{parts.hostname!r} is not a printer's address: use e.g. {ACCEPTED}")
        return cls(parts.hostname, port)


def plausible_host(host: str) -> bool:
    """An IP address, `localhost`, or a dotted name (`printer.shop.lan`). Checked without DNS:
    a shop sets up its till offline too, and a bare word such as `hello` is a typo, not a
    printer — a name the network cannot resolve still shows up at the test print."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host.lower() == "localhost" or HOST_LABELS.match(host) is not None
    return True


def send(address: Address, data: bytes, timeout: float = TIMEOUT_S) -> None:
    """Deliver `data`; raises OSError (refused, unreachable, timeout) when it could not."""
    with socket.create_connection((address.host, address.port), timeout=timeout) as conn:
        conn.sendall(data)


def status(address: Address, timeout: float = TIMEOUT_S) -> PrinterState:
    try:
        with socket.create_connection((address.host, address.port), timeout=timeout) as conn:
            conn.settimeout(timeout)
            answers = []
            for request in STATUS_REQUESTS:
                conn.sendall(request)
                answers.append(conn.recv(1))
    except TimeoutError:
        return PrinterState.UNKNOWN
    except OSError:
        return PrinterState.UNREACHABLE
    return _state(*answers)


def _state(printer: bytes, offline: bytes, paper: bytes) -> PrinterState:
    """Decode DLE EOT 1 (printer), 2 (offline cause) and 4 (paper); anything else is `unknown`.

    The drawer bit reports connector pin 3; most drawers' switches read high when open.
    """
    answers = (printer, offline, paper)
    if any(len(a) != 1 or a[0] & 0x93 != 0x12 for a in answers):
        return PrinterState.UNKNOWN  # not the fixed bits every ESC/POS status byte carries
    if printer[0] & 0x08:  # bit 3: offline — the offline cause says whether the cover is open
        return PrinterState.COVER_OPEN if offline[0] & 0x04 else PrinterState.OFFLINE
    if paper[0] & 0x60:  # bits 5-6: paper end
        return PrinterState.PAPER_OUT
    if paper[0] & 0x0C:  # bits 2-3: near end
        return PrinterState.PAPER_LOW
    if printer[0] & 0x04:  # bit 2: drawer connector pin 3
        return PrinterState.DRAWER_OPEN
    return PrinterState.OK


@dataclass(frozen=True)
class SerialLink:
    """A serial printer: a device (`/dev/ttyS0`, `COM1`) or any pyserial URL."""

    port: str
    baudrate: int = 9600

    def _open(self) -> Any:
        import serial

        return serial.serial_for_url(
            self.port, baudrate=self.baudrate, timeout=TIMEOUT_S, write_timeout=TIMEOUT_S
        )

    def send(self, data: bytes) -> None:
        with self._open() as conn:  # SerialException is an OSError: the worker retries
            conn.write(data)
            conn.flush()

    def status(self) -> PrinterState:
        try:
            with self._open() as conn:
                answers = []
                for request in STATUS_REQUESTS:
                    conn.write(request)
                    answers.append(conn.read(1))
        except OSError:
            return PrinterState.UNREACHABLE
        return _state(*answers)


@dataclass(frozen=True)
class FileLink:
    """A printer device file (`/dev/usb/lp0` with the usblp driver): write-only, no status."""

    path: str

    def send(self, data: bytes) -> None:
        with open(self.path, "ab") as device:  # PermissionError → see docs/hardware.md (udev)
            device.write(data)

    def status(self) -> PrinterState:
        return PrinterState.UNKNOWN if os.access(self.path, os.W_OK) else PrinterState.UNREACHABLE


def parse_link(url: str) -> Link:
    """`tcp://host[:9100]`, `serial:///dev/ttyS0?baudrate=19200` (or `serial://COM3`),
    `file:///dev/usb/lp0` (or just `/dev/usb/lp0`), `usb://04b8:0e15[?serial=…]`, or `cups://queue`
    (`cups://host[:port]/queue`).

    Raises:
        ValueError: a connection we cannot drive.
    """
    parts = urlsplit(url)
    if parts.scheme == "serial":
        port = parts.netloc + parts.path
        baud = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p).get("baudrate")
        return SerialLink(port, int(baud) if baud else 9600)
    if parts.scheme == "file":
        return FileLink(parts.path)
    if not parts.scheme and url.startswith("/dev/"):  # a device file as written: /dev/usb/lp0
        return FileLink(url)
    if parts.scheme == "usb":
        from desktop.hardware.usb_printers import UsbLink

        return UsbLink.parse(url)
    if parts.scheme == "cups":
        from desktop.hardware.cups_link import CupsLink

        return CupsLink.parse(url)
    if "://" in url and parts.scheme != "tcp":
        raise ValueError(
            f"unknown connection {url!r}: use tcp://, serial://, file://, usb:// or cups://"
        )
    return Address.parse(url)
