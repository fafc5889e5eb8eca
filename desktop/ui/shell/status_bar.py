"""The status bar: connectivity, changes waiting to sync, last sync, printer, who is signed in."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from desktop.sync.status import SyncStatus
from desktop.ui.components.primitives import Toast, ToastKind
from desktop.ui.theme import repolish


class ShellStatusBar(QStatusBar):
    """Always visible; redrawn from a `SyncStatus` whenever the sync worker reports."""

    def __init__(self, user_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.connectivity = self._label("connectivity")
        self.pending = self._label("changes waiting to sync")
        self.last_sync = self._label("last successful sync")
        self.review = self._label("records kept for review on the server")
        self.user = self._label("signed-in user")
        self.printer = self._label("receipt printer")
        for label in (self.connectivity, self.pending, self.review, self.last_sync, self.printer):
            self.addWidget(label)
        self.addPermanentWidget(self.user)
        self.set_user(user_name)
        self.set_sync_status(SyncStatus())

    def _label(self, name: str) -> QLabel:
        label = QLabel()
        label.setProperty("role", "status")
        label.setAccessibleName(name)
        return label

    def set_user(self, name: str) -> None:
        self.user.setText(f"Signed in: {name}")

    def set_sync_status(self, status: SyncStatus) -> None:
        self.connectivity.setText(status.connectivity_text())
        # Why it is not syncing, and what to do, on hover (and for screen readers).
        self.connectivity.setToolTip(status.reason_text())
        self.connectivity.setAccessibleDescription(status.reason_text())
        self.connectivity.setProperty("state", "offline" if status.stopped else status.state.value)
        repolish(self.connectivity)
        self.pending.setText(status.pending_text())
        self.last_sync.setText(status.last_success_text())
        self.review.setText(status.review_text())
        self.review.setVisible(bool(status.review))
        if moved := status.moved_text():
            Toast.show_message(self.window(), moved, ToastKind.INFO)

    def set_printer(self, text: str) -> None:
        """e.g. "Printer: ok", "Printer: unreachable — 2 receipts waiting"; empty hides it."""
        self.printer.setText(text)
        self.printer.setVisible(bool(text))
