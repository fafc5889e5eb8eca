"""Back office, the item form: every field of a new or existing item on one panel that fits a
1024×768 till — name, SKU (suggested from the name), price and cost (with the margin), sold by
the piece or by weight, tax class, category (picked or new), barcodes, stock, on sale, modifier
groups, and the tile picture. Saving goes through the catalog desk; what is wrong shows beside
its field in the desk's words, and nothing is saved until all is right. The picture is the one
part that goes to the server (off the UI thread): the server makes it tile-sized and every till
gets it with its next sync."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.catalog.forms import margin_percent, normalize_barcodes
from desktop.catalog.items import NO_TAX_CLASSES, ItemDraft
from desktop.office.pictures import Picture, PictureDesk
from desktop.till.catalog_desk import CatalogDesk
from desktop.ui.backoffice.office_task import TaskRunner
from desktop.ui.components.primitives import Button, Input, Size, Toast, ToastKind, Variant
from desktop.ui.theme import size, space
from shared.errors import NovaError, ValidationFailed

NEW_CATEGORY = "new"  # the category choice's data for "New category…"


def field_note() -> QLabel:
    """The line under a field that says what is wrong with it (hidden while nothing is)."""
    note = QLabel()
    note.setProperty("role", "error")
    note.setWordWrap(True)
    note.setVisible(False)
    return note


def find_data(combo: QComboBox, value: object) -> int:
    """The index whose data equals `value` (-1: none). Qt's `findData` compares wrapped Python
    objects by identity, so an equal UUID read in another transaction would not match."""
    return next((i for i in range(combo.count()) if combo.itemData(i) == value), -1)


def show_note(note: QLabel, message: str | None) -> None:
    note.setText(message or "")
    note.setVisible(bool(message))
    note.setAccessibleDescription(message or "")


PICTURE_FILES = "Pictures (*.png *.jpg *.jpeg *.webp)"


class ItemForm(QWidget):
    saved = Signal(object)  # ItemView: the item as stored
    archived = Signal(object)  # ItemView: the item just archived or restored
    cancelled = Signal()
    picture_changed = Signal()  # the server took a new picture (or removed it): tiles redraw

    def __init__(
        self, desk: CatalogDesk, parent: QWidget | None = None, *,
        pictures: PictureDesk | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.desk = desk
        self.pictures = pictures
        self.item_id: uuid.UUID | None = None
        self.last_toast: tuple[ToastKind, str] | None = None
        self._suggested = ""  # the SKU last suggested: replaced while the name is typed
        self.setAccessibleName("item form")

        self.title = QLabel("New item")
        self.title.setProperty("role", "title")
        self.name = Input("Name", placeholder="e.g. Flat White")
        self.name.edit.textEdited.connect(self._name_typed)
        self.sku = Input("SKU", helper="Suggested from the name; change it if you like")
        self.price = Input("Price", numeric=True, placeholder="3.40")
        self._build_selling_fields()
        self.tax_class = QComboBox()
        self.tax_class.setAccessibleName("tax class")
        self.tax_note = field_note()
        self.category = QComboBox()
        self.category.setAccessibleName("category")
        self.category.currentIndexChanged.connect(lambda _i: self._category_picked())
        self.new_category = Input("New category's name", placeholder="e.g. Coffee")
        self.new_category.setVisible(False)
        self.category_note = field_note()
        self.barcodes = QPlainTextEdit()
        self.barcodes.setAccessibleName("barcodes")
        self.barcodes.setPlaceholderText("One per line: EAN-13, EAN-8 or UPC-A (scan into here)")
        self.barcodes.setTabChangesFocus(True)
        self.barcodes_note = field_note()
        self.track_stock = QCheckBox("Track stock")
        self.track_stock.setAccessibleName("track stock")
        self.available = QCheckBox("On sale")
        self.available.setAccessibleName("on sale")
        self.groups = QListWidget()
        self.groups.setAccessibleName("modifier groups")
        self.groups.setProperty("role", "choices")
        self.groups_note = field_note()
        self.cancel_button = Button("Cancel", variant=Variant.GHOST, size=Size.TOUCH)
        self.cancel_button.clicked.connect(self.cancelled.emit)
        self.save_button = Button("Save item", variant=Variant.PRIMARY, size=Size.TOUCH)
        self.save_button.clicked.connect(self.save)
        # Archive / Restore the item being edited (off the counter, kept for its history).
        self.archive_button = Button("Archive item", variant=Variant.GHOST, size=Size.TOUCH)
        self.archive_button.clicked.connect(self.toggle_archived)

        left = QVBoxLayout()
        left.setSpacing(space("sm"))
        for widget in (self.name, self.sku):
            left.addWidget(widget)
        left.addLayout(self._selling_rows())
        left.addWidget(_label("Tax class", self.tax_class))
        left.addWidget(self.tax_class)
        left.addWidget(self.tax_note)
        left.addWidget(_label("Category", self.category))
        left.addWidget(self.category)
        left.addWidget(self.new_category)
        left.addWidget(self.category_note)
        flags = QHBoxLayout()
        flags.addWidget(self.track_stock)
        flags.addWidget(self.available)
        flags.addStretch(1)
        left.addLayout(flags)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(space("sm"))
        right.addWidget(_label("Barcodes", self.barcodes))
        right.addWidget(self.barcodes, 1)
        right.addWidget(self.barcodes_note)
        right.addWidget(_label("Modifier groups offered with it", self.groups))
        right.addWidget(self.groups, 1)
        right.addWidget(self.groups_note)
        # The picture under the lists (which give up the room): the left column is as tall as
        # a 768-pixel screen allows already.
        right.addLayout(self._build_picture())
        columns = QGridLayout()
        columns.setHorizontalSpacing(space("xl"))
        columns.addLayout(left, 0, 0)
        columns.addLayout(right, 0, 1)
        columns.setColumnStretch(0, 1)
        columns.setColumnStretch(1, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.archive_button)
        actions.addStretch(1)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(space("md"))
        layout.addWidget(self.title)
        layout.addLayout(columns, 1)
        layout.addLayout(actions)

    # ------------------------------------------------------- price, cost, sold by
    def _build_selling_fields(self) -> None:
        """Cost beside the price (the margin under them; cashiers never see either cost or
        margin) and how the item is sold: by the piece, or weighed at a price per kg."""
        self.cost = Input("Cost", numeric=True, placeholder="1.20")
        self.margin = QLabel("")
        self.margin.setProperty("role", "helper")
        self.margin.setAccessibleName("margin")
        self.unit = QComboBox()
        self.unit.setAccessibleName("sold by")
        self.unit.addItem("piece", "piece")
        self.unit.addItem("weight (kg)", "weighed")
        self.unit_note = field_note()
        self.price.edit.textChanged.connect(lambda _t: self._show_margin())
        self.cost.edit.textChanged.connect(lambda _t: self._show_margin())
        self.unit.currentIndexChanged.connect(lambda _i: self._unit_picked())

    def _selling_rows(self) -> QVBoxLayout:
        rows = QVBoxLayout()
        rows.setSpacing(space("xs"))
        prices = QHBoxLayout()
        prices.addWidget(self.price, 1)
        prices.addWidget(self.cost, 1)
        rows.addLayout(prices)
        sold = QHBoxLayout()
        sold.addWidget(_label("Sold by", self.unit))
        sold.addWidget(self.unit)
        sold.addStretch(1)
        sold.addWidget(self.margin)
        rows.addLayout(sold)
        rows.addWidget(self.unit_note)
        return rows

    def _fill_selling(self, draft: ItemDraft) -> None:
        self.cost.set_text(draft.cost)
        self.unit.setCurrentIndex(max(0, find_data(self.unit, draft.unit)))
        self._unit_picked()
        self._show_margin()

    def _show_margin(self) -> None:
        margin = margin_percent(self.price.value(), self.cost.value())
        self.margin.setText("" if margin is None else f"Margin {margin} %")

    def _unit_picked(self) -> None:
        weighed = self.unit.currentData() == "weighed"
        self.price.label.setText("Price per kg" if weighed else "Price")

    # ------------------------------------------------------------------ filling
    def start_new(self, category_id: uuid.UUID | None = None) -> None:
        """A blank form (in `category_id`, the category the list shows)."""
        self.item_id = None
        self.title.setText("New item")
        self.archive_button.setVisible(False)
        self._fill(ItemDraft(name="", sku="", price="", tax_class="", category_id=category_id))
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def start_edit(self, item_id: uuid.UUID) -> None:
        draft = self.desk.draft(item_id)
        self.item_id = item_id
        self.title.setText(f"Edit {draft.name}")
        active = self.desk.item(item_id).active
        self.archive_button.setText("Archive item" if active else "Restore item")
        self.archive_button.setVisible(True)
        self._fill(draft)

    def _fill(self, draft: ItemDraft) -> None:
        self._suggested = ""
        self.name.set_text(draft.name)
        self.sku.set_text(draft.sku)
        self.price.set_text(draft.price)
        self._fill_selling(draft)
        classes = self.desk.tax_classes()
        self.tax_class.clear()
        for tax_class in classes:
            self.tax_class.addItem(tax_class.label, tax_class.code)
        if draft.tax_class and find_data(self.tax_class, draft.tax_class) < 0:
            self.tax_class.addItem(draft.tax_class, draft.tax_class)  # kept as it came
        self.tax_class.setCurrentIndex(max(0, find_data(self.tax_class, draft.tax_class)))
        self.tax_class.setEnabled(self.tax_class.count() > 0)
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItem("No category", None)
        for category_id, name in self.desk.category_choices():
            self.category.addItem(name, category_id)
        self.category.addItem("New category…", NEW_CATEGORY)
        self.category.setCurrentIndex(max(0, find_data(self.category, draft.category_id)))
        self.category.blockSignals(False)
        self.new_category.set_text("")
        self._category_picked()
        self.barcodes.setPlainText("\n".join(draft.barcodes))
        self.track_stock.setChecked(draft.track_stock)
        self.available.setChecked(draft.available)
        self.groups.clear()
        for group in self.desk.groups():
            options = ", ".join(o.name for o in group.options)
            entry = QListWidgetItem(f"{group.name} ({group.rule}): {options}")
            entry.setData(Qt.ItemDataRole.UserRole, group.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = group.id in draft.modifier_groups
            entry.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.groups.addItem(entry)
        self.show_problems({})
        if not classes:
            show_note(self.tax_note, NO_TAX_CLASSES)
        self._fill_picture()

    def _name_typed(self, name: str) -> None:
        """While the SKU is empty or still the suggestion, it follows the name."""
        if self.sku.text() in ("", self._suggested):
            self._suggested = self.desk.suggest_sku(name, self.item_id)
            self.sku.set_text(self._suggested)

    def _category_picked(self) -> None:
        self.new_category.setVisible(self.category.currentData() == NEW_CATEGORY)

    # ------------------------------------------------------------------ saving
    def draft(self) -> ItemDraft:
        """What the form holds now, as the desk takes it."""
        picked = self.category.currentData()
        new = picked == NEW_CATEGORY
        return ItemDraft(
            name=self.name.text(),
            sku=self.sku.text(),
            price=self.price.text(),
            tax_class=self.tax_class.currentData() or "",
            category_id=picked if isinstance(picked, uuid.UUID) else None,
            new_category=self.new_category.text() if new else "",
            barcodes=tuple(normalize_barcodes(self.barcodes.toPlainText())),
            track_stock=self.track_stock.isChecked(),
            available=self.available.isChecked(),
            modifier_groups=tuple(self.checked_groups()),
            unit=str(self.unit.currentData() or "piece"),
            cost=self.cost.text(),
        )

    def checked_groups(self) -> list[uuid.UUID]:
        entries = (self.groups.item(row) for row in range(self.groups.count()))
        return [
            e.data(Qt.ItemDataRole.UserRole)
            for e in entries
            if e.checkState() == Qt.CheckState.Checked
        ]

    def save(self) -> None:
        draft = self.draft()
        if draft.new_category == "" and self.category.currentData() == NEW_CATEGORY:
            self.show_problems({"category": "type the new category's name"})
            return
        try:
            item = self.desk.save_item(draft, self.item_id)
        except ValidationFailed as exc:
            fields = exc.details.get("fields")
            if not isinstance(fields, dict):
                fields = {"name": exc.message}
            self.show_problems(fields)
            self.toast("Not saved: fix the marked fields", ToastKind.ERROR)
            return
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.show_problems({})
        self.item_id = item.id
        self.saved.emit(item)

    def toggle_archived(self) -> None:
        if self.item_id is None:
            return
        try:
            item = self.desk.set_archived(self.item_id, self.desk.item(self.item_id).active)
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.archived.emit(item)

    def show_problems(self, problems: dict[str, str]) -> None:
        """Each problem beside its field; fields not named are cleared."""
        self.name.set_error(problems.get("name"))
        self.sku.set_error(problems.get("sku"))
        self.price.set_error(problems.get("price"))
        self.cost.set_error(problems.get("cost"))
        show_note(self.unit_note, problems.get("unit"))
        show_note(self.tax_note, problems.get("tax_class"))
        show_note(self.category_note, problems.get("category"))
        show_note(self.barcodes_note, problems.get("barcodes"))
        show_note(self.groups_note, problems.get("modifier_groups"))
        first = next(iter(problems), None)
        widgets: dict[str, QWidget] = {
            "name": self.name, "sku": self.sku, "price": self.price, "cost": self.cost,
            "unit": self.unit, "tax_class": self.tax_class,
            "category": self.category, "barcodes": self.barcodes, "modifier_groups": self.groups,
        }  # fmt: skip
        if first in widgets:
            widgets[first].setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------------ the picture
    def _build_picture(self) -> QVBoxLayout:
        self.picture_preview = QLabel("No picture")
        self.picture_preview.setAccessibleName("picture")
        self.picture_preview.setProperty("role", "helper")
        self.picture_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture_preview.setWordWrap(True)  # "No picture" on two lines in a tile's room
        self.picture_preview.setFixedSize(size("tile_picture"), size("tile_picture"))
        self.picture_button = Button("Picture…", variant=Variant.SECONDARY)
        self.picture_button.clicked.connect(self.choose_picture)
        self.remove_picture_button = Button("Remove picture", variant=Variant.GHOST)
        self.remove_picture_button.clicked.connect(self.remove_picture)
        self.picture_note = field_note()
        self.picture_tasks = TaskRunner(self)
        self._has_picture = False
        row = QHBoxLayout()
        row.addWidget(self.picture_preview)
        row.addWidget(self.picture_button)
        row.addWidget(self.remove_picture_button)
        row.addStretch(1)
        block = QVBoxLayout()
        block.addWidget(_label("Picture on its tile", self.picture_button))
        block.addLayout(row)
        block.addWidget(self.picture_note)
        for widget in (self.picture_preview, self.picture_button, self.remove_picture_button):
            widget.setVisible(self.pictures is not None)  # no server link: no pictures here
        return block

    def _fill_picture(self) -> None:
        data = None if self.item_id is None else self.desk.picture_of(self.item_id)
        self._show_picture(data)
        show_note(self.picture_note, None)
        if self.item_id is None and self.pictures is not None:
            show_note(self.picture_note, "Save the item first, then add its picture")
        self.picture_button.setEnabled(self.item_id is not None)

    def _show_picture(self, data: bytes | None) -> None:
        pixmap = QPixmap()
        if data is not None and pixmap.loadFromData(data):
            side = size("tile_picture")
            self.picture_preview.setPixmap(
                pixmap.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)
            )  # fmt: skip
        else:
            self.picture_preview.clear()
            self.picture_preview.setText("No picture")
        self._has_picture = not pixmap.isNull()
        self.remove_picture_button.setEnabled(self._has_picture and self.item_id is not None)

    def _picture_blocked(self) -> bool:
        """Says beside the buttons why pictures cannot change now (True), else False."""
        reason = "Save the item first, then add its picture" if self.item_id is None else None
        if reason is None and self.pictures is not None:
            reason = self.pictures.why_not()
        show_note(self.picture_note, reason)
        return reason is not None or self.picture_tasks.busy

    def choose_picture(self) -> None:
        """Pick a picture file; it goes to the server, which makes it the item's tile picture."""
        if self.pictures is None or self._picture_blocked():
            return
        path, _ = QFileDialog.getOpenFileName(self, "Choose the item's picture", "", PICTURE_FILES)
        if not path:
            return
        pictures, item_id = self.pictures, self.item_id
        assert item_id is not None
        self.picture_button.set_busy(True)
        self.picture_tasks.run(
            lambda: pictures.upload(item_id, path),
            lambda picture: self._picture_done(item_id, picture),
            self._picture_failed,
        )

    def remove_picture(self) -> None:
        if self.pictures is None or self._picture_blocked():
            return
        pictures, item_id = self.pictures, self.item_id
        assert item_id is not None
        self.remove_picture_button.set_busy(True)
        self.picture_tasks.run(
            lambda: pictures.remove(item_id),
            lambda _none: self._picture_done(item_id, None),
            self._picture_failed,
        )

    def _picture_done(self, item_id: uuid.UUID, picture: Picture | None) -> None:
        self._end_picture_call()
        if picture is None:
            self.desk.picture_changed(item_id, None)
        else:
            self.desk.picture_changed(item_id, picture.sha256, picture.png)
        if item_id == self.item_id:
            self._show_picture(None if picture is None else picture.png)
        self.toast(
            "Picture saved: every till shows it after its next sync" if picture
            else "Picture removed", ToastKind.SUCCESS,
        )  # fmt: skip
        self.picture_changed.emit()

    def _picture_failed(self, error: NovaError) -> None:
        self._end_picture_call()
        message = error.message
        show_note(self.picture_note, message[:1].upper() + message[1:])

    def _end_picture_call(self) -> None:
        self.picture_button.set_busy(False)
        self.remove_picture_button.set_busy(False)
        self.picture_button.setEnabled(self.item_id is not None)
        self.remove_picture_button.setEnabled(self._has_picture and self.item_id is not None)
        show_note(self.picture_note, None)

    def toast(self, message: str, kind: ToastKind) -> None:
        self.last_toast = (kind, message)
        Toast.show_message(self, message, kind)


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label
