"""The sync inbox window on real widgets against a real server (SQLite and Postgres): two tills
refund one sale offline beyond its total, and two tills give two items one SKU offline; the
manager reads both in plain words, accepts the refund with a note, types a new SKU for the
second item (an empty one is refused beside the field), and finds both decisions with their name
under "Decided". Signed out, the window says why and offers only the way to sign in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.office import rules
from desktop.office.config_desk import ConfigDesk
from desktop.office.inbox_desk import InboxDesk
from desktop.office.session import OfficeSession
from desktop.ui.backoffice.inbox_screen import InboxScreen
from desktop.ui.components.primitives import ToastKind
from desktop.ui.theme import apply_theme
from shared.catalog_sync import EDIT_KIND
from shared.clock import HlcStamp
from shared.ids import uuid7
from tests.desktop.office.conftest import Business
from tests.syncserver.sync.conftest import refund, sale

pytestmark = pytest.mark.gui
WAIT_MS = 20_000


def item_with_sku(node: str, name: str, sku: str) -> dict[str, Any]:
    stamp = HlcStamp(int(datetime.now(UTC).timestamp() * 1000), 0, node).encode()
    fields = {"name": name, "sku": sku, "price_minor": 340, "currency": "EUR",
              "tax_class": "standard", "active": True}  # fmt: skip
    return {"entity": "cat.item", "id": str(uuid7()), "stamp": stamp, "fields": fields,
            "base": dict.fromkeys(fields)}  # fmt: skip


def make_troubles(business: Business) -> None:
    shop = business.shop
    a, b = shop.enroll("A"), shop.enroll("B")
    original = sale(receipt="A-1", gross=1000)
    a.push([a.mutation("ticket.finalized", original)])
    a.push([a.mutation("ticket.refunded", refund(original, receipt="A-R1", gross=800))])
    b.push([b.mutation("ticket.refunded", refund(original, receipt="B-R1", gross=800))])
    a.push([a.mutation(EDIT_KIND, item_with_sku("tilla", "Latte", "LATTE"))])
    b.push([b.mutation(EDIT_KIND, item_with_sku("tillb", "Latte to go", "LATTE"))])


@pytest.fixture
def screen(qtbot: QtBot, desk: ConfigDesk, business: Business) -> Iterator[InboxScreen]:
    make_troubles(business)
    page = InboxScreen(InboxDesk(desk))
    apply_theme(page, "light")
    qtbot.addWidget(page)
    page.resize(800, 680)
    page.show()
    qtbot.waitUntil(lambda: not page.runner.busy and len(page.entries) == 2, timeout=WAIT_MS)
    yield page
    page.runner.wait()


def settled(qtbot: QtBot, screen: InboxScreen, open_items: int) -> None:
    qtbot.waitUntil(
        lambda: not screen.runner.busy and len(screen.entries) == open_items, timeout=WAIT_MS
    )


def test_a_manager_settles_both_items_in_plain_words(
    qtbot: QtBot, screen: InboxScreen, business: Business
) -> None:
    titles = {e.title: e for e in screen.entries}
    assert set(titles) == {"Refund B-R1 · -8.00 EUR", "Item SKU"}
    assert screen.tabs.tabText(0) == "To look at (2)"

    screen.table.setCurrentCell(
        [e.title for e in screen.entries].index("Refund B-R1 · -8.00 EUR"), 0
    )
    assert screen.state.text() == "Needs a look"
    assert "exceed" in screen.detail.text()
    assert set(screen.choice_buttons) == {"accept", "adjusted"}
    assert screen.value.isHidden()  # nothing to type for a refund
    screen.note.set_text("cash was given twice; Ana repaid")
    qtbot.mouseClick(screen.choice_buttons["accept"], Qt.MouseButton.LeftButton)
    settled(qtbot, screen, 1)
    assert screen.last_toast == (ToastKind.SUCCESS,
                                 "Refund B-R1 · -8.00 EUR: accept as recorded — done")  # fmt: skip

    (sku,) = screen.entries
    screen.table.setCurrentCell(0, 0)
    assert screen.current is sku
    assert screen.sides.text().startswith("Kept now: LATTE~")  # the later item gave way
    assert screen.sides.text().endswith("Set aside: LATTE")
    assert set(screen.choice_buttons) == {"keep_mine", "custom"}
    assert screen.value.isVisibleTo(screen)
    qtbot.mouseClick(screen.choice_buttons["custom"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.value.has_error, timeout=WAIT_MS)  # refused, nothing sent
    assert screen.value.helper.text() == "Type the value to use"
    screen.value.set_text("LATTE-TO-GO")
    qtbot.mouseClick(screen.choice_buttons["custom"], Qt.MouseButton.LeftButton)
    settled(qtbot, screen, 0)
    assert screen.empty.isVisibleTo(screen)

    decided = [
        tuple(screen.decided.item(r, c).text() for c in (1, 2, 3, 4))
        for r in range(screen.decided.rowCount())
    ]
    shop = business.shop
    owner = shop.api.get("/v1/me", headers=shop.headers).json()["name"]
    assert [d[2] for d in decided] == ["Use another value…", "Accept as recorded"]  # newest first
    assert {d[0] for d in decided} == {owner}
    assert decided[1][3] == "cash was given twice; Ana repaid"
    skus = {i["name"]: i["sku"] for i in
            shop.api.get("/v1/catalog/items", headers=shop.headers).json()}  # fmt: skip
    assert skus == {"Latte": "LATTE", "Latte to go": "LATTE-TO-GO"}


@pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
def test_signed_out_it_says_why_and_offers_the_way_in(qtbot: QtBot, office: OfficeSession) -> None:
    went: list[bool] = []
    page = InboxScreen(InboxDesk(ConfigDesk(office)), open_business=lambda: went.append(True))
    qtbot.addWidget(page)
    page.show()
    assert page.reason.text() == rules.SIGN_IN
    assert not page.refresh_button.isEnabled()
    assert page.entries == []
    qtbot.mouseClick(page.sign_in_button, Qt.MouseButton.LeftButton)
    assert went == [True]
