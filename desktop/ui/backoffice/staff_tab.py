"""Staff & roles → Staff: who works here, as what and where; hire someone, rename, change their
roles and where each holds, give or change their e-mail sign-in, deactivate or bring back, set a
new PIN, unlock a locked code, print a staff card."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.office.staff_desk import STAFF, StaffOverview
from desktop.office.staff_models import StaffMember
from desktop.ui.backoffice.office_task import Note, reason_label
from desktop.ui.backoffice.role_places import RolePlaces
from desktop.ui.components.primitives import (
    Button,
    ConfirmDialog,
    Input,
    Size,
    ToastKind,
    Variant,
)
from desktop.ui.theme import space
from shared.pins import PIN_RULE

if TYPE_CHECKING:
    from desktop.ui.backoffice.staff_screen import StaffScreen

COLUMNS = ("Name", "Code", "Roles", "Status")


class StaffTab(QWidget):
    def __init__(self, host: StaffScreen) -> None:
        super().__init__()
        self.host = host
        self.members: list[StaffMember] = []
        self.setProperty("role", "page")
        self.setAccessibleName("Staff")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("staff")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._selected)

        self.name = Input("Name")
        self.code = Input("Staff code", placeholder="e.g. 12")
        self.pin = Input("PIN", placeholder="digits")  # the rule is written below
        self.pin.helper.setWordWrap(True)
        self.pin.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.email = Input("E-mail (optional)")
        self.password = Input("Password")
        self.password.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.role_places = RolePlaces()
        self.role_places.setMaximumHeight(space("xl") * 5)
        self.roles_note = Note("roles refusal")
        self.note = Note("staff refusal")

        self.hire_button = Button("Hire", variant=Variant.PRIMARY, size=Size.TOUCH)
        self.hire_button.clicked.connect(self.hire)
        self.save_button = Button("Save", variant=Variant.SECONDARY)
        self.save_button.clicked.connect(self.save)
        self.pin_button = Button("New PIN", variant=Variant.SECONDARY)
        self.pin_button.clicked.connect(self.set_pin)
        self.unlock_button = Button("Unlock", variant=Variant.SECONDARY)
        self.unlock_button.clicked.connect(self.unlock)
        self.card_button = Button("Print card", variant=Variant.SECONDARY)
        self.card_button.setToolTip("A staff card with a barcode to scan at sign-in")
        self.card_button.clicked.connect(self.print_card)
        self.status_button = Button("Deactivate", variant=Variant.SECONDARY)
        self.status_button.clicked.connect(self.toggle_active)
        self.new_button = Button("Clear", variant=Variant.GHOST)
        self.new_button.clicked.connect(self.table.clearSelection)
        self.reason = reason_label()

        self.rule = QLabel(PIN_RULE)
        self.rule.setProperty("role", "helper")
        self.rule.setWordWrap(True)
        fields = QGridLayout()
        fields.setHorizontalSpacing(space("sm"))
        for short in (self.code, self.pin):  # a few digits: the room goes to the roles
            short.setMaximumWidth(space("xl") * 4)
        fields.addWidget(self.name, 0, 0)
        fields.addWidget(self.code, 0, 1)
        fields.addWidget(self.pin, 0, 2)
        fields.addWidget(self.email, 1, 0)
        fields.addWidget(self.password, 1, 1, 1, 2)
        where = QVBoxLayout()
        where.addWidget(self.role_places)
        where.addWidget(self.roles_note)
        fields.addLayout(where, 0, 3, 2, 1)
        fields.setColumnStretch(0, 2)
        fields.setColumnStretch(3, 3)
        fields.addWidget(self.rule, 2, 0, 1, 4)
        actions = QHBoxLayout()
        for button in (self.hire_button, self.save_button, self.pin_button, self.unlock_button,
                       self.card_button, self.status_button, self.new_button):  # fmt: skip
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setSpacing(space("sm"))
        layout.addWidget(self.table, 1)
        layout.addLayout(fields)
        layout.addWidget(self.note)
        layout.addLayout(actions)
        layout.addWidget(self.reason)

    # ------------------------------------------------------------------ data
    def show_data(self, overview: StaffOverview | None) -> None:
        chosen = self.current()
        self.members = list(overview.staff) if overview else []
        role_names = {r.id: r.name for r in overview.roles} if overview else {}
        places = {loc.id: loc.name for loc in overview.locations} if overview else {}
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.members))
        for row, m in enumerate(self.members):
            where = sorted({f"{role_names.get(a.role_id, '?')}"
                            + (f" at {places.get(a.location_id, '?')}" if a.location_id else "")
                            for a in m.roles})  # fmt: skip
            cells = (m.name, m.code, ", ".join(where), "Active" if m.active else "Deactivated")
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.blockSignals(False)
        self.role_places.show_choices(
            overview.roles if overview else [], overview.locations if overview else []
        )
        again = next((i for i, m in enumerate(self.members) if chosen and m.id == chosen.id), None)
        if again is None:
            self.table.clearSelection()
            self._selected()
        else:
            self.table.blockSignals(True)
            self.table.selectRow(again)
            self.table.blockSignals(False)
            self._selected()  # the form shows what the server holds now, ticks and all

    def current(self) -> StaffMember | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.members):
            return None
        return self.members[rows[0].row()]

    def select(self, code: str) -> None:
        row = next(i for i, m in enumerate(self.members) if m.code == code)
        self.table.selectRow(row)

    def tick_roles(self, names: set[str], at: str | None = None) -> None:
        """Give exactly the roles `names`, each at location `at` (None: every location)."""
        self.role_places.clear_ticks()
        for name in names:
            self.role_places.tick(name, at)

    def _selected(self) -> None:
        member = self.current()
        self._clear_errors()
        self.pin.set_text("")
        self.password.set_text("")
        self.name.set_text(member.name if member else "")
        self.code.set_text(member.code if member else "")
        self.email.set_text((member.email or "") if member else "")
        self.role_places.show_held(member.roles if member else ())
        self.password.edit.setPlaceholderText(
            "leave empty to keep it" if member and member.email else ""
        )
        self.refresh_state()

    def _clear_errors(self) -> None:
        for field in (self.name, self.code, self.pin, self.email, self.password, self.roles_note,
                      self.note):  # fmt: skip
            field.set_error(None)

    def refresh_state(self) -> None:
        reason = self.host.desk.why_not(STAFF)
        loaded = self.host.overview is not None
        member = self.current()
        on = reason is None and loaded
        self.hire_button.setEnabled(on and member is None)
        for button in (self.save_button, self.pin_button, self.unlock_button, self.status_button):
            button.setEnabled(on and member is not None)
        # A card prints on this till's printer: it needs no server, only someone picked.
        self.card_button.setEnabled(loaded and member is not None and member.active)
        self.status_button.set_label("Reactivate" if member and not member.active else "Deactivate")
        self.code.edit.setReadOnly(member is not None)  # tills know people by their code
        self.reason.setText(reason or "")
        self.reason.setVisible(bool(reason))

    # ------------------------------------------------------------------ actions
    def _fields(self) -> dict[str, Input | Note]:
        return {"name": self.name, "code": self.code, "pin": self.pin, "email": self.email,
                "password": self.password, "roles": self.roles_note, "*": self.note}  # fmt: skip

    def hire(self) -> None:
        self._clear_errors()
        desk, name = self.host.desk, self.name.text()
        code, pin, email, password = (
            self.code.text(),
            self.pin.text(),
            self.email.text(),
            self.password.text(),
        )
        roles = self.role_places.held()

        def hired(member: StaffMember) -> None:
            self.host.toast(f"{member.name} can sign in with code {member.code} once tills sync",
                            ToastKind.SUCCESS)  # fmt: skip
            self.host.reload(lambda: self.select(member.code))

        self.host.run(lambda: desk.hire(name=name, code=code, pin=pin, roles=roles,
                                        email=email, password=password),
                      hired, self._fields(), self.hire_button)  # fmt: skip

    def save(self) -> None:
        member = self.current()
        if member is None:
            return
        self._clear_errors()
        desk, name, roles = self.host.desk, self.name.text(), self.role_places.held()
        email, password = self.email.text().strip(), self.password.text()
        new_sign_in = email != (member.email or "") or bool(password)
        if not email and member.email and not ConfirmDialog.ask(
            self, f"Take away {member.name}'s e-mail sign-in?",
            f"{member.email} stops signing in to the back office at once. Their code and PIN "
            "still work at the counter.", confirm="Take it away", cancel="Keep it", danger=True,
        ):  # fmt: skip
            return

        def each() -> StaffMember:
            # Three requests, each whole and safe to repeat: a refusal names its field and
            # what went before it stays saved (Save again finishes the rest).
            changed = desk.rename(member, name) if name.strip() != member.name else member
            changed = desk.set_roles(changed, roles)
            return desk.set_email(changed, email, password) if new_sign_in else changed

        self._then_reload(each, "Saved: tills take it at their next sync", self.save_button)

    def set_pin(self) -> None:
        member = self.current()
        if member is None:
            return
        self._clear_errors()
        desk, pin = self.host.desk, self.pin.text()
        said = f"New PIN for {member.name}: it works once tills sync"
        self._then_reload(lambda: desk.set_pin(member, pin), said, self.pin_button)

    def unlock(self) -> None:
        member = self.current()
        if member is None:
            return
        desk = self.host.desk
        self.host.run(lambda: desk.unlock(member),
                      lambda said: self.host.toast(said, ToastKind.SUCCESS), self._fields(),
                      self.unlock_button)  # fmt: skip

    def print_card(self) -> None:
        member = self.current()
        if member is None:
            return
        desk = self.host.desk
        self.host.run(lambda: desk.print_card(member),
                      lambda said: self.host.toast(said, ToastKind.SUCCESS), self._fields(),
                      self.card_button)  # fmt: skip

    def toggle_active(self) -> None:
        member = self.current()
        if member is None:
            return
        desk, active = self.host.desk, not member.active
        said = f"{member.name} is active again"
        if not active:
            said = f"{member.name} is deactivated: their PIN stops working once tills sync"
        self._then_reload(lambda: desk.set_active(member, active=active), said, self.status_button)

    def _then_reload(self, action: Callable[[], object], said: str, button: Button) -> None:
        def done(_: object) -> None:
            self.host.toast(said, ToastKind.SUCCESS)
            self.host.reload()

        self.host.run(action, done, self._fields(), button)
