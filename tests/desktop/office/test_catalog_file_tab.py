"""Business setup → Catalog file on real widgets against a real server (SQLite and Postgres): a
preview that writes nothing, refused rows listed by row and column with Import held back, the
import and its toast, a second import that has nothing to do, and an export that previews back
to no change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop.office import rules
from desktop.office.config_desk import ConfigDesk
from desktop.office.session import OfficeSession
from desktop.ui.backoffice.business_screen import BusinessScreen
from desktop.ui.components.primitives import ToastKind
from desktop.ui.theme import apply_theme
from tests.desktop.office.conftest import Business
from tests.desktop.office.test_business_screen import act, signed_in

pytestmark = pytest.mark.gui
HEADER = "sku;name;price;tax_class;category;barcodes\n"  # `;` as a comma-decimal spreadsheet


@pytest.fixture
def screen(qtbot: QtBot, office: OfficeSession, business: Business) -> Iterator[BusinessScreen]:
    shop = business.shop
    assert shop.api.post("/v1/tax/presets/DE/apply", headers=shop.headers).status_code == 200
    drinks = {"name": "Drinks"}
    assert shop.api.post("/v1/catalog/categories", headers=shop.headers, json=drinks).is_success
    page = BusinessScreen(ConfigDesk(office))
    apply_theme(page, "light")
    qtbot.addWidget(page)
    page.resize(800, 680)
    page.show()
    page.tabs.setCurrentWidget(page.catalog_file)
    yield page
    page.runner.wait()


def items(business: Business) -> dict[str, dict[str, Any]]:
    shop = business.shop
    answer = shop.api.get("/v1/catalog/items", headers=shop.headers).json()
    return {item["sku"]: item for item in answer}


def click(qtbot: QtBot, screen: BusinessScreen, button: Any) -> None:
    act(qtbot, screen, lambda: qtbot.mouseClick(button, Qt.MouseButton.LeftButton))


def test_preview_then_import_then_nothing_left_to_import(
    qtbot: QtBot, screen: BusinessScreen, business: Business, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    tab = screen.catalog_file
    assert tab.reason.text() == rules.SIGN_IN
    assert not tab.preview_button.isEnabled()
    assert not tab.export_button.isEnabled()
    signed_in(qtbot, screen, business)
    assert tab.reason.isHidden()
    assert tab.preview_button.isEnabled()
    assert not tab.import_button.isEnabled()  # nothing previewed yet

    file = tmp_path / "menu.csv"
    file.write_text("\ufeff" + HEADER + "LAT;Latte;3,40;STD;Drinks;4006381333931|96385074\n"
                    "TEA;Tea;2,00;REDUCED;;\n", "utf-8")  # fmt: skip
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_, **__: (str(file), ""))
    click(qtbot, screen, tab.choose_button)  # choosing a file previews it at once
    assert tab.path.text() == str(file)
    assert tab.result.text() == (
        "Importing this file will make 2 new items, 0 changed, 0 unchanged. Nothing is written yet."
    )
    assert items(business) == {}  # a preview writes nothing
    assert tab.import_button.isEnabled()
    assert tab.errors.isHidden()

    click(qtbot, screen, tab.import_button)
    held = items(business)
    assert set(held) == {"LAT", "TEA"}
    assert held["LAT"]["barcodes"] == ["4006381333931", "96385074"]
    assert held["LAT"]["price"] == "3.40"
    assert screen.last_toast == (
        ToastKind.SUCCESS,
        "Imported: 2 new items, 0 changed, 0 unchanged. This till gets the items with its next "
        "sync.",
    )
    assert not tab.import_button.isEnabled()  # done: the same plan is not imported twice

    click(qtbot, screen, tab.preview_button)
    assert tab.result.text().startswith("Nothing to import: 0 new items, 0 changed, 2 unchanged")
    assert not tab.import_button.isEnabled()


def test_refused_rows_are_listed_and_nothing_is_written(
    qtbot: QtBot, screen: BusinessScreen, business: Business, tmp_path: Path
) -> None:
    tab = screen.catalog_file
    signed_in(qtbot, screen, business)
    file = tmp_path / "bad.csv"
    file.write_text(HEADER + "OK;Fine;1,00;STD;;\n"
                    "BAD;Odd price;1,2,3;STD;;\n"
                    "CAT;Lost;2,00;STD;Snacks;\n"
                    "EAN;Wrong digit;2,00;STD;;4006381333932\n", "utf-8")  # fmt: skip
    tab.path.set_text(str(file))
    click(qtbot, screen, tab.preview_button)
    assert tab.result.text().startswith("Nothing can be imported yet: 1 new item, 0 changed, "
                                        "0 unchanged, 3 rows refused.")  # fmt: skip
    shown = [
        tuple(tab.errors.item(r, c).text() for c in range(3)) for r in range(tab.errors.rowCount())
    ]
    assert [(row, column) for row, column, _ in shown] == [
        ("3", "price"), ("4", "category"), ("5", "barcodes")
    ]  # fmt: skip
    assert "Snacks" in shown[1][2]
    assert not tab.import_button.isEnabled()
    assert items(business) == {}

    # A file that is not there any more: said beside the file, nothing sent.
    tab.path.set_text(str(tmp_path / "gone.csv"))
    click(qtbot, screen, tab.preview_button)
    assert tab.path.has_error
    assert "gone.csv" in tab.path.helper.text()


@pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
def test_export_previews_back_to_no_change(
    qtbot: QtBot, screen: BusinessScreen, business: Business, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    tab = screen.catalog_file
    shop = business.shop
    for sku, name in (("A-1", "Apple, green"), ("B-1", 'Bun "big"')):
        body = {"sku": sku, "name": name, "price": "1.50", "tax_class": "STD"}
        assert shop.api.post("/v1/catalog/items", headers=shop.headers, json=body).is_success
    signed_in(qtbot, screen, business)
    target = tmp_path / "out" / "catalog.csv"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_, **__: (str(target), ""))
    click(qtbot, screen, tab.export_button)
    assert screen.last_toast == (ToastKind.SUCCESS, "Exported 2 items to catalog.csv")
    assert [p.name for p in target.parent.iterdir()] == ["catalog.csv"]  # no .part left
    tab.path.set_text(str(target))
    click(qtbot, screen, tab.preview_button)
    assert tab.result.text().startswith("Nothing to import: 0 new items, 0 changed, 2 unchanged")
