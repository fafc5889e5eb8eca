"""The terminal's main window (first cut: the shell issue brings modes and navigation)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from shared.version import __version__


class MainWindow(QMainWindow):
    """Top-level window; the status bar always shows connectivity and what waits to sync."""

    def __init__(self, *, database_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Nova POS {__version__}")
        self.setMinimumSize(1024, 768)
        welcome = QLabel("Nova POS terminal — selling screens arrive with the next releases.")
        welcome.setAccessibleName("welcome")
        welcome.setWordWrap(True)
        self.setCentralWidget(welcome)
        self.sync_label = QLabel("Offline · 0 changes waiting to sync")
        self.sync_label.setAccessibleName("sync status")
        self.statusBar().addPermanentWidget(self.sync_label)
        self.statusBar().showMessage(f"Database: {database_label}")
