"""`nova start`: the connected product on embedded defaults — server, demo tenant, enrolled till.

The server runs as a child process on its SQLite file (it migrates it on start) with the file
mailer; `nova start` then makes sure a superadmin exists, seeds the demo business through the
public API (`nova seed tenant`: the first run builds it, later runs find it), and starts the
till — enrolled into the demo business, so it comes up online. Closing the window stops the
server. `--server-only` suits a headless box.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

from nova.commands._types import SubParsers

if TYPE_CHECKING:
    from nova.seed.run import Seeded
    from nova.seed.tenant import SeedOptions

READY_TIMEOUT_S = 30.0


def register(sub: SubParsers) -> None:
    p = sub.add_parser(
        "start",
        help="start the sync server (embedded SQLite), a demo business and its till",
        description="Start the product on embedded defaults: the sync server on a SQLite file "
        "in the user data dir, a demo business seeded through its API on the first run, and "
        "the till's window enrolled into it. Prints the server URL and the demo accounts.",
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


def _seed_options(url: str) -> SeedOptions:
    """The demo business's options (`NOVA_SEED_*` apply), on this server and this till."""
    from desktop.settings import TerminalSettings
    from nova.seed.settings import SeedSettings
    from nova.seed.tenant import SeedOptions
    from syncserver.settings import ServerSettings

    values = SeedSettings().model_dump()
    values.update(
        server_url=url,
        till_database=TerminalSettings().database_path,
        mail_dir=ServerSettings().mail_dir,
    )
    return SeedOptions(**values)


def _seed(url: str, database_url: str) -> tuple[SeedOptions, Seeded]:
    from nova.commands.admin import create_superadmin_account
    from nova.seed.run import seed_tenant

    opts = _seed_options(url)
    if create_superadmin_account(
        database_url,
        email=opts.superadmin_email,
        name="Nova superadmin",
        password=opts.superadmin_password,
        exist_ok=True,
    ):
        print(f"superadmin {opts.superadmin_email} created", flush=True)
    told = False

    def say(line: str) -> None:
        nonlocal told
        if not told:
            print("Seeding the demo business through the server's API (first run):", flush=True)
            told = True
        print(line, flush=True)

    return opts, seed_tenant(opts, say=say, leave_foreign_till=True)


def sign_in_hint() -> str:
    """What the sign-in screen of a till in the demo business shows."""
    from nova.seed.demo import CASHIER, MANAGER

    return (
        f"Demo business: manager code {MANAGER.code} · PIN {MANAGER.pin} — "
        f"cashier code {CASHIER.code} · PIN {CASHIER.pin}"
    )


def _banner(url: str, opts: SeedOptions, seeded: Seeded) -> str:
    from nova.seed.demo import CASHIER, MANAGER

    rule = "─" * 72
    lines = [
        rule,
        f"  Nova POS is running — {opts.business_name}",
        f"  Server       {url}   (open it in a browser)",
        f"  Superadmin   {opts.superadmin_email}  password {opts.superadmin_password}",
        f"  Owner        {opts.owner_email}  password {opts.owner_password}",
        f"  Manager      code {MANAGER.code}  PIN {MANAGER.pin}   ({MANAGER.name})",
        f"  Cashier      code {CASHIER.code}  PIN {CASHIER.pin}   ({CASHIER.name})",
    ]
    if not seeded.till_in_tenant:
        lines += [
            f"  The till database {opts.till_database}",
            "  belongs to another business or holds a till-only demo: it starts as it is.",
            "  Move it away to have the till join the demo business.",
        ]
    lines.append(rule)
    return "\n".join(lines)


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
    # The demo owner activates from the e-mailed link: the seed reads it from the mail folder.
    env.setdefault("NOVA_SERVER_MAIL_SENDER", "file")
    env.setdefault("NOVA_SERVER_PUBLIC_URL", url)
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
        if args.server_only:
            print(f"Nova sync server: {url}  (database: {settings.database_url})", flush=True)
            while not stop_requested and server.poll() is None:
                time.sleep(0.2)
            return 0 if stop_requested else (server.returncode or 1)
        from shared.errors import NovaError

        try:
            opts, seeded = _seed(url, settings.database_url)
        except NovaError as exc:
            print(
                f"nova start: the demo business could not be set up: {exc.message}", file=sys.stderr
            )
            return 1
        print(_banner(url, opts, seeded), flush=True)
        env["NOVA_TERMINAL_SERVER_URL"] = url
        env.pop("NOVA_TERMINAL_SIGN_IN_HINT", None)
        if seeded.till_in_tenant:
            env["NOVA_TERMINAL_SIGN_IN_HINT"] = sign_in_hint()
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
