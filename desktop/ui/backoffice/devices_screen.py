"""Back office, devices: this till's printers (receipt, report, kitchen) — add one by its
connection, paper and features (columns, cutter, QR, logo, code page), remove it, print a test
page, open the drawer — and its card terminal, barcode scanner (serial or keyboard wedge), card
reader, customer display (a connection each). Every change is used by the running till at once.
The test button follows the selected device (`TEST_LABELS`); tests run in a worker thread (an
unreachable printer takes seconds to time out; the screen stays responsive) and end in a toast.
A wedge scanner is tested in the field beside the button: it types there like a keyboard."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.hardware.devices import DRAWER_PINS, PERIPHERALS, ROLES, WEDGE
from desktop.hardware.paper import CODE_PAGES, COLUMN_CHOICES
from desktop.hardware.printer_link import ACCEPTED as PRINTER_HINT
from desktop.till.device_desk import DeviceDesk
from desktop.ui.components.primitives import Button, Input, Size, Toast, ToastKind, Variant
from desktop.ui.components.tables import list_table
from desktop.ui.theme import space
from shared.errors import NovaError

COLUMNS = ("Role", "Name", "Connection", "Paper", "Drawer", "Features")
# What the test button says for the selected device (a printer's role: "Test print").
TEST_LABELS = {
    "drawer": "Open drawer",
    "card_terminal": "Pay 0.01 and reverse",
    "display": "Show text",
    "scanner": "Scan a code now",
    "card_reader": "Swipe a card now",
}


ROLE_DATA = Qt.ItemDataRole.UserRole + 1  # a row's role as stored ("card_terminal")


def role_label(role: str) -> str:
    """A role in the manager's words ("Card terminal", "Kitchen printer")."""
    if role in PERIPHERALS:
        return PERIPHERALS[role][0]
    return "Cash drawer" if role == "drawer" else f"{role.capitalize()} printer"


class DeviceTask(QThread):
    """Runs one blocking device action; `done(status)` or `failed(message)` on the UI thread."""

    done = Signal(str)
    failed = Signal(str)

    def __init__(self, action: Callable[[], str]) -> None:
        super().__init__()
        self._action = action

    def run(self) -> None:
        try:
            status = self._action()
        except NovaError as exc:
            self.failed.emit(exc.message)
        else:
            self.done.emit(status)


