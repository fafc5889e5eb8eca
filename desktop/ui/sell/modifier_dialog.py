"""Choosing modifiers (milk, size, extras): the groups' default options start ticked; each
group's minimum and maximum are honoured before OK is possible; the engine checks them again."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.till.extras import ChoiceGroup
from desktop.ui.components.primitives import Button, Size, Variant
from desktop.ui.theme import space


def rule(group: ChoiceGroup) -> str:
    lo, hi = group.min_choices, group.max_choices
    if lo == hi:
        return f"choose {lo}"
    return f"choose up to {hi}" if lo == 0 else f"choose {lo} to {hi}"


class ModifierDialog(QDialog):
    def __init__(self, item_name: str, groups: list[ChoiceGroup], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(item_name)
        self.setAccessibleName(f"choose for {item_name}")
        self.setModal(True)
        self.groups = groups
        self.buttons: dict[uuid.UUID, Button] = {}
        self._group_of: dict[uuid.UUID, int] = {}
        layout = QVBoxLayout(self)
        pad = space("xl")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("md"))
        for index, group in enumerate(groups):
            layout.addWidget(QLabel(f"{group.name} — {rule(group)}"))
            row = QHBoxLayout()
            for choice in group.choices:
                extra = f"\n+{choice.price_delta}" if choice.price_delta.amount else ""
                button = Button(f"{choice.name}{extra}", variant=Variant.SECONDARY, size=Size.TOUCH)
                button.setCheckable(True)
                button.setChecked(choice.default)
                button.toggled.connect(lambda on, c=choice.id: self._toggled(c, on))
                row.addWidget(button)
                self.buttons[choice.id] = button
                self._group_of[choice.id] = index
            layout.addLayout(row)
        actions = QHBoxLayout()
        self.cancel_button = Button("Cancel", variant=Variant.GHOST, size=Size.TOUCH)
        self.cancel_button.clicked.connect(self.reject)
        self.ok_button = Button("Add", size=Size.TOUCH)
        self.ok_button.clicked.connect(self.accept)
        actions.addStretch(1)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.ok_button)
        layout.addLayout(actions)
        self._update()

    def selected(self) -> list[uuid.UUID]:
        return [choice for choice, button in self.buttons.items() if button.isChecked()]

    def _count(self, group: int) -> int:
        return sum(1 for c in self.selected() if self._group_of[c] == group)

    def _toggled(self, choice: uuid.UUID, on: bool) -> None:
        group = self._group_of[choice]
        if on and self._count(group) > self.groups[group].max_choices:
            if self.groups[group].max_choices == 1:
                # One choice allowed: picking another replaces the first, like radio buttons.
                for other, button in self.buttons.items():
                    if other != choice and self._group_of[other] == group:
                        button.setChecked(False)
            else:
                self.buttons[choice].setChecked(False)
        self._update()

    def _update(self) -> None:
        ready = all(
            g.min_choices <= self._count(i) <= g.max_choices for i, g in enumerate(self.groups)
        )
        self.ok_button.setEnabled(ready)
