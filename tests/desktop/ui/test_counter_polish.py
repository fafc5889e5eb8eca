"""Counter polish: the scan box has the focus after sign-in, dialogs and tile taps; a ticket
discount is reachable with a line selected; line discounts show on their line; an unknown
barcode keeps the grid; tile prices follow a catalog change from the back office or from sync;
the status bar says why the till is not syncing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.catalog.service import change_price, create_category
from desktop.db.uow import UnitOfWork
from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.sync.engine import save_enrollment
from desktop.sync.inbound import apply_changes
from desktop.sync.status import Connectivity, Stalled, SyncStatus
from desktop.till.demo import demo_counter
from desktop.ui.backoffice.catalog_screen import CatalogScreen
from desktop.ui.components.primitives import ToastKind
from desktop.ui.sell.sell_screen import SellScreen
from desktop.ui.shell.registry import Mode
from desktop.ui.till_window import TillWindows
from shared.ids import uuid7
from shared.money import Money
from shared.sync import Change, ChangeOp
from tests.desktop.conftest import Shop
from tests.desktop.ui.test_sell_screen import scan


@pytest.fixture(autouse=True)
def _own_shell_prefs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The shell remembers its mode: a back-office visit here must not open later tests there."""
    monkeypatch.setenv("NOVA_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def screen(qtbot: QtBot, shop: Shop) -> SellScreen:
    widget = SellScreen(shop.counter, shop.card)
    qtbot.addWidget(widget)
    widget.resize(1024, 700)
    widget.show()
    return widget


def pushed_everything(uow: UnitOfWork) -> None:
    save_enrollment(uow, server_url="http://127.0.0.1:9", device_id=str(uuid7()),
                    tenant_id=str(uuid7()))  # fmt: skip
    uow.sql.execute("UPDATE sync_state SET pushed_seq = (SELECT max(seq) FROM outbox)")


def tile_texts(screen: SellScreen) -> dict[str, str]:
    return {b.accessibleName(): b.text() for b in screen.tile_buttons}


def answer(monkeypatch: pytest.MonkeyPatch, texts: list[str], choice: int | None = None) -> None:
    replies = iter(texts)
    monkeypatch.setattr(SellScreen, "ask_text", staticmethod(lambda *_: next(replies)))
    monkeypatch.setattr(SellScreen, "ask_choice", staticmethod(lambda *_: choice))


class TestFocus:
    def test_the_first_scan_after_sign_in_rings_up(self, qtbot: QtBot, shop: Shop) -> None:
        shop.counter.sign_out()
        windows = TillWindows(shop.counter, SimulatedPaymentTerminal())
        qtbot.addWidget(windows.sign_in)
        windows.show()
        windows.sign_in.code.edit.setText("2")
        for digit in "2222":
            windows.sign_in.keypad.press(digit)
        windows.sign_in.keypad.submit()
        window = windows.window
        assert window is not None
        qtbot.addWidget(window)
        sell = windows.sell
        assert sell is not None
        assert window.focusWidget() is sell.scan_box
        qtbot.keyClicks(window.focusWidget(), "4006381333931")
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Return)
        assert [line.name for line in shop.counter.cart().lines] == ["Café Latte"]

    def test_back_to_the_scan_box_after_a_tile_tap_and_a_cancelled_dialog(
        self, screen: SellScreen, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        screen.cart.setFocus()
        screen.tile_buttons[0].click()
        assert screen.focusWidget() is screen.scan_box
        for press in (screen.customer_button, screen.discount_button, screen.resume_button):
            screen.cart.setFocus()
            answer(monkeypatch, [""])  # the dialog cancelled
            press.click()
            assert screen.focusWidget() is screen.scan_box, press.text()


class TestDiscounts:
    def test_a_line_discount_shows_on_its_line(
        self, qtbot: QtBot, screen: SellScreen, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        scan(qtbot, screen, "0001")
        scan(qtbot, screen, "0001")  # 2 × Bagel, 4.20
        answer(monkeypatch, ["10%", "regular"], choice=0)  # this line
        screen.discount_button.click()
        assert screen.last_toast == (ToastKind.SUCCESS, "Discount given")
        line = screen.cart.lines.item(0).text()
        assert "\n   −10 % · −0.42" in line
        assert line.endswith("EUR 3.78")
        assert not screen.cart.ticket_discount.isVisible()

    def test_the_whole_ticket_is_offered_beside_the_selected_line(
        self, qtbot: QtBot, screen: SellScreen, shop: Shop, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        scan(qtbot, screen, "0001")  # 2.10
        scan(qtbot, screen, "4006381333931")  # 3.40, selected
        assert screen.cart.selected_line() is not None
        asked: list[list[str]] = []

        def choose(_parent: object, _title: str, options: list[str]) -> int:
            asked.append(options)
            return 1  # the whole ticket

        replies = iter(["1.00", "goodwill"])
        monkeypatch.setattr(SellScreen, "ask_text", staticmethod(lambda *_: next(replies)))
        monkeypatch.setattr(SellScreen, "ask_choice", staticmethod(choose))
        screen.discount_button.click()
        assert asked == [["This line: Café Latte", "Whole ticket"]]
        assert shop.counter.cart().total == Money("4.50", "EUR")
        assert screen.cart.ticket_discount.text() == "Ticket discount −1.00"
        assert all("−" not in screen.cart.lines.item(i).text() for i in range(2))

    def test_tapping_the_selected_line_again_leaves_the_ticket_to_discount(
        self, qtbot: QtBot, screen: SellScreen, shop: Shop, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        scan(qtbot, screen, "0001")
        lines = screen.cart.lines
        spot = lines.visualItemRect(lines.item(0)).center()
        qtbot.mouseClick(lines.viewport(), Qt.MouseButton.LeftButton, pos=spot)
        assert screen.cart.selected_line() is None
        answer(monkeypatch, ["10%", "staff"], choice=None)  # no choice is asked for
        screen.discount_button.click()
        assert screen.cart.ticket_discount.text() == "Ticket discount −0.21"
        assert shop.counter.cart().total == Money("1.89", "EUR")


class TestUnknownBarcode:
    def test_keeps_the_grid_and_says_so_beside_the_scan_box(
        self, qtbot: QtBot, screen: SellScreen
    ) -> None:
        before = tile_texts(screen)
        scan(qtbot, screen, "9999999999994")
        assert tile_texts(screen) == before
        assert screen.scan_message.isVisible()
        assert screen.scan_message.text() == "nothing matches “9999999999994”"
        scan(qtbot, screen, "0001")
        assert not screen.scan_message.isVisible()

    def test_tapping_the_highlighted_tab_brings_the_grid_back_after_a_search(
        self, qtbot: QtBot, screen: SellScreen
    ) -> None:
        before = tile_texts(screen)
        scan(qtbot, screen, "bagel")
        assert list(tile_texts(screen)) == ["add Bagel"]
        spot = screen.tabs.tabRect(screen.tabs.currentIndex()).center()
        qtbot.mouseClick(screen.tabs, Qt.MouseButton.LeftButton, pos=spot)
        assert tile_texts(screen) == before
        assert screen.focusWidget() is screen.scan_box


class TestTilesFollowTheCatalog:
    def test_a_price_saved_in_the_back_office_redraws_the_tile(
        self, qtbot: QtBot, shop: Shop
    ) -> None:
        windows = TillWindows(shop.counter, shop.card)
        qtbot.addWidget(windows.sign_in)
        window = windows.open_till(shop.counter.who())
        qtbot.addWidget(window)
        sell = windows.sell
        assert sell is not None
        assert tile_texts(sell)["add Bagel"] == "Bagel\nEUR 2.10"
        window.set_mode(Mode.BACK_OFFICE)
        catalog = window.open_screen("catalog")
        assert isinstance(catalog, CatalogScreen)
        catalog.select_item(shop.items["BAGEL"])  # type: ignore[arg-type]
        catalog.price.set_text("2.30")
        qtbot.mouseClick(catalog.save_button, Qt.MouseButton.LeftButton)
        assert tile_texts(sell)["add Bagel"] == "Bagel\nEUR 2.30"

    def test_a_price_pulled_by_sync_redraws_the_tile(self, qtbot: QtBot, shop: Shop) -> None:
        windows = TillWindows(shop.counter, shop.card)
        qtbot.addWidget(windows.sign_in)
        window = windows.open_till(shop.counter.who())
        qtbot.addWidget(window)
        sell = windows.sell
        assert sell is not None
        windows.redraw_catalog()
        assert tile_texts(sell)["add Café Latte"] == "Café Latte\nEUR 3.40"
        # An enrolled till whose own catalog edits are all pushed, then what a pull applies:
        # the server's price for the latte (a newer stamp wins).
        shop.runner.run(pushed_everything)
        body = {"fields": {"price_minor": {"value": 375, "stamp": "9999999999999-00000-server"}}}
        latte = str(shop.items["LATTE"])
        change = Change(seq=1, entity="cat.item", entity_id=latte, op=ChangeOp.UPSERT, body=body)
        shop.runner.run(lambda u: apply_changes(u, [change], None))
        windows.redraw_catalog()  # the status bar's refresh tick
        assert tile_texts(sell)["add Café Latte"] == "Café Latte\nEUR 3.75"

    def test_a_redraw_keeps_the_tab_that_was_shown(self, qtbot: QtBot, tmp_path: Path) -> None:
        counter = demo_counter(tmp_path)
        counter.sign_in("1", "1234")
        screen = SellScreen(counter, SimulatedPaymentTerminal())
        qtbot.addWidget(screen)
        assert screen.tabs.currentIndex() == 0  # the first category opens first, not "Other"
        assert screen.tabs.tabText(0) != "Other"
        screen.tabs.setCurrentIndex(1)
        bakery = screen.tabs.tabText(1)
        first = counter.tiles(screen._tab_ids[1])[0]
        me = counter.who()
        counter.runner.run(
            lambda u: change_price(u, me, item_id=first.item_id, price=Money("9.90", "EUR"))
        )
        assert screen.redraw_if_catalog_changed()
        assert screen.tabs.currentIndex() == 1
        assert screen.tile_buttons[0].text() == f"{first.name}\nEUR 9.90"
        counter.runner.run(lambda u: create_category(u, me, name="Specials", position=0))
        assert screen.redraw_if_catalog_changed()  # a new tab: the tabs are built again …
        assert screen.tabs.tabText(screen.tabs.currentIndex()) == bakery  # … on the same one
        counter.runner.engine.dispose()

    def test_an_unchanged_catalog_leaves_the_grid_alone(self, screen: SellScreen) -> None:
        buttons = list(screen.tile_buttons)
        assert not screen.redraw_if_catalog_changed()
        assert screen.tile_buttons == buttons

    def test_a_search_result_is_not_replaced_by_a_redraw(
        self, qtbot: QtBot, screen: SellScreen, shop: Shop
    ) -> None:
        scan(qtbot, screen, "bagel")
        me = shop.counter.who()
        item = shop.items["LATTE"]
        shop.runner.run(lambda u: change_price(u, me, item_id=item, price=Money("3.60", "EUR")))  # type: ignore[arg-type]
        assert not screen.redraw_if_catalog_changed()
        assert list(tile_texts(screen)) == ["add Bagel"]


def test_the_status_bar_says_why_the_till_is_not_syncing(qtbot: QtBot, shop: Shop) -> None:
    reported = [SyncStatus(Connectivity.OFFLINE, reason=Stalled.SUSPENDED)]
    windows = TillWindows(shop.counter, shop.card, sync_status=lambda: reported[0])
    qtbot.addWidget(windows.sign_in)
    window = windows.open_till(shop.counter.who())
    qtbot.addWidget(window)
    label = window.status.connectivity
    assert label.text() == "Not syncing: business suspended"
    assert "contact support" in label.toolTip()
    assert label.property("state") == "offline"

    reported[0] = SyncStatus(Connectivity.ONLINE, reason=Stalled.REVOKED)
    windows.show_pending()
    assert label.text() == "Not syncing: till revoked"
    assert label.property("state") == "offline"  # reachable, but nothing gets through

    reported[0] = SyncStatus(Connectivity.ONLINE)
    windows.show_pending()
    assert (label.text(), label.toolTip(), label.property("state")) == ("Online", "", "online")
