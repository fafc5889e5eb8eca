"""Renders every desktop screen to PNG for docs/screens/ (run by `nova screens`)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from desktop.session import demo_session
from desktop.sync.status import Connectivity, SyncStatus
from desktop.ui.gallery.window import theme_panel
from desktop.ui.shell.default_screens import default_registry
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.shell.registry import Mode
from desktop.ui.theme import Theme, register_fonts

SHELL_SIZE = (1280, 800)


def _shell(mode: Mode, theme: Theme, prefs_dir: Path) -> QWidget:
    window = MainWindow(
        session=demo_session(),
        registry=default_registry(),
        default_theme=theme,
        prefs_file=prefs_dir / f"{mode.value}-{theme}.json",
    )
    window.set_mode(mode)
    window.set_sync_status(SyncStatus(Connectivity.OFFLINE, pending=3))
    window.resize(*SHELL_SIZE)
    return window


def _gallery(theme: Theme) -> QWidget:
    panel = theme_panel(theme)
    panel.resize(panel.sizeHint())
    return panel


def render_all(out_dir: Path) -> list[Path]:
    """Write one PNG per screen and theme into `out_dir`; returns the files written."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    register_fonts()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        shots: dict[str, Callable[[], QWidget]] = {}
        themes: tuple[Theme, ...] = ("light", "dark")
        for theme in themes:
            shots[f"gallery-{theme}"] = partial(_gallery, theme)
            for mode in Mode:
                shots[f"shell-{mode.value}-{theme}"] = partial(_shell, mode, theme, Path(tmp))
        for name, build in shots.items():
            widget = build()
            widget.show()
            app.processEvents()
            path = out_dir / f"{name}.png"
            if not widget.grab().save(str(path)):
                raise OSError(f"could not write {path}")
            written.append(path)
            widget.close()
            widget.deleteLater()
            app.processEvents()
    return written
