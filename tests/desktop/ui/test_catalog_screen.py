"""Back office, catalog: a manager changes an item's price, availability and product tile; the
engine holds it, the sell screen shows it; bad input and missing rights are toasts, not damage."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.catalog.service import get_item, items_in_category, set_tile
from desktop.staff.service import create_role, create_user
from desktop.till.catalog_desk import CatalogDesk
from desktop.ui.backoffice.catalog_screen import AUTO, CatalogScreen
from desktop.ui.components.primitives import ToastKind
from desktop.ui.sell.sell_screen import SellScreen
from shared.errors import ValidationFailed
from shared.money import Money
from shared.permissions import Permission
from tests.desktop.conftest import Shop


def select_item(screen: CatalogScreen, sku: str) -> None:
    row = [i.sku for i in screen.items].index(sku)
    screen.table.setCurrentCell(row, 0)


def test_a_manager_sets_price_availability_and_tile_and_the_sell_screen_shows_it(
    qtbot: QtBot, shop: Shop
) -> None:
    screen = CatalogScreen(CatalogDesk(shop.counter))
    qtbot.addWidget(screen)
    assert screen.category.currentText() == "No category"  # the seeded shop has none
    select_item(screen, "BAGEL")
    assert screen.price.text() == "2.10"
    screen.price.set_text("2,30")
    screen.color.setCurrentIndex(screen.color.findData("teal"))
    screen.position.setValue(0)
    screen.available.setChecked(False)
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert screen.last_toast is not None
    assert screen.last_toast[0] is ToastKind.SUCCESS
    bagel = shop.runner.read(lambda u: get_item(u, shop.items["BAGEL"]))  # type: ignore[arg-type]
    assert (bagel.price, bagel.available) == (Money("2.30", "EUR"), False)
    assert (bagel.tile_color, bagel.tile_position) == ("teal", 0)
    assert screen.table.item(screen.table.currentRow(), 3).text() == "teal · #0"

    sell = SellScreen(shop.counter, shop.card)
    qtbot.addWidget(sell)
    sell.show_tiles(shop.counter.tiles(None))
    first = sell.tile_buttons[0]
    assert first.accessibleName() == "add Bagel"  # placed first
    assert first.property("tile") == "teal"
    assert not first.isEnabled()  # 86'd


def test_a_bad_price_or_no_right_to_edit_is_a_toast_and_changes_nothing(
    qtbot: QtBot, shop: Shop
) -> None:
    screen = CatalogScreen(CatalogDesk(shop.counter))
    qtbot.addWidget(screen)
    select_item(screen, "LATTE")
    screen.price.set_text("")
    screen.save()
    assert screen.last_toast == (ToastKind.ERROR, "Enter a price like 3.40")
    assert screen.price.has_error

    role = shop.runner.run(
        lambda uow: create_role(uow, name="till", permissions={Permission.POS_SELL})
    )
    shop.runner.run(
        lambda uow: create_user(uow, code="7", name="Tim Till", pin="7777", role_id=role)
    )
    shop.counter.sign_in("7", "7777")
    select_item(screen, "LATTE")
    screen.price.set_text("9.99")
    screen.save()
    assert screen.last_toast is not None
    assert screen.last_toast[0] is ToastKind.ERROR
    latte = shop.runner.read(lambda u: get_item(u, shop.items["LATTE"]))  # type: ignore[arg-type]
    assert latte.price == Money("3.40", "EUR")
    assert screen.position.value() == AUTO


def test_tiles_order_by_position_then_name_and_colours_are_checked(shop: Shop) -> None:
    me = shop.counter.who()
    cheese = shop.items["CHEESE"]
    assert isinstance(cheese, uuid.UUID)
    shop.runner.run(lambda u: set_tile(u, me, item_id=cheese, color="violet", position=1))
    names = [i.name for i in shop.runner.read(lambda u: items_in_category(u, None))]
    assert names == ["Comté (per kg)", "Bagel", "Café Latte"]
    with pytest.raises(ValidationFailed, match="tile colour"):
        shop.runner.run(lambda u: set_tile(u, me, item_id=cheese, color="#ff0000", position=None))
    with pytest.raises(ValidationFailed, match="position"):
        shop.runner.run(lambda u: set_tile(u, me, item_id=cheese, color=None, position=-2))
