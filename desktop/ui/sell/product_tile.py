"""A product tile of the sell grid: a `Button` that, when the item has a picture this till
holds, draws it above the name and price (both still in the button's text and colours)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPaintEvent, QPixmap
from PySide6.QtWidgets import QStyle, QStyleOptionButton, QStylePainter, QWidget

from desktop.ui.components.primitives import Button, Size, Variant
from desktop.ui.theme import size, space


def tile_pixmap(data: bytes) -> QPixmap | None:
    """The tile-sized pixmap of a picture's bytes (None: Qt cannot read them)."""
    pixmap = QPixmap()
    if not pixmap.loadFromData(data):
        return None
    side = size("tile_picture")
    return pixmap.scaled(
        side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


class ProductTile(Button):
    def __init__(self, text: str, *, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(
            text, variant=Variant.SECONDARY, size=Size.TOUCH, accessible_name=accessible_name,
            parent=parent,
        )  # fmt: skip
        self._picture: QPixmap | None = None

    @property
    def picture(self) -> QPixmap | None:
        return self._picture

    def set_picture(self, pixmap: QPixmap | None) -> None:
        self._picture = pixmap
        self.updateGeometry()
        self.update()

    def _room(self) -> int:
        """Height the picture adds above the text (nothing without one)."""
        return 0 if self._picture is None else size("tile_picture") + space("xs")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # QPushButton's minimumSizeHint is its sizeHint: the room is added here once for both.
        hint = super().sizeHint()
        return QSize(hint.width(), hint.height() + self._room())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if self._picture is None:
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        # The stylesheet's background and border, then the picture, then the text below it.
        painter.drawControl(QStyle.ControlElement.CE_PushButtonBevel, option)
        pad = space("xs")
        picture = self._picture
        top = option.rect.top() + pad
        left = option.rect.left() + (option.rect.width() - picture.width()) // 2
        painter.drawPixmap(left, top, picture)
        label = QStyleOptionButton(option)
        below = top + size("tile_picture")
        label.rect = QRect(
            option.rect.left(), below, option.rect.width(), option.rect.bottom() - below
        )
        painter.drawControl(QStyle.ControlElement.CE_PushButtonLabel, label)
