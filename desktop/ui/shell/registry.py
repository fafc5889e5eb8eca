"""The registry of screens: the shell builds its navigation from it, filtered per user."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtWidgets import QWidget

from desktop.session import SessionContext


class Mode(StrEnum):
    TERMINAL = "terminal"  # the cashier's counter screens
    BACK_OFFICE = "back_office"  # the manager's windows


@dataclass(frozen=True)
class ScreenEntry:
    """One navigable screen: where it shows, which module it belongs to, who may open it."""

    id: str
    title: str
    mode: Mode
    permission: str
    factory: Callable[[], QWidget]
    module: str | None = None  # None: part of the core till, never switched off


class ScreenRegistry:
    """Ordered screens; `visible()` hides disabled modules and screens the user may not open."""

    def __init__(self, entries: Iterable[ScreenEntry] = ()) -> None:
        self._entries: list[ScreenEntry] = []
        for entry in entries:
            self.register(entry)

    def register(self, entry: ScreenEntry) -> None:
        if any(e.id == entry.id for e in self._entries):
            raise ValueError(f"screen {entry.id!r} is registered twice")
        self._entries.append(entry)

    def all(self) -> list[ScreenEntry]:
        return list(self._entries)

    def visible(self, session: SessionContext, mode: Mode) -> list[ScreenEntry]:
        return [
            e
            for e in self._entries
            if e.mode is mode and session.has_module(e.module) and session.can(e.permission)
        ]
