"""The palette choice the back office offers for tiles and categories: "Default" (no colour)
and each colour of shared.catalog_sync.TILE_COLORS with its swatch."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from desktop.ui.theme.tiles import tile_swatch
from shared.catalog_sync import TILE_COLORS


def color_choice(accessible_name: str, default: str = "Default") -> QComboBox:
    """A combo box whose `currentData()` is the colour's name, or None for `default`."""
    box = QComboBox()
    box.setAccessibleName(accessible_name)
    box.addItem(default, None)
    for name in TILE_COLORS:
        box.addItem(tile_swatch(name), name.capitalize(), name)
    return box


def pick_color(box: QComboBox, color: str | None) -> None:
    box.setCurrentIndex(max(0, box.findData(color)))
