"""Back office, categories: the sell screen's tabs in their order (Move up / Move down renumber
them), and an editor to add one or rename, move or colour one (position 0 is the first tab;
the colour is its items' tiles where they have none of their own). Saved through the catalog
desk."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.catalog.categories import CategoryRow
from desktop.catalog.service import POSITION_MAX
from desktop.till.catalog_desk import CatalogDesk
from desktop.ui.backoffice.color_choice import color_choice, pick_color
from desktop.ui.backoffice.item_form import field_note, show_note
from desktop.ui.backoffice.list_editor import list_beside_editor
from desktop.ui.components.primitives import Button, Input, Size, Toast, ToastKind, Variant
from desktop.ui.components.tables import list_table
from desktop.ui.theme import space
from desktop.ui.theme.tiles import tile_swatch
from shared.errors import NovaError, ValidationFailed

COLUMNS = ("Category", "Position", "Colour")


class CategoriesPanel(QWidget):
    changed = Signal()  # a category was saved
    closed = Signal()

    def __init__(self, desk: CatalogDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.rows: list[CategoryRow] = []
        self.current: uuid.UUID | None = None
        self.last_toast: tuple[ToastKind, str] | None = None
        self.setAccessibleName("categories")

        self.table = list_table(COLUMNS, "category list")
        self.table.currentCellChanged.connect(lambda row, *_: self.pick(row))
        self.title = QLabel("New category")
        self.title.setProperty("role", "title")
        self.name = Input("Name", placeholder="e.g. Coffee")
        self.position = QSpinBox()
        self.position.setAccessibleName("position")
        self.position.setRange(0, POSITION_MAX - 1)
        self.position_note = field_note()
        self.color = color_choice("category colour", "No colour")
        self.color_note = field_note()
        self.up_button = Button("Move up", variant=Variant.SECONDARY)
        self.up_button.clicked.connect(lambda: self.move_tab(-1))
        self.down_button = Button("Move down", variant=Variant.SECONDARY)
        self.down_button.clicked.connect(lambda: self.move_tab(1))
        self.new_button = Button("New category", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.new_button.clicked.connect(self.start_new)
        self.back_button = Button("Back to items", variant=Variant.GHOST, size=Size.TOUCH)
        self.back_button.clicked.connect(self.closed.emit)
        self.save_button = Button("Save category", variant=Variant.PRIMARY, size=Size.TOUCH)
        self.save_button.clicked.connect(self.save)

        editor = QVBoxLayout()
        editor.setSpacing(space("sm"))
        editor.addWidget(self.title)
        editor.addWidget(self.name)
        editor.addWidget(_wrapped("Position of its tab on the sell screen (0 = first)"))
        editor.addWidget(self.position)
        editor.addWidget(self.position_note)
        moves = QHBoxLayout()
        moves.addWidget(self.up_button)
        moves.addWidget(self.down_button)
        moves.addStretch(1)
        editor.addLayout(moves)
        editor.addWidget(_wrapped("Colour of its items' tiles (where they have none of their own)"))
        editor.addWidget(self.color)
        editor.addWidget(self.color_note)
        editor.addStretch(1)
        editor.addWidget(self.save_button)
        list_beside_editor(self, self.table, self.back_button, self.new_button, editor)

    def reload(self, keep: uuid.UUID | None = None) -> None:
        self.rows = self.desk.category_rows()
        self.table.setRowCount(len(self.rows))
        for row, category in enumerate(self.rows):
            self.table.setItem(row, 0, QTableWidgetItem(category.name))
            self.table.setItem(row, 1, QTableWidgetItem(str(category.position)))
            color = QTableWidgetItem(category.color or "none")
            if category.color:
                color.setIcon(tile_swatch(category.color))
            self.table.setItem(row, 2, color)
        ids = [r.id for r in self.rows]
        if keep in ids:
            self.table.setCurrentCell(ids.index(keep), 0)
        else:
            self.start_new()

    def pick(self, row: int) -> None:
        if not 0 <= row < len(self.rows):
            return
        picked = self.rows[row]
        self.current = picked.id
        self.title.setText(f"Edit {picked.name}")
        self.name.set_text(picked.name)
        self.position.setValue(picked.position)
        pick_color(self.color, picked.color)
        self._enable_moves()
        self.show_problems({})

    def start_new(self) -> None:
        self.current = None
        self.table.setCurrentCell(-1, -1)
        self.title.setText("New category")
        self.name.set_text("")
        self.position.setValue(max((r.position for r in self.rows), default=-1) + 1)
        pick_color(self.color, None)
        self._enable_moves()
        self.show_problems({})
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        try:
            saved = self.desk.save_category(
                self.name.text(), self.position.value(), self.current, self.color.currentData()
            )
        except ValidationFailed as exc:
            field = exc.details.get("field")
            self.show_problems({field if field in ("position", "color") else "name": exc.message})
            self.toast("Not saved: fix the marked field", ToastKind.ERROR)
            return
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.toast(f"Saved {self.name.text().strip()}", ToastKind.SUCCESS)
        self.changed.emit()
        self.reload(keep=saved)

    def move_tab(self, step: int) -> None:
        """The picked category one tab up (-1) or down (+1); the tabs are renumbered."""
        if self.current is None:
            return
        try:
            self.desk.move_category(self.current, step)
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.changed.emit()
        self.reload(keep=self.current)

    def _enable_moves(self) -> None:
        ids = [r.id for r in self.rows]
        at = ids.index(self.current) if self.current in ids else -1
        self.up_button.setEnabled(at > 0)
        self.down_button.setEnabled(0 <= at < len(ids) - 1)

    def show_problems(self, problems: dict[str, str]) -> None:
        self.name.set_error(problems.get("name"))
        show_note(self.position_note, problems.get("position"))
        show_note(self.color_note, problems.get("color"))

    def toast(self, message: str, kind: ToastKind) -> None:
        self.last_toast = (kind, message)
        Toast.show_message(self, message, kind)


def _wrapped(text: str) -> QLabel:
    """A field's label that wraps: the editor is half a 1024-pixel window's page."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label
