"""A real business from sign-up to its first sale, on SQLite and on Postgres, with no demo data
and no hand-written rows: everything goes through the public API, the till's windows and the
services those windows call.

register (API) → superadmin approval (API) → activation (the e-mailed link, API) → the owner
sets up a fresh till on its first-run window (real widgets: server, sign-in, a new location,
the till's name, the owner's counter PIN and a cashier) → the owner signs in to the back office
and applies the DE tax preset → in the Catalog window a required milk choice and a latte with
two barcodes that offers it (two more items through the desk that window saves with) → the
till pushes and the server has the latte as made → the cashier rings the latte up on the sell
screen, the modifier dialog insists on a milk, oat is picked, card; bread and cake for cash →
the server holds both sales with the right taxes per rate and the latte's line with its milk.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.catalog.items import ItemDraft
from desktop.db.engine import make_terminal_engine
from desktop.db.migrate import upgrade_terminal
from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.office.config_desk import ConfigDesk
from desktop.office.session import OfficeSession
from desktop.sales.checkout import TenderRequest
from desktop.sales.config import load
from desktop.setup.desk import SetupDesk
from desktop.sync.credentials import CredentialStore
from desktop.sync.engine import load_state
from desktop.sync.setup import build_engine
from desktop.till.catalog_desk import CatalogDesk
from desktop.till.counter import Counter
from desktop.till.extras import ChoiceGroup
from desktop.till.runner import Runner
from desktop.till.shift_desk import ShiftDesk
from desktop.ui.backoffice.catalog_screen import CatalogScreen
from desktop.ui.components.primitives import ToastKind
from desktop.ui.sell.modifier_dialog import ModifierDialog
from desktop.ui.sell.sell_screen import SellScreen
from desktop.ui.setup.window import SetupWindow
from desktop.ui.shell.registry import Mode
from desktop.ui.till_window import TillWindows
from shared.money import Money
from syncserver.db import make_engine, make_sessionmaker
from syncserver.mail import MemoryMailSender
from syncserver.models import Sale, SaleTax
from syncserver.superadmin.accounts import create_superadmin
from tests.desktop.setup.test_setup_window import fill, press, settle
from tests.desktop.sync.conftest import _keyring_warning_seen  # noqa: F401 - fixture
from tests.desktop.ui.conftest import _no_dangling_threads  # noqa: F401 - fixture
from tests.desktop.ui.test_item_form import click, pick, type_into
from tests.syncserver.conftest import make_app  # noqa: F401 - fixture
from tests.syncserver.identity.conftest import rows

pytestmark = pytest.mark.gui
SERVER = "http://testserver"
ADMIN = ("ops@nova.example", "operator-pass-2026")
OWNER = {
    "business_name": "Bäckerei Sonne",
    "owner_name": "Lena Sonne",
    "email": "lena@baeckerei-sonne.example",
    "password": "roggen-brot-77",
    "country": "DE",
    "currency": "EUR",
    "timezone": "Europe/Berlin",
}


@pytest.fixture
def api(make_app: Callable[..., FastAPI], db_url: str) -> Iterator[TestClient]:  # noqa: F811
    app = make_app()
    app.state.mailer = MemoryMailSender()
    engine = make_engine(db_url)
    # The operator account is made by `nova admin create-superadmin`; this is what it calls.
    with make_sessionmaker(engine)() as session, session.begin():
        create_superadmin(session, email=ADMIN[0], name="Ops", password=ADMIN[1])
    engine.dispose()
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def sign_up(api: TestClient) -> None:
    """The business registers, a superadmin approves it, the owner opens the e-mailed link."""
    registered = api.post("/v1/auth/register", json=OWNER)
    assert registered.status_code == 201, registered.text
    admin = api.post("/v1/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]}).json()
    decided = api.post(
        f"/v1/superadmin/registrations/{registered.json()['id']}/decision",
        json={"decision": "approve"},
        headers={"Authorization": f"Bearer {admin['token']}"},
    )
    assert decided.status_code == 200, decided.text
    mailer: MemoryMailSender = api.app.state.mailer  # type: ignore[attr-defined]
    link = re.search(r"token=([\w-]+)", mailer.sent[-1].body)
    assert link is not None
    assert api.post("/v1/auth/activate", json={"token": link.group(1)}).status_code == 200


def set_up_on_the_first_run_window(qtbot: QtBot, desk: SetupDesk) -> None:
    window = SetupWindow(desk)
    qtbot.addWidget(window, before_close_func=lambda w: w.wait())
    window.show()
    window.choice.setup.click()
    fill(window.server.address, "testserver")
    press(qtbot, window, window.server.next)
    fill(window.owner.email, OWNER["email"])
    fill(window.owner.password, "not-my-password-1")
    press(qtbot, window, window.owner.sign_in)
    assert window.current() is window.owner
    assert window.owner.password.has_error  # a wrong password, said at the password
    fill(window.owner.password, OWNER["password"])
    press(qtbot, window, window.owner.sign_in)
    assert window.current() is window.location
    fill(window.location.code, "MITTE")
    fill(window.location.name, "Bäckerei Sonne Mitte")
    press(qtbot, window, window.location.open_button)
    window.location.next.click()
    fill(window.till.name, "Kasse 1")
    window.till.enroll.click()
    qtbot.waitUntil(lambda: window.current() is window.staff, timeout=60_000)
    settle(qtbot, window)
    fill(window.staff.you_code, "1")
    fill(window.staff.you_pin, "80468")
    fill(window.staff.cashier_name, "Jonas Weber")
    fill(window.staff.cashier_code, "2")
    fill(window.staff.cashier_pin, "24680")
    press(qtbot, window, window.staff.save)
    assert window.progress.open.isVisible(), window.progress.status.text()
    with qtbot.waitSignal(window.finished, timeout=5_000):
        window.progress.open.click()
    window.wait()


def test_a_new_business_reaches_its_first_sale(
    qtbot: QtBot, api: TestClient, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_up(api)
    transport = api._transport
    upgrade_terminal(tmp_path / "terminal.db")
    runner = Runner(make_terminal_engine(tmp_path / "terminal.db"))
    store = CredentialStore(tmp_path / "credential")
    set_up_on_the_first_run_window(qtbot, SetupDesk(runner, store, transport=transport))
    config = runner.read(load)
    assert (config.terminal_code, config.currency, config.location_code) == ("T01", "EUR", "MITTE")

    # The owner, in the back office (e-mail sign-in), applies the German VAT preset.
    state = runner.read(load_state)
    assert state is not None
    office = OfficeSession(SERVER, state.tenant_id, transport=transport)
    office.sign_in(OWNER["email"], OWNER["password"])
    classes = ConfigDesk(office).apply_preset("DE")
    assert {c.code for c in classes} >= {"STD", "REDUCED"}
    sync_once(runner, store, transport)

    # The owner, at the counter with the PIN made on the first-run window, builds the menu: the
    # latte in the back office's Catalog window (two barcodes, a required milk choice), the
    # bread and cake through the desk that window saves with.
    counter = Counter(runner)
    counter.sign_in("1", "80468")
    card = SimulatedPaymentTerminal()
    windows = TillWindows(counter, card)
    qtbot.addWidget(windows.sign_in)
    window = windows.open_till(counter.who())
    qtbot.addWidget(window)
    window.set_mode(Mode.BACK_OFFICE)
    screen = window.open_screen("catalog")
    assert isinstance(screen, CatalogScreen)
    build_group(qtbot, screen, "Milch", [("Hafer", "0,50"), ("Soja", "0,40")])
    click(qtbot, screen.new_item_button)
    form = screen.form
    type_into(qtbot, form, name="Latte", price="3,40", barcodes="4006381333931\n96385074")
    form.sku.set_text("LATTE")
    pick(form, "STD")
    form.category.setCurrentIndex(form.category.findText("New category…"))
    qtbot.keyClicks(form.new_category.edit, "Kaffee")
    (milk_row,) = [form.groups.item(r) for r in range(form.groups.count())]
    milk_row.setCheckState(Qt.CheckState.Checked)
    click(qtbot, form.save_button)
    assert screen.last_toast is not None
    assert screen.last_toast[0] is ToastKind.SUCCESS, screen.last_toast
    catalog = CatalogDesk(counter)
    roll = catalog.save_item(
        ItemDraft("Roggenbrötchen", "ROLL", "0.60", "REDUCED", new_category="Brot")
    )
    cake = catalog.save_item(
        ItemDraft("Käsekuchen", "CAKE", "3.90", "REDUCED", new_category="Kuchen")
    )
    windows.close()
    counter.sign_out()
    sync_once(runner, store, transport)

    # The server has the latte as the window made it.
    owner = {"Authorization": f"Bearer {login(api)}"}
    items = {i["sku"]: i for i in api.get("/v1/catalog/items", headers=owner).json()}
    groups = api.get("/v1/catalog/modifier-groups", headers=owner).json()
    (milk,) = groups
    assert (milk["name"], milk["min_choices"], milk["max_choices"]) == ("Milch", 1, 1)
    latte = items["LATTE"]
    assert latte["barcodes"] == ["4006381333931", "96385074"]
    assert (latte["price"], latte["modifier_group_ids"]) == ("3.40", [milk["id"]])

    # The cashier opens the shift and sells: a latte with oat milk (picked in the modifier
    # dialog the sell screen opens) by card, then bread and cake for cash.
    counter.sign_in("2", "24680")
    ShiftDesk(counter).open("100.00")
    windows = TillWindows(counter, card)
    qtbot.addWidget(windows.sign_in)
    window = windows.open_till(counter.who())
    qtbot.addWidget(window)
    window.set_mode(Mode.TERMINAL)
    sell = window.open_screen("sell")
    assert isinstance(sell, SellScreen)
    tile = tile_for(sell, "Latte")
    asked: list[tuple[str, int, int]] = []

    def choose_oat(parent: QWidget, name: str, offered: list[ChoiceGroup]) -> list[uuid.UUID]:
        dialog = ModifierDialog(name, offered, parent)  # the real dialog, without its loop
        qtbot.addWidget(dialog)
        (group,) = offered
        asked.append((group.name, group.min_choices, group.max_choices))
        assert not dialog.ok_button.isEnabled()  # required: nothing picked, nothing added
        click(qtbot, dialog.buttons[next(c.id for c in group.choices if c.name == "Hafer")])
        return dialog.selected()

    monkeypatch.setattr(SellScreen, "pick_modifiers", staticmethod(choose_oat))
    click(qtbot, tile)
    assert asked == [("Milch", 1, 1)]
    by_card = counter.pay([TenderRequest("card", Money("3.90", "EUR"))], card)
    windows.close()
    counter.add(roll.id, 2)
    counter.add(cake.id, 1)
    by_cash = counter.pay([TenderRequest("cash", Money("10.00", "EUR"))], card)
    assert by_cash.change == Money("4.90", "EUR")
    sync_once(runner, store, transport)
    assert counter.pending_changes() == 0

    # The server shows the latte's line with the milk the cashier picked.
    (listed,) = api.get("/v1/sales", headers=owner,
                        params={"receipt_no": by_card.receipt_no}).json()  # fmt: skip
    sold = api.get(f"/v1/sales/{listed['id']}", headers=owner).json()
    assert [(ln["name"], ln["unit_price"], ln["modifiers"]) for ln in sold["lines"]] == [
        ("Latte", "3.90", [{"name": "Hafer", "price_delta": "0.50"}])
    ]

    # The server holds both sales and their taxes per rate (read only, to check).
    sold = rows(db_url, select(Sale.receipt_no, Sale.gross_minor))
    sales = {s.receipt_no: s.gross_minor for s in sold}
    assert sales == {by_card.receipt_no: 390, by_cash.receipt_no: 510}
    taxes = sorted(
        (t.rate_code, t.rate_percent, t.tax_minor)
        for t in rows(db_url, select(SaleTax.rate_code, SaleTax.rate_percent, SaleTax.tax_minor))
    )
    # Per line, prices incl. tax: 3.90 at 19 % = 0.62; 2 × 0.60 at 7 % = 0.08, 3.90 at 7 % = 0.26.
    assert taxes == [("VAT19", "19", 62), ("VAT7", "7", 34)]


def tile_for(sell: SellScreen, name: str) -> QWidget:
    """The item's tile, on whichever category tab it is."""
    for index in range(sell.tabs.count()):
        sell.tabs.setCurrentIndex(index)
        for tile in sell.tile_buttons:
            if tile.accessibleName() == f"add {name}":
                return tile
    raise AssertionError(f"no tile for {name}")


def login(api: TestClient) -> str:
    answer = api.post(
        "/v1/auth/login", json={"email": OWNER["email"], "password": OWNER["password"]}
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"])


def build_group(
    qtbot: QtBot, screen: CatalogScreen, name: str, options: list[tuple[str, str]]
) -> None:
    """A required single choice (pick exactly 1), typed into the window's group editor."""
    click(qtbot, screen.groups_button)
    panel = screen.groups
    qtbot.keyClicks(panel.name.edit, name)
    panel.min_choices.setValue(1)
    panel.max_choices.setValue(1)
    for row, (option, delta) in enumerate(options):
        panel.options.item(row, 0).setText(option)
        panel.options.item(row, 1).setText(delta)
    click(qtbot, panel.save_button)
    assert panel.last_toast is not None
    assert panel.last_toast[0] is ToastKind.SUCCESS, panel.last_toast
    click(qtbot, panel.back_button)


def sync_once(runner: Runner, store: CredentialStore, transport: object) -> None:
    engine = build_engine(runner, store, transport=transport)  # type: ignore[arg-type]
    try:
        engine.run_once(health=False)
    finally:
        engine.client.close()
