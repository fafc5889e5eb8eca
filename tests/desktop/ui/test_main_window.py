"""The application shell: modes, navigation filtered by permission and module, status, prefs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from desktop.session import SessionContext, demo_session
from desktop.sync.status import Connectivity, SyncStatus
from desktop.ui.shell.default_screens import default_registry, placeholder
from desktop.ui.shell.fit import TITLE_BAR
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.shell.registry import Mode, ScreenEntry, ScreenRegistry
from shared.permissions import ALL_MODULES, ALL_PERMISSIONS

pytestmark = pytest.mark.gui


def make_window(qtbot: QtBot, tmp_path: Path, session: SessionContext | None = None) -> MainWindow:
    window = MainWindow(
        session=session or demo_session(),
        registry=default_registry(),
        prefs_file=tmp_path / "shell.json",
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


class TestNavigation:
    def test_terminal_and_back_office_modes_show_their_screens(
        self, qtbot: QtBot, tmp_path: Path
    ) -> None:
        window = make_window(qtbot, tmp_path)
        assert window.nav_ids() == ["sell", "refunds", "shift"]
        back_office = next(
            b for b in window.mode_buttons.buttons() if b.property("mode") == "back_office"
        )
        assert isinstance(back_office, QPushButton)
        qtbot.mouseClick(back_office, Qt.MouseButton.LeftButton)
        assert window.mode is Mode.BACK_OFFICE
        assert window.nav_ids() == [
            "catalog",
            "inventory",
            "loyalty",
            "reports",
            "journal",
            "staff",
            "business",
            "devices",
            "inbox",
        ]

    def test_entries_without_the_permission_are_hidden(self, qtbot: QtBot, tmp_path: Path) -> None:
        cashier = SessionContext("Ana", frozenset({"pos.sell"}), ALL_MODULES)
        window = make_window(qtbot, tmp_path, cashier)
        assert window.nav_ids() == ["sell", "refunds"]
        window.set_mode(Mode.BACK_OFFICE)
        assert window.nav_ids() == []
        with pytest.raises(KeyError):
            window.open_screen("staff")

    def test_entries_of_disabled_modules_are_hidden(self, qtbot: QtBot, tmp_path: Path) -> None:
        no_loyalty = SessionContext("Bo", ALL_PERMISSIONS, ALL_MODULES - {"loyalty"})
        window = make_window(qtbot, tmp_path, no_loyalty)
        window.set_mode(Mode.BACK_OFFICE)
        assert "loyalty" not in window.nav_ids()
        assert "inventory" in window.nav_ids()

    def test_opening_a_screen_shows_its_page(self, qtbot: QtBot, tmp_path: Path) -> None:
        window = make_window(qtbot, tmp_path)
        page = window.open_screen("refunds")
        assert window.stack.currentWidget() is page
        assert page.accessibleName() == "Refunds"

    def test_registering_a_screen_twice_is_refused(self) -> None:
        entry = ScreenEntry("x", "X", Mode.TERMINAL, "pos.sell", placeholder("X", "x"))
        with pytest.raises(ValueError, match="twice"):
            ScreenRegistry([entry, entry])


class TestStatusBar:
    def test_shows_offline_and_user_at_start(self, qtbot: QtBot, tmp_path: Path) -> None:
        window = make_window(qtbot, tmp_path)
        assert window.status.connectivity.text() == "Offline"
        assert window.status.pending.text() == "All changes synced"
        assert window.status.last_sync.text() == "Never synced"
        assert window.status.user.text() == "Signed in: Demo manager"

    def test_follows_sync_status(self, qtbot: QtBot, tmp_path: Path) -> None:
        window = make_window(qtbot, tmp_path)
        window.set_sync_status(SyncStatus(Connectivity.SYNCING, pending=3, progress=0.4))
        assert window.status.connectivity.text() == "Syncing 40%"
        assert window.status.connectivity.property("state") == "syncing"
        assert window.status.pending.text() == "3 changes waiting to sync"
        when = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
        window.set_sync_status(SyncStatus(Connectivity.ONLINE, pending=1, last_success=when))
        assert window.status.connectivity.text() == "Online"
        assert window.status.pending.text() == "1 change waiting to sync"
        assert window.status.last_sync.text().startswith("Last sync 2026-11-24")

    def test_a_till_moved_by_a_manager_says_so_once(self, qtbot: QtBot, tmp_path: Path) -> None:
        from desktop.ui.components.primitives import Toast

        window = make_window(qtbot, tmp_path)
        window.set_sync_status(SyncStatus(Connectivity.ONLINE, moved_to="AIR"))
        (toast,) = window.findChildren(Toast)
        assert "now belongs to location AIR" in toast.findChild(QLabel).text()
        window.set_sync_status(SyncStatus(Connectivity.SYNCING))  # the next round: no repeat
        window.set_sync_status(SyncStatus(Connectivity.ONLINE))
        assert len(window.findChildren(Toast)) == 1


class TestPreferences:
    def test_theme_mode_and_geometry_survive_a_restart(self, qtbot: QtBot, tmp_path: Path) -> None:
        first = make_window(qtbot, tmp_path)
        first.toggle_theme()
        first.set_mode(Mode.BACK_OFFICE)
        first.resize(800, 700)  # the offscreen screen is 800x800
        first.close()
        second = make_window(qtbot, tmp_path)
        assert second.prefs.theme == "dark"
        assert second.property("theme") == "dark"
        assert second.mode is Mode.BACK_OFFICE
        assert (second.width(), second.height()) == (800, 700)

    def test_a_window_saved_on_a_bigger_screen_comes_back_on_this_one(
        self, qtbot: QtBot, tmp_path: Path
    ) -> None:
        first = make_window(qtbot, tmp_path)
        first.resize(1920, 1080)
        first.close()
        second = make_window(qtbot, tmp_path)
        room = second.screen().availableGeometry()
        assert second.width() <= room.width()
        assert second.height() <= room.height() - TITLE_BAR  # the status bar stays on screen

    def test_damaged_prefs_file_falls_back_to_defaults(self, qtbot: QtBot, tmp_path: Path) -> None:
        (tmp_path / "shell.json").write_text("{not json")
        window = make_window(qtbot, tmp_path)
        assert window.prefs.theme == "light"


class TestSizes:
    @pytest.mark.parametrize("screen", [(1024, 768), (1920, 1080)])
    def test_fits_common_screens(
        self, qtbot: QtBot, tmp_path: Path, screen: tuple[int, int]
    ) -> None:
        window = make_window(qtbot, tmp_path)
        window.resize(*screen)
        assert (window.width(), window.height()) == screen
        assert window.minimumSizeHint().width() <= 1024
        assert window.minimumSizeHint().height() <= 768
