"""`nova terminal`: placeholder until its owner lands it."""

from __future__ import annotations

import argparse

from nova.commands._types import SubParsers


def register(sub: SubParsers) -> None:
    p = sub.add_parser("terminal", help="(not yet available)")
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    raise SystemExit("nova terminal: not implemented yet")
