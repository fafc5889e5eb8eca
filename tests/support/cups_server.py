"""A private CUPS scheduler for tests: its own config, spool and port, raw queues pointing at
our printer simulator through CUPS's real `socket` backend."""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.live_server import free_port

CUPSD = "/usr/sbin/cupsd"


@dataclass
class CupsServer:
    root: Path
    port: int
    proc: subprocess.Popen[bytes]

    @property
    def server(self) -> str:
        return f"127.0.0.1:{self.port}"

    def lp(self, tool: str, *args: str) -> str:
        done = subprocess.run(
            [tool, "-h", self.server, *args], capture_output=True, text=True, timeout=20
        )
        if done.returncode != 0:
            raise AssertionError(f"{tool} {args}: {done.stderr}")
        return done.stdout

    def add_raw_queue(self, name: str, device_uri: str) -> None:
        # "-m raw" is deprecated in CUPS 2.4 (a warning on stderr) but still the way to pass
        # ESC/POS bytes untouched.
        subprocess.run(
            ["lpadmin", "-h", self.server, "-p", name, "-E", "-v", device_uri, "-m", "raw"],
            capture_output=True,
            timeout=20,
            check=True,
        )

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def available() -> bool:
    return Path(CUPSD).exists() and all(shutil.which(t) for t in ("lp", "lpstat", "lpadmin"))


def start_cups(root: Path) -> CupsServer:
    port = free_port()
    for folder in ("spool/tmp", "cache", "state", "log", "ppd"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "cupsd.conf").write_text(
        f"Listen 127.0.0.1:{port}\nLogLevel warn\nWebInterface No\nBrowsing No\n"
        "DefaultAuthType None\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
    )
    (root / "cups-files.conf").write_text(
        f"ServerRoot {root}\nRequestRoot {root}/spool\nTempDir {root}/spool/tmp\n"
        f"CacheDir {root}/cache\nStateDir {root}/state\nAccessLog {root}/log/access_log\n"
        f"ErrorLog {root}/log/error_log\nPageLog {root}/log/page_log\n"
        "ServerBin /usr/lib/cups\nDataDir /usr/share/cups\n"
    )
    proc = subprocess.Popen(
        [CUPSD, "-f", "-c", str(root / "cupsd.conf"), "-s", str(root / "cups-files.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = CupsServer(root, port, proc)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        done = subprocess.run(
            ["lpstat", "-h", server.server, "-r"], capture_output=True, text=True, timeout=10
        )
        if "is running" in done.stdout:
            return server
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    if proc.poll() is None:
        server.stop()
    log = (root / "log" / "error_log").read_text() if (root / "log/error_log").exists() else ""
    raise AssertionError(f"cupsd did not start: {log[-2000:]}")
