"""Business set-up, Tills, on real widgets against a real server (SQLite and Postgres): an
owner issues an enrollment code that a new till enrolls with, sees the till listed, moves it to
another shop (refused, beside the choice, for a shop in another currency) and revokes it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.office import rules
from desktop.office.models import Till
from desktop.office.tills_desk import last_seen
from desktop.ui.backoffice.business_screen import BusinessScreen
from desktop.ui.backoffice.tills_tab import TillsTab
from desktop.ui.components.primitives import ConfirmDialog, ToastKind
from tests.desktop.office.conftest import Business, click
from tests.desktop.office.test_business_screen import act, signed_in

pytestmark = pytest.mark.gui


def column(screen: BusinessScreen, n: int) -> list[str]:
    table = screen.tills.table
    return [table.item(r, n).text() for r in range(table.rowCount())]


def open_tills(qtbot: QtBot, screen: BusinessScreen, business: Business) -> TillsTab:
    signed_in(qtbot, screen, business).tabs.setCurrentWidget(screen.tills)
    return screen.tills


def location(business: Business, code: str, currency: str | None = None) -> dict[str, Any]:
    body = {"code": code, "name": f"Kilo {code}", "address_lines": [], "timezone": None,
            "currency": currency}  # fmt: skip
    r = business.shop.api.post("/v1/locations", headers=business.shop.headers, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_an_owner_issues_a_code_a_new_till_enrolls_with_it_and_is_listed(
    qtbot: QtBot, screen: BusinessScreen, business: Business
) -> None:
    tab = open_tills(qtbot, screen, business)
    assert tab.table.rowCount() == 0
    assert tab.empty.isVisible()  # says what to do first
    assert tab.code_location.currentText().endswith("(MAIN)")
    tab.lifetime.setCurrentIndex(tab.lifetime.findText("1 hour"))
    click(qtbot, screen, tab.issue_button)
    assert tab.issued is not None
    code = tab.code.text()
    assert len(code) == 11  # ABCDE-FGHJK
    left = tab.issued.expires_at - datetime.now(UTC)
    assert timedelta(minutes=55) < left <= timedelta(hours=1)
    assert "Works once, until" in tab.code_help.text()
    assert screen.last_toast is not None
    assert screen.last_toast[0] is ToastKind.SUCCESS

    r = business.shop.api.post("/v1/devices/enroll", json={"code": code, "name": "Front"})
    assert r.status_code == 201, r.text  # the code a new till types
    act(qtbot, screen, screen.reload)
    assert column(screen, 0) == ["Front"]
    assert column(screen, 1) == ["T01"]
    assert column(screen, 2) == ["MAIN"]
    assert column(screen, 3) == ["not synced yet"]
    assert not tab.empty.isVisible()


def test_a_till_is_moved_to_another_shop_and_a_shop_in_another_currency_is_refused(
    qtbot: QtBot, screen: BusinessScreen, business: Business
) -> None:
    shop = business.shop
    enrolled = shop.api.post("/v1/devices/enroll", json={"code": shop.code(), "name": "Front"})
    assert enrolled.status_code == 201, enrolled.text
    airport = location(business, "AIR")
    location(business, "LDN", currency="GBP")
    tab = open_tills(qtbot, screen, business)
    tab.table.setCurrentCell(0, 0)
    assert tab.move_button.isEnabled()
    assert tab.move_to.count() == 2  # the other shops, not its own
    tab.move_to.setCurrentIndex(tab.move_to.findText("Kilo LDN (LDN)"))
    click(qtbot, screen, tab.move_button)
    assert tab.move_note.isVisible()  # beside the choice, in words
    assert "GBP" in tab.move_note.text()
    tab.move_to.setCurrentIndex(tab.move_to.findText("Kilo AIR (AIR)"))
    click(qtbot, screen, tab.move_button)
    assert screen.last_toast is not None
    assert screen.last_toast[0] is ToastKind.SUCCESS
    assert "now belongs to Kilo AIR" in screen.last_toast[1]
    assert column(screen, 2) == ["AIR"]
    (listed,) = shop.api.get("/v1/devices", headers=shop.headers).json()
    assert listed["location_id"] == airport["id"]


def test_revoking_asks_first_and_then_the_till_no_longer_syncs(
    qtbot: QtBot, screen: BusinessScreen, business: Business, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = business.shop
    enrolled = shop.api.post("/v1/devices/enroll", json={"code": shop.code(), "name": "Front"})
    assert enrolled.status_code == 201, enrolled.text
    tab = open_tills(qtbot, screen, business)
    tab.table.setCurrentCell(0, 0)
    monkeypatch.setattr(ConfirmDialog, "ask", lambda *_a, **_k: False)
    qtbot.mouseClick(tab.revoke_button, Qt.MouseButton.LeftButton)  # "Keep it"
    assert shop.api.get("/v1/devices", headers=shop.headers).json()[0]["status"] == "active"
    asked: list[str] = []
    monkeypatch.setattr(ConfirmDialog, "ask", lambda *a, **_k: asked.append(a[2]) or True)
    click(qtbot, screen, tab.revoke_button)
    assert "kept aside for review" in asked[0]  # the question says nothing sold is lost
    assert shop.api.get("/v1/devices", headers=shop.headers).json()[0]["status"] == "revoked"
    assert column(screen, 3) == ["revoked"]
    assert not tab.revoke_button.isEnabled()
    assert not tab.move_button.isEnabled()


def test_offline_the_list_stays_and_changes_are_off_with_the_reason(
    qtbot: QtBot, screen: BusinessScreen, business: Business
) -> None:
    tab = open_tills(qtbot, screen, business)
    business.network.down = True
    click(qtbot, screen, tab.issue_button)
    assert screen.last_toast == (ToastKind.ERROR, rules.OFFLINE)
    assert not tab.issue_button.isEnabled()
    assert tab.reason.text() == rules.OFFLINE


def test_last_synced_reads_at_a_glance() -> None:
    now = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    till = Till(id=uuid.uuid4(), name="Front", location_id=uuid.uuid4(), active=True,
                last_seen_at=None, terminal_code="T01")  # fmt: skip

    def seen(ago: timedelta) -> str:
        moment = Till(**{**till.__dict__, "last_seen_at": now - ago})
        return last_seen(moment, zone="Europe/Berlin", now=now)

    assert last_seen(till, zone="Europe/Berlin", now=now) == "not synced yet"
    assert seen(timedelta(minutes=3)) == "online"
    assert seen(timedelta(minutes=42)) == "42 min ago"
    assert seen(timedelta(hours=5)) == "today 11:00"  # Berlin time
    assert seen(timedelta(hours=17)) == "yesterday 23:00"
    assert seen(timedelta(days=3)) == "01 Dec 2026 16:00"
    assert last_seen(Till(**{**till.__dict__, "active": False}), zone="UTC", now=now) == "revoked"


def test_each_location_says_which_tills_and_staff_belong_to_it_and_follows_a_move(
    qtbot: QtBot, screen: BusinessScreen, business: Business
) -> None:
    shop = business.shop
    enrolled = shop.api.post("/v1/devices/enroll", json={"code": shop.code(), "name": "Front"})
    assert enrolled.status_code == 201, enrolled.text
    airport = location(business, "AIR")
    mia = {"name": "Mia Air", "code": "42", "pin": "2468",
           "roles": [{"role_id": shop.roles["cashier"], "location_id": airport["id"]}]}  # fmt: skip
    assert shop.api.post("/v1/staff", headers=shop.headers, json=mia).status_code == 201
    business.hire("43", "manager", "max@kilo.example")  # a role at every location
    owner = "Manager 43"
    signed_in(qtbot, screen, business)
    places = screen.locations
    codes = [places.table.item(r, 0).text() for r in range(places.table.rowCount())]
    places.table.setCurrentCell(codes.index("AIR"), 0)
    assert places.members.text() == (
        f"No till here yet · Staff here: Mia Air; at every location: {owner}"
    )
    places.table.setCurrentCell(codes.index("MAIN"), 0)
    assert places.members.text() == (
        f"Tills here: Front · No staff of this shop alone; at every location: {owner}"
    )

    places.name.set_text("Kilo Main Street")  # an edit under way while the till moves
    tab = screen.tills
    tab.table.setCurrentCell(0, 0)
    tab.move_to.setCurrentIndex(tab.move_to.findText("Kilo AIR (AIR)"))
    click(qtbot, screen, tab.move_button)
    assert places.members.text().startswith("No till here yet")
    assert places.name.text() == "Kilo Main Street"
