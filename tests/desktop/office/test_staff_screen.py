"""The Staff & roles window on real widgets against a real server (SQLite and Postgres), and a
real till that syncs: a manager creates a role and previews it, hires a cashier with it, and the
cashier signs in at the counter and sees exactly the previewed screens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.db.models import PrintJob
from desktop.hardware.cards import card_number
from desktop.office import rules
from desktop.office.session import OfficeSession
from desktop.office.staff_desk import StaffDesk
from desktop.office.staff_models import StaffMember
from desktop.session import SessionContext
from desktop.staff.service import unlock
from desktop.till.counter import Counter
from desktop.till.staff_cards import print_staff_card
from desktop.ui.backoffice.staff_screen import StaffScreen
from desktop.ui.components.primitives import ConfirmDialog, ToastKind
from desktop.ui.role_preview_window import PreviewBanner, open_role_preview
from desktop.ui.sell.sell_screen import SellScreen
from desktop.ui.shell.default_screens import default_registry
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.shell.registry import Mode
from desktop.ui.theme import apply_theme
from shared.errors import AuthnError
from shared.pins import PIN_RULE
from tests.desktop.conftest import Shop
from tests.desktop.office.conftest import SERVER, Network
from tests.desktop.sync.conftest import Server, _keyring_warning_seen, enroll, server  # noqa: F401
from tests.syncserver.identity.conftest import OWNER

pytestmark = pytest.mark.gui
WAIT_MS = 20_000  # a generous bound for one server call (Postgres on a busy CI box)


@pytest.fixture
def network(server: Server) -> Network:  # noqa: F811
    return Network(server.transport())


@pytest.fixture
def previews() -> list[MainWindow]:
    """The counters the Roles tab opened read-only as a role."""
    return []


@pytest.fixture
def screen(
    qtbot: QtBot,
    server: Server,  # noqa: F811
    network: Network,
    shop: Shop,
    previews: list[MainWindow],
    tmp_path: Path,
) -> Iterator[StaffScreen]:
    office = OfficeSession(SERVER, server.tenant, transport=network)
    runner = shop.runner
    counter = shop.counter

    def print_here(member: StaffMember) -> None:
        print_staff_card(counter, staff_id=member.id, name=member.name, code=member.code)

    def open_counter(name: str, permissions: frozenset[str]) -> MainWindow:
        modules = counter.enabled_modules()
        window = open_role_preview(runner, name, permissions, modules,
                                   prefs_file=tmp_path / "preview.json")  # fmt: skip
        qtbot.addWidget(window)
        previews.append(window)
        return window

    page = StaffScreen(
        StaffDesk(office, lambda code: runner.run(lambda u: unlock(u, code=code)), print_here),
        open_counter=open_counter,
    )
    apply_theme(page, "light")
    qtbot.addWidget(page)
    page.resize(800, 680)  # the back office's page at 1024×768
    page.show()
    yield page
    page.runner.wait()
    office.close()


def act(qtbot: QtBot, screen: StaffScreen, action: Callable[[], object], calls: int = 1) -> None:
    """Do `action` and wait until the `calls` server calls it starts were answered and shown."""
    for i in range(calls):
        with qtbot.waitSignal(screen.runner.finished, timeout=WAIT_MS):
            if i == 0:
                action()


def click(qtbot: QtBot, screen: StaffScreen, button: object, calls: int = 1) -> None:
    act(qtbot, screen, lambda: qtbot.mouseClick(button, Qt.MouseButton.LeftButton), calls)  # type: ignore[arg-type]


def fill_hire(screen: StaffScreen, name: str, code: str, pin: str = "5820") -> None:
    """A fresh Staff form with a name, code and PIN typed (roles are ticked next)."""
    staff = screen.staff
    staff.table.clearSelection()
    staff.name.set_text(name)
    staff.code.set_text(code)
    staff.pin.set_text(pin)


def sign_in(qtbot: QtBot, screen: StaffScreen) -> None:
    screen.strip.email.set_text("owner@juliet.example")
    screen.strip.password.set_text(OWNER["password"])
    click(qtbot, screen, screen.strip.sign_in_button)
    assert screen.desk.session.signed_in, screen.last_toast


def test_a_previewed_role_is_what_its_cashier_sees_at_the_counter(
    qtbot: QtBot,
    screen: StaffScreen,
    server: Server,  # noqa: F811
    shop: Shop,
    tmp_path: Path,
) -> None:
    assert screen.strip.reason.text().startswith("Staff, PINs and roles live on the server")
    assert not screen.staff.hire_button.isEnabled()
    sign_in(qtbot, screen)
    assert screen.staff.members == []  # nobody has a counter code yet

    roles = screen.roles
    roles.role_list.clearSelection()
    roles.role_name.set_text("Stock clerk")
    roles.tick({"pos.sell", "inventory.view", "inventory.count", "catalog.edit"})
    click(qtbot, screen, roles.create_button, calls=3)  # create, read again, preview
    assert screen.last_toast is not None
    chosen = roles.current()
    assert chosen is not None
    assert chosen.name == "Stock clerk"
    assert roles.preview_ids == ["sell", "refunds", "catalog", "inventory"]
    assert "Staff & roles" in roles.preview_hidden.text()
    assert "Shift & cash" in roles.preview_hidden.text()
    assert "Items, categories, modifiers and prices" in roles.preview_actions.text()

    staff = screen.staff
    screen.tabs.setCurrentWidget(staff)
    fill_hire(screen, "Ada Clerk", "31", pin="1234")
    staff.tick_roles({"Stock clerk"})
    click(qtbot, screen, staff.hire_button)
    assert staff.pin.helper.text() == PIN_RULE  # refused beside the PIN, with the rule
    staff.pin.set_text("5820")
    click(qtbot, screen, staff.hire_button, calls=2)  # hire, read again
    said = "Ada Clerk can sign in with code 31 once tills sync"
    assert screen.last_toast == (ToastKind.SUCCESS, said)
    hired = staff.current()
    assert hired is not None
    assert hired.code == "31"

    # A held role is not deleted, and the refusal says by whom.
    screen.tabs.setCurrentWidget(roles)
    roles.select("Stock clerk")
    click(qtbot, screen, roles.delete_button)
    assert roles.note.text() == "Ada Clerk holds the role Stock clerk; give them another role first"

    link = enroll(server, shop.runner, tmp_path)
    link.sync()
    counter = Counter(shop.runner)
    actor = counter.sign_in("31", "5820")
    till = MainWindow(
        session=SessionContext(actor.name, actor.permissions, counter.enabled_modules()),
        registry=default_registry(),
        prefs_file=tmp_path / "shell.json",
    )
    qtbot.addWidget(till)
    seen = till.nav_ids()
    till.set_mode(Mode.BACK_OFFICE)
    seen += till.nav_ids()
    assert seen == roles.preview_ids


@pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
def test_pin_unlock_deactivate_and_offline(
    qtbot: QtBot, screen: StaffScreen, server: Server, shop: Shop, network: Network,  # noqa: F811
    tmp_path: Path,
) -> None:  # fmt: skip
    sign_in(qtbot, screen)
    staff = screen.staff
    fill_hire(screen, "Bo Cashier", "32")
    shop_name = staff.role_places.locations[0].name  # the one location, where the till is
    staff.tick_roles({"cashier"}, at=shop_name)
    click(qtbot, screen, staff.hire_button, calls=2)
    assert staff.role_places.box("cashier").currentText() == shop_name  # read back
    link = enroll(server, shop.runner, tmp_path)
    link.sync()
    counter = Counter(shop.runner)
    for _ in range(5):  # five wrong PINs lock the code on this till
        with pytest.raises(AuthnError):
            counter.sign_in("32", "0000")
    with pytest.raises(AuthnError, match="locked"):
        counter.sign_in("32", "5820")
    click(qtbot, screen, staff.unlock_button)
    said = "Bo Cashier can sign in again with code 32 on this till"
    assert screen.last_toast == (ToastKind.SUCCESS, said)
    assert counter.sign_in("32", "5820").name == "Bo Cashier"
    counter.sign_out()

    staff.pin.set_text("9876")
    click(qtbot, screen, staff.pin_button)
    assert staff.pin.has_error
    for _ in range(5):  # locked again; this time a new PIN lets them in once the till syncs
        with pytest.raises(AuthnError):
            counter.sign_in("32", "0000")
    staff.pin.set_text("7391")
    click(qtbot, screen, staff.pin_button, calls=2)
    link.sync()
    assert counter.sign_in("32", "7391").name == "Bo Cashier"
    counter.sign_out()
    click(qtbot, screen, staff.status_button, calls=2)  # deactivate
    assert not staff.current().active  # type: ignore[union-attr]
    assert staff.status_button.text() == "Reactivate"
    link.sync()
    with pytest.raises(AuthnError):
        counter.sign_in("32", "7391")

    network.down = True
    staff.name.set_text("Bo Back")
    click(qtbot, screen, staff.save_button)
    assert screen.strip.reason.text() == rules.OFFLINE
    assert not staff.save_button.isEnabled()
    assert staff.reason.text() == rules.OFFLINE
    assert not screen.roles.create_button.isEnabled()


@pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
def test_each_role_holds_where_it_is_given(
    qtbot: QtBot,
    screen: StaffScreen,
    server: Server,  # noqa: F811
) -> None:
    airport = server.api.post(
        "/v1/locations", headers=server.headers, json={"code": "AIR", "name": "Airport"}
    ).json()["id"]
    sign_in(qtbot, screen)
    staff = screen.staff
    home = next(loc.name for loc in staff.role_places.locations if loc.name != "Airport")
    fill_hire(screen, "Cy Both", "44")
    staff.tick_roles({"cashier"}, at=home)
    staff.role_places.tick("manager", "Airport")
    click(qtbot, screen, staff.hire_button, calls=2)
    member = staff.current()
    assert member is not None
    assert member.code == "44"
    assert {(str(a.role_id), str(a.location_id)) for a in member.roles} == {
        (str(server.roles["cashier"]), str(server.location)),
        (str(server.roles["manager"]), airport),
    }
    assert staff.role_places.box("cashier").currentText() == home
    assert staff.role_places.box("manager").currentText() == "Airport"
    row = staff.table.currentRow()
    assert staff.table.item(row, 2).text() == f"cashier at {home}, manager at Airport"  # type: ignore[union-attr]

    # Held at two named places through the API: shown as one choice and kept by a Save.
    both = [{"role_id": str(server.roles["cashier"]), "location_id": loc}
            for loc in (str(server.location), airport)]  # fmt: skip
    server.api.put(f"/v1/staff/{member.id}/roles", headers=server.headers, json={"roles": both})
    act(qtbot, screen, screen.reload)
    staff.select("44")
    assert staff.role_places.box("cashier").currentText() == f"{home}, Airport"
    staff.name.set_text("Cy Both-Ways")
    click(qtbot, screen, staff.save_button, calls=2)
    kept = staff.current()
    assert kept is not None
    assert kept.name == "Cy Both-Ways"
    assert {str(a.location_id) for a in kept.roles} == {str(server.location), airport}


@pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
def test_an_e_mail_sign_in_given_and_taken_away_after_hiring(
    qtbot: QtBot,
    screen: StaffScreen,
    server: Server,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sign_in(qtbot, screen)
    staff = screen.staff
    fill_hire(screen, "Di Manager", "45")
    staff.tick_roles({"manager"})
    click(qtbot, screen, staff.hire_button, calls=2)
    assert staff.email.isEnabled()

    staff.email.set_text("di@juliet.example")
    click(qtbot, screen, staff.save_button)  # no password yet: refused beside the field
    assert staff.password.has_error
    assert "needs a password" in staff.password.helper.text()
    staff.password.set_text("short")
    click(qtbot, screen, staff.save_button)
    assert staff.password.has_error  # the server's rule, beside the field
    assert "At least 10 characters" in staff.password.helper.text()
    staff.password.set_text("Counter2580")
    click(qtbot, screen, staff.save_button, calls=2)
    assert screen.last_toast == (ToastKind.SUCCESS, "Saved: tills take it at their next sync")
    assert staff.current().email == "di@juliet.example"  # type: ignore[union-attr]
    signed = server.api.post(
        "/v1/auth/login", json={"email": "di@juliet.example", "password": "Counter2580"}
    )
    assert signed.status_code == 200

    staff.email.set_text("")
    monkeypatch.setattr(ConfirmDialog, "ask", lambda *_a, **_k: False)
    staff.save_button.click()  # "Keep it": nothing sent
    assert not screen.runner.busy
    monkeypatch.setattr(ConfirmDialog, "ask", lambda *_a, **_k: True)
    click(qtbot, screen, staff.save_button, calls=2)
    assert staff.current().email is None  # type: ignore[union-attr]
    gone = server.api.post(
        "/v1/auth/login", json={"email": "di@juliet.example", "password": "Counter2580"}
    )
    assert gone.status_code == 401


@pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
def test_a_staff_card_prints_here_even_offline(
    qtbot: QtBot, screen: StaffScreen, shop: Shop, network: Network
) -> None:
    sign_in(qtbot, screen)
    staff = screen.staff
    fill_hire(screen, "Eve Card", "46")
    staff.tick_roles({"cashier"})
    click(qtbot, screen, staff.hire_button, calls=2)
    network.down = True  # the card needs this till's printer, not the server
    shop.counter.printer = False
    click(qtbot, screen, staff.card_button)
    assert "no receipt printer" in staff.note.text()
    shop.counter.printer = True
    click(qtbot, screen, staff.card_button)
    member = staff.current()
    assert member is not None
    assert screen.last_toast == (ToastKind.SUCCESS, f"{member.name}'s staff card is printing")
    jobs = shop.runner.read(lambda uow: uow.conn.execute(select(PrintJob.payload)).scalars().all())
    assert [card_number(member.code).encode() in job for job in jobs] == [True]


@pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
def test_the_counter_opens_read_only_as_a_previewed_role(
    qtbot: QtBot, screen: StaffScreen, shop: Shop, previews: list[MainWindow]
) -> None:
    sign_in(qtbot, screen)
    roles = screen.roles
    screen.tabs.setCurrentWidget(roles)
    assert not roles.counter_button.isEnabled()  # nothing previewed yet
    roles.role_list.clearSelection()
    roles.role_name.set_text("Shelf filler")
    roles.tick({"pos.sell", "inventory.view"})
    click(qtbot, screen, roles.create_button, calls=3)
    assert roles.counter_button.isEnabled()
    qtbot.mouseClick(roles.counter_button, Qt.MouseButton.LeftButton)
    (window,) = previews
    assert "Shelf filler" in window.windowTitle()
    assert window.findChild(PreviewBanner) is not None
    seen = window.nav_ids()
    window.set_mode(Mode.BACK_OFFICE)
    seen += window.nav_ids()
    assert seen == roles.preview_ids  # exactly the screens the preview listed

    window.set_mode(Mode.TERMINAL)
    sell = window.open_screen("sell")
    assert isinstance(sell, SellScreen)
    tickets = "SELECT count(*) FROM tickets"
    before = shop.runner.read(lambda u: u.sql.execute(tickets).fetchone()[0])
    sell.scan_code("4006381333931")  # a real item of this till: found, but not rung up
    assert sell.last_toast is not None
    assert sell.last_toast[0] is ToastKind.ERROR
    assert "preview of the role Shelf filler" in sell.last_toast[1]
    assert shop.runner.read(lambda u: u.sql.execute(tickets).fetchone()[0]) == before
