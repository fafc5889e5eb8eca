"""`nova db`: migrate and inspect the server database (and, on a till, the terminal database)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nova.commands._types import SubParsers


def register(sub: SubParsers) -> None:
    p = sub.add_parser(
        "db",
        help="migrate and inspect the server database",
        description="Alembic migrations of the server database (Postgres or embedded SQLite).",
    )
    p.add_argument(
        "--database-url",
        default=None,
        help="SQLAlchemy URL (default: NOVA_SERVER_DATABASE_URL or the embedded SQLite file)",
    )
    actions = p.add_subparsers(dest="db_action", metavar="ACTION", required=True)

    up = actions.add_parser("upgrade", help="upgrade to a revision (default: head)")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(handler=_upgrade)

    down = actions.add_parser("downgrade", help="downgrade to a revision (`base` empties the DB)")
    down.add_argument("revision")
    down.set_defaults(handler=_downgrade)

    cur = actions.add_parser("current", help="print the revision the database is at")
    cur.set_defaults(handler=_current)

    chk = actions.add_parser(
        "check", help="exit 1 unless the DB is at head and the models match the migrations"
    )
    chk.set_defaults(handler=_check)

    term = actions.add_parser(
        "terminal-upgrade",
        help="back up and migrate a terminal database file (what the terminal does at start)",
    )
    term.add_argument("--path", type=Path, default=None, help="terminal DB (default: settings)")
    term.set_defaults(handler=_terminal_upgrade)


def _url(args: argparse.Namespace) -> str:
    if args.database_url:
        return str(args.database_url)
    from syncserver.settings import ServerSettings

    return ServerSettings().database_url


def _upgrade(args: argparse.Namespace) -> int:
    from migrations.runner import upgrade_server

    upgrade_server(_url(args), args.revision)
    print(f"upgraded to {args.revision}")
    return 0


def _downgrade(args: argparse.Namespace) -> int:
    from migrations.runner import downgrade_server

    downgrade_server(_url(args), args.revision)
    print(f"downgraded to {args.revision}")
    return 0


def _current(args: argparse.Namespace) -> int:
    from migrations.runner import server_current
    from syncserver.db import make_engine

    engine = make_engine(_url(args))
    try:
        current = server_current(engine)
    finally:
        engine.dispose()
    print(", ".join(sorted(current)) or "(empty database: no revision)")
    return 0


def _check(args: argparse.Namespace) -> int:
    from migrations.runner import server_current, server_heads, server_schema_diff
    from syncserver.db import make_engine

    engine = make_engine(_url(args))
    try:
        current, head = server_current(engine), server_heads()
        if current != head:
            print(
                f"database is at {sorted(current) or 'nothing'}, head is {sorted(head)}: "
                "run `nova db upgrade`",
                file=sys.stderr,
            )
            return 1
        diff = server_schema_diff(engine)
    finally:
        engine.dispose()
    if diff:
        print("models and migrations differ (write a migration):", file=sys.stderr)
        for item in diff:
            print(f"  {item}", file=sys.stderr)
        return 1
    print(f"ok: at head {', '.join(sorted(head))}; models match migrations")
    return 0


def _terminal_upgrade(args: argparse.Namespace) -> int:
    from desktop.db.migrate import prepare_terminal_db
    from desktop.settings import TerminalSettings

    settings = TerminalSettings()
    path = args.path or settings.database_path
    result = prepare_terminal_db(path, settings.backup_dir)
    backup = f" (backup: {result.backup})" if result.backup else ""
    print(f"terminal database {path} at {', '.join(sorted(result.after))}{backup}")
    return 0
