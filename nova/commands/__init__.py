"""Subcommand modules of `nova`. Each exposes ``register(subparsers)``.

Handlers import their part of the product lazily, so `nova --help` stays fast and the
server never loads Qt (nor the terminal FastAPI).
"""

from __future__ import annotations

from types import ModuleType

from nova.commands import (
    admin,
    catalog,
    db,
    devices,
    gallery,
    inventory,
    screens,
    seed,
    server,
    sim,
    start,
    sync,
    terminal,
)

COMMAND_MODULES: tuple[ModuleType, ...] = (
    start,
    server,
    db,
    admin,
    seed,
    catalog,
    terminal,
    inventory,
    devices,
    sync,
    sim,
    gallery,
    screens,
)
