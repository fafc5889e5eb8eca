"""The main window on real widgets, offscreen."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from desktop.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_fits_a_1024x768_screen_and_shows_sync_state(qtbot: QtBot) -> None:
    window = MainWindow(database_label="/tmp/terminal.db")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.minimumSize().width() <= 1024
    assert window.minimumSize().height() <= 768
    assert window.sync_label.text() == "Offline · 0 changes waiting to sync"
    assert window.sync_label.accessibleName() == "sync status"
