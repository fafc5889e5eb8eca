"""Product-tile colours: the names the back office picks (shared.catalog_sync.TILE_COLORS) and
how each looks. The same shades in both themes: a product's colour is how staff find it."""

from __future__ import annotations

import textwrap

from PySide6.QtGui import QColor, QIcon, QPixmap

from shared.catalog_sync import TILE_COLORS

TILE_BACKGROUNDS: dict[str, str] = {
    "slate": "#475569", "blue": "#1d4ed8", "teal": "#0f766e", "green": "#15803d",
    "amber": "#b45309", "rose": "#be123c", "violet": "#6d28d9",
}  # fmt: skip
TILE_TEXT = "#ffffff"
assert set(TILE_BACKGROUNDS) == set(TILE_COLORS), "every tile colour needs a look"


TILE_NAME_LINE = 12  # characters a line of a tile holds whole at the tile font


def wrap_name(name: str, width: int = TILE_NAME_LINE) -> str:
    """A name broken at spaces into lines of at most `width` characters (a longer word stays
    whole on its own line): "Hot chocolate with cream" → "Hot\nchocolate\nwith cream"."""
    return "\n".join(textwrap.wrap(name, width, break_long_words=False)) or name


def tile_text(name: str, price: str) -> str:
    """A product tile's text: the name whole (on more lines when long), the price under it.

    Four tiles share ~500 px of a 1024-pixel screen; one long line would be cut at both ends.
    """
    return f"{wrap_name(name)}\n{price}"


def tile_qss(pad: int, font: int, width: int, height: int) -> str:
    """Rules for product tiles (`role="tile"`: all one size, with narrow padding and a smaller
    font so a whole name fits), and for the colour each carries in its `tile` property."""
    shape = (
        f'QPushButton[role="tile"] {{ padding: {pad}px; font-size: {font}px; '
        f"min-width: {width}px; min-height: {height}px; }}"
    )
    return (
        shape
        + "\n"
        + "\n".join(
            f'QPushButton[tile="{name}"] {{ background: {color}; color: {TILE_TEXT}; '
            f"border-color: {color}; }}"
            for name, color in TILE_BACKGROUNDS.items()
        )
    )


def tile_swatch(name: str, side: int = 16) -> QIcon:
    """A small square of the colour, for lists and pickers."""
    pixmap = QPixmap(side, side)
    pixmap.fill(QColor(TILE_BACKGROUNDS[name]))
    return QIcon(pixmap)
