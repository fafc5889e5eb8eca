"""A barcode scanner or magnetic-stripe reader on a serial port (or USB in virtual-COM mode):
one code — or one card's tracks — per line.

A reader thread hands each line to `on_code`; a scanner unplugged mid-shift is retried every
few seconds instead of crashing the till.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from serial import SerialBase

log = logging.getLogger("desktop.hardware")


class SerialScanner(threading.Thread):
    def __init__(
        self,
        url: str,
        on_code: Callable[[str], None],
        *,
        baudrate: int = 9600,
        retry_s: float = 3,
        name: str = "scanner",
    ) -> None:
        super().__init__(name=f"serial-{name}", daemon=True)
        self.url, self.on_code, self.baudrate, self.retry_s = url, on_code, baudrate, retry_s
        self._stopping = threading.Event()
        self.ready = threading.Event()  # the port is open (pyserial drops input sent before)

    def stop(self, timeout: float = 5) -> None:
        self._stopping.set()
        self.join(timeout)

    def run(self) -> None:
        import serial

        while not self._stopping.is_set():
            try:
                with serial.serial_for_url(self.url, baudrate=self.baudrate, timeout=0.2) as port:
                    self.ready.set()
                    self._read(port)
            except OSError as exc:  # SerialException: unplugged, busy, no permission
                self.ready.clear()
                log.info("%s %s unavailable (%s); retrying", self.name, self.url, exc)
                self._stopping.wait(self.retry_s)

    def _read(self, port: SerialBase) -> None:
        buffer = b""
        while not self._stopping.is_set():
            buffer += port.read(64)
            *lines, buffer = buffer.replace(b"\r", b"\n").split(b"\n")
            for line in lines:
                code = line.decode("ascii", "ignore").strip()
                if code:
                    self.on_code(code)
