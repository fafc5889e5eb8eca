"""Window geometry, theme and mode, kept in a JSON file in the config dir (not the registry).

Geometry is stored as plain numbers rather than Qt's `saveGeometry()` blob: readable, portable
between Qt versions, and checkable on screens the window has never seen.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from shared.design_tokens import THEMES, Theme
from shared.paths import app_dirs

log = logging.getLogger(__name__)


@dataclass
class ShellPrefs:
    theme: Theme = "light"
    geometry: tuple[int, int, int, int] | None = None  # x, y, width, height (normal state)
    maximized: bool = False
    mode: str = "terminal"


def prefs_path() -> Path:
    return app_dirs().config / "shell.json"


def load_prefs(default_theme: Theme = "light", path: Path | None = None) -> ShellPrefs:
    """Read the prefs; a missing or damaged file gives the defaults (never blocks start-up)."""
    path = path or prefs_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ShellPrefs(theme=default_theme)
    except (OSError, ValueError):
        log.info("ignoring unreadable %s", path)
        return ShellPrefs(theme=default_theme)
    theme = raw.get("theme") if raw.get("theme") in THEMES else default_theme
    geometry = raw.get("geometry")
    valid = (
        isinstance(geometry, list)
        and len(geometry) == 4
        and all(isinstance(v, int) for v in geometry)
    )
    return ShellPrefs(
        theme=theme,
        geometry=(geometry[0], geometry[1], geometry[2], geometry[3]) if valid else None,
        maximized=bool(raw.get("maximized", False)),
        mode=str(raw.get("mode", "terminal")),
    )


def save_prefs(prefs: ShellPrefs, path: Path | None = None) -> None:
    path = path or prefs_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "theme": prefs.theme,
        "geometry": list(prefs.geometry) if prefs.geometry else None,
        "maximized": prefs.maximized,
        "mode": prefs.mode,
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(body, indent=2), encoding="utf-8")
    tmp.replace(path)  # atomic: a crash never leaves half a file
