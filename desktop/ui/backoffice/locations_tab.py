"""Business set-up, locations: the list, a new location, a location's name, address lines, time
zone and currency (empty: the business's). The code is fixed once created (receipts and reports
use it); the currency once a till is enrolled there (its shift and sales are in it)."""

from __future__ import annotations

import uuid
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.office.config_desk import Overview, who_is_at
from desktop.office.models import Location, Till
from desktop.ui.backoffice.office_task import Host, reason_label
from desktop.ui.components.primitives import Button, Input, Size, ToastKind, Variant
from desktop.ui.components.tables import list_table
from desktop.ui.theme import space

COLUMNS = ("Code", "Name", "Time zone", "Currency")
ADDRESS_LINES = 3
OPERATION = "locations.edit"


class LocationsTab(QWidget):
    changed = Signal(list)  # the locations as now listed (other tabs offer them as choices)

    def __init__(self, host: Host) -> None:
        super().__init__()
        self.host = host
        self.items: list[Location] = []
        self.current: Location | None = None
        self.overview: Overview | None = None
        self.setAccessibleName("Locations")
        self.table = list_table(COLUMNS, "locations")
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda row, *_: self.pick(row))
        self.title = QLabel("New location")
        self.title.setProperty("role", "title")
        self.members = QLabel("")  # which tills and staff belong to the picked location
        self.members.setProperty("role", "helper")
        self.members.setWordWrap(True)
        self.members.setAccessibleName("tills and staff here")
        self.code = Input("Code", placeholder="e.g. BERLIN-1")
        self.name = Input("Name", placeholder="e.g. Mitte")
        self.address = [
            Input(label, placeholder=hint)
            for label, hint in (
                ("Address", "Street and number"),
                ("Postcode and city", "10115 Berlin"),
                ("More", "optional"),
            )
        ]
        for n, line in enumerate(self.address, start=1):
            line.edit.setAccessibleName(f"address line {n}")
        self.timezone = Input(
            "Time zone", placeholder="Europe/Berlin", helper="Empty: the business's"
        )
        self.currency = Input("Currency", placeholder="GBP", helper="Empty: the business's")
        self.new_button = Button("New location", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.new_button.clicked.connect(lambda: self.pick(-1, clear_selection=True))
        self.save_button = Button("Create location", variant=Variant.PRIMARY, size=Size.TOUCH)
        self.save_button.clicked.connect(self.save)
        self.reason = reason_label()

        form = QVBoxLayout()
        form.setSpacing(space("sm"))
        form.addWidget(self.title)
        form.addWidget(self.members)
        grid = QGridLayout()
        grid.setHorizontalSpacing(space("md"))
        grid.setVerticalSpacing(space("sm"))
        # Three rows, not four: the whole window fits a 768-pixel screen, offline notes too.
        grid.addWidget(self.code, 0, 0)
        grid.addWidget(self.name, 0, 1, 1, 2)
        grid.addWidget(self.address[0], 1, 0, 1, 2)
        grid.addWidget(self.address[2], 1, 2)
        grid.addWidget(self.address[1], 2, 0)
        grid.addWidget(self.timezone, 2, 1)
        grid.addWidget(self.currency, 2, 2)
        form.addLayout(grid)
        form.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button, 1)
        form.addLayout(buttons)
        form.addWidget(self.reason)
        layout = QHBoxLayout(self)
        pad = space("md")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("lg"))
        layout.addWidget(self.table, 1)
        layout.addLayout(form, 1)
        self.pick(-1)

    def fields(self) -> dict[str, Input]:
        return {"code": self.code, "name": self.name, "address_lines": self.address[0],
                "timezone": self.timezone, "currency": self.currency}  # fmt: skip

    def show_data(self, overview: Overview | None) -> None:
        self.overview = overview
        self._fill(list(overview.locations) if overview else [])

    def show_tills(self, tills: list[Till]) -> None:
        """A till moved or revoked in the Tills tab: the picked location says so at once."""
        if self.overview is not None:
            self.overview = replace(self.overview, tills=tills)
            self._show_members()  # only the line: an edit under way stays as typed

    def _fill(self, locations: list[Location], keep: uuid.UUID | None = None) -> None:
        self.items = locations
        self.changed.emit(list(locations))
        self.table.setRowCount(len(self.items))
        for row, loc in enumerate(self.items):
            cells = (loc.code, loc.name, loc.timezone or "business's", loc.currency or "business's")
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, str(loc.id))
                self.table.setItem(row, column, cell)
        ids = [loc.id for loc in self.items]
        if keep in ids:
            self.table.setCurrentCell(ids.index(keep), 0)
            self.pick(ids.index(keep))  # the same cell as before emits no change: show it anew
        else:
            self.pick(-1, clear_selection=True)

    def pick(self, row: int, *, clear_selection: bool = False) -> None:
        if clear_selection:
            self.table.blockSignals(True)
            self.table.setCurrentCell(-1, -1)
            self.table.clearSelection()
            self.table.blockSignals(False)
        self.current = self.items[row] if 0 <= row < len(self.items) else None
        loc = self.current
        for field in self.fields().values():
            field.set_error(None)
        self.title.setText(f"{loc.name} ({loc.code})" if loc else "New location")
        self.save_button.set_label("Save changes" if loc else "Create location")
        self._show_members()
        self.code.set_text(loc.code if loc else "")
        self.name.set_text(loc.name if loc else "")
        lines = list(loc.address_lines) if loc else []
        for n, field in enumerate(self.address):
            field.set_text(lines[n] if n < len(lines) else "")
        self.timezone.set_text(loc.timezone or "" if loc else "")
        self.currency.set_text(loc.currency or "" if loc else "")
        self.refresh_state()

    def _show_members(self) -> None:
        loc = self.current
        self.members.setText(who_is_at(loc, self.overview) if loc else "")
        self.members.setVisible(bool(self.members.text()))

    def refresh_state(self) -> None:
        reason = self.host.desk.why_not(OPERATION)
        for field in self.fields().values():
            field.setEnabled(reason is None)
        for field in self.address:
            field.setEnabled(reason is None)
        self.code.setEnabled(reason is None and self.current is None)
        self.save_button.setEnabled(reason is None)
        self.new_button.setEnabled(reason is None)
        self.reason.setText(reason or "")
        self.reason.setVisible(reason is not None)

    def save(self) -> None:
        for field in self.fields().values():
            field.set_error(None)
        desk, current = self.host.desk, self.current
        address = "\n".join(field.text() for field in self.address)
        name, timezone, code = self.name.text(), self.timezone.text(), self.code.text()
        currency = self.currency.text()
        if current is None:
            action = lambda: desk.create_location(  # noqa: E731
                code=code, name=name, address=address, timezone=timezone, currency=currency
            )
        else:
            action = lambda: desk.update_location(  # noqa: E731
                current.id, name=name, address=address, timezone=timezone, currency=currency
            )
        self.host.run(action, self._saved, self.fields(), self.save_button)

    def _saved(self, location: Location) -> None:
        verb = "Saved" if self.current is not None else "Created"
        self.host.toast(f"{verb} {location.name}: every till gets it with its next sync",
                        ToastKind.SUCCESS)  # fmt: skip
        others = [x for x in self.items if x.id != location.id]
        self._fill(sorted([*others, location], key=lambda x: x.code), keep=location.id)
