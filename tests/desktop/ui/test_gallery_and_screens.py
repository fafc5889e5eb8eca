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
from desktop.ui.screenshots import SETUP_PAGES, SIZES, render_all, shot_file, usable

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
    """CI takes one screen size (both themes); `nova screens` takes every size."""
    small = SIZES[0]
    written = render_all(tmp_path, sizes=[small])
    names = sorted(p.name for p in written)
    kinds = [
        "shell-terminal",
        "shell-back_office",
        "sign-in",
        "sign-in-locked",
        "sell",
        "tender",
        "tender-card-error",
        "tender-points-error",
        "modifiers",
        "refunds",
        "journal",
        "role-preview",
        "shift",
        "shift-close",
        "override",
        "catalog",
        "catalog-form",
        "catalog-new",
        "catalog-groups",
        "catalog-categories",
        "catalog-locations",
        "devices",
        *(f"setup-{page}" for page in SETUP_PAGES),
        "sign-in-demo",
        "business-locations",
        "business-taxes",
        "business-selling",
        "business-catalog-file",
        "business-tills",
        "business-receipt",
        "business-offline",
        "inbox",
        "sell-pictures",
        "staff-people",
        "staff-roles",
    ]
    assert names == sorted(
        ["receipt-58mm.png", "receipt-80mm.png"]  # paper, drawn by the printer simulator
        + [f"gallery-{theme}.png" for theme in ("light", "dark")]
        + [shot_file(kind, theme, small) for theme in ("light", "dark") for kind in kinds]
    )
    room = usable(small)  # what the screen leaves under a title bar
    for name in ("setup-choice", "sign-in-demo", "business-taxes", "shell-terminal", "sell"):
        shot = QImage(str(tmp_path / shot_file(name, "light", small)))
        assert (shot.width(), shot.height()) == room
    tender = QImage(str(tmp_path / shot_file("tender-card-error", "dark", small)))
    assert tender.width() <= room[0]
    assert tender.height() <= room[1]  # the dialog, its message included, fits the screen
    dark, light = (QImage(str(tmp_path / f"gallery-{t}.png")) for t in ("dark", "light"))
    assert dark.pixelColor(5, 5).lightness() < light.pixelColor(5, 5).lightness()


def test_every_screenshot_the_docs_show_exists() -> None:
    images = [
        image
        for doc in (ROOT / "docs").glob("*.md")
        for image in re.findall(r"\(screens/([\w.-]+\.png)\)", doc.read_text(encoding="utf-8"))
    ]
    assert len(images) >= 30
    for image in images:
        assert (ROOT / "docs" / "screens" / image).is_file(), image
