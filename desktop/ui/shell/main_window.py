"""The main window: terminal and back-office modes, navigation from the registry, status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.session import SessionContext
from desktop.sync.status import SyncStatus
from desktop.ui.components.primitives import Button, Size, Variant
from desktop.ui.shell.fit import fit_window, usable_size
from desktop.ui.shell.prefs import ShellPrefs, load_prefs, save_prefs
from desktop.ui.shell.registry import Mode, ScreenEntry, ScreenRegistry
from desktop.ui.shell.status_bar import ShellStatusBar
from desktop.ui.theme import Theme, apply_theme, size, space
from shared.version import __version__

MODE_TITLES = {Mode.TERMINAL: "Terminal", Mode.BACK_OFFICE: "Back office"}


class MainWindow(QMainWindow):
    """One window for the whole app; screens come from the registry, filtered per user."""

    def __init__(
        self,
        *,
        session: SessionContext,
        registry: ScreenRegistry,
        default_theme: Theme = "light",
        prefs_file: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.registry = registry
        self._prefs_file = prefs_file
        self.prefs: ShellPrefs = load_prefs(default_theme, prefs_file)
        self.setWindowTitle(f"Nova POS {__version__}")
        self.setMinimumSize(size("window_min_width"), size("window_min_height"))

        self.nav = QListWidget()
        self.nav.setProperty("role", "nav")
        self.nav.setAccessibleName("navigation")
        self.nav.setFixedWidth(size("nav_width"))
        self.nav.currentRowChanged.connect(self._show_row)
        self.stack = QStackedWidget()
        self.stack.setAccessibleName("screen")
        self._visible: list[ScreenEntry] = []
        self._pages: dict[str, QWidget] = {}

        self.mode_buttons = QButtonGroup(self)
        self.mode_buttons.setExclusive(True)
        toolbar = QWidget()
        toolbar.setProperty("role", "toolbar")
        bar = QHBoxLayout(toolbar)
        bar.setContentsMargins(space("md"), space("sm"), space("md"), space("sm"))
        brand = QLabel("Nova POS")
        brand.setProperty("role", "title")
        bar.addWidget(brand)
        bar.addSpacing(space("xl"))
        for mode, title in MODE_TITLES.items():
            button = Button(
                title, variant=Variant.SECONDARY, size=Size.TOUCH, accessible_name=f"{title} mode"
            )
            button.setCheckable(True)
            button.setProperty("mode", mode.value)
            button.clicked.connect(lambda _=False, m=mode: self.set_mode(m))
            self.mode_buttons.addButton(button)
            bar.addWidget(button)
        bar.addStretch(1)
        self.theme_button = Button("", variant=Variant.GHOST, size=Size.TOUCH)
        self.theme_button.clicked.connect(self.toggle_theme)
        bar.addWidget(self.theme_button)

        body = QWidget()
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(toolbar)
        outer.addWidget(body, 1)
        self.setCentralWidget(central)

        self.status = ShellStatusBar(session.user_name)
        self.setStatusBar(self.status)

        self._restore_geometry()
        self.set_theme(self.prefs.theme)
        saved_mode = Mode(self.prefs.mode) if self.prefs.mode in Mode._value2member_map_ else None
        self.set_mode(saved_mode or Mode.TERMINAL)

    # ------------------------------------------------------------------ modes and navigation
    @property
    def mode(self) -> Mode:
        return Mode(self.prefs.mode)

    def set_mode(self, mode: Mode) -> None:
        """Show the navigation of `mode`: only screens this user may open in enabled modules."""
        self.prefs.mode = mode.value
        for button in self.mode_buttons.buttons():
            button.setChecked(button.property("mode") == mode.value)
        self._visible = self.registry.visible(self.session, mode)
        self.nav.blockSignals(True)
        self.nav.clear()
        for entry in self._visible:
            item = QListWidgetItem(entry.title)
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, entry.title)
            self.nav.addItem(item)
        self.nav.blockSignals(False)
        if self._visible:
            self.nav.setCurrentRow(0)
            self._show_row(0)

    def nav_ids(self) -> list[str]:
        """Ids of the entries the navigation shows now (tests and the preview-as-role view)."""
        return [e.id for e in self._visible]

    def open_screen(self, screen_id: str) -> QWidget:
        """Switch to a visible screen by id (raises KeyError for one the user cannot see)."""
        if screen_id not in self.nav_ids():
            raise KeyError(screen_id)
        self.nav.setCurrentRow(self.nav_ids().index(screen_id))
        return self._pages[screen_id]

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(self._visible):
            return
        entry = self._visible[row]
        page = self._pages.get(entry.id)
        if page is None:
            page = entry.factory()
            self._pages[entry.id] = page
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)

    # ------------------------------------------------------------------ theme and status
    def set_theme(self, theme: Theme) -> None:
        self.prefs.theme = theme
        apply_theme(self, theme)
        other = "dark" if theme == "light" else "light"
        self.theme_button.setText(f"{other.capitalize()} theme")
        self.theme_button.setAccessibleName(f"switch to {other} theme")

    def toggle_theme(self) -> None:
        self.set_theme("dark" if self.prefs.theme == "light" else "light")

    def set_sync_status(self, status: SyncStatus) -> None:
        self.status.set_sync_status(status)

    def _restore_geometry(self) -> None:
        """Put the window back where it was, if that place is still on a screen; else fill
        what the screen leaves under a title bar (never the whole screen: the status bar
        would end below its edge)."""
        fit_window(self)
        if self.prefs.geometry:
            rect = QRect(*self.prefs.geometry)
            screen = QGuiApplication.screenAt(rect.center())
            if screen is not None or QGuiApplication.platformName() == "offscreen":
                # Where the frame was (title bar included) and the size inside it.
                self.move(rect.topLeft())
                self.resize(rect.size().boundedTo(usable_size(self)))
        if self.prefs.maximized:
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.isMaximized():
            normal = self.normalGeometry()
            self.prefs.geometry = (normal.x(), normal.y(), normal.width(), normal.height())
        else:  # the frame's corner: restored with `move`, the title bar stays on screen
            self.prefs.geometry = (self.x(), self.y(), self.width(), self.height())
        self.prefs.maximized = self.isMaximized()
        save_prefs(self.prefs, self._prefs_file)
        super().closeEvent(event)
