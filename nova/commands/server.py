"""`nova server`: placeholder until its owner lands it."""

from __future__ import annotations

import argparse

from nova.commands._types import SubParsers


def register(sub: SubParsers) -> None:
    p = sub.add_parser("server", help="(not yet available)")
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    raise SystemExit("nova server: not implemented yet")
