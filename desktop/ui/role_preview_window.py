"""Staff & roles → Roles → **Open the counter as this role**: the till's own shell in a window
of its own, with the navigation, screens and buttons a holder of the role gets, over this
till's real data and read-only (`desktop/till/role_preview.py` refuses every write, in words
that say it is a preview). The counter screens are the real ones; back-office screens the role
may open show what they are for, since they work on the server as the person signed in there.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.session import SessionContext
from desktop.till.journal_desk import JournalDesk
from desktop.till.refund_desk import RefundDesk
from desktop.till.role_preview import preview_counter
from desktop.till.runner import Runner
from desktop.till.shift_desk import ShiftDesk
from desktop.ui.backoffice.journal_screen import JournalScreen
from desktop.ui.components.primitives import Button, Variant
from desktop.ui.sell.refund_screen import RefundScreen
from desktop.ui.sell.sell_screen import SellScreen
from desktop.ui.sell.shift_screen import ShiftScreen
from desktop.ui.shell.default_screens import default_registry
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.shell.prefs import prefs_path
from desktop.ui.theme import Theme, space


def open_role_preview(
    runner: Runner,
    role_name: str,
    permissions: Iterable[str],
    modules: frozenset[str],
    theme: Theme = "light",
    prefs_file: Path | None = None,
) -> MainWindow:
    """Build and show the preview window (closed by its banner's button or the window's)."""
    held = frozenset(permissions)
    counter = preview_counter(runner, role_name, held)
    card = SimulatedPaymentTerminal()  # never the shop's terminal: nothing is charged
    registry = default_registry(
        {
            "sell": lambda: SellScreen(counter, card),
            "refunds": lambda: RefundScreen(RefundDesk(counter), card),
            "shift": lambda: ShiftScreen(ShiftDesk(counter)),
            "journal": lambda: JournalScreen(JournalDesk(counter)),
        }
    )
    window = MainWindow(
        session=SessionContext(f"Preview: {role_name}", held, modules),
        registry=registry,
        default_theme=theme,
        # Its own size and mode: closing the preview leaves the till's window as it was.
        prefs_file=prefs_file or prefs_path().with_name("role-preview.json"),
    )
    window.setWindowTitle(f"Nova POS — preview of the role {role_name} (read-only)")
    central = window.centralWidget()
    layout = central.layout() if central is not None else None
    if isinstance(layout, QVBoxLayout):
        layout.insertWidget(0, PreviewBanner(role_name, window))
    window.show()
    return window


class PreviewBanner(QFrame):
    """Across the top: whose view this is, that nothing is saved, and the way out."""

    def __init__(self, role_name: str, window: QWidget) -> None:
        super().__init__()
        self.setProperty("role", "demo-banner")
        self.setAccessibleName("preview banner")
        self.text = QLabel(
            f"Preview of the role {role_name}: what its holders see and may press. "
            "Read-only: nothing is sold, saved or printed."
        )
        self.text.setWordWrap(True)
        self.close_button = Button("Close preview", variant=Variant.SECONDARY)
        self.close_button.clicked.connect(window.close)
        row = QHBoxLayout(self)
        row.setContentsMargins(space("lg"), space("sm"), space("lg"), space("sm"))
        row.addWidget(self.text, 1)
        row.addWidget(self.close_button)
