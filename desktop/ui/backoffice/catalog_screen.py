"""Back office, catalog: pick a category, pick an item, set its price, availability ("86"),
and how its button looks on the sell screen — a colour of the palette and a place in the grid.
"New item" / "Edit item" open the item form, "New category" the categories, "Modifier groups"
their list and editor; each is a page of this screen. Saving goes through the catalog desk
(one transaction, audited, synced to every till; offline it waits in the outbox)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QStackedWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.catalog.service import ItemView
from desktop.office.pictures import PictureDesk
from desktop.till.catalog_desk import CatalogDesk, TileEdit
from desktop.ui.backoffice.categories_panel import CategoriesPanel
from desktop.ui.backoffice.groups_panel import GroupsPanel
from desktop.ui.backoffice.item_form import ItemForm, find_data
from desktop.ui.components.primitives import Button, Input, Size, Toast, ToastKind, Variant
from desktop.ui.components.tables import list_table
from desktop.ui.theme import space
from desktop.ui.theme.tiles import tile_swatch
from shared.catalog_sync import TILE_COLORS
from shared.errors import NovaError
from shared.money import Money

COLUMNS = ("Item", "SKU", "Price", "Tile")
AUTO = -1  # the position spin box's "automatic" value (after the placed ones, by name)


class CatalogScreen(QWidget):
    catalog_changed = Signal()  # something was saved: the sell screen redraws its grid

    def __init__(
        self, desk: CatalogDesk, parent: QWidget | None = None, *,
        pictures: PictureDesk | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.desk = desk
        self.items: list[ItemView] = []
        self.current: ItemView | None = None
        self.last_toast: tuple[ToastKind, str] | None = None
        self.setProperty("role", "page")
        self.setAccessibleName("Catalog")

        self.category = QComboBox()
        self.category.setAccessibleName("category")
        self._fill_categories(None, first=True)
        self.category.currentIndexChanged.connect(lambda _i: self.reload())
        self.new_item_button = Button("New item", variant=Variant.PRIMARY)
        self.new_item_button.clicked.connect(self.new_item)
        self.edit_item_button = Button("Edit item", variant=Variant.SECONDARY)
        self.edit_item_button.clicked.connect(self.edit_item)
        self.categories_button = Button("New category", variant=Variant.SECONDARY)
        self.categories_button.clicked.connect(self.open_categories)
        self.groups_button = Button("Modifier groups", variant=Variant.SECONDARY)
        self.groups_button.clicked.connect(self.open_groups)
        self.table = list_table(COLUMNS, "items")
        self.table.currentCellChanged.connect(lambda row, *_: self.pick(row))

        self.title = QLabel("Pick an item")
        self.title.setProperty("role", "title")
        self.price = Input("Price", numeric=True, touch=True)
        self.available = QCheckBox("On sale (untick to 86 it)")
        self.available.setAccessibleName("on sale")
        self.color = QComboBox()
        self.color.setAccessibleName("tile colour")
        self.color.addItem("Default", None)
        for name in TILE_COLORS:
            self.color.addItem(tile_swatch(name), name.capitalize(), name)
        self.position = QSpinBox()
        self.position.setAccessibleName("tile position")
        self.position.setRange(AUTO, 9_999)
        self.position.setSpecialValueText("Automatic")
        self.save_button = Button("Save", variant=Variant.PRIMARY, size=Size.TOUCH)
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(False)

        editor = QVBoxLayout()
        editor.setSpacing(space("sm"))
        editor.addWidget(self.title)
        editor.addWidget(self.price)
        editor.addWidget(self.available)
        editor.addWidget(QLabel("Tile colour"))
        editor.addWidget(self.color)
        editor.addWidget(QLabel("Tile position in its category (0 = first)"))
        editor.addWidget(self.position)
        editor.addStretch(1)
        editor.addWidget(self.save_button)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addLayout(editor, 2)
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.category, 1)
        for button in (
            self.new_item_button,
            self.edit_item_button,
            self.categories_button,
            self.groups_button,
        ):
            toolbar.addWidget(button)
        self.list_page = QWidget()
        listing = QVBoxLayout(self.list_page)
        listing.setContentsMargins(0, 0, 0, 0)
        listing.setSpacing(space("md"))
        listing.addLayout(toolbar)
        listing.addLayout(body, 1)

        self.form = ItemForm(desk, pictures=pictures)
        self.form.picture_changed.connect(self.catalog_changed.emit)
        self.form.saved.connect(self._item_saved)
        self.form.cancelled.connect(self.show_list)
        self.groups = GroupsPanel(desk)
        self.groups.changed.connect(self.catalog_changed.emit)
        self.groups.closed.connect(self.show_list)
        self.categories = CategoriesPanel(desk)
        self.categories.changed.connect(self._categories_saved)
        self.categories.closed.connect(self.show_list)
        self.pages = QStackedWidget()
        for page in (self.list_page, self.form, self.groups, self.categories):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        pad = space("lg")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.addWidget(self.pages, 1)
        self.reload()

    # ------------------------------------------------------------------ pages
    def new_item(self) -> None:
        self.form.start_new(self.category_id())
        self.pages.setCurrentWidget(self.form)

    def edit_item(self) -> None:
        if self.current is None:
            self.toast("Pick an item to edit first", ToastKind.INFO)
            return
        self.form.start_edit(self.current.id)
        self.pages.setCurrentWidget(self.form)

    def open_groups(self) -> None:
        self.groups.reload()
        self.pages.setCurrentWidget(self.groups)

    def open_categories(self) -> None:
        self.categories.reload()
        self.pages.setCurrentWidget(self.categories)

    def show_list(self) -> None:
        self.pages.setCurrentWidget(self.list_page)

    def _fill_categories(self, keep: uuid.UUID | None, *, first: bool = False) -> None:
        """The category choice, on `keep` (None: "No category"), or on the first tab."""
        self.category.blockSignals(True)
        self.category.clear()
        for category_id, name in self.desk.categories():
            self.category.addItem(name, category_id)
        index = 0 if first else find_data(self.category, keep)
        self.category.setCurrentIndex(max(0, index))
        self.category.blockSignals(False)

    def _item_saved(self, item: ItemView) -> None:
        """Back to the list, in the item's category, the item picked."""
        category = self.desk.draft(item.id).category_id
        self._fill_categories(keep=category)
        self.reload(keep=item.id)
        self.show_list()
        self.toast(
            f"Saved {item.name}: on the sell screen now; other tills get it with their next sync",
            ToastKind.SUCCESS,
        )
        self.catalog_changed.emit()

    def _categories_saved(self) -> None:
        self._fill_categories(keep=self.category_id())
        self.reload()
        self.catalog_changed.emit()

    def category_id(self) -> uuid.UUID | None:
        data = self.category.currentData()
        return data if isinstance(data, uuid.UUID) else None

    def reload(self, keep: uuid.UUID | None = None) -> None:
        self.items = self.desk.items(self.category_id())
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            tile = item.tile_color or "default"
            if item.tile_position is not None:
                tile += f" · #{item.tile_position}"
            cells = (item.name, item.sku, str(item.price), tile)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 3 and item.tile_color:
                    cell.setIcon(tile_swatch(item.tile_color))
                self.table.setItem(row, column, cell)
        ids = [i.id for i in self.items]
        self.table.setCurrentCell(ids.index(keep) if keep in ids else (0 if ids else -1), 0)
        if not ids:
            self.pick(-1)

    def pick(self, row: int) -> None:
        self.current = self.items[row] if 0 <= row < len(self.items) else None
        self.save_button.setEnabled(self.current is not None)
        if self.current is None:
            self.title.setText("No items in this category")
            return
        item = self.current
        self.title.setText(f"{item.name} ({item.sku})")
        self.price.set_text(f"{item.price.amount:.2f}")
        self.price.set_error(None)
        self.available.setChecked(item.available)
        self.color.setCurrentIndex(max(0, self.color.findData(item.tile_color)))
        self.position.setValue(AUTO if item.tile_position is None else item.tile_position)

    def save(self) -> None:
        item = self.current
        if item is None:
            return
        amount = self.price.value()
        if amount is None or amount < 0:
            self.price.set_error("a price like 3.40")
            self.toast("Enter a price like 3.40", ToastKind.ERROR)
            return
        position = self.position.value()
        edit = TileEdit(
            price=Money(amount, item.price.currency),
            available=self.available.isChecked(),
            color=self.color.currentData(),
            position=None if position == AUTO else position,
        )
        try:
            saved = self.desk.save(item.id, edit)
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.toast(f"Saved {saved.name}: every till gets it with its next sync", ToastKind.SUCCESS)
        self.reload(keep=saved.id)
        self.catalog_changed.emit()

    def toast(self, message: str, kind: ToastKind) -> None:
        self.last_toast = (kind, message)
        Toast.show_message(self, message, kind)
