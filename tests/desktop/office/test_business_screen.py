"""The business set-up window on real widgets (pytest-qt, offscreen) against a real server
(SQLite and Postgres): sign-in, locations, the DE tax preset, cash rounding, offline, cashiers."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.office import rules
from desktop.office.config_desk import ConfigDesk
from desktop.office.session import COUNTER_ONLY, OfficeSession
from desktop.ui.backoffice.business_screen import BusinessScreen
from desktop.ui.components.primitives import ConfirmDialog, ToastKind
from desktop.ui.theme import apply_theme
from tests.desktop.office.conftest import STAFF_PASSWORD, Business

pytestmark = pytest.mark.gui
WAIT_MS = 20_000  # a generous bound for one server call (Postgres on a busy CI box)


@pytest.fixture
def screen(qtbot: QtBot, office: OfficeSession) -> Iterator[BusinessScreen]:
    page = BusinessScreen(ConfigDesk(office))
    apply_theme(page, "light")
    qtbot.addWidget(page)
    page.resize(800, 680)  # the back office's page at 1024×768 (less navigation and bars)
    page.show()
    yield page
    page.runner.wait()


def act(qtbot: QtBot, screen: BusinessScreen, action: Callable[[], object]) -> None:
    """Do `action` and wait until the server call it started has been answered and shown."""
    with qtbot.waitSignal(screen.runner.finished, timeout=WAIT_MS):
        action()


def sign_in(qtbot: QtBot, screen: BusinessScreen, email: str, password: str) -> None:
    screen.email.set_text(email)
    screen.password.set_text(password)
    act(qtbot, screen, lambda: qtbot.mouseClick(screen.sign_in_button, Qt.MouseButton.LeftButton))


def signed_in(qtbot: QtBot, screen: BusinessScreen, business: Business) -> BusinessScreen:
    sign_in(qtbot, screen, business.owner_email, business.owner_password)
    assert screen.desk.session.signed_in
    return screen


class TestSignIn:
    def test_a_wrong_password_then_the_right_one(
        self, qtbot: QtBot, screen: BusinessScreen, business: Business
    ) -> None:
        assert screen.reason.text().startswith("Locations, taxes and selling rules live on")
        assert screen.locations.reason.text() == rules.SIGN_IN
        assert not screen.locations.save_button.isEnabled()
        sign_in(qtbot, screen, business.owner_email, "not-the-password-1")
        assert screen.password.has_error
        assert screen.password.helper.text() == "Wrong e-mail or password"
        assert screen.last_toast == (ToastKind.ERROR, "Wrong e-mail or password")
        sign_in(qtbot, screen, business.owner_email, business.owner_password)
        assert screen.account.currentIndex() == 1
        assert "Kilo Shop" in screen.who.text()
        assert screen.password.text() == ""  # the password does not linger in the widget
        assert screen.locations.table.rowCount() == 1  # the business's first location
        assert screen.locations.save_button.isEnabled()
        assert screen.locations.reason.isHidden()

    def test_a_cashiers_account_is_refused_with_a_clear_message(
        self, qtbot: QtBot, screen: BusinessScreen, business: Business
    ) -> None:
        business.hire("42", "cashier", "mia@kilo.example")
        sign_in(qtbot, screen, "mia@kilo.example", STAFF_PASSWORD)
        assert screen.email.helper.text() == COUNTER_ONLY
        assert screen.last_toast == (ToastKind.ERROR, COUNTER_ONLY)
        assert screen.account.currentIndex() == 0
        assert not screen.taxes.apply_button.isEnabled()
        assert screen.taxes.apply_reason.text() == rules.SIGN_IN

    def test_signing_out_turns_server_work_off(
        self, qtbot: QtBot, screen: BusinessScreen, business: Business
    ) -> None:
        signed_in(qtbot, screen, business)
        qtbot.mouseClick(screen.sign_out_button, Qt.MouseButton.LeftButton)
        assert not screen.desk.session.signed_in
        assert screen.locations.table.rowCount() == 0
        assert screen.selling.reason.text() == rules.SIGN_IN


class TestLocations:
    def test_create_a_location_with_address_and_time_zone(
        self, qtbot: QtBot, screen: BusinessScreen, business: Business
    ) -> None:
        tab = signed_in(qtbot, screen, business).locations
        qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
        tab.code.set_text("hbf-2")
        tab.name.set_text("Kilo am Bahnhof")
        tab.address[0].set_text("Bahnhofplatz 1")
        tab.address[1].set_text("10557 Berlin")
        tab.timezone.set_text("Mars/Olympus")
        act(qtbot, screen, lambda: qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton))
        assert tab.timezone.has_error  # checked here, next to the field, before the server
        assert "Europe/Berlin" in tab.timezone.helper.text()
        tab.timezone.set_text("Europe/Berlin")
        act(qtbot, screen, lambda: qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton))
        assert screen.last_toast is not None
        assert screen.last_toast[0] is ToastKind.SUCCESS
        assert tab.table.rowCount() == 2
        assert tab.current is not None
        assert tab.current.code == "HBF-2"
        server = business.shop.api.get("/v1/locations", headers=business.shop.headers).json()
        made = next(x for x in server if x["code"] == "HBF-2")
        assert made["address_lines"] == ["Bahnhofplatz 1", "10557 Berlin"]
        assert made["timezone"] == "Europe/Berlin"

    def test_edit_a_locations_address(
        self, qtbot: QtBot, screen: BusinessScreen, business: Business
    ) -> None:
        tab = signed_in(qtbot, screen, business).locations
        tab.table.setCurrentCell(0, 0)
        assert not tab.code.isEnabled()  # a location's code is fixed
        tab.address[0].set_text("Marktstraße 5")
        act(qtbot, screen, lambda: qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton))
        assert tab.current is not None
        assert tab.current.address_lines == ("Marktstraße 5",)

    def test_a_shop_in_another_country_gets_its_own_currency(
        self, qtbot: QtBot, screen: BusinessScreen, business: Business
    ) -> None:
        tab = signed_in(qtbot, screen, business).locations
        qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
        tab.code.set_text("ldn")
        tab.name.set_text("Kilo London")
        tab.currency.set_text("pounds")
        act(qtbot, screen, lambda: qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton))
        assert tab.currency.has_error  # next to the field, before the server
        assert "GBP" in tab.currency.helper.text()
        tab.currency.set_text("gbp")
        act(qtbot, screen, lambda: qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton))
        assert tab.current is not None
        assert tab.current.currency == "GBP"
        assert tab.table.item(tab.table.currentRow(), 3).text() == "GBP"
        assert screen.taxes.scope.findData("LDN") > 0  # the taxes tab offers the new shop

    def test_the_currency_of_a_location_with_a_till_is_refused_at_the_field(
        self, qtbot: QtBot, screen: BusinessScreen, business: Business
    ) -> None:
        shop = business.shop
        r = shop.api.post("/v1/devices/enroll", json={"code": shop.code(), "name": "Front"})
        assert r.status_code == 201, r.text
        tab = signed_in(qtbot, screen, business).locations
        tab.table.setCurrentCell(0, 0)
        tab.currency.set_text("CHF")
        act(qtbot, screen, lambda: qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton))
        assert tab.currency.has_error
        assert "till is enrolled" in tab.currency.helper.text()


class TestTaxes:
    def test_apply_the_de_preset_after_its_preview(
        self, qtbot: QtBot, screen: BusinessScreen, business: Business,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:  # fmt: skip
        asked: list[str] = []
        monkeypatch.setattr(ConfirmDialog, "ask", lambda *a, **_k: asked.append(a[2]) or True)
        tab = signed_in(qtbot, screen, business).taxes
        tab.preset.setCurrentIndex(tab.preset.findData("DE"))
        assert "STD: VAT19 19 %" in tab.preview.text()
        assert "REDUCED: VAT7 7 %" in tab.preview.text()
        assert "Prices include tax" in tab.preview.text()
        act(qtbot, screen, lambda: qtbot.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton))
        assert "STD: VAT19 19 %" in asked[0]  # the question repeats what will be written
        assert [c.code for c in tab.classes] >= ["REDUCED", "STD"]
        server = business.shop.api.get("/v1/catalog/tax-classes", headers=business.shop.headers)
        codes = {c["code"]: c["rates"] for c in server.json()}
        assert codes["STD"] == [{"code": "VAT19", "percent": "19"}]

    def test_change_a_class_rate_and_a_bad_percent_is_named(
        self, qtbot: QtBot, screen: BusinessScreen, business: Business,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:  # fmt: skip
        monkeypatch.setattr(ConfirmDialog, "ask", lambda *_a, **_k: True)
        tab = signed_in(qtbot, screen, business).taxes
        tab.preset.setCurrentIndex(tab.preset.findData("DE"))
        act(qtbot, screen, lambda: qtbot.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton))
        tab.table.setCurrentCell([c.code for c in tab.classes].index("REDUCED"), 0)
        tab.rate_inputs["VAT7"].set_text("170")
        act(qtbot, screen, lambda: qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton))
        assert tab.rate_inputs["VAT7"].has_error
        tab.rate_inputs["VAT7"].set_text("5")
        act(qtbot, screen, lambda: qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton))
        reduced = next(c for c in tab.classes if c.code == "REDUCED")
        assert str(reduced.rates[0].percent) == "5"

    def test_one_location_gets_its_own_rate_and_can_go_back(
        self, qtbot: QtBot, screen: BusinessScreen, business: Business,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:  # fmt: skip
        monkeypatch.setattr(ConfirmDialog, "ask", lambda *_a, **_k: True)
        tab = signed_in(qtbot, screen, business).taxes
        tab.preset.setCurrentIndex(tab.preset.findData("DE"))
        act(qtbot, screen, lambda: qtbot.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton))
        here = business.shop.api.get("/v1/locations", headers=business.shop.headers).json()[0]
        tab.scope.setCurrentIndex(tab.scope.findData(here["code"]))
        tab.table.setCurrentCell([c.code for c in tab.classes].index("STD"), 0)
        assert "uses the class's rates" in tab.rates_note.text()
        assert tab.own_button.isHidden()
        tab.rate_inputs["VAT19"].set_text("20")
        act(qtbot, screen, lambda: qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton))
        std = next(c for c in tab.classes if c.code == "STD")
        assert str(std.rates[0].percent) == "19"  # the class's own rate stays
        assert str(std.locations[here["code"]][0].percent) == "20"
        assert "20 %" in tab.table.item(tab.table.currentRow(), 1).text()
        assert not tab.own_button.isHidden()
        act(qtbot, screen, lambda: qtbot.mouseClick(tab.own_button, Qt.MouseButton.LeftButton))
        std = next(c for c in tab.classes if c.code == "STD")
        assert std.locations == {}
        tab.scope.setCurrentIndex(0)
        assert "19 %" in tab.table.item(tab.table.currentRow(), 1).text()


class TestSellingRules:
    def test_change_cash_rounding(
        self, qtbot: QtBot, screen: BusinessScreen, business: Business
    ) -> None:
        tab = signed_in(qtbot, screen, business).selling
        assert tab.cash_rounding.currentData() == 1  # the default before the first save
        assert tab.cash_rounding.itemText(1) == "0.05 EUR"
        tab.cash_rounding.setCurrentIndex(tab.cash_rounding.findData(5))
        tab.max_change.set_text("-3")
        act(qtbot, screen, lambda: qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton))
        assert tab.max_change.has_error
        tab.max_change.set_text("200")
        act(qtbot, screen, lambda: qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton))
        assert screen.last_toast is not None
        assert screen.last_toast[0] is ToastKind.SUCCESS
        server = business.shop.api.get("/v1/selling-rules", headers=business.shop.headers).json()
        assert server["cash_rounding_minor"] == 5
        assert server["max_change_minor"] == 20000


class TestOffline:
    def test_signing_in_offline_disables_server_work_with_the_reason(
        self, qtbot: QtBot, screen: BusinessScreen, business: Business
    ) -> None:
        business.network.down = True
        sign_in(qtbot, screen, business.owner_email, business.owner_password)
        assert screen.last_toast == (ToastKind.ERROR, rules.OFFLINE)
        assert screen.reason.text() == rules.OFFLINE
        assert screen.retry_button.isVisible()
        for tab_reason in (screen.locations.reason, screen.taxes.apply_reason,
                           screen.taxes.rates_reason, screen.selling.reason):  # fmt: skip
            assert tab_reason.text() == "Needs the server: you are offline"
        assert not screen.locations.save_button.isEnabled()
        business.network.down = False
        act(qtbot, screen, lambda: qtbot.mouseClick(screen.retry_button, Qt.MouseButton.LeftButton))
        assert screen.retry_button.isHidden()
        assert screen.locations.reason.text() == rules.SIGN_IN

    def test_losing_the_network_while_signed_in_keeps_what_was_read_and_turns_changes_off(
        self, qtbot: QtBot, screen: BusinessScreen, business: Business
    ) -> None:
        tab = signed_in(qtbot, screen, business).selling
        business.network.down = True
        act(qtbot, screen, lambda: qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton))
        assert screen.last_toast == (ToastKind.ERROR, rules.OFFLINE)
        assert not tab.save_button.isEnabled()
        assert tab.reason.text() == rules.OFFLINE
        assert screen.locations.table.rowCount() == 1  # still shown, read-only
        assert screen.desk.session.signed_in
