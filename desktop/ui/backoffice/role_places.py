"""Staff & roles → Staff: the roles someone holds, each at every location or at one — a
cashier at Market Street who manages the Airport shop is two ticks with a place each.

Someone given a role at several named locations through the API shows that set as one choice
("Market Street, Airport"), kept as it is unless another place is picked: the form never drops
an assignment it cannot draw.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
)

from desktop.office.models import Location
from desktop.office.staff_models import Assignment, RoleInfo

EVERYWHERE = "All locations"


def _key(places: Iterable[uuid.UUID | None]) -> str:
    """A combo's data: the location ids, comma-joined; "" for every location (a str: Qt
    compares it by value)."""
    return ",".join(sorted(str(p) for p in places if p is not None))


class RolePlaces(QTableWidget):
    def __init__(self) -> None:
        super().__init__(0, 2)
        self.setHorizontalHeaderLabels(("Role", "At"))
        self.setAccessibleName("roles to give")
        self.setProperty("role", "choices")  # tick boxes drawn visibly in both themes
        self.verticalHeader().setVisible(False)
        # Rows as tall as their place box, measured again when the theme restyles it.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.roles: list[RoleInfo] = []
        self.locations: list[Location] = []

    def show_choices(self, roles: list[RoleInfo], locations: list[Location]) -> None:
        self.roles, self.locations = list(roles), list(locations)
        self.setRowCount(len(self.roles))
        for row, role in enumerate(self.roles):
            item = QTableWidgetItem(role.name)
            item.setData(Qt.ItemDataRole.UserRole, role.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.setItem(row, 0, item)
            box = self._places_box(role.name)
            self.setCellWidget(row, 1, box)

    def _places_box(self, role_name: str) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(f"{role_name} at")
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(12)  # "Market Street" whole; longer names elide
        box.addItem(EVERYWHERE, "")
        for loc in self.locations:
            box.addItem(loc.name, _key([loc.id]))
        box.activated.connect(lambda _i, b=box: self._ticked_by(b))  # the user's pick only
        return box

    def _ticked_by(self, box: QComboBox) -> None:
        """Picking a place for a role means giving it."""
        for row in range(self.rowCount()):
            if self.cellWidget(row, 1) is box:
                self._role_item(row).setCheckState(Qt.CheckState.Checked)

    def _role_item(self, row: int) -> QTableWidgetItem:
        item = self.item(row, 0)
        assert item is not None  # every row got one in show_choices
        return item

    def box(self, role_name: str) -> QComboBox:
        row = next(i for i, r in enumerate(self.roles) if r.name == role_name)
        widget = self.cellWidget(row, 1)
        assert isinstance(widget, QComboBox)
        return widget

    def show_held(self, held: Iterable[Assignment]) -> None:
        """Tick the roles in `held`, each with where it holds."""
        places: dict[uuid.UUID, list[uuid.UUID | None]] = {}
        for a in held:
            places.setdefault(a.role_id, []).append(a.location_id)
        names = {loc.id: loc.name for loc in self.locations}
        for row, role in enumerate(self.roles):
            at = places.get(role.id)
            self._role_item(row).setCheckState(
                Qt.CheckState.Checked if at is not None else Qt.CheckState.Unchecked
            )
            box = self.box(role.name)
            while box.count() > 1 + len(self.locations):
                box.removeItem(box.count() - 1)  # a set shown for the last person
            key = "" if at is None or None in at else _key(at)
            if key and box.findData(key) < 0:
                box.addItem(", ".join(names.get(p, "?") for p in at or [] if p), key)
            box.setCurrentIndex(max(0, box.findData(key)))

    def tick(self, role_name: str, location_name: str | None = None) -> None:
        """Give `role_name`, at `location_name` or (None) everywhere — what a click does."""
        row = next(i for i, r in enumerate(self.roles) if r.name == role_name)
        self._role_item(row).setCheckState(Qt.CheckState.Checked)
        box = self.box(role_name)
        box.setCurrentIndex(box.findText(location_name or EVERYWHERE))

    def clear_ticks(self) -> None:
        for row in range(self.rowCount()):
            self._role_item(row).setCheckState(Qt.CheckState.Unchecked)
            self.box(self.roles[row].name).setCurrentIndex(0)

    def held(self) -> list[Assignment]:
        """The ticked roles, each at every location or at the ones its box names."""
        chosen: list[Assignment] = []
        for row, role in enumerate(self.roles):
            if self._role_item(row).checkState() != Qt.CheckState.Checked:
                continue
            key = str(self.box(role.name).currentData() or "")
            places = [uuid.UUID(p) for p in key.split(",")] if key else [None]
            chosen += [Assignment(role.id, p) for p in places]
        return chosen
