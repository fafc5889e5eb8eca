"""A network receipt printer in a thread (TCP 9100) that keeps what it was sent and renders it
to text — for tests and for `nova sim printer`, so anyone can see receipts without hardware.

It answers DLE EOT status requests like an Epson does (paper low or out, cover open, drawer
open — or garbage), can be switched off (connection refused), or made to drop the connection
half-way through a job.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

from desktop.hardware.escpos_stream import as_text, parse
from desktop.hardware.sim_server import TcpSimulator


@dataclass
class SimulatedPrinter(TcpSimulator):
    host: str = "127.0.0.1"
    port: int = 0  # 0: any free port (see `.port` after start)
    paper_out: bool = False
    paper_low: bool = False
    cover_open: bool = False
    drawer_open: bool = False
    garbage_status: bool = False  # answers status requests with bytes no printer sends
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
        paper = 0x60 if self.paper_out else 0x0C if self.paper_low else 0
        for request, answer in (
            (b"\x10\x04\x01", 0x12 | (0x08 if self.cover_open else 0)
             | (0x04 if self.drawer_open else 0)),
            (b"\x10\x04\x02", 0x12 | (0x04 if self.cover_open else 0)),
            (b"\x10\x04\x04", 0x12 | paper),
        ):  # fmt: skip
            while request in data:
                conn.sendall(b"\xff" if self.garbage_status else bytes([answer]))
                index = data.index(request)
                del data[index : index + len(request)]
        return data

    def texts(self) -> list[str]:
        return [render_text(job) for job in self.jobs]


def render_text(data: bytes) -> str:
    """The printable part of an ESC/POS stream, with markers for cuts, barcodes, QR codes,
    images and drawers."""
    return as_text(parse(data))
