"""The screens the shell offers today. Each later issue swaps its placeholder for the real one."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.ui.components.primitives import Card
from desktop.ui.shell.registry import Mode, ScreenEntry, ScreenRegistry
from desktop.ui.theme import space
from shared.navigation import SCREENS


def placeholder(title: str, what_comes: str) -> Callable[[], QWidget]:
    """A page holding one card that says what this screen will do."""

    def build() -> QWidget:
        page = QWidget()
        page.setProperty("role", "page")
        page.setAccessibleName(title)
        layout = QVBoxLayout(page)
        pad = space("xl")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.addWidget(Card(title, what_comes))
        layout.addStretch(1)
        return page

    return build


def default_registry(
    built: Mapping[str, Callable[[], QWidget]] | None = None,
) -> ScreenRegistry:
    """Every screen of `shared.navigation.SCREENS`: the `built` ones by their factory (the app
    passes the screens that exist, e.g. `{"sell": ...}`), the rest as placeholders."""
    built = built or {}
    return ScreenRegistry(
        ScreenEntry(
            s.id,
            s.title,
            Mode(s.mode),
            s.permission,
            built.get(s.id) or placeholder(s.title, s.summary),
            module=s.module,
        )
        for s in SCREENS
    )
