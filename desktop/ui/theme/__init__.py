"""The only place that styles widgets: tokens in, Qt stylesheet out (house rule: no inline styles).

Widgets say *what* they are through dynamic properties (`variant`, `size`, `role`, `kind`,
`error`, `busy`); the stylesheet built here says how that looks in each theme.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from desktop.ui.theme.qss import qss_for
from shared.design_tokens import THEMES, Theme, Tokens, parse_tokens
from shared.paths import assets_dir, tokens_file

__all__ = [
    "THEMES",
    "Theme",
    "Tokens",
    "apply_theme",
    "load_tokens",
    "qss_for",
    "register_fonts",
    "repolish",
    "size",
    "space",
]


@cache
def _default_tokens() -> Tokens:
    return parse_tokens(tokens_file().read_text(encoding="utf-8"))


def load_tokens(path: Path | None = None) -> Tokens:
    """The bundled tokens (cached), or those of another file (tests, theme previews)."""
    if path is None:
        return _default_tokens()
    return parse_tokens(path.read_text(encoding="utf-8"))


def size(name: str) -> int:
    """A size token in px, e.g. `size("touch_target")`."""
    return load_tokens().size[name]


def space(name: str) -> int:
    """A spacing token in px, e.g. `space("md")`."""
    return load_tokens().space[name]


@cache
def register_fonts() -> tuple[str, ...]:
    """Load the bundled fonts so every machine (and every screenshot) renders alike."""
    families: list[str] = []
    for font in sorted((assets_dir() / "fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(font))
        families += QFontDatabase.applicationFontFamilies(font_id)
    return tuple(dict.fromkeys(families))


def apply_theme(target: QApplication | QWidget, theme: Theme, tokens: Tokens | None = None) -> None:
    """Style the whole app, or one widget subtree (the gallery shows both themes side by side)."""
    register_fonts()
    target.setStyleSheet(qss_for(tokens or load_tokens(), theme))
    target.setProperty("theme", theme)


def repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed (Qt does not do it by itself)."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
