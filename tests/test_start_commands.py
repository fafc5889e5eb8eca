"""The README's start command: `nova start` brings up the server and the terminal, then stops."""

from __future__ import annotations

import os
import queue
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import httpx
import pytest

from desktop.app import EXIT_DB_TOO_NEW
from desktop.db.migrate import upgrade_terminal
from tests.support.live_server import free_port
from tests.support.processes import stop, wait_until_ready


def env_for(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "NOVA_DATA_DIR": str(tmp_path / "data"),
        "NOVA_CONFIG_DIR": str(tmp_path / "config"),
        "QT_QPA_PLATFORM": "offscreen",
    }


def test_start_runs_server_and_terminal_on_embedded_defaults(tmp_path: Path) -> None:
    port = free_port()
    done = subprocess.run(
        [sys.executable, "-m", "nova", "start", "--port", str(port), "--quit-after-ms", "500"],
        env=env_for(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"Nova sync server: http://127.0.0.1:{port}" in done.stdout
    assert (tmp_path / "data" / "server.db").exists()
    assert (tmp_path / "data" / "terminal.db").exists()


class Lines:
    """A child's merged output, line by line, read on a thread so the test can wait for one."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.seen: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        assert proc.stdout is not None
        self._stream = proc.stdout
        self._thread = threading.Thread(target=self._pump, args=(self._stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def close(self) -> None:
        """After the process ended: the pump has read to the end, the pipe can go."""
        self._thread.join(timeout=30)
        self._stream.close()

    def wait_for(self, text: str, limit_s: float = 120) -> str:
        """The first line containing `text`; fails when the output ends (or stalls) first."""
        while True:
            try:
                line = self._queue.get(timeout=limit_s)
            except queue.Empty:
                raise AssertionError(
                    f"no {text!r} within {limit_s}s:\n" + "\n".join(self.seen[-40:])
                ) from None
            if line is None:
                raise AssertionError(
                    f"output ended before {text!r}:\n" + "\n".join(self.seen[-40:])
                )
            self.seen.append(line)
            if text in line:
                return line


def _start(tmp_path: Path, port: int) -> subprocess.Popen[str]:
    # The window's quit timer is only a backstop: the test stops `nova start` with SIGTERM as
    # soon as the till has said it is online.
    return subprocess.Popen(
        [sys.executable, "-m", "nova", "start", "--port", str(port), "--quit-after-ms", "120000"],
        env=env_for(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _stop_and_wait(proc: subprocess.Popen[str]) -> int:
    proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout=60)


@pytest.mark.e2e
def test_readme_start_on_a_clean_data_dir_reaches_online_and_all_synced(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = _start(tmp_path, port)
    out = Lines(proc)
    try:
        out.wait_for("Seeding the demo business")
        out.wait_for(f"  Server       {url}")
        out.wait_for("  Cashier      code 2  PIN 2468")
        banner = "\n".join(out.seen)
        for expected in (
            "Superadmin   ops@demo-cafe.example  password night-shift-2026",
            "Owner        owner@demo-cafe.example  password flat-white-2026",
            "Manager      code 1  PIN 1357",
        ):
            assert expected in banner
        # The till's sync status model, as the status bar shows it, logged when it changes.
        out.wait_for("sync status: Online · All changes synced")
        home = httpx.get(url, timeout=5)
        assert home.status_code == 200
        assert "Nova POS server" in home.text
        assert _stop_and_wait(proc) == 0
    finally:
        stop(proc)
        out.close()

    # A second start finds the demo business: nothing is seeded again, the till comes online.
    proc = _start(tmp_path, port)
    out = Lines(proc)
    try:
        out.wait_for("sync status: Online · All changes synced")
        assert not [line for line in out.seen if "Seeding the demo business" in line]
        assert [line for line in out.seen if line.startswith("  Server       ")]
        assert _stop_and_wait(proc) == 0
    finally:
        stop(proc)
        out.close()


def test_start_server_only_serves_until_sigterm(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "nova", "start", "--server-only", "--port", str(port)],
        env=env_for(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_ready(f"http://127.0.0.1:{port}", proc)
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    finally:
        stop(proc)
    assert proc.returncode == 0
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)


def test_terminal_refuses_a_database_from_a_newer_app(tmp_path: Path) -> None:
    db = tmp_path / "data" / "terminal.db"
    upgrade_terminal(db)
    with sqlite3.connect(db) as conn:
        conn.execute("update alembic_version set version_num='t9999_future'")
    before = db.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "nova", "terminal", "--quit-after-ms", "100"],
        env=env_for(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == EXIT_DB_TOO_NEW
    assert "newer version of Nova POS" in done.stderr
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    "command", ["start", "server", "db", "admin", "seed", "terminal", "gallery", "screens"]
)
def test_every_subcommand_has_help(command: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nova", command, "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0
    assert f"usage: nova {command}" in done.stdout


@pytest.mark.parametrize("command", ["start", "server"])
def test_a_port_in_use_is_one_clear_line_and_nothing_talks_to_it(
    command: str, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        taken.setblocking(False)
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "nova", command, "--port", str(port)],
            env=env_for(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        with pytest.raises(BlockingIOError):
            taken.accept()  # nobody connected: no health probe reached the stranger
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines == [
        f"nova {command}: port {port} on 127.0.0.1 is already in use — stop what runs there "
        "or choose another port with --port"
    ]
    assert not (tmp_path / "data" / "server.db").exists()  # nothing was migrated either
