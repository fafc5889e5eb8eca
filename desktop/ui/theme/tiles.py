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


TILE_NAME_LINE = 12  # characters: a longer name breaks onto a second line at a space


def tile_text(name: str, price: str) -> str:
    """A product tile's text: the name whole (on two lines when long), the price under it.

    Four tiles share ~500 px of a 1024-pixel screen; one long line would be cut at both ends.
    """
    if len(name) > TILE_NAME_LINE and " " in name:
        middle = len(name) / 2
        cut = min((i for i, ch in enumerate(name) if ch == " "), key=lambda i: abs(i - middle))
        name = f"{name[:cut]}\n{name[cut + 1 :]}"
    return f"{name}\n{price}"


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
