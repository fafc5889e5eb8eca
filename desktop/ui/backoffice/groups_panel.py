"""Back office, modifier groups: the list of groups (milk, size, extras) and an editor for one —
its name, how many options a customer may or must pick, and the options with what each adds to
the price and whether the counter starts with it ticked. Options already saved can be renamed
or repriced, never removed (sold tickets name them); the desk says so beside the field if one
is missing."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.catalog.groups import MAX_OPTIONS, GroupDraft, GroupView, OptionDraft
from desktop.till.catalog_desk import CatalogDesk
from desktop.ui.backoffice.item_form import field_note, show_note
from desktop.ui.backoffice.list_editor import list_beside_editor
from desktop.ui.components.primitives import Button, Input, Size, Toast, ToastKind, Variant
from desktop.ui.components.tables import list_table
from desktop.ui.theme import space
from shared.errors import NovaError, ValidationFailed

COLUMNS = ("Group", "Pick", "Options", "Items")


def default_cell(ticked: bool) -> QTableWidgetItem:
    """An option's "Default" box: a tick, nothing to type."""
    cell = QTableWidgetItem("")
    cell.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
    cell.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
    return cell


class GroupsPanel(QWidget):
    changed = Signal()  # a group was saved
    closed = Signal()

    def __init__(self, desk: CatalogDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.groups: list[GroupView] = []
        self.current: GroupView | None = None
        self.last_toast: tuple[ToastKind, str] | None = None
        self.setAccessibleName("modifier groups")

        self.table = list_table(COLUMNS, "groups")
        self.table.currentCellChanged.connect(lambda row, *_: self.pick(row))
        self.title = QLabel("New group")
        self.title.setProperty("role", "title")
        self.name = Input("Group name", placeholder="e.g. Milk")
        self.min_choices = QSpinBox()
        self.min_choices.setAccessibleName("at least")
        self.min_choices.setRange(0, MAX_OPTIONS)
        self.max_choices = QSpinBox()
        self.max_choices.setAccessibleName("at most")
        self.max_choices.setRange(0, MAX_OPTIONS)
        self.choices_note = field_note()
        self.options = QTableWidget(0, 3)
        self.options.setAccessibleName("options")
        self.options.setHorizontalHeaderLabels(["Option", "Adds to the price", "Default"])
        self.options.verticalHeader().setVisible(False)
        header = self.options.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.options_help = QLabel(
            "Type into the rows; tick Default for options the counter starts with ticked. "
            "Saved options can be renamed or repriced, not removed."
        )
        self.options_help.setProperty("role", "helper")
        self.options_help.setWordWrap(True)
        self.options_note = field_note()
        self.add_option_button = Button("Add option", variant=Variant.SECONDARY)
        self.add_option_button.clicked.connect(lambda: self.add_option())
        self.new_button = Button("New group", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.new_button.clicked.connect(self.start_new)
        self.back_button = Button("Back to items", variant=Variant.GHOST, size=Size.TOUCH)
        self.back_button.clicked.connect(self.closed.emit)
        self.save_button = Button("Save group", variant=Variant.PRIMARY, size=Size.TOUCH)
        self.save_button.clicked.connect(self.save)

        counts = QHBoxLayout()
        counts.addWidget(QLabel("Customer picks at least"))
        counts.addWidget(self.min_choices)
        counts.addWidget(QLabel("and at most"))
        counts.addWidget(self.max_choices)
        counts.addStretch(1)
        editor = QVBoxLayout()
        editor.setSpacing(space("sm"))
        editor.addWidget(self.title)
        editor.addWidget(self.name)
        editor.addLayout(counts)
        editor.addWidget(self.choices_note)
        editor.addWidget(self.options, 1)
        editor.addWidget(self.options_help)
        editor.addWidget(self.options_note)
        editor.addWidget(self.add_option_button, 0, Qt.AlignmentFlag.AlignLeft)
        editor.addWidget(self.save_button)
        list_beside_editor(self, self.table, self.back_button, self.new_button, editor)

    def reload(self, keep: uuid.UUID | None = None) -> None:
        self.groups = self.desk.groups()
        self.table.setRowCount(len(self.groups))
        for row, group in enumerate(self.groups):
            cells = (group.name, group.rule, ", ".join(o.name for o in group.options),
                     str(group.items))  # fmt: skip
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        ids = [g.id for g in self.groups]
        if keep in ids:
            self.table.setCurrentCell(ids.index(keep), 0)
        else:
            self.start_new()

    def pick(self, row: int) -> None:
        if not 0 <= row < len(self.groups):
            return
        self.current = self.groups[row]
        self.title.setText(f"Edit {self.current.name}")
        self._fill(self.current.draft())

    def start_new(self) -> None:
        self.current = None
        self.table.setCurrentCell(-1, -1)
        self.title.setText("New group")
        self._fill(GroupDraft("", 0, 1, ()))
        self.add_option()
        self.add_option()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill(self, draft: GroupDraft) -> None:
        self.name.set_text(draft.name)
        self.min_choices.setValue(draft.min_choices)
        self.max_choices.setValue(draft.max_choices)
        self.options.setRowCount(0)
        for option in draft.options:
            self.add_option(option)
        self.show_problems({})

    def add_option(self, option: OptionDraft | None = None) -> None:
        option = option or OptionDraft("")
        row = self.options.rowCount()
        self.options.insertRow(row)
        name = QTableWidgetItem(option.name)
        name.setData(Qt.ItemDataRole.UserRole, option.id)
        self.options.setItem(row, 0, name)
        self.options.setItem(row, 1, QTableWidgetItem(option.price_delta))
        self.options.setItem(row, 2, default_cell(option.default))

    def draft(self) -> GroupDraft:
        """The editor's group; new rows left blank are not options."""
        options = []
        for row in range(self.options.rowCount()):
            name, delta = self.options.item(row, 0), self.options.item(row, 1)
            ticked = self.options.item(row, 2)
            option_id = name.data(Qt.ItemDataRole.UserRole) if name else None
            text = name.text() if name else ""
            price = delta.text() if delta else ""
            if option_id is None and not text.strip() and not price.strip():
                continue
            default = ticked is not None and ticked.checkState() == Qt.CheckState.Checked
            options.append(OptionDraft(text, price, option_id, default))
        return GroupDraft(
            self.name.text(), self.min_choices.value(), self.max_choices.value(), tuple(options)
        )

    def save(self) -> None:
        group_id = self.current.id if self.current else None
        try:
            saved = self.desk.save_group(self.draft(), group_id)
        except ValidationFailed as exc:
            fields = exc.details.get("fields")
            self.show_problems(fields if isinstance(fields, dict) else {"name": exc.message})
            self.toast("Not saved: fix the marked fields", ToastKind.ERROR)
            return
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.toast(f"Saved {saved.name}: every till gets it with its next sync", ToastKind.SUCCESS)
        self.changed.emit()
        self.reload(keep=saved.id)

    def show_problems(self, problems: dict[str, str]) -> None:
        self.name.set_error(problems.get("name"))
        show_note(self.choices_note, problems.get("choices"))
        show_note(self.options_note, problems.get("options"))

    def toast(self, message: str, kind: ToastKind) -> None:
        self.last_toast = (kind, message)
        Toast.show_message(self, message, kind)
