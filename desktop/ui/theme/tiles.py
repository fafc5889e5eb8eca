"""Product-tile colours: the names the back office picks (shared.catalog_sync.TILE_COLORS) and
how each looks. The same shades in both themes: a product's colour is how staff find it."""

from __future__ import annotations

from PySide6.QtGui import QColor, QIcon, QPixmap

from shared.catalog_sync import TILE_COLORS

TILE_BACKGROUNDS: dict[str, str] = {
    "slate": "#475569", "blue": "#1d4ed8", "teal": "#0f766e", "green": "#15803d",
    "amber": "#b45309", "rose": "#be123c", "violet": "#6d28d9",
}  # fmt: skip
TILE_TEXT = "#ffffff"
assert set(TILE_BACKGROUNDS) == set(TILE_COLORS), "every tile colour needs a look"


def tile_qss() -> str:
    """Rules for buttons that carry a `tile` property."""
    return "\n".join(
        f'QPushButton[tile="{name}"] {{ background: {color}; color: {TILE_TEXT}; '
        f"border-color: {color}; }}"
        for name, color in TILE_BACKGROUNDS.items()
    )


def tile_swatch(name: str, side: int = 16) -> QIcon:
    """A small square of the colour, for lists and pickers."""
    pixmap = QPixmap(side, side)
    pixmap.fill(QColor(TILE_BACKGROUNDS[name]))
    return QIcon(pixmap)
