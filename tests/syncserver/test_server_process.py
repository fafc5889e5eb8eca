"""`nova server` as a real process: migrates its SQLite file, serves, stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serves_then_stops_gracefully_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "NOVA_SERVER_DATABASE_URL": f"sqlite+pysqlite:///{tmp_path / 'srv.db'}",
        "NOVA_SERVER_LOG_JSON": "true",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "nova", "server", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.1)
        assert r.status_code == 200
        assert r.json()["status"] == "ready"
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert f"http://127.0.0.1:{port}" in out
    messages = [json.loads(line)["message"] for line in err.splitlines() if line.startswith("{")]
    assert "Nova sync server stopped" in messages
    assert "Application shutdown complete." in messages
