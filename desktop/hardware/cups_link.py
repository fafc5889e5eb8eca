"""A printer queue of CUPS (`cups://queue`, or `cups://host:631/queue` for another server):
receipts go to it raw through `lp`; its state comes from `lpstat`.

Once `lp` has accepted a job, CUPS owns it: a job counts as printed when CUPS took it, and CUPS
retries a printer that is off. A queue CUPS stopped (its error policy after repeated failures)
shows as `offline`; a missing queue, server or CUPS itself as `unreachable`.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from urllib.parse import urlsplit

from desktop.hardware.printer_link import TIMEOUT_S, PrinterState

CUPS_TIMEOUT_S = TIMEOUT_S * 3  # lp talks to the local scheduler, which answers in milliseconds


@dataclass(frozen=True)
class CupsLink:
    queue: str
    server: str | None = None  # host[:port]; None: the local scheduler (or CUPS_SERVER)

    @classmethod
    def parse(cls, url: str) -> CupsLink:
        parts = urlsplit(url)
        if parts.path.strip("/"):
            return cls(parts.path.strip("/"), parts.netloc or None)
        if parts.netloc:
            return cls(parts.netloc)
        raise ValueError(f"a CUPS printer is cups://queue or cups://host[:port]/queue, not {url!r}")

    def _command(self, tool: str, *args: str) -> list[str]:
        return [tool, *(("-h", self.server) if self.server else ()), *args]

    def _run(self, command: list[str], data: bytes = b"") -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(
                command, input=data, capture_output=True, timeout=CUPS_TIMEOUT_S, check=False
            )
        except FileNotFoundError:
            raise FileNotFoundError("CUPS is not installed on this till (no lp command)") from None
        except subprocess.TimeoutExpired:
            raise TimeoutError(f"CUPS did not answer within {CUPS_TIMEOUT_S:.0f} s") from None

    def send(self, data: bytes) -> None:
        """Hand `data` to the queue, raw. Raises OSError when CUPS did not take it."""
        done = self._run(self._command("lp", "-d", self.queue, "-o", "raw", "-t", "Nova POS"), data)
        if done.returncode != 0:
            reason = done.stderr.decode(errors="replace").strip() or f"lp exit {done.returncode}"
            raise ConnectionError(f"CUPS refused the job: {reason}")

    def status(self) -> PrinterState:
        try:
            done = self._run(self._command("lpstat", "-p", self.queue))
        except OSError:
            return PrinterState.UNREACHABLE
        text = done.stdout.decode(errors="replace")
        if done.returncode != 0 or not text.startswith("printer "):
            return PrinterState.UNREACHABLE
        return PrinterState.OFFLINE if " disabled" in text.splitlines()[0] else PrinterState.OK
