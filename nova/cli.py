"""`nova` entry point: builds the parser from the subcommand modules and dispatches."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from nova.commands import COMMAND_MODULES
from shared.version import __version__

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nova",
        description="Nova POS: offline-first point of sale (terminal app and sync server).",
    )
    parser.add_argument("--version", action="version", version=f"nova {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `nova` subcommand; returns the process exit code."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
