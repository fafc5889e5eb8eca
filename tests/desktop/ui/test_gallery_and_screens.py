"""The gallery shows every primitive in every variant, state and theme; screenshots regenerate."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.ui.components.primitives import Card, NumericKeypad, Size, Toast, Variant
from desktop.ui.gallery.window import STATES, GalleryWindow
from desktop.ui.screenshots import (
    FORM_SIZE,
    SETUP_PAGES,
    SETUP_SIZE,
    SHELL_SIZE,
    SMALL_SIZE,
    render_all,
)

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[3]


def test_gallery_has_every_button_variant_size_and_state_in_both_themes(qtbot: QtBot) -> None:
    window = GalleryWindow()
    qtbot.addWidget(window)
    for theme, panel in window.panels.items():
        assert panel.property("theme") == theme
        names = {b.accessibleName() for b in panel.findChildren(QPushButton)}
        for variant in Variant:
            for size in Size:
                for state in STATES:
                    assert f"{variant.value} {size.value} {state}" in names
        assert len(panel.findChildren(Toast)) == 3
        assert len(panel.findChildren(NumericKeypad)) == 2
        assert panel.findChildren(Card)
        errors = [e for e in panel.findChildren(QLineEdit) if e.property("error")]
        assert len(errors) == 1


def test_nova_gallery_opens_and_closes() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nova", "gallery", "--quit-after-ms", "200"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_render_all_writes_every_screen(tmp_path: Path) -> None:
    written = render_all(tmp_path)
    names = sorted(p.name for p in written)
    assert names == sorted(
        [
            "receipt-58mm.png",  # paper, drawn by the printer simulator
            "receipt-80mm.png",
        ]
        + [
            f"{kind}-{theme}.png"
            for theme in ("light", "dark")
            for kind in (
                "gallery",
                "shell-terminal",
                "shell-back_office",
                "sign-in",
                "sell",
                "tender",
                "refunds",
                "shift",
                "catalog",
                "catalog-form",
                "catalog-new",
                "catalog-groups",
                "catalog-categories",
                "devices",
                "sign-in-demo",
                *(f"setup-{page}" for page in SETUP_PAGES),
                "business-locations",
                "business-taxes",
                "business-selling",
                "business-offline",
            )
        ]
    )
    for name in ("setup-choice-light", "setup-location-dark", "sign-in-demo-light"):
        shot = QImage(str(tmp_path / f"{name}.png"))
        assert (shot.width(), shot.height()) == SETUP_SIZE  # fits the smallest counter screen
    business = QImage(str(tmp_path / "business-taxes-light.png"))
    assert (business.width(), business.height()) == SMALL_SIZE  # fits the smallest screen
    shell = QImage(str(tmp_path / "shell-terminal-light.png"))
    assert (shell.width(), shell.height()) == SHELL_SIZE
    form = QImage(str(tmp_path / "catalog-form-light.png"))
    assert (form.width(), form.height()) == FORM_SIZE  # the item form fits 1024×768
    dark, light = (QImage(str(tmp_path / f"gallery-{t}.png")) for t in ("dark", "light"))
    assert dark.pixelColor(5, 5).lightness() < light.pixelColor(5, 5).lightness()


def test_every_screenshot_the_docs_show_exists() -> None:
    doc = (ROOT / "docs" / "design-system.md").read_text(encoding="utf-8")
    images = re.findall(r"\(screens/([\w.-]+\.png)\)", doc)
    assert len(images) >= 8
    for image in images:
        assert (ROOT / "docs" / "screens" / image).is_file(), image
