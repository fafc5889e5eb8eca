"""`nova start`: the whole product on embedded defaults — sync server on SQLite plus the terminal.

The server runs as a child process (it migrates its SQLite file on start); the terminal window
runs as a second child. Closing the window stops the server. `--server-only` suits a headless box.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

from nova.commands._types import SubParsers

READY_TIMEOUT_S = 30.0


def register(sub: SubParsers) -> None:
    p = sub.add_parser(
        "start",
        help="start the sync server (embedded SQLite) and the terminal app",
        description="Start the product on embedded defaults: the sync server on a SQLite file "
        "in the user data dir (its URL is printed) and the terminal app's window.",
    )
    p.add_argument("--port", type=int, default=None, help="server port (default from settings)")
    p.add_argument(
        "--server-only", action="store_true", help="run only the sync server (headless machines)"
    )
    p.add_argument(
        "--quit-after-ms",
        type=int,
        default=None,
        metavar="N",
        help="close the terminal window after N ms, then stop (smoke tests)",
    )
    p.set_defaults(handler=_run)


def _wait_healthy(url: str, server: subprocess.Popen[bytes]) -> None:
    import httpx

    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"nova start: the server exited with code {server.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"nova start: the server did not answer on {url} within {READY_TIMEOUT_S}s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _run(args: argparse.Namespace) -> int:
    from nova.commands._ports import refuse_taken_port
    from syncserver.settings import ServerSettings

    settings = ServerSettings()
    port = args.port if args.port is not None else settings.port
    refused = refuse_taken_port("start", settings.host, port)
    if refused is not None:
        return refused  # never wait for "health" from whatever answers on that port
    url = f"http://{settings.host}:{port}"
    env = dict(os.environ)
    server = subprocess.Popen(
        [sys.executable, "-m", "nova", "server", "--host", settings.host, "--port", str(port)],
        env=env,
    )
    stop_requested = False

    def on_signal(_signum: int, _frame: object) -> None:
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGTERM, on_signal)
    try:
        _wait_healthy(url, server)
        print(f"Nova sync server: {url}  (database: {settings.database_url})", flush=True)
        if args.server_only:
            while not stop_requested and server.poll() is None:
                time.sleep(0.2)
            return 0 if stop_requested else (server.returncode or 1)
        env["NOVA_TERMINAL_SERVER_URL"] = url
        # Embedded defaults: an unconfigured terminal gets the demo shop to sell from.
        env.setdefault("NOVA_TERMINAL_DEMO_DATA", "true")
        terminal_cmd = [sys.executable, "-m", "nova", "terminal"]
        if args.quit_after_ms is not None:
            terminal_cmd += ["--quit-after-ms", str(args.quit_after_ms)]
        terminal = subprocess.Popen(terminal_cmd, env=env)
        while not stop_requested and terminal.poll() is None:
            time.sleep(0.2)
        _stop(terminal)
        return terminal.returncode if not stop_requested else 0
    except KeyboardInterrupt:
        return 0
    finally:
        _stop(server)
