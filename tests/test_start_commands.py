"""The README's start command: `nova start` brings up the server and the terminal, then stops."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

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
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"Nova sync server: http://127.0.0.1:{port}" in done.stdout
    assert (tmp_path / "data" / "server.db").exists()
    assert (tmp_path / "data" / "terminal.db").exists()


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
    "command", ["start", "server", "db", "admin", "terminal", "gallery", "screens"]
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
