"""What a till opens at start: the first-run window, the progress of its first sync, or the
till itself (with the demo banner on a demo till, whose "Set up this till" wipes after asking)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtWidgets import QWidget

from desktop.setup.desk import WIPED, SetupDesk, Stage
from desktop.ui.components.primitives import ConfirmDialog
from desktop.ui.setup.window import SetupWindow
from desktop.ui.theme import Theme

WIPE_TITLE = "Wipe the demo and set up this till?"


def wipe_message() -> str:
    items = "\n".join(f"• {what}" for what in WIPED)
    return (
        "Setting up this till for your business first deletes everything the demo made on it:"
        f"\n{items}\n\nPrinter settings stay. This cannot be undone."
    )


class Till(Protocol):
    """The till's windows (`desktop.ui.till_window.TillWindows`)."""

    def show(self) -> None: ...
    def close(self) -> None: ...
    def front(self) -> QWidget: ...
    def scanned(self, code: str) -> None: ...


OpenTill = Callable[[bool, Callable[[], object] | None], Till]


class TillStart:
    """Shows the right window for where the till stands, and moves between them.

    Args:
        open_till: builds the till's windows: `open_till(demo, on_setup)`.
    """

    def __init__(self, desk: SetupDesk, open_till: OpenTill, theme: Theme = "light") -> None:
        self.desk = desk
        self.open_till = open_till
        self.theme = theme
        self.setup: SetupWindow | None = None
        self.till: Till | None = None

    def show(self) -> None:
        stage = self.desk.stage()
        if stage in {Stage.READY, Stage.DEMO}:
            self._show_till()
        else:
            self._show_setup(stage)

    def scanned(self, code: str) -> None:
        """A serial scanner's line (any thread): to the till, if it is open."""
        till = self.till
        if till is not None:
            till.scanned(code)

    def _show_setup(self, stage: Stage) -> SetupWindow:
        window = SetupWindow(self.desk, self.theme, start=stage)
        window.finished.connect(self._setup_done)
        self.setup = window
        window.show()
        return window

    def _setup_done(self) -> None:
        window, self.setup = self.setup, None
        self._show_till()
        if window is not None:
            window.wait()
            window.close()
            window.deleteLater()

    def _show_till(self) -> None:
        demo = self.desk.is_demo()
        self.till = self.open_till(demo, self.setup_from_demo if demo else None)
        self.till.show()

    def setup_from_demo(self) -> bool:
        """Ask, wipe the demo, show the set-up at the server address; returns whether it did."""
        till = self.till
        parent = till.front() if till is not None else None
        if not ConfirmDialog.ask(
            parent, WIPE_TITLE, wipe_message(), confirm="Wipe the demo", danger=True
        ):
            return False
        self.desk.wipe_demo()
        self.till = None
        if till is not None:
            till.close()
        window = self._show_setup(Stage.FRESH)
        window.go(window.server)
        return True

    def close(self) -> None:
        if self.setup is not None:
            self.setup.wait()
            self.setup.close()
            self.setup.deleteLater()
            self.setup = None
        if self.till is not None:
            self.till.close()
            self.till = None