class DevicesScreen(QWidget):
    def __init__(self, desk: DeviceDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.task: DeviceTask | None = None
        self.last_toast: tuple[ToastKind, str] | None = None
        self.setProperty("role", "page")
        self.setAccessibleName("Devices")

        self.table = list_table(COLUMNS, "printers")

        self.role = QComboBox()
        self.role.setAccessibleName("role")
        for role in ROLES:
            self.role.addItem(role.capitalize(), role)
        for role, (what, _example) in PERIPHERALS.items():
            self.role.addItem(what, role)
        self.role.currentIndexChanged.connect(self._role_picked)
        self.connection = Input("Connection", placeholder=PRINTER_HINT.split(",")[0])
        self.connection.edit.setToolTip(PRINTER_HINT)  # the whole hint is cut short at 1024 px
        self.name = Input("Name", placeholder="e.g. Counter printer")
        self.paper = QComboBox()
        self.paper.setAccessibleName("paper width")
        for mm in (80, 58):
            for columns in COLUMN_CHOICES[mm]:
                self.paper.addItem(f"{mm} mm, {columns} columns", f"{mm}/{columns}")
        self.code_page = QComboBox()
        self.code_page.setAccessibleName("code page")
        for page in CODE_PAGES:
            self.code_page.addItem("Code page: automatic" if page == "auto" else page, page)
        self.cutter = QCheckBox("Cuts the paper")
        self.cutter.setChecked(True)
        self.qr = QCheckBox("Prints QR codes")
        self.logo = QCheckBox("Prints the logo")
        self.drawer = QComboBox()
        self.drawer.setAccessibleName("cash drawer")
        self.drawer.addItem("No drawer", None)
        for pin in DRAWER_PINS:
            self.drawer.addItem(f"Drawer on pin {pin}", pin)
        self.add_button = Button("Add printer", variant=Variant.PRIMARY, size=Size.TOUCH)
        self.add_button.clicked.connect(self.add)
        self.remove_button = Button("Remove selected", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.remove_button.clicked.connect(self.remove)
        self.test_button = Button("Test print", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.test_button.clicked.connect(self.test_selected)
        self.wedge = Input("Scan here", placeholder="Scan a barcode into this field")
        self.wedge.edit.returnPressed.connect(self._wedge_scanned)
        self.wedge.hide()  # shown while a keyboard-wedge scanner is being tested
        self.env_note = QLabel()
        self.env_note.setWordWrap(True)
        self.env_note.setProperty("role", "helper")
        self.drawer_button = Button("Open drawer", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.drawer_button.clicked.connect(self.drawer_test)

        form = QVBoxLayout()
        form.setSpacing(space("sm"))
        title = QLabel("Add a printer or device")
        title.setProperty("role", "title")
        form.addWidget(title)
        form.addWidget(self.role)
        form.addWidget(self.connection)
        form.addWidget(self.name)
        form.addWidget(self.paper)
        form.addWidget(self.code_page)
        form.addWidget(self.drawer)
        features = QGridLayout()  # two a row: whole labels beside the navigation at 1024 px
        for index, box in enumerate((self.cutter, self.qr, self.logo)):
            features.addWidget(box, index // 2, index % 2)
        form.addLayout(features)
        form.addWidget(self.add_button)
        form.addStretch(1)
        actions = QGridLayout()  # two a row: whole labels beside the navigation at 1024 px
        actions.setSpacing(space("sm"))
        for index, button in enumerate((self.test_button, self.drawer_button, self.remove_button)):
            actions.addWidget(button, index // 2, index % 2)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addWidget(self.env_note)
        left.addLayout(actions)
        left.addWidget(self.wedge)
        layout = QHBoxLayout(self)
        pad = space("lg")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("lg"))
        layout.addLayout(left, 3)
        layout.addLayout(form, 2)
        self.table.currentCellChanged.connect(self._device_picked)
        self.reload()

    def _role_picked(self) -> None:
        """A card terminal, scanner or display is a connection only: no paper or drawer."""
        role = str(self.role.currentData())
        printer = role not in PERIPHERALS
        for widget in (self.paper, self.code_page, self.cutter, self.qr, self.logo):
            widget.setVisible(printer and role != "drawer")
        self.drawer.setVisible(printer)
        example = PERIPHERALS[role][1] if not printer else PRINTER_HINT
        # The first example in the box (whole at 1024 px), all of them in the tooltip.
        self.connection.edit.setPlaceholderText(example.split(",")[0].split(" or ")[0])
        self.connection.edit.setToolTip(example)
        self.name.edit.setPlaceholderText(
            "e.g. Counter printer" if printer else f"e.g. {PERIPHERALS[role][0]} at the counter"
        )
        self.add_button.setText("Add printer" if printer else "Add device")

    def reload(self) -> None:
        printers = self.desk.printers()
        self.table.setRowCount(len(printers))
        for row, p in enumerate(printers):
            drawer = "—" if p.drawer_pin is None else f"pin {p.drawer_pin}"
            paper = p.paper
            features = [
                n
                for n, on in (("cutter", paper.cutter), ("QR", paper.qr), ("logo", paper.logo))
                if on
            ]
            if paper.code_page != "auto":
                features.append(paper.code_page)
            size = f"{p.paper_mm} mm · {paper.columns} col"
            if p.role == "drawer":  # no paper: what matters is the pin and the pulse
                size, features = "—", [f"pulse {p.drawer_pulse_ms} ms"]
            cells = (role_label(p.role), p.name, p.connection, size, drawer,
                     ", ".join(features) or "—")  # fmt: skip
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, str(p.id))
                cell.setData(ROLE_DATA, p.role)
                self.table.setItem(row, column, cell)
        self._list_peripherals(len(printers))
        if self.table.rowCount() and self.table.currentRow() < 0:
            self.table.setCurrentCell(0, 0)
        notes = self.desk.env_notes()
        self.env_note.setText("\n".join(notes))
        self.env_note.setVisible(bool(notes))
        self._device_picked()

    def _device_picked(self) -> None:
        """The test button says what it does to the selected device."""
        self.test_button.set_label(TEST_LABELS.get(self.selected_role(), "Test print"))
        self.wedge.hide()

    def _list_peripherals(self, first_row: int) -> None:
        peripherals = self.desk.peripherals()
        self.table.setRowCount(first_row + len(peripherals))
        for row, p in enumerate(peripherals, start=first_row):
            cells = (role_label(p.role), p.name, p.connection, "—", "—", "—")
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, str(p.id))
                cell.setData(ROLE_DATA, p.role)
                self.table.setItem(row, column, cell)

    def selected_role(self) -> str:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return str(item.data(ROLE_DATA)) if item is not None else "receipt"

    def _selected_connection(self) -> str:
        row = self.table.currentRow()
        item = self.table.item(row, 2) if row >= 0 else None
        return item.text() if item is not None else ""

    def add(self) -> None:
        if str(self.role.currentData()) in PERIPHERALS:
            self._add_device()
            return
        paper_mm, columns = str(self.paper.currentData()).split("/")
        try:
            self.desk.add(
                role=str(self.role.currentData()),
                connection=self.connection.text().strip(),
                name=self.name.text(),
                paper_mm=int(paper_mm),
                columns=int(columns),
                code_page=str(self.code_page.currentData()),
                cutter=self.cutter.isChecked(),
                qr=self.qr.isChecked(),
                logo=self.logo.isChecked(),
                drawer_pin=self.drawer.currentData(),
            )
        except NovaError as exc:
            self.connection.set_error(exc.message)
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.connection.set_error(None)
        added = (
            "Cash drawer added: try Open drawer"
            if self.role.currentData() == "drawer"
            else "Printer added: try a test print"
        )
        self.toast(added, ToastKind.SUCCESS)
        self.reload()

    def _add_device(self) -> None:
        role = str(self.role.currentData())
        try:
            self.desk.add_device(
                role=role, connection=self.connection.text().strip(), name=self.name.text()
            )
        except NovaError as exc:
            self.connection.set_error(exc.message)
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.connection.set_error(None)
        self.toast(f"{PERIPHERALS[role][0]} added: in use now", ToastKind.SUCCESS)
        self.reload()

    def remove(self) -> None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        if item is None:
            self.toast("Select a printer first", ToastKind.ERROR)
            return
        try:
            self.desk.remove(uuid.UUID(str(item.data(Qt.ItemDataRole.UserRole))))
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.toast(f"{item.text()} removed", ToastKind.SUCCESS)
        self.reload()

    def test_selected(self) -> None:
        """The selected device's test: a page, the drawer, a 0.01 payment, a text, a scan."""
        role = self.selected_role()
        if role == "drawer":
            self.drawer_test()
        elif role == "card_terminal":
            self._run(self.desk.payment_test, "Card terminal works: ", busy="Paying 0.01…")
        elif role == "display":
            self._run(self.desk.display_test, "Shown on the customer display: ")
        elif role == "scanner" and self._selected_connection() == WEDGE:
            self.wedge.edit.clear()
            self.wedge.show()
            self.wedge.setFocus()
            self.toast("Scan a barcode now: it types into the field", ToastKind.INFO)
        elif role == "scanner":
            self._run(self.desk.scan_test, "Scanner read ", busy="Waiting for a scan…")
        elif role == "card_reader":
            self._run(self.desk.swipe_test, "Card reader read ", busy="Waiting for a swipe…")
        else:
            self.test_print()

    def _wedge_scanned(self) -> None:
        code = self.wedge.text().strip()
        if code:
            self.toast(f"Scanner read {code}", ToastKind.SUCCESS)
            self.wedge.hide()

    def test_print(self) -> None:
        role = self.selected_role()
        self._run(lambda: self.desk.test_print(role), f"Test page sent to the {role} printer")

    def drawer_test(self) -> None:
        self._run(self.desk.drawer_test, "Drawer opened")

    def _run(self, action: Callable[[], str], success: str, *, busy: str = "Printing…") -> None:
        """Off the UI thread; the buttons wait (busy) until the device answered or timed out.
        A `success` ending in a space is followed by what the device said, else by its status
        in brackets."""
        if self.task is not None and self.task.isRunning():
            return
        self.test_button.set_busy(True, label=busy)
        self.drawer_button.setEnabled(False)
        task = DeviceTask(action)
        said = "{}{}" if success.endswith(" ") else "{} ({})"
        task.done.connect(
            lambda status: self._finished(said.format(success, status), ToastKind.SUCCESS)
        )
        task.failed.connect(lambda message: self._finished(message, ToastKind.ERROR))
        self.task = task
        task.start()

    def _finished(self, message: str, kind: ToastKind) -> None:
        self.test_button.set_busy(False)
        self.drawer_button.setEnabled(True)
        self.toast(message, kind)

    def toast(self, message: str, kind: ToastKind) -> None:
        self.last_toast = (kind, message)
        Toast.show_message(self, message, kind)
