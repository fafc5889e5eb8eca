"""Does a window fit a small screen? Every visible widget inside the window, no text clipped.

`misfits(window)` lists what is wrong in words a reviewer can act on ("QLabel 'Demo Cashier'
needs 131 px, has 96"); a test asserts the list is empty. Another helper's new dialog is checked
by one more `assert_fits(dialog, screen)` line.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFrame,
    QTabBar,
    QWidget,
)

from desktop.ui.shell.fit import TITLE_BAR

BIG = 100_000


@dataclass(frozen=True)
class Screen:
    """A screen we support: its size, and what a window may use of it."""

    width: int
    height: int

    @property
    def name(self) -> str:
        return f"{self.width}x{self.height}"

    @property
    def usable(self) -> QSize:
        return QSize(self.width, self.height - TITLE_BAR)


SMALL = Screen(1024, 768)
WIDE = Screen(1366, 768)
SCREENS = (SMALL, WIDE)
FULL_HD = Screen(1920, 1080)  # what the till must scale to


def show_at(window: QWidget, screen: Screen, *, dialog: bool = False) -> None:
    """Show `window` as it would open on `screen`: a main window fills the usable area, a dialog
    takes its own size but at most the usable area."""
    usable = screen.usable
    if dialog:
        hint = window.sizeHint().expandedTo(window.minimumSizeHint())
        window.resize(hint.boundedTo(usable))
    else:
        window.resize(usable)
    window.show()
    window.ensurePolished()
    if window.layout() is not None:
        window.layout().activate()  # type: ignore[union-attr]
    QApplication.processEvents()


def _name(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, QLabel | QAbstractButton):
        text = widget.text().replace("\n", " / ")
    label = text or widget.accessibleName() or widget.objectName()
    return f"{type(widget).__name__} {label!r}"


def _scrolled(widget: QWidget, window: QWidget) -> bool:
    """Inside a scroll area's or a list's viewport: reachable by scrolling, checked via the area."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea | QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


_CONTENTS = {
    QPushButton: QStyle.SubElement.SE_PushButtonContents,
    QCheckBox: QStyle.SubElement.SE_CheckBoxContents,
    QRadioButton: QStyle.SubElement.SE_RadioButtonContents,
}


def _text_misfit(widget: QWidget) -> str | None:
    """Whether the widget's text is drawn whole in the room it has (None: it is)."""
    if isinstance(widget, QLabel):
        text = widget.text()
        if not text or widget.textFormat() == Qt.TextFormat.RichText or text.startswith("<"):
            return None
        room = widget.contentsRect()
        indent = max(widget.indent(), 0) + widget.margin() * 2
        room = room.adjusted(0, 0, -indent, -widget.margin() * 2)
        flags = Qt.TextFlag.TextWordWrap if widget.wordWrap() else 0
    elif isinstance(widget, QPushButton | QCheckBox | QRadioButton):
        text = widget.text()
        if not text:
            return None
        option = QStyleOptionButton()
        widget.initStyleOption(option)
        part = next(part for kind, part in _CONTENTS.items() if isinstance(widget, kind))
        room = widget.style().subElementRect(part, option, widget)
        if not widget.icon().isNull():
            room.setLeft(room.left() + widget.iconSize().width() + 4)
        flags = 0
    else:
        return None
    metrics = QFontMetrics(widget.font())
    need = metrics.boundingRect(QRect(0, 0, room.width() if flags else BIG, BIG), flags, text)
    if need.width() > room.width() or need.height() > room.height():
        return (
            f"{_name(widget)} text clipped: needs {need.width()}x{need.height()} px, "
            f"has {room.width()}x{room.height()}"
        )
    return None


def _cut_placeholder(widget: QWidget) -> str | None:
    """An empty field whose hint ("Scan a barcode or type a na…") does not fit it."""
    if not isinstance(widget, QLineEdit) or widget.text() or not widget.placeholderText():
        return None
    option = QStyleOptionFrame()
    widget.initStyleOption(option)
    room = widget.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, widget)
    room = room.marginsRemoved(widget.textMargins())
    need = QFontMetrics(widget.font()).horizontalAdvance(widget.placeholderText())
    # QLineEdit keeps a 2 px side margin for the cursor inside its contents.
    if need > room.width() - 4:
        return f"{_name(widget)} hint {widget.placeholderText()!r} cut: needs {need} px"
    return None


def _elided_tabs(widget: QWidget) -> str | None:
    """A tab bar that shortens its tab names ("Bak…") instead of scrolling or fitting."""
    if not isinstance(widget, QTabBar):
        return None
    for index in range(widget.count()):
        if widget.tabRect(index).width() < widget.tabSizeHint(index).width():
            return f"tab {widget.tabText(index)!r} of {_name(widget)} is elided"
    return None


def _sideways(widget: QWidget) -> str | None:
    """A scroll area (not a table) whose content is wider than its view: a sideways scroll
    nobody finds on a till."""
    if not isinstance(widget, QScrollArea) or widget.widget() is None:
        return None
    content, view = widget.widget().minimumSizeHint().width(), widget.viewport().width()
    if content > view:
        return f"{_name(widget)} content needs {content} px wide, its view has {view}"
    return None


def misfits(window: QWidget, screen: Screen) -> list[str]:
    """Everything that does not fit: the window bigger than the usable screen, a visible widget
    (partly) outside the window, a label's or button's text cut off."""
    found: list[str] = []
    usable = screen.usable
    if window.width() > usable.width() or window.height() > usable.height():
        found.append(
            f"{_name(window)} is {window.width()}x{window.height()}, the {screen.name} screen "
            f"leaves {usable.width()}x{usable.height()}"
        )
    least = window.minimumSizeHint()
    if least.width() > window.width() or least.height() > window.height():
        # Qt squeezes the layout below what it needs: widgets overlap or lose their text.
        found.append(
            f"{_name(window)} needs at least {least.width()}x{least.height()}, "
            f"has {window.width()}x{window.height()}"
        )
    bounds = window.rect()
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.isWindow():
            continue
        rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        if not _scrolled(widget, window) and not bounds.contains(rect):
            found.append(f"{_name(widget)} at {rect.getRect()} leaves the window {bounds.size()}")
            continue
        problem = (
            _text_misfit(widget)
            or _cut_placeholder(widget)
            or _sideways(widget)
            or _elided_tabs(widget)
        )
        if problem:
            found.append(problem)
    return found


def assert_fits(window: QWidget, screen: Screen, *, dialog: bool = False) -> None:
    """Show `window` on `screen` and fail with the list of misfits, if any."""
    show_at(window, screen, dialog=dialog)
    problems = misfits(window, screen)
    title = window.accessibleName() or type(window).__name__
    assert not problems, f"{title} at {screen.name}:\n" + "\n".join(problems)
