"""Sizing windows to the screen they open on: what is left of it, not the whole of it.

On a 1024×768 counter screen a window manager's title bar (and a taskbar) take part of the
height; a window as tall as the screen pushes its status bar and bottom buttons off the edge.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room a window manager's title bar takes (openbox draws ~25 px, Windows ~31). Used where the
# real frame is not known yet (before the first show) and offscreen (screenshots, tests).
TITLE_BAR = 32


def usable_size(widget: QWidget | None = None) -> QSize:
    """The size a top-level window may take on the screen `widget` is on (the primary screen
    before it is shown): the available geometry minus a title bar."""
    screen = widget.screen() if widget is not None else QGuiApplication.primaryScreen()
    available = screen.availableGeometry().size()
    return QSize(available.width(), available.height() - TITLE_BAR)


def fit_window(window: QWidget) -> None:
    """Size a main window to the room its screen leaves and put it at the top left of it."""
    window.resize(usable_size(window))
    window.move(window.screen().availableGeometry().topLeft())


def fit_dialog(dialog: QWidget) -> None:
    """A dialog keeps its own size, but never more than the room its screen leaves."""
    hint = dialog.sizeHint().expandedTo(dialog.minimumSizeHint())
    dialog.resize(hint.boundedTo(usable_size(dialog)))
