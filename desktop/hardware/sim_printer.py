"""A network receipt printer in a thread (TCP 9100) that keeps what it was sent and renders it
to text — for tests and for `nova sim printer`, so anyone can see receipts without hardware.

It answers DLE EOT status requests like an Epson does, can be switched off (connection
refused), out of paper, or made to drop the connection half-way through a job.
"""

from __future__ import annotations

import codecs
import contextlib
import socket
from dataclasses import dataclass, field
from functools import cache

from desktop.hardware.sim_server import TcpSimulator


@cache
def code_pages() -> dict[int, str]:
    """ESC t n → Python codec, from the printer profile the receipts are made for."""
    from desktop.hardware.escpos_bytes import new_document

    pages: dict[int, str] = {}
    for number, name in new_document().profile.profile_data["codePages"].items():
        codec = name.lower().replace("iso_", "iso").replace("-", "_")
        with contextlib.suppress(LookupError):
            pages[int(number)] = codecs.lookup(codec).name
    return pages


@dataclass
class SimulatedPrinter(TcpSimulator):
    host: str = "127.0.0.1"
    port: int = 0  # 0: any free port (see `.port` after start)
    paper_out: bool = False
    drop_after_bytes: int | None = None  # close the connection mid-job, once
    jobs: list[bytes] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    def serve_connection(self, conn: socket.socket) -> None:
        conn.settimeout(2)
        data = bytearray()
        while True:
            try:
                chunk = conn.recv(4096)
            except TimeoutError:
                break
            if not chunk:
                break
            data += chunk
            data = self._answer_status(conn, data)
            if self.drop_after_bytes is not None and len(data) >= self.drop_after_bytes:
                self.drop_after_bytes = None
                return  # vanished mid-job: nothing is kept
        if data:
            self.jobs.append(bytes(data))

    def _answer_status(self, conn: socket.socket, data: bytearray) -> bytearray:
        for request, answer in (
            (b"\x10\x04\x01", 0x12),
            (b"\x10\x04\x04", 0x12 | (0x60 if self.paper_out else 0)),
        ):
            while request in data:
                conn.sendall(bytes([answer]))
                index = data.index(request)
                del data[index : index + len(request)]
        return data

    def texts(self) -> list[str]:
        return [render_text(job) for job in self.jobs]


_ONE_ARG = {b"E", b"a", b"t", b"!", b"d", b"-", b"M", b"G", b"J", b"{", b"r"}


def render_text(data: bytes) -> str:
    """The printable part of an ESC/POS stream, with markers for cuts, barcodes, QR codes,
    images and drawers."""
    out: list[str] = []
    codec = "cp437"
    qr_data = ""
    i = 0
    while i < len(data):
        b = data[i]
        if b == 0x1B and i + 1 < len(data):  # ESC
            cmd = data[i + 1 : i + 2]
            if cmd == b"@":
                i += 2
            elif cmd == b"t":
                codec = code_pages().get(data[i + 2], "cp437")
                i += 3
            elif cmd == b"p":
                out.append("[drawer]\n")
                i += 5
            elif cmd in _ONE_ARG:
                i += 3
            else:
                i += 2
        elif b == 0x1D and i + 1 < len(data):  # GS
            cmd = data[i + 1 : i + 2]
            if cmd == b"V":
                out.append("[cut]\n")
                i += 3 if data[i + 2] in (0, 1, 48, 49) else 4
            elif cmd == b"k":
                length = data[i + 3]
                code = data[i + 4 : i + 4 + length].decode("ascii", "replace")
                out.append(f"[barcode {code.removeprefix('{B')}]\n")
                i += 4 + length
            elif cmd == b"v":  # raster image: GS v 0 m xL xH yL yH data (x in bytes)
                width = data[i + 4] + data[i + 5] * 256
                height = data[i + 6] + data[i + 7] * 256
                out.append(f"[image {width * 8}x{height}]\n")
                i += 8 + width * height
            elif cmd == b"(" and data[i + 2 : i + 3] == b"k":  # 2D code: GS ( k pL pH cn fn …
                size = data[i + 3] + data[i + 4] * 256
                body = data[i + 5 : i + 5 + size]
                if body[:2] == b"1P":  # QR: store the data
                    qr_data = body[3:].decode("ascii", "replace")
                elif body[:2] == b"1Q":  # QR: print what was stored
                    out.append(f"[qr {qr_data}]\n")
                i += 5 + size
            else:
                i += 3
        elif b == 0x10 and data[i + 1 : i + 2] == b"\x04":  # DLE EOT
            i += 3
        elif b == 0x0A:
            out.append("\n")
            i += 1
        elif b >= 0x20:
            start = i
            while i < len(data) and data[i] >= 0x20 and data[i] not in (0x1B, 0x1D):
                i += 1
            out.append(data[start:i].decode(codec, "replace"))
        else:
            i += 1
    return "".join(out)
