"""`nova terminal`: the counter terminal and back-office app (PySide6)."""

from __future__ import annotations

import argparse
import sys

from nova.commands._types import SubParsers


def register(sub: SubParsers) -> None:
    p = sub.add_parser(
        "terminal",
        help="run the terminal app",
        description="Run the terminal app. Its local database (NOVA_TERMINAL_DATABASE_PATH) is "
        "backed up and migrated first; a database from a newer Nova is refused untouched.",
    )
    p.add_argument(
        "--quit-after-ms",
        type=int,
        default=None,
        metavar="N",
        help="close the window after N ms (smoke tests, screenshots)",
    )
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from desktop.app import run_terminal

    return run_terminal(sys.argv[:1], quit_after_ms=args.quit_after_ms)
