"""Back office, catalog: the item list (search by name, SKU or barcode; filter by category,
location and archived; lazy, so 100,000 items stay quick), and for the picked item its price,
availability ("86") and sell-screen button — or its values at each location side by side.
"New item" / "Edit item" open the item form, "Archive item" takes it off the counter (or
"Restore item" brings it back), "New category" the categories, "Modifier groups" their list
and editor; each is a page of this screen. Saving goes through the catalog desk (one
transaction, audited, synced to every till; offline it waits in the outbox)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.catalog.browse import AnyCategory, Archived, BrowseFilter, BrowseRow
from desktop.catalog.service import ItemView
from desktop.office.pictures import PictureDesk
from desktop.till.catalog_desk import CatalogDesk, TileEdit
from desktop.ui.backoffice.categories_panel import CategoriesPanel
from desktop.ui.backoffice.groups_panel import GroupsPanel
from desktop.ui.backoffice.item_form import ItemForm, find_data
from desktop.ui.backoffice.item_list import ItemListModel
from desktop.ui.backoffice.location_prices import LocationPrices
from desktop.ui.components.primitives import Button, Input, Size, Toast, ToastKind, Variant
from desktop.ui.theme import space
from desktop.ui.theme.tiles import tile_swatch
from shared.catalog_sync import TILE_COLORS
from shared.errors import NovaError
from shared.money import Money

AUTO = -1  # the position spin box's "automatic" value (after the placed ones, by name)
DEBOUNCE_MS = 150  # typing pauses this long before the list searches
ARCHIVED = (("Active", Archived.ACTIVE), ("Archived", Archived.ARCHIVED), ("All", Archived.ALL))


# Each column is as wide as its header or a typical value, whichever is wider: measuring the
# rows instead (ResizeToContents) would read every loaded row on each search.
SAMPLES = ("", "CAFE-CREME", "Breakfast", "EUR 24.90", "no (86)", "4006381333931 +1")


def item_table(model: ItemListModel) -> QTableView:
    """The list: whole rows, nothing edited in place, fixed row heights (a view of 100,000
    rows must not measure each), the name column taking the room left."""
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName("items")
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)  # one line per row, elided: a third less painting than wrapping
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    metrics = table.fontMetrics()
    for column, sample in enumerate(SAMPLES[1:], start=1):
        name = str(model.headerData(column, Qt.Orientation.Horizontal))
        # The theme draws headers bold (about a tenth wider) with padding on both sides.
        title = metrics.horizontalAdvance(name) * 11 // 10 + 2 * space("lg")
        header.resizeSection(
            column, max(metrics.horizontalAdvance(sample) + 2 * space("md"), title)
        )
    return table


# Said on the list: catalog work never waits for the network (the outbox path).
WHERE_SAVED = (
    "Saved on this till at once, also offline; other tills get it with their next sync. "
    "CSV import and export: Business setup → Catalog file."
)


class CatalogScreen(QWidget):
    catalog_changed = Signal()  # something was saved: the sell screen redraws its grid

    def __init__(
        self, desk: CatalogDesk, parent: QWidget | None = None, *,
        pictures: PictureDesk | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.desk = desk
        self.current: ItemView | None = None
        self.last_toast: tuple[ToastKind, str] | None = None
        self.setProperty("role", "page")
        self.setAccessibleName("Catalog")

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search = Input("Search", placeholder="Search: name, SKU or barcode")
        self.search.label.setVisible(False)
        self.search.edit.textChanged.connect(lambda _t: self._debounce.start())
        self.category = QComboBox()
        self.category.setAccessibleName("category")
        self._fill_categories(AnyCategory.ALL)
        self.category.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.location = QComboBox()
        self.location.setAccessibleName("location")
        self.location.addItem("All locations", None)
        for code in desk.locations():
            self.location.addItem(code, code)
        self.location.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.archived = QComboBox()
        self.archived.setAccessibleName("archived")
        for label, state in ARCHIVED:
            self.archived.addItem(label, state)
        self.archived.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.new_item_button = Button("New item", variant=Variant.PRIMARY)
        self.new_item_button.clicked.connect(self.new_item)
        self.edit_item_button = Button("Edit item", variant=Variant.SECONDARY)
        self.edit_item_button.clicked.connect(self.edit_item)
        self.archive_button = Button("Archive item", variant=Variant.SECONDARY)
        self.archive_button.clicked.connect(self.toggle_archived)
        self.categories_button = Button("New category", variant=Variant.SECONDARY)
        self.categories_button.clicked.connect(self.open_categories)
        self.groups_button = Button("Modifier groups", variant=Variant.SECONDARY)
        self.groups_button.clicked.connect(self.open_groups)
        self.model = ItemListModel(lambda f, offset, limit: desk.browse(f, offset, limit))
        self.table = item_table(self.model)
        self.table.selectionModel().currentRowChanged.connect(
            lambda now, _before: self.pick(now.row())
        )

        self.title = QLabel("Pick an item")
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
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

        quick = QWidget()
        editor = QVBoxLayout(quick)
        editor.setSpacing(space("sm"))
        editor.addWidget(self.price)
        editor.addWidget(self.available)
        editor.addWidget(QLabel("Tile colour"))
        editor.addWidget(self.color)
        editor.addWidget(QLabel("Tile position in its category (0 = first)"))
        editor.addWidget(self.position)
        editor.addStretch(1)
        editor.addWidget(self.save_button)
        self.at_locations = LocationPrices(desk)
        self.at_locations.saved.connect(self._location_saved)
        self.side = QTabWidget()
        self.side.setAccessibleName("picked item")
        self.side.addTab(quick, "Quick edit")
        self.side.addTab(self.at_locations, "At each location")
        self.side.currentChanged.connect(lambda _i: self._show_at_locations())
        panel = QVBoxLayout()
        panel.setSpacing(space("sm"))
        panel.addWidget(self.title)
        panel.addWidget(self.side, 1)
        body = QHBoxLayout()
        body.addWidget(self.table, 2)
        body.addLayout(panel, 1)
        toolbar = QHBoxLayout()
        for button in (
            self.new_item_button,
            self.edit_item_button,
            self.archive_button,
            self.categories_button,
            self.groups_button,
        ):
            toolbar.addWidget(button)
        toolbar.addStretch(1)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for combo in (self.category, self.location, self.archived):
            filters.addWidget(combo, 1)
        self.list_page = QWidget()
        listing = QVBoxLayout(self.list_page)
        listing.setContentsMargins(0, 0, 0, 0)
        listing.setSpacing(space("sm"))
        listing.addLayout(toolbar)
        listing.addLayout(filters)
        listing.addLayout(body, 1)
        self.where_saved = QLabel(WHERE_SAVED)
        self.where_saved.setProperty("role", "helper")
        self.where_saved.setWordWrap(True)
        listing.addWidget(self.where_saved)

        self.form = ItemForm(desk, pictures=pictures)
        self.form.picture_changed.connect(self.catalog_changed.emit)
        self.form.saved.connect(self._item_saved)
        self.form.archived.connect(self._archived_in_form)
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
        self.apply_filter()

    # ------------------------------------------------------------------ pages
    def new_item(self) -> None:
        picked = self.category_id()
        self.form.start_new(None if picked is AnyCategory.ALL else picked)
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

    def _fill_categories(self, keep: uuid.UUID | AnyCategory | None) -> None:
        """The category filter: All, each category, No category; on `keep`."""
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItem("All categories", AnyCategory.ALL)
        for category_id, name in self.desk.categories():
            self.category.addItem(name, category_id)
        self.category.setCurrentIndex(max(0, find_data(self.category, keep)))
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

    def _location_saved(self) -> None:
        self.reload(keep=None if self.current is None else self.current.id)
        self.catalog_changed.emit()

    def category_id(self) -> uuid.UUID | AnyCategory | None:
        data = self.category.currentData()
        return data if isinstance(data, uuid.UUID | AnyCategory) else None

    # ------------------------------------------------------------------ the list
    @property
    def items(self) -> list[BrowseRow]:
        """The rows loaded so far (more load as the list scrolls)."""
        return self.model.rows

    def current_filter(self) -> BrowseFilter:
        state = self.archived.currentData()
        return BrowseFilter(
            text=self.search.text(),
            category=self.category_id(),
            archived=state if isinstance(state, Archived) else Archived.ACTIVE,
            location=self.location.currentData(),
        )

    def apply_filter(self) -> None:
        """The list for what the search and filters say now: its first page, the first row
        picked."""
        self._debounce.stop()
        self.model.set_filter(self.current_filter())
        self._select(0 if self.model.rows else -1)

    def reload(self, keep: uuid.UUID | None = None) -> None:
        """The list again (after a save), on `keep` when it is still listed."""
        if keep is None and self.current is not None:
            keep = self.current.id
        self.model.reload()
        row = -1 if keep is None else self.model.row_of(keep)
        self._select(row if row >= 0 else (0 if self.model.rows else -1))

    def select_item(self, item_id: uuid.UUID) -> None:
        """Pick a listed item (a loaded row)."""
        self._select(self.model.row_of(item_id))

    def _select(self, row: int) -> None:
        if row < 0:
            self.table.selectionModel().clearCurrentIndex()
            self.table.clearSelection()
            self.pick(-1)
            return
        index = self.model.index(row, 0)
        if self.table.currentIndex() == index:
            self.pick(row)  # the same row again: its values may have changed
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def pick(self, row: int) -> None:
        rows = self.model.rows
        self.current = self.desk.item(rows[row].id) if 0 <= row < len(rows) else None
        self.save_button.setEnabled(self.current is not None)
        self.edit_item_button.setEnabled(self.current is not None)
        self.archive_button.setEnabled(self.current is not None)
        self._show_at_locations()
        if self.current is None:
            self.title.setText("No items match" if not rows else "Pick an item")
            self.archive_button.setText("Archive item")
            return
        item = self.current
        state = "" if item.active else " — archived"
        self.title.setText(f"{item.name} ({item.sku}){state}")
        self.archive_button.setText("Archive item" if item.active else "Restore item")
        self.price.set_text(f"{item.price.amount:.2f}")
        self.price.set_error(None)
        self.available.setChecked(item.available)
        self.color.setCurrentIndex(max(0, self.color.findData(item.tile_color)))
        self.position.setValue(AUTO if item.tile_position is None else item.tile_position)

    def _show_at_locations(self) -> None:
        """The picked item at each location, read only while that tab is shown (not on every
        pick of a row)."""
        if self.side.currentWidget() is self.at_locations:
            self.at_locations.show_item(None if self.current is None else self.current.id)

    # ------------------------------------------------------------------ archive
    def toggle_archived(self) -> None:
        """Archive the picked item (off the counter, kept for history) or restore it."""
        item = self.current
        if item is None:
            return
        try:
            saved = self.desk.set_archived(item.id, archived=item.active)
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self._archived_in_form(saved)

    def _archived_in_form(self, saved: ItemView) -> None:
        if saved.active:
            words = f"Restored {saved.name}: on the sell screen again"
        else:
            words = f"Archived {saved.name}: off the sell screen; past sales keep it"
        self.reload(keep=saved.id)
        self.show_list()
        self.toast(words + "; other tills get it with their next sync", ToastKind.SUCCESS)
        self.catalog_changed.emit()

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
