"""Staff & roles → Roles: roles made of permissions, grouped by area in plain words; create,
rename, change, delete (refused while anyone holds it, naming them); and Preview: the screens
a holder gets at the counter and in the back office, the ones hidden from them, and what they
may change here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.office import rules
from desktop.office.staff_desk import ROLES, StaffOverview
from desktop.office.staff_models import RoleInfo, RolePreview
from desktop.ui.backoffice.office_task import Note, reason_label
from desktop.ui.components.primitives import Button, Input, Size, ToastKind, Variant
from desktop.ui.theme import size, space
from shared.navigation import SCREENS
from shared.permission_areas import AREAS

if TYPE_CHECKING:
    from desktop.ui.backoffice.staff_screen import StaffScreen

MODES = (("terminal", "At the counter"), ("back_office", "Back office"))


class RolesTab(QWidget):
    def __init__(self, host: StaffScreen) -> None:
        super().__init__()
        self.host = host
        self.all_roles: list[RoleInfo] = []
        self.preview_ids: list[str] = []  # the screens the last preview showed, in order
        self.setProperty("role", "page")
        self.setAccessibleName("Roles")
        self.role_list = QListWidget()
        self.role_list.setAccessibleName("roles")
        self.role_list.setFixedWidth(size("nav_width") // 2)
        self.role_list.itemSelectionChanged.connect(self._selected)
        self.role_name = Input("Role name", placeholder="e.g. Weekend cashier")
        self.create_button = Button("Create", variant=Variant.PRIMARY, size=Size.TOUCH)
        self.create_button.clicked.connect(self.create_role)
        self.rename_button = Button("Rename", variant=Variant.SECONDARY)
        self.rename_button.clicked.connect(self.rename)
        self.save_button = Button("Save", variant=Variant.SECONDARY)
        self.save_button.clicked.connect(self.save)
        self.delete_button = Button("Delete", variant=Variant.SECONDARY)
        self.delete_button.clicked.connect(self.delete)
        self.preview_button = Button("Preview", variant=Variant.SECONDARY)
        self.preview_button.clicked.connect(self.preview)
        self.note = Note("roles refusal")
        self.permissions_note = Note("permissions refusal")
        self.reason = reason_label()

        self.boxes: dict[str, QCheckBox] = {}
        areas = QWidget()
        column = QVBoxLayout(areas)
        column.setContentsMargins(0, 0, 0, 0)
        for title, perms in AREAS:
            group = QGroupBox(title)
            grid = QGridLayout(group)
            for i, (perm, words) in enumerate(perms):
                box = QCheckBox()
                box.setToolTip(perm)  # the name docs and the server use
                box.setAccessibleName(perm)
                box.setAccessibleDescription(words)
                words_label = QLabel(words)  # a label wraps where a check box's text cannot
                words_label.setWordWrap(True)
                words_label.setBuddy(box)
                words_label.setToolTip(perm)
                self.boxes[perm] = box
                grid.addWidget(box, i, 0)
                grid.addWidget(words_label, i, 1)
            grid.setColumnStretch(1, 1)
            column.addWidget(group)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(areas)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        pane = QFrame()
        pane.setProperty("role", "card")
        pane.setAccessibleName("preview")
        side = QVBoxLayout(pane)
        heading = QLabel("Preview as this role")
        heading.setProperty("role", "title")
        self.preview_shown = QLabel("Choose a role and press Preview.")
        self.preview_shown.setWordWrap(True)
        self.preview_shown.setTextFormat(Qt.TextFormat.PlainText)
        self.preview_shown.setAccessibleName("screens shown")
        self.preview_hidden = QLabel()
        self.preview_hidden.setProperty("role", "helper")
        self.preview_hidden.setWordWrap(True)
        self.preview_hidden.setAccessibleName("screens hidden")
        self.preview_actions = QLabel()
        self.preview_actions.setWordWrap(True)
        self.preview_actions.setAccessibleName("what the role may change")
        self.counter_button = Button("Open the counter as it", variant=Variant.SECONDARY)
        self.counter_button.setToolTip("Its screens and buttons in a window of their own, "
                                       "read-only: nothing is sold, saved or printed")  # fmt: skip
        self.counter_button.clicked.connect(self.open_counter)
        self.counter_button.setVisible(host.open_counter is not None)
        self.counter_button.setEnabled(False)
        self.shown: RolePreview | None = None
        for widget in (heading, self.preview_shown, self.preview_hidden, self.preview_actions):
            side.addWidget(widget)
        side.addStretch(1)
        pane.setFixedWidth(size("nav_width"))

        top = QHBoxLayout()
        top.addWidget(self.role_list)
        form = QVBoxLayout()
        form.addWidget(self.role_name)
        form.addWidget(self.note)
        form.addWidget(self.permissions_note)
        form.addWidget(scroll, 1)
        top.addLayout(form, 3)
        top.addWidget(pane, 2)
        layout = QVBoxLayout(self)
        layout.setSpacing(space("sm"))
        layout.addLayout(top, 1)
        buttons = QHBoxLayout()
        for button in (self.create_button, self.rename_button, self.save_button,
                       self.delete_button, self.preview_button, self.counter_button):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.reason)

    # ------------------------------------------------------------------ data
    def show_data(self, overview: StaffOverview | None) -> None:
        chosen = self.current()
        self.all_roles = list(overview.roles) if overview else []
        self.role_list.blockSignals(True)
        self.role_list.clear()
        for role in self.all_roles:
            item = QListWidgetItem(role.name)
            item.setData(Qt.ItemDataRole.UserRole, role.id)
            self.role_list.addItem(item)
        self.role_list.blockSignals(False)
        again = next((i for i, r in enumerate(self.all_roles) if chosen and r.id == chosen.id),
                     None)  # fmt: skip
        if again is not None:
            self.role_list.setCurrentRow(again)
        else:
            self._selected()
        if overview is None:
            self.show_preview(None)

    def current(self) -> RoleInfo | None:
        row = self.role_list.currentRow()
        items = self.role_list.selectedItems()
        if not items or not 0 <= row < len(self.all_roles):
            return None
        return self.all_roles[row]

    def select(self, name: str) -> None:
        self.role_list.setCurrentRow(
            next(i for i, r in enumerate(self.all_roles) if r.name == name)
        )

    def tick(self, permissions: set[str]) -> None:
        for perm, box in self.boxes.items():
            box.setChecked(perm in permissions)

    def ticked(self) -> list[str]:
        return [perm for perm, box in self.boxes.items() if box.isChecked()]

    def _selected(self) -> None:
        role = self.current()
        self._clear_errors()
        if role is not None:
            self.role_name.set_text(role.name)
            self.tick(set(role.permissions))
        self.refresh_state()

    def _clear_errors(self) -> None:
        for field in (self.role_name, self.note, self.permissions_note):
            field.set_error(None)

    def refresh_state(self) -> None:
        reason = self.host.desk.why_not(ROLES)
        on = reason is None and self.host.overview is not None
        chosen = self.current() is not None
        self.create_button.setEnabled(on)
        for button in (self.rename_button, self.save_button, self.delete_button,
                       self.preview_button):  # fmt: skip
            button.setEnabled(on and chosen)
        for box in self.boxes.values():
            box.setEnabled(on)
        self.reason.setText(reason or "")
        self.reason.setVisible(bool(reason))

    # ------------------------------------------------------------------ actions
    def _fields(self) -> dict[str, Input | Note]:
        return {"role_name": self.role_name, "name": self.role_name,
                "permissions": self.permissions_note, "*": self.note}  # fmt: skip

    def create_role(self) -> None:
        self._clear_errors()
        desk, name, perms = self.host.desk, self.role_name.text(), self.ticked()

        def created(role: RoleInfo) -> None:
            self.host.toast(f"Role {role.name} created", ToastKind.SUCCESS)
            self.host.reload(lambda: self._select_and_preview(role.name))

        self.host.run(lambda: desk.create_role(name, perms), created, self._fields(),
                      self.create_button)  # fmt: skip

    def _select_and_preview(self, name: str) -> None:
        self.select(name)
        self.preview()

    def rename(self) -> None:
        role = self.current()
        if role is None:
            return
        self._clear_errors()
        desk, name = self.host.desk, self.role_name.text()
        self._then_reload(lambda: desk.rename_role(role, name), self.rename_button)

    def save(self) -> None:
        role = self.current()
        if role is None:
            return
        self._clear_errors()
        desk, perms = self.host.desk, self.ticked()
        self._then_reload(lambda: desk.set_permissions(role, perms), self.save_button)

    def delete(self) -> None:
        role = self.current()
        if role is None:
            return
        self._clear_errors()
        desk = self.host.desk

        def deleted(_: object) -> None:
            self.host.toast(f"Role {role.name} deleted", ToastKind.SUCCESS)
            self.role_name.set_text("")
            self.show_preview(None)
            self.host.reload()

        self.host.run(lambda: desk.delete_role(role), deleted, self._fields(), self.delete_button)

    def _then_reload(self, action: Callable[[], RoleInfo], button: Button) -> None:
        def done(role: RoleInfo) -> None:
            self.host.toast(f"Role {role.name} saved: tills take it at their next sync",
                            ToastKind.SUCCESS)  # fmt: skip
            self.host.reload(self.preview)

        self.host.run(action, done, self._fields(), button)

    def preview(self) -> None:
        role = self.current()
        if role is None:
            return
        desk = self.host.desk
        self.host.run(lambda: desk.preview(role), self.show_preview, self._fields(),
                      self.preview_button)  # fmt: skip

    def show_preview(self, preview: RolePreview | None) -> None:
        """The screens the role gets, by mode, and those hidden from it (None: cleared)."""
        self.shown = preview
        self.counter_button.setEnabled(preview is not None)
        if preview is None:
            self.preview_ids = []
            self.preview_shown.setText("Choose a role and press Preview.")
            self.preview_hidden.setText("")
            self.preview_actions.setText("")
            return
        self.preview_ids = [s.id for s in preview.screens]
        lines = [f"{preview.role.name} sees:"]
        for mode, title in MODES:
            names = [s.title for s in preview.screens if s.mode == mode]
            lines.append(f"{title}: {', '.join(names) if names else 'nothing'}")
        self.preview_shown.setText("\n".join(lines))
        hidden = [s.title for s in SCREENS if s.id not in self.preview_ids]
        self.preview_hidden.setText("Hidden: " + (", ".join(hidden) if hidden else "nothing"))
        may = [op.title for op in rules.OPERATIONS
               if {op.permission, *op.also} <= preview.role.permissions]  # fmt: skip
        self.preview_actions.setText("May change: " + ("; ".join(may) if may else "nothing"))

    def open_counter(self) -> None:
        """The counter as the previewed role, read-only, in a window of its own."""
        if self.shown is not None and self.host.open_counter is not None:
            role = self.shown.role
            self.host.open_counter(role.name, role.permissions)
