"""Alembic environments: `server/` (Postgres and SQLite) and `terminal/` (the terminal's SQLite).

Script locations are resolved from this package, or from PyInstaller's bundle when frozen.
"""

from __future__ import annotations

import sys
from pathlib import Path


def migrations_root() -> Path:
    """Folder holding `server/` and `terminal/` (inside `sys._MEIPASS` in a frozen build)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "migrations"
    return Path(__file__).resolve().parent


SERVER_DIR = migrations_root() / "server"
TERMINAL_DIR = migrations_root() / "terminal"

# The terminal schema this build expects. Start-up compares the database's revision with it
# without importing Alembic (a third of the cold start); a test keeps it equal to Alembic's head,
# so a new terminal migration must update it.
TERMINAL_HEAD = "t0020_item_images"
