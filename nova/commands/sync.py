"""`nova sync`: enroll this terminal with a sync server, sync now, show where it stands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from nova.commands._types import SubParsers

if TYPE_CHECKING:
    from desktop.sync.credentials import CredentialStore
    from desktop.till.runner import Runner


def register(sub: SubParsers) -> None:
    p = sub.add_parser(
        "sync",
        help="sync this terminal with the server",
        description="Enroll with a sync server, push sales and pull staff/modules now, or show "
        "the sync state (NOVA_TERMINAL_DATABASE_PATH).",
    )
    p.add_argument("--database", type=Path, default=None, help="terminal DB file")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    enroll = actions.add_parser("enroll", help="trade a manager's one-time code for a credential")
    enroll.add_argument("--server", required=True, help="server URL, e.g. http://127.0.0.1:8700")
    enroll.add_argument("--code", required=True, help="the enrollment code (e.g. ABCDE-FGHJK)")
    enroll.add_argument("--name", default="Till", help="how the back office lists this terminal")
    enroll.set_defaults(handler=_enroll)
    actions.add_parser("now", help="push and pull once, now").set_defaults(handler=_now)
    actions.add_parser("status", help="where sync stands").set_defaults(handler=_status)


def _open(args: argparse.Namespace) -> tuple[Runner, CredentialStore]:
    from desktop.db.engine import make_terminal_engine
    from desktop.db.migrate import prepare_terminal_db
    from desktop.settings import TerminalSettings
    from desktop.sync.credentials import CredentialStore
    from desktop.till.runner import Runner

    settings = TerminalSettings()
    path = args.database or settings.database_path
    prepare_terminal_db(path, settings.backup_dir)
    return Runner(make_terminal_engine(path)), CredentialStore(path.parent)


def _enroll(args: argparse.Namespace) -> int:
    from desktop.sync.setup import enroll_terminal

    runner, store = _open(args)
    where = enroll_terminal(runner, store, server_url=args.server, code=args.code, name=args.name)
    print(f"enrolled with {args.server}; credential kept in {where}")
    return 0


def _now(args: argparse.Namespace) -> int:
    from desktop.sync.setup import build_engine

    runner, store = _open(args)
    engine = build_engine(runner, store, progress=lambda f: print(f"  {round(f * 100)}%"))
    try:
        report = engine.run_once()
    finally:
        engine.client.close()
    print(
        f"pushed {report.pushed}, pulled {report.pulled}, needing attention {report.issues}"
        + (
            " — the server was restored; what it lacked was sent again"
            if report.epoch_changed
            else ""
        )
    )
    if report.quarantined:
        print("this database is quarantined on the server: call your administrator")
        return 1
    return 0


def _status(args: argparse.Namespace) -> int:
    from desktop.outbox.service import pending_count
    from desktop.sync.engine import load_state

    runner, _ = _open(args)
    state = runner.read(load_state)
    waiting = runner.read(pending_count)
    if state is None:
        print(f"not enrolled; {waiting} changes waiting")
        return 1
    print(f"server        {state.server_url}")
    print(f"device        {state.device_id} at {state.location_code or '?'}")
    print(f"waiting       {waiting} changes")
    print(f"pushed up to  {state.pushed_seq}; pulled up to {state.pull_cursor}")
    print(f"last success  {state.last_success_at or 'never'}")
    if state.last_error:
        print(f"last error    {state.last_error} ({state.last_error_at})")
    print(f"replica       {state.replica_status}")
    return 0
