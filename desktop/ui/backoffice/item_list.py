"""The Catalog screen's item list as a Qt model: rows come from the catalog desk a page at a
time (Qt asks for more as the view scrolls), so 100,000 items cost one page to show. A new
search asks for a screenful first (`FIRST`): what the manager waits for while typing is the
rows they can see, and every row of a page costs its barcode lookups and a Python row."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from desktop.catalog.browse import PAGE, BrowseFilter, BrowseRow

COLUMNS = ("Name", "SKU", "Category", "Price", "On sale", "Barcodes")
NONE = "—"
FIRST = 60  # rows a new search reads: 768 px shows about 25, a tall screen about 45
DISPLAY = Qt.ItemDataRole.DisplayRole

Fetch = Callable[[BrowseFilter, int, int], list[BrowseRow]]  # (filter, offset, limit)
Index = QModelIndex | QPersistentModelIndex


def cells(row: BrowseRow) -> tuple[str, ...]:
    """What each column shows for a row."""
    name = row.name if row.active else f"{row.name} (archived)"
    if row.first_barcode is None:
        codes = NONE
    else:
        codes = row.first_barcode + (f" +{row.barcodes - 1}" if row.barcodes > 1 else "")
    on_sale = "yes" if row.available else "no (86)"
    return (name, row.sku, row.category or NONE, str(row.price), on_sale, codes)


class ItemListModel(QAbstractTableModel):
    def __init__(self, fetch: Fetch, page: int = PAGE, first: int = FIRST) -> None:
        super().__init__()
        self._fetch = fetch
        self._page = page
        self._first = min(first, page)
        self.filter = BrowseFilter()
        self.rows: list[BrowseRow] = []
        self._cells: list[tuple[str, ...]] = []  # what each row shows, built once per fetch
        self._more = False

    def set_filter(self, f: BrowseFilter) -> None:
        """Start over with `f`: the first page, the rest as the view scrolls."""
        self.beginResetModel()
        self.filter = f
        self._take(self._fetch(f, 0, self._first))
        self._more = len(self.rows) == self._first
        self.endResetModel()

    def reload(self) -> None:
        """The same filter again (after a save), as many rows as were loaded."""
        loaded = max(len(self.rows), self._first)
        self.beginResetModel()
        self._take(self._fetch(self.filter, 0, loaded))
        self._more = len(self.rows) == loaded
        self.endResetModel()

    def _take(self, rows: list[BrowseRow]) -> None:
        self.rows = rows
        self._cells = [cells(r) for r in rows]

    def row_of(self, item_id: uuid.UUID) -> int:
        """The row showing the item (-1: not loaded or not in the list)."""
        return next((n for n, r in enumerate(self.rows) if r.id == item_id), -1)

    # ------------------------------------------------------------------ QAbstractTableModel
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt's API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = DISPLAY) -> object:
        # Called for every role of every visible cell on each paint: the least work possible.
        if role != DISPLAY:
            return None
        return self._cells[index.row()][index.column()]

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        if parent.isValid() or not self._more:
            return
        more = self._fetch(self.filter, len(self.rows), self._page)
        self._more = len(more) == self._page
        if more:
            start = len(self.rows)
            self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
            self.rows.extend(more)
            self._cells.extend(cells(r) for r in more)
            self.endInsertRows()
