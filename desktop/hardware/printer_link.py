"""Talking to a network receipt printer (TCP 9100): send bytes, ask its status (DLE EOT).

Short timeouts: a dead printer must cost the worker seconds, never the cashier anything. Status
is three-valued (FIELD-NOTES): a printer that does not answer is `unknown`, not "out of paper".
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

TIMEOUT_S = 3.0
DLE_EOT_PRINTER = b"\x10\x04\x01"  # transmit printer status
DLE_EOT_PAPER = b"\x10\x04\x04"  # transmit roll paper sensor status


class PrinterState(StrEnum):
    OK = "ok"
    PAPER_OUT = "paper out"
    PAPER_LOW = "paper low"
    OFFLINE = "offline"  # answered: cover open, error, or not ready
    UNREACHABLE = "unreachable"  # no connection at all
    UNKNOWN = "unknown"  # connected, but no valid status answer


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    @classmethod
    def parse(cls, url: str) -> Address:
        """`tcp://192.168.1.50:9100` (the port defaults to 9100)."""
        parts = urlsplit(url if "://" in url else f"tcp://{url}")
        if parts.scheme != "tcp" or not parts.hostname:
            raise ValueError(f"a network printer is tcp://host[:port], not {url!r}")
        return cls(parts.hostname, parts.port or 9100)


def send(address: Address, data: bytes, timeout: float = TIMEOUT_S) -> None:
    """Deliver `data`; raises OSError (refused, unreachable, timeout) when it could not."""
    with socket.create_connection((address.host, address.port), timeout=timeout) as conn:
        conn.sendall(data)


def status(address: Address, timeout: float = TIMEOUT_S) -> PrinterState:
    try:
        with socket.create_connection((address.host, address.port), timeout=timeout) as conn:
            conn.settimeout(timeout)
            conn.sendall(DLE_EOT_PRINTER)
            printer = conn.recv(1)
            conn.sendall(DLE_EOT_PAPER)
            paper = conn.recv(1)
    except TimeoutError:
        return PrinterState.UNKNOWN
    except OSError:
        return PrinterState.UNREACHABLE
    if len(printer) != 1 or len(paper) != 1 or printer[0] & 0x93 != 0x12:
        return PrinterState.UNKNOWN  # not the fixed bits every ESC/POS status byte carries
    if printer[0] & 0x08:  # bit 3: offline
        return PrinterState.OFFLINE
    if paper[0] & 0x60:  # bits 5-6: paper end
        return PrinterState.PAPER_OUT
    if paper[0] & 0x0C:  # bits 2-3: near end
        return PrinterState.PAPER_LOW
    return PrinterState.OK
