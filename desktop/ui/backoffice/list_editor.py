"""The layout the catalog's category and modifier-group pages share: a list with its Back and
New buttons on the left, the editor of the picked row on the right, equal halves."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLayout, QTableWidget, QVBoxLayout, QWidget

from desktop.ui.components.primitives import Button
from desktop.ui.theme import space


def list_beside_editor(
    host: QWidget, table: QTableWidget, back: Button, new: Button, editor: QLayout
) -> None:
    left = QVBoxLayout()
    left.addWidget(table, 1)
    buttons = QHBoxLayout()
    buttons.addWidget(back)
    buttons.addWidget(new)
    left.addLayout(buttons)
    layout = QHBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(space("lg"))
    layout.addLayout(left, 1)
    layout.addLayout(editor, 1)
