"""A real business from sign-up to its first sale, on SQLite and on Postgres, with no demo data
and no hand-written rows: everything goes through the public API, the till's windows and the
services those windows call.

register (API) → superadmin approval (API) → activation (the e-mailed link, API) → the owner
sets up a fresh till on its first-run window (real widgets: server, sign-in, a new location,
the till's name, the owner's counter PIN and a cashier) → the owner signs in to the back office
and applies the DE tax preset → three items, one with a modifier group, made in the catalog
desk the item form saves through → the till pulls and pushes → the cashier sells with a card
and with cash → the server holds both sales with the right taxes per rate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.catalog.groups import GroupDraft, OptionDraft
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
from desktop.till.runner import Runner
from desktop.till.shift_desk import ShiftDesk
from desktop.ui.setup.window import SetupWindow
from shared.money import Money
from syncserver.db import make_engine, make_sessionmaker
from syncserver.mail import MemoryMailSender
from syncserver.models import Sale, SaleTax
from syncserver.superadmin.accounts import create_superadmin
from tests.desktop.setup.test_setup_window import fill, press, settle
from tests.desktop.sync.conftest import _keyring_warning_seen  # noqa: F401 - fixture
from tests.desktop.ui.conftest import _no_dangling_threads  # noqa: F401 - fixture
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
    qtbot: QtBot, api: TestClient, db_url: str, tmp_path: Path
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

    # The owner, at the counter with the PIN made on the first-run window, builds the menu.
    counter = Counter(runner)
    counter.sign_in("1", "80468")
    catalog = CatalogDesk(counter)
    assert {t.code for t in catalog.tax_classes()} >= {"STD", "REDUCED"}
    milk = catalog.save_group(
        GroupDraft("Milch", 0, 1, (OptionDraft("Hafer", "0.50"), OptionDraft("Soja", "0.40")))
    )
    latte = catalog.save_item(
        ItemDraft("Latte", "LATTE", "3.40", "STD", new_category="Kaffee",
                  modifier_groups=(milk.id,), track_stock=False)
    )  # fmt: skip
    roll = catalog.save_item(
        ItemDraft("Roggenbrötchen", "ROLL", "0.60", "REDUCED", new_category="Brot")
    )
    cake = catalog.save_item(
        ItemDraft("Käsekuchen", "CAKE", "3.90", "REDUCED", new_category="Kuchen")
    )
    counter.sign_out()
    sync_once(runner, store, transport)

    # The cashier opens the shift and sells: a latte with oat milk by card, bread and cake cash.
    counter.sign_in("2", "24680")
    ShiftDesk(counter).open("100.00")
    card = SimulatedPaymentTerminal()
    counter.add(latte.id, 1, modifiers=[milk.options[0].id])
    by_card = counter.pay([TenderRequest("card", Money("3.90", "EUR"))], card)
    counter.add(roll.id, 2)
    counter.add(cake.id, 1)
    by_cash = counter.pay([TenderRequest("cash", Money("10.00", "EUR"))], card)
    assert by_cash.change == Money("4.90", "EUR")
    sync_once(runner, store, transport)
    assert counter.pending_changes() == 0

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


def sync_once(runner: Runner, store: CredentialStore, transport: object) -> None:
    engine = build_engine(runner, store, transport=transport)  # type: ignore[arg-type]
    try:
        engine.run_once(health=False)
    finally:
        engine.client.close()
