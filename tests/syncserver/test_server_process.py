"""`nova server` as a real process: migrates its SQLite file, serves, stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.support.live_server import free_port
from tests.support.processes import stop, wait_until_ready


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
        wait_until_ready(f"http://127.0.0.1:{port}", proc)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=15)
    finally:
        stop(proc)
    assert proc.returncode == 0
    assert f"http://127.0.0.1:{port}" in out
    messages = [json.loads(line)["message"] for line in err.splitlines() if line.startswith("{")]
    assert "Nova sync server stopped" in messages
    assert "Application shutdown complete." in messages
