"""The Catalog screen's "At each location" tab: the picked item's price, on-sale and whether
the shop carries it at every location the till knows, side by side, and a change of one
location's values (one catalog edit, synced to the server and the other tills like any edit
from this till)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QTableWidgetItem, QVBoxLayout, QWidget

from desktop.catalog.locations import AtLocation
from desktop.till.catalog_desk import CatalogDesk
from desktop.ui.components.primitives import Button, Input, Size, Toast, ToastKind, Variant
from desktop.ui.components.tables import list_table
from desktop.ui.theme import space
from shared.errors import NovaError, ValidationFailed

COLUMNS = ("Location", "Carried", "Price", "On sale")
ON_SALE = (("as the item", None), ("on sale", True), ("not on sale (86)", False))
# Whether a shop stocks the item at all (its assortment): not carried, its counter neither
# shows nor sells it — unlike "not on sale", which greys out a tile for today.
CARRIED = (("carried here", True), ("not carried at this shop", False))


def _cells(at: AtLocation) -> tuple[str, str, str, str]:
    place = f"{at.location} (this till)" if at.here else at.location
    carried = "yes" if at.carried else "no"
    price = "item price" if at.price is None else str(at.price)
    sale = "as the item" if at.available is None else ("yes" if at.available else "no (86)")
    return place, carried, price, sale


class LocationPrices(QWidget):
    saved = Signal()

    def __init__(self, desk: CatalogDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.item_id: uuid.UUID | None = None
        self.rows: list[AtLocation] = []
        self.last_toast: tuple[ToastKind, str] | None = None
        self.table = list_table(COLUMNS, "at each location")
        self.table.currentCellChanged.connect(lambda row, *_: self._pick(row))
        self.note = QLabel("")
        self.note.setProperty("role", "helper")
        self.note.setWordWrap(True)
        self.price = Input("Price here (blank: the item's price)", numeric=True)
        self.on_sale = QComboBox()
        self.on_sale.setAccessibleName("on sale here")
        for label, value in ON_SALE:
            self.on_sale.addItem(label, value)
        self.carried = QComboBox()
        self.carried.setAccessibleName("carried at this shop")
        for label, flag in CARRIED:
            self.carried.addItem(label, flag)
        self.save_button = Button(
            "Save for this location", variant=Variant.PRIMARY, size=Size.TOUCH
        )
        self.save_button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.setSpacing(space("sm"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(QLabel("Carried here"))
        layout.addWidget(self.carried)
        layout.addWidget(self.price)
        layout.addWidget(QLabel("On sale here"))
        layout.addWidget(self.on_sale)
        layout.addWidget(self.save_button)
        self.show_item(None)

    def show_item(self, item_id: uuid.UUID | None, keep: str | None = None) -> None:
        self.item_id = item_id
        self.rows = [] if item_id is None else self.desk.at_locations(item_id)
        self.table.setRowCount(len(self.rows))
        for row, at in enumerate(self.rows):
            for column, text in enumerate(_cells(at)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        places = [a.location for a in self.rows]
        self.table.setCurrentCell(places.index(keep) if keep in places else 0, 0)
        if not self.rows:
            self._pick(-1)

    def _pick(self, row: int) -> None:
        at = self.rows[row] if 0 <= row < len(self.rows) else None
        self.save_button.setEnabled(at is not None)
        self.price.set_error(None)
        if at is None:
            self.note.setText(
                "Pick an item" if self.item_id is None else "This till knows no locations yet"
            )
            return
        # A till sets its own shop's values; another shop's come from its tills or the server
        # (which refuses a till's edit for another location).
        for widget in (self.save_button, self.price, self.on_sale, self.carried):
            widget.setEnabled(at.here)
        self.note.setText(
            f"{at.location}: what this item costs and whether it sells there"
            if at.here
            else f"{at.location} is another shop: change it at its tills or on the server"
        )
        self.price.set_text("" if at.price is None else f"{at.price.amount}")
        choice = [value for _, value in ON_SALE].index(at.available)
        self.on_sale.setCurrentIndex(choice)
        self.carried.setCurrentIndex(0 if at.carried else 1)

    def save(self) -> None:
        row = self.table.currentRow()
        if self.item_id is None or not 0 <= row < len(self.rows):
            return
        place = self.rows[row].location
        try:
            self.desk.save_at_location(
                self.item_id, place, self.price.text(), self.on_sale.currentData(),
                carried=bool(self.carried.currentData()),
            )  # fmt: skip
        except ValidationFailed as exc:
            problem = exc.details.get("fields", {}).get("price")
            self.price.set_error(problem)
            self.toast(problem or exc.message, ToastKind.ERROR)
            return
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.show_item(self.item_id, keep=place)
        self.toast(f"Saved for {place}: every till gets it with its next sync", ToastKind.SUCCESS)
        self.saved.emit()

    def toast(self, message: str, kind: ToastKind) -> None:
        self.last_toast = (kind, message)
        Toast.show_message(self, message, kind)
