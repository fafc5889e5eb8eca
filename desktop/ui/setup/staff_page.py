"""The last set-up step of a new business: who signs in at this counter (the owner's own code
and PIN, and a first cashier if they like). The desk makes them on the server."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QWidget

from desktop.setup.counter_staff import Person
from desktop.ui.components.primitives import Input
from desktop.ui.setup.pages import Page
from desktop.ui.theme import space

STAFF_INTRO = (
    "Nobody can sign in at a counter yet. Choose your own staff code and PIN (you sign in with "
    "them for counter work), and add a first cashier if you like. More staff: back office."
)


class StaffPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Who signs in at this counter", STAFF_INTRO, parent)
        self.back.setVisible(False)  # the till is enrolled: forward only
        self.you_name = Input("Your name", touch=True)
        self.you_code = Input("Your staff code", placeholder="e.g. 1", touch=True)
        self.you_pin = Input("Your PIN", placeholder="4 to 8 digits", touch=True)
        self.with_cashier = QCheckBox("Add a cashier too")
        self.with_cashier.setChecked(True)
        self.cashier_name = Input("Cashier's name", touch=True)
        self.cashier_code = Input("Cashier's code", placeholder="e.g. 2", touch=True)
        self.cashier_pin = Input("Cashier's PIN", placeholder="4 to 8 digits", touch=True)
        for pin in (self.you_pin, self.cashier_pin):
            pin.edit.setEchoMode(QLineEdit.EchoMode.Password)
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(space("md"))
        for column, field in enumerate((self.you_name, self.you_code, self.you_pin)):
            grid.addWidget(field, 0, column)
        grid.addWidget(self.with_cashier, 1, 0, 1, 3)
        for column, field in enumerate((self.cashier_name, self.cashier_code, self.cashier_pin)):
            grid.addWidget(field, 2, column)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        self.add(grid_host)
        self.note = QLabel("")
        self.note.setProperty("role", "helper")
        self.note.setWordWrap(True)
        self.add(self.note)
        self.finish_body()
        self.save = self.action("Save and open the till")
        self.with_cashier.toggled.connect(self._cashier_shown)
        self.cashier_pin.edit.returnPressed.connect(self.save.click)

    def _cashier_shown(self, shown: bool) -> None:
        for field in (self.cashier_name, self.cashier_code, self.cashier_pin):
            field.setVisible(shown)

    def you(self) -> Person:
        return Person(self.you_name.text(), self.you_code.text(), self.you_pin.text())

    def cashier(self) -> Person | None:
        if not self.with_cashier.isChecked():
            return None
        return Person(self.cashier_name.text(), self.cashier_code.text(), self.cashier_pin.text())
