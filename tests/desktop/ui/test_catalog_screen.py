"""Back office, catalog: a manager changes an item's price, availability and product tile; the
engine holds it, the sell screen shows it; bad input and missing rights are toasts, not damage.
The list searches and filters, loads more as it scrolls, archives and restores items (off the
counter, kept for history), and shows and changes an item's values at each location."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QTableView
from pytestqt.qtbot import QtBot

from desktop.catalog.browse import BrowseFilter, BrowseRow
from desktop.catalog.service import (
    create_category,
    get_item,
    items_in_category,
    set_category,
    set_location_override,
    set_tile,
)
from desktop.db.uow import UnitOfWork
from desktop.staff.service import create_role, create_user
from desktop.till.catalog_desk import CatalogDesk
from desktop.ui.backoffice.catalog_screen import AUTO, CatalogScreen
from desktop.ui.backoffice.item_list import COLUMNS, ItemListModel
from desktop.ui.components.primitives import ToastKind
from desktop.ui.sell.sell_screen import SellScreen
from shared.errors import ValidationFailed
from shared.money import Money
from shared.permissions import Permission
from tests.desktop.catalog_form_shop import audit_actions, catalog_edits
from tests.desktop.conftest import Shop


def select_item(screen: CatalogScreen, sku: str) -> None:
    screen.select_item(next(i.id for i in screen.items if i.sku == sku))


def cell(screen: CatalogScreen, sku: str, column: str) -> str:
    row = [i.sku for i in screen.items].index(sku)
    return str(screen.model.index(row, COLUMNS.index(column)).data())


def test_a_manager_sets_price_availability_and_tile_and_the_sell_screen_shows_it(
    qtbot: QtBot, shop: Shop
) -> None:
    screen = CatalogScreen(CatalogDesk(shop.counter))
    qtbot.addWidget(screen)
    assert screen.category.currentText() == "All categories"
    assert [i.sku for i in screen.items] == ["BAGEL", "LATTE", "CHEESE"]  # by name
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
    assert screen.current is not None
    assert screen.current.id == shop.items["BAGEL"]  # still picked after the save
    assert (cell(screen, "BAGEL", "Price"), cell(screen, "BAGEL", "On sale")) == (
        "EUR 2.30", "no (86)"
    )  # fmt: skip

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


def search_for(qtbot: QtBot, screen: CatalogScreen, text: str, skus: list[str]) -> None:
    """Type into the search box; after the debounce the list shows `skus`, in that order."""
    screen.search.edit.clear()
    qtbot.keyClicks(screen.search.edit, text)
    qtbot.waitUntil(lambda: [i.sku for i in screen.items] == skus, timeout=3000)


def choose(combo: QComboBox, text: str) -> None:
    combo.setCurrentIndex(combo.findText(text))


def test_the_list_searches_by_name_sku_and_barcode_and_filters_by_category_and_location(
    qtbot: QtBot, shop: Shop
) -> None:
    me = shop.counter.who()
    bagel, latte = shop.items["BAGEL"], shop.items["LATTE"]
    assert isinstance(bagel, uuid.UUID)
    assert isinstance(latte, uuid.UUID)

    def arrange(uow: UnitOfWork) -> None:
        bakery = create_category(uow, me, name="Bakery")
        set_category(uow, me, item_id=bagel, category_id=bakery)
        set_location_override(uow, me, item_id=latte, location_code="AIRPORT",
                              price=Money("4.50", "EUR"), available=False)  # fmt: skip

    shop.runner.run(arrange)
    screen = CatalogScreen(CatalogDesk(shop.counter))
    qtbot.addWidget(screen)
    search_for(qtbot, screen, "lat", ["LATTE"])  # inside the name ("Café Latte")
    search_for(qtbot, screen, "CHE", ["CHEESE"])  # the SKU
    search_for(qtbot, screen, "40123", ["BAGEL"])  # a barcode's start
    search_for(qtbot, screen, "ca", ["LATTE"])  # a word's start ("café": accents ignored)
    search_for(qtbot, screen, "zebra", [])
    assert screen.title.text() == "No items match"
    assert not screen.archive_button.isEnabled()
    search_for(qtbot, screen, "", ["BAGEL", "LATTE", "CHEESE"])
    assert cell(screen, "BAGEL", "Category") == "Bakery"
    assert cell(screen, "BAGEL", "Barcodes") == "0001 +1"

    choose(screen.category, "Bakery")
    assert [i.sku for i in screen.items] == ["BAGEL"]
    choose(screen.category, "No category")
    assert [i.sku for i in screen.items] == ["LATTE", "CHEESE"]
    choose(screen.location, "AIRPORT")  # known from the synced per-location prices
    assert (cell(screen, "LATTE", "Price"), cell(screen, "LATTE", "On sale")) == (
        "EUR 4.50", "no (86)"
    )  # fmt: skip
    choose(screen.location, "MAIN")  # this till's own location: the item's values
    assert cell(screen, "LATTE", "Price") == "EUR 3.40"


def test_the_list_loads_more_rows_as_it_scrolls(qtbot: QtBot, shop: Shop) -> None:
    desk = CatalogDesk(shop.counter)
    model = ItemListModel(lambda f, offset, limit: desk.browse(f, offset, limit), page=2)
    model.set_filter(BrowseFilter())
    assert [r.sku for r in model.rows] == ["BAGEL", "LATTE"]
    assert model.canFetchMore(QModelIndex())
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.show()
    view.scrollToBottom()  # the view asks for the next page while it has room or scrolls
    qtbot.waitUntil(lambda: len(model.rows) == 3, timeout=3000)
    assert [r.sku for r in model.rows] == ["BAGEL", "LATTE", "CHEESE"]
    assert not model.canFetchMore(QModelIndex())


def test_a_search_reads_a_screenful_first_and_pages_after_it(shop: Shop) -> None:
    asked: list[tuple[int, int]] = []
    desk = CatalogDesk(shop.counter)

    def fetch(f: BrowseFilter, offset: int, limit: int) -> list[BrowseRow]:
        asked.append((offset, limit))
        return desk.browse(f, offset, limit)

    model = ItemListModel(fetch, page=3, first=1)
    model.set_filter(BrowseFilter())
    assert asked == [(0, 1)]  # the rows in sight, not a whole page
    model.fetchMore(QModelIndex())
    assert asked[-1] == (1, 3)
    assert [r.sku for r in model.rows] == ["BAGEL", "LATTE", "CHEESE"]
    model.reload()  # after a save: as many rows as were loaded
    assert asked[-1] == (0, 3)


def test_archiving_takes_an_item_off_the_counter_and_restoring_brings_it_back(
    qtbot: QtBot, shop: Shop
) -> None:
    screen = CatalogScreen(CatalogDesk(shop.counter))
    qtbot.addWidget(screen)
    select_item(screen, "BAGEL")
    assert screen.archive_button.text() == "Archive item"
    qtbot.mouseClick(screen.archive_button, Qt.MouseButton.LeftButton)
    assert screen.last_toast is not None
    assert screen.last_toast[1].startswith("Archived Bagel: off the sell screen")
    assert [i.sku for i in screen.items] == ["LATTE", "CHEESE"]  # the list shows Active
    assert "Bagel" not in [t.name for t in shop.counter.tiles(None)]
    assert shop.counter.search("bag") == []
    with pytest.raises(ValidationFailed, match="Bagel is archived"):
        shop.counter.scan("4012345678901")
    edit = catalog_edits(shop.counter)[-1]
    assert (edit["entity"], edit["fields"]) == ("cat.item", {"active": False})
    assert audit_actions(shop.counter)[-1] == "catalog.item_archived"

    choose(screen.archived, "Archived")
    assert [(i.sku, i.active) for i in screen.items] == [("BAGEL", False)]
    assert cell(screen, "BAGEL", "Name") == "Bagel (archived)"
    assert screen.archive_button.text() == "Restore item"
    qtbot.mouseClick(screen.edit_item_button, Qt.MouseButton.LeftButton)
    form = screen.form
    assert form.archive_button.text() == "Restore item"  # the item form restores it too
    qtbot.mouseClick(form.archive_button, Qt.MouseButton.LeftButton)
    assert screen.pages.currentWidget() is screen.list_page
    assert screen.items == []  # nothing archived any more
    assert "Bagel" in [t.name for t in shop.counter.tiles(None)]
    assert catalog_edits(shop.counter)[-1]["fields"] == {"active": True}
    assert audit_actions(shop.counter)[-1] == "catalog.item_restored"


def test_an_items_values_at_each_location_are_shown_side_by_side_and_changed_there(
    qtbot: QtBot, shop: Shop
) -> None:
    me = shop.counter.who()
    latte = shop.items["LATTE"]
    assert isinstance(latte, uuid.UUID)
    shop.runner.run(
        lambda uow: set_location_override(
            uow, me, item_id=latte, location_code="AIRPORT", price=Money("4.50", "EUR")
        )
    )
    screen = CatalogScreen(CatalogDesk(shop.counter))
    qtbot.addWidget(screen)
    select_item(screen, "LATTE")
    screen.side.setCurrentWidget(screen.at_locations)
    panel = screen.at_locations
    shown = [
        [panel.table.item(r, c).text() for c in range(4)] for r in range(panel.table.rowCount())
    ]
    assert shown == [
        ["MAIN (this till)", "yes", "item price", "as the item"],
        ["AIRPORT", "yes", "EUR 4.50", "as the item"],
    ]
    before = len(catalog_edits(shop.counter))
    panel.table.setCurrentCell(1, 0)  # another shop: its tills or the server change it
    assert not panel.save_button.isEnabled()
    assert panel.note.text() == "AIRPORT is another shop: change it at its tills or on the server"
    panel.table.setCurrentCell(0, 0)
    assert panel.save_button.isEnabled()
    panel.price.set_text("4,8x")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.price.has_error
    assert panel.price.helper.text() == "the price is a number like 3.40"
    assert len(catalog_edits(shop.counter)) == before  # nothing written

    panel.price.set_text("4,80")
    choose(panel.on_sale, "not on sale (86)")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.last_toast is not None
    assert panel.last_toast[0] is ToastKind.SUCCESS
    assert panel.table.item(0, 2).text() == "EUR 4.80"
    assert panel.table.item(0, 3).text() == "no (86)"
    edit = catalog_edits(shop.counter)[-1]  # one catalog edit, synced like any other
    assert (edit["entity"], edit["id"]) == ("cat.item_location", f"{latte}@MAIN")
    # A price edit leaves what the shop carries alone: an assortment decision made on the
    # server meanwhile is not overwritten by it.
    assert edit["fields"] == {"price_minor": 480, "available": False}
    assert len(catalog_edits(shop.counter)) == before + 1


def test_a_manager_stops_carrying_an_item_at_this_shop_and_the_counter_leaves_it_out(
    qtbot: QtBot, shop: Shop
) -> None:
    screen = CatalogScreen(CatalogDesk(shop.counter))
    qtbot.addWidget(screen)
    select_item(screen, "BAGEL")
    screen.side.setCurrentWidget(screen.at_locations)
    panel = screen.at_locations
    panel.table.setCurrentCell(0, 0)
    assert panel.carried.currentText() == "carried here"
    choose(panel.carried, "not carried at this shop")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.last_toast is not None
    assert panel.last_toast[0] is ToastKind.SUCCESS
    assert panel.table.item(0, 1).text() == "no"
    edit = catalog_edits(shop.counter)[-1]
    assert edit["fields"] == {"price_minor": None, "available": None, "listed": False}
    assert audit_actions(shop.counter)[-1] == "catalog.location_override"
    assert "Bagel" not in [t.name for t in shop.counter.tiles(None)]
    assert [i.sku for i in screen.items][:1] == ["BAGEL"]  # the back office still lists it

    panel.table.setCurrentCell(0, 0)
    choose(panel.carried, "carried here")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert catalog_edits(shop.counter)[-1]["fields"]["listed"] is None  # back to "as the item"
    assert "Bagel" in [t.name for t in shop.counter.tiles(None)]
