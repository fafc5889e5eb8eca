"""Back office, the item form on a freshly enrolled till (no demo data): a manager builds a
modifier group and an item in a new category through the real windows, the sell screen shows
it at once and sells it with the modifier at the right price and tax; bad input is shown at
its field and saves nothing; every save waits in the outbox as `catalog.edited`."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, select

from desktop.catalog.items import ItemDraft
from desktop.db.models import Ticket, TicketLine, TicketLineTax
from desktop.db.uow import UnitOfWork
from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.outbox.service import pending_count
from desktop.till.catalog_desk import CatalogDesk
from desktop.till.counter import Counter
from desktop.till.extras import ChoiceGroup, Extras
from desktop.ui.backoffice.catalog_screen import CatalogScreen
from desktop.ui.backoffice.item_form import ItemForm
from desktop.ui.components.primitives import ToastKind
from desktop.ui.sell.modifier_dialog import ModifierDialog
from desktop.ui.sell.sell_screen import SellScreen
from desktop.ui.shell.registry import Mode
from desktop.ui.till_window import TillWindows
from shared.clock import FakeClock
from shared.money import Money
from tests.desktop.catalog_form_shop import audit_actions, catalog_edits, enrolled_till


def eur(text: str) -> Money:
    return Money(text, "EUR")


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(qtbot: QtBot, form: ItemForm, *, name: str, price: str, barcodes: str) -> None:
    qtbot.keyClicks(form.name.edit, name)
    form.price.edit.clear()
    qtbot.keyClicks(form.price.edit, price)
    form.barcodes.setPlainText(barcodes)


def pick(combo_owner: ItemForm, tax_class: str) -> None:
    combo_owner.tax_class.setCurrentIndex(combo_owner.tax_class.findData(tax_class))


def build_milk(qtbot: QtBot, screen: CatalogScreen) -> None:
    """Milk: pick exactly one of Whole (free) or Oat (+0.40), typed into the group editor."""
    click(qtbot, screen.groups_button)
    panel = screen.groups
    assert screen.pages.currentWidget() is panel
    qtbot.keyClicks(panel.name.edit, "Milk")
    panel.min_choices.setValue(1)
    panel.max_choices.setValue(1)
    for row, (option, delta) in enumerate([("Whole", ""), ("Oat", "0,40")]):
        panel.options.item(row, 0).setText(option)
        panel.options.item(row, 1).setText(delta)
    click(qtbot, panel.save_button)
    assert panel.last_toast is not None
    assert panel.last_toast[0] is ToastKind.SUCCESS, panel.last_toast
    assert panel.table.item(0, 0).text() == "Milk"
    assert panel.table.item(0, 1).text() == "pick 1"
    click(qtbot, panel.back_button)


def test_an_item_made_in_the_form_is_on_the_sell_screen_and_sells_with_its_modifier(
    qtbot: QtBot, engine: Engine, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = enrolled_till(engine, clock)
    windows = TillWindows(counter, SimulatedPaymentTerminal())
    qtbot.addWidget(windows.sign_in)
    window = windows.open_till(counter.who())
    qtbot.addWidget(window)
    sell = window.open_screen("sell")
    assert isinstance(sell, SellScreen)
    assert sell.tile_buttons == []  # an empty catalog: nothing to sell yet
    window.set_mode(Mode.BACK_OFFICE)
    screen = window.open_screen("catalog")
    assert isinstance(screen, CatalogScreen)

    build_milk(qtbot, screen)
    click(qtbot, screen.new_item_button)
    form = screen.form
    assert screen.pages.currentWidget() is form
    type_into(qtbot, form, name="Flat White", price="3,90", barcodes="4006381333931\n")
    assert form.sku.text() == "FLAT-WHITE"  # suggested while the name was typed
    assert [form.tax_class.itemText(i) for i in range(form.tax_class.count())] == [
        "FOOD — VAT7 7%", "STD — VAT19 19%"
    ]  # fmt: skip
    pick(form, "STD")
    form.category.setCurrentIndex(form.category.findText("New category…"))
    assert form.new_category.isVisibleTo(form)
    qtbot.keyClicks(form.new_category.edit, "Coffee")
    (milk,) = [form.groups.item(r) for r in range(form.groups.count())]
    assert milk.text() == "Milk (pick 1): Oat, Whole"
    milk.setCheckState(Qt.CheckState.Checked)
    click(qtbot, form.save_button)

    assert screen.pages.currentWidget() is screen.list_page
    assert screen.last_toast is not None
    assert screen.last_toast[0] is ToastKind.SUCCESS
    assert screen.last_toast[1].startswith("Saved Flat White: on the sell screen now")
    assert screen.category.currentText() == "Coffee"
    assert [(i.name, i.sku, str(i.price)) for i in screen.items] == [
        ("Flat White", "FLAT-WHITE", "EUR 3.90")
    ]
    edits = catalog_edits(counter)
    assert [e["entity"] for e in edits] == ["cat.modifier_group", "cat.category", "cat.item"]
    assert edits[-1]["fields"]["modifier_groups"] == [edits[0]["id"]]
    assert edits[-1]["fields"]["category_id"] == edits[1]["id"]
    assert audit_actions(counter)[-3:] == [
        "catalog.modifier_group_created", "catalog.category_created", "catalog.item_created"
    ]  # fmt: skip

    # The sell screen, built before the item existed, shows its tab and tile right away.
    window.set_mode(Mode.TERMINAL)
    assert window.open_screen("sell") is sell
    tabs = [sell.tabs.tabText(i) for i in range(sell.tabs.count())]
    assert tabs == ["Coffee", "Other"]
    (tile,) = sell.tile_buttons
    assert tile.accessibleName() == "add Flat White"
    assert tile.text() == "Flat White\nEUR 3.90"

    def choose_oat(parent: QWidget, name: str, groups: list[ChoiceGroup]) -> list[uuid.UUID]:
        dialog = ModifierDialog(name, groups, parent)  # the real dialog, without its loop
        qtbot.addWidget(dialog)
        (group,) = groups
        assert (group.name, group.min_choices, group.max_choices) == ("Milk", 1, 1)
        oat = next(c for c in group.choices if c.name == "Oat")
        assert oat.price_delta == eur("0.40")
        click(qtbot, dialog.buttons[oat.id])
        assert dialog.ok_button.isEnabled()
        return dialog.selected()

    monkeypatch.setattr(SellScreen, "pick_modifiers", staticmethod(choose_oat))
    click(qtbot, tile)
    assert sell.cart.view is not None
    (line,) = sell.cart.view.lines
    assert (line.name, line.modifiers, line.total) == ("Flat White", ("Oat",), eur("4.30"))
    assert sell.cart.view.tax == eur("0.69")  # 19 % inside 4.30
    tender = sell.tender_dialog(sell.cart.view)
    qtbot.addWidget(tender)
    tender.quick_buttons[0].click()  # exact cash
    assert tender.sale is not None
    receipt = tender.sale.receipt_no

    def stored(uow: UnitOfWork) -> tuple[object, ...]:
        sold = uow.conn.execute(
            select(TicketLine.id, TicketLine.gross_minor, TicketLine.tax_minor)
            .add_columns(TicketLine.tax_class)
            .join(Ticket, Ticket.id == TicketLine.ticket_id)
            .where(Ticket.receipt_no == receipt)
        ).one()
        taxes = uow.conn.execute(
            select(TicketLineTax.rate_code, TicketLineTax.percent, TicketLineTax.tax_minor).where(
                TicketLineTax.line_id == sold[0]
            )
        ).all()
        return (*sold[1:], [tuple(t) for t in taxes])

    assert counter.runner.read(stored) == (430, 69, "STD", [("VAT19", "19", 69)])
    windows.close()
    counter.runner.engine.dispose()


@pytest.fixture
def screen(qtbot: QtBot, engine: Engine, clock: FakeClock) -> CatalogScreen:
    widget = CatalogScreen(CatalogDesk(enrolled_till(engine, clock)))
    qtbot.addWidget(widget)
    return widget


def waiting(counter: Counter) -> int:
    return counter.runner.read(pending_count)


def test_bad_input_is_shown_at_its_field_and_saves_nothing(
    qtbot: QtBot, screen: CatalogScreen
) -> None:
    counter = screen.desk.counter
    click(qtbot, screen.new_item_button)
    form = screen.form
    type_into(qtbot, form, name="Latte", price="3.40", barcodes="4006381333931")
    pick(form, "STD")
    click(qtbot, form.save_button)
    assert screen.pages.currentWidget() is screen.list_page
    before = waiting(counter)

    click(qtbot, screen.new_item_button)
    assert (form.name.text(), form.sku.text(), form.barcodes.toPlainText()) == ("", "", "")
    type_into(qtbot, form, name="Oat Latte", price="-1", barcodes="4006381333931 5901234123457")
    form.sku.set_text("LATTE")
    click(qtbot, form.save_button)
    assert screen.pages.currentWidget() is form  # still open, to fix
    assert form.last_toast == (ToastKind.ERROR, "Not saved: fix the marked fields")
    assert form.sku.has_error
    assert form.sku.helper.text() == "SKU LATTE belongs to Latte already: choose another"
    assert form.price.has_error
    assert form.price.helper.text() == "the price cannot be negative"
    assert form.barcodes_note.text() == "barcode 4006381333931 belongs to Latte already"
    assert not form.name.has_error
    assert waiting(counter) == before

    form.sku.set_text("OAT-LATTE")
    form.price.set_text("3.80")
    form.barcodes.setPlainText("5901234123457\n4006381333932")  # the second: a typo
    click(qtbot, form.save_button)
    assert form.barcodes_note.isVisibleTo(form)
    assert form.barcodes_note.text() == (
        "4006381333932 has a wrong check digit (it should end in 1): type or scan it again"
    )
    assert not form.sku.has_error
    assert not form.price.has_error
    assert waiting(counter) == before

    form.barcodes.setPlainText("5901234123457")
    click(qtbot, form.save_button)
    assert screen.pages.currentWidget() is screen.list_page
    assert [i.sku for i in screen.items] == ["LATTE", "OAT-LATTE"]
    assert waiting(counter) > before


def test_with_no_tax_classes_yet_the_form_says_so_and_saves_nothing(
    qtbot: QtBot, engine: Engine, clock: FakeClock
) -> None:
    counter = enrolled_till(engine, clock, taxes=False)
    screen = CatalogScreen(CatalogDesk(counter))
    qtbot.addWidget(screen)
    before = waiting(counter)
    click(qtbot, screen.new_item_button)
    form = screen.form
    assert not form.tax_class.isEnabled()
    assert form.tax_note.text().startswith("this till has no tax classes yet")
    type_into(qtbot, form, name="Tea", price="2", barcodes="")
    click(qtbot, form.save_button)
    assert form.tax_note.text().startswith("this till has no tax classes yet")
    assert form.last_toast is not None
    assert form.last_toast[0] is ToastKind.ERROR
    assert waiting(counter) == before
    assert catalog_edits(counter) == []


def test_editing_an_item_keeps_its_fields_and_categories_are_added_in_their_panel(
    qtbot: QtBot, screen: CatalogScreen
) -> None:
    click(qtbot, screen.new_item_button)
    form = screen.form
    type_into(qtbot, form, name="Bagel", price="2.10", barcodes="")
    pick(form, "FOOD")
    form.category.setCurrentIndex(form.category.findText("New category…"))
    qtbot.keyClicks(form.new_category.edit, "Bread")
    click(qtbot, form.save_button)
    assert screen.current is not None
    assert screen.category.currentText() == "Bread"
    click(qtbot, screen.edit_item_button)
    assert form.title.text() == "Edit Bagel"
    assert (form.name.text(), form.sku.text(), form.price.text()) == ("Bagel", "BAGEL", "2.10")
    assert (form.tax_class.currentData(), form.category.currentText()) == ("FOOD", "Bread")
    assert not form.new_category.isVisibleTo(form)
    qtbot.keyClicks(form.name.edit, " with cheese")
    assert form.sku.text() == "BAGEL"  # a saved SKU does not follow the name
    form.price.set_text("2.60")
    form.track_stock.setChecked(False)
    click(qtbot, form.save_button)
    (bagel,) = screen.items
    assert (bagel.name, bagel.price, bagel.track_stock) == (
        "Bagel with cheese", eur("2.60"), False
    )  # fmt: skip
    assert sorted(catalog_edits(screen.desk.counter)[-1]["fields"]) == [
        "name", "price_minor", "track_stock"
    ]  # fmt: skip

    click(qtbot, screen.categories_button)
    panel = screen.categories
    assert screen.pages.currentWidget() is panel
    qtbot.keyClicks(panel.name.edit, "Bakery")
    click(qtbot, panel.save_button)
    assert panel.last_toast == (ToastKind.SUCCESS, "Saved Bakery")
    click(qtbot, panel.new_button)
    qtbot.keyClicks(panel.name.edit, "bakery")
    click(qtbot, panel.save_button)
    assert panel.name.helper.text() == "there is a category named Bakery already"
    click(qtbot, panel.back_button)
    assert [screen.category.itemText(i) for i in range(screen.category.count())] == [
        "All categories", "Bread", "Bakery", "No category"
    ]  # fmt: skip
    assert screen.category.currentText() == "Bread"  # still where the manager was


def test_categories_are_moved_and_coloured_and_an_item_is_sold_by_weight_with_a_cost(
    qtbot: QtBot, screen: CatalogScreen
) -> None:
    click(qtbot, screen.categories_button)
    panel = screen.categories
    for name in ("Bread", "Cakes"):
        click(qtbot, panel.new_button)
        qtbot.keyClicks(panel.name.edit, name)
        click(qtbot, panel.save_button)
    assert panel.table.item(1, 0).text() == "Cakes"  # picked after its save
    assert not panel.down_button.isEnabled()  # the last tab
    panel.color.setCurrentIndex(panel.color.findData("rose"))
    click(qtbot, panel.save_button)
    click(qtbot, panel.up_button)
    order = [(panel.table.item(r, 0).text(), panel.table.item(r, 1).text()) for r in range(2)]
    assert order == [("Cakes", "0"), ("Bread", "1")]
    assert panel.table.item(0, 2).text() == "rose"
    assert not panel.up_button.isEnabled()  # Cakes is first now
    edits = catalog_edits(screen.desk.counter)
    assert [e["fields"] for e in edits[-3:]] == [{"color": "rose"}, {"position": 0},
                                                 {"position": 1}]  # fmt: skip
    click(qtbot, panel.back_button)

    screen.category.setCurrentIndex(screen.category.findText("Cakes"))
    click(qtbot, screen.new_item_button)
    form = screen.form
    type_into(qtbot, form, name="Fudge", price="3.40", barcodes="")
    qtbot.keyClicks(form.cost.edit, "1.19")
    assert form.margin.text() == "Margin 65 %"
    form.unit.setCurrentIndex(form.unit.findData("weighed"))
    assert form.price.label.text() == "Price per kg"
    click(qtbot, form.save_button)
    fields = catalog_edits(screen.desk.counter)[-1]["fields"]
    assert (fields["unit"], fields["cost_minor"], fields["tile_color"]) == ("weighed", 119, None)

    sell = SellScreen(screen.desk.counter, SimulatedPaymentTerminal())
    qtbot.addWidget(sell)
    assert sell.tabs.tabText(0) == "Cakes"
    assert not sell.tabs.tabIcon(0).isNull()  # the category's colour beside its name
    (tile,) = sell.tile_buttons
    assert (tile.property("tile"), tile.text()) == ("rose", "Fudge\nEUR 3.40/kg")


def test_a_default_option_starts_ticked_when_the_counter_asks(
    qtbot: QtBot, screen: CatalogScreen
) -> None:
    click(qtbot, screen.groups_button)
    panel = screen.groups
    qtbot.keyClicks(panel.name.edit, "Milk")
    panel.min_choices.setValue(1)
    panel.max_choices.setValue(1)
    for row, option in enumerate(("Whole", "Oat")):
        panel.options.item(row, 0).setText(option)
    panel.options.item(0, 2).setCheckState(Qt.CheckState.Checked)  # Whole is the default
    click(qtbot, panel.save_button)
    assert panel.last_toast is not None
    assert panel.last_toast[0] is ToastKind.SUCCESS, panel.last_toast
    (group,) = screen.desk.groups()
    item = screen.desk.save_item(
        ItemDraft("Latte", "LATTE", "3.40", "STD", modifier_groups=(group.id,))
    )
    groups = Extras(screen.desk.counter).choices(item.id)
    dialog = ModifierDialog("Latte", groups)  # the real dialog, without its loop
    qtbot.addWidget(dialog)
    by_name = {c.name: c.id for c in groups[0].choices}
    assert dialog.buttons[by_name["Whole"]].isChecked()
    assert not dialog.buttons[by_name["Oat"]].isChecked()
    assert dialog.ok_button.isEnabled()  # "pick 1" is met by the default
    assert dialog.selected() == [by_name["Whole"]]
