"""A demo till on real widgets: the banner on every screen (the demo PINs at sign-in), and the
way to a real till — a confirmation naming what is wiped, the wipe, then the set-up."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from desktop.db.uow import UnitOfWork
from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.setup.desk import SetupDesk, Stage
from desktop.sync.credentials import CredentialStore
from desktop.till.counter import Counter
from desktop.till.runner import Runner
from desktop.ui.components.primitives import ConfirmDialog
from desktop.ui.setup.banner import BANNER_TEXT, DemoBanner
from desktop.ui.setup.start import WIPE_TITLE, TillStart
from desktop.ui.shell.registry import Mode
from desktop.ui.till_window import TillWindows
from tests.desktop.conftest import seed_shop
from tests.desktop.ui.conftest import _no_dangling_threads  # noqa: F401 - fixture

pytestmark = pytest.mark.gui


@pytest.fixture
def desk(runner: Runner, store: CredentialStore) -> SetupDesk:
    """The demo needs no server: it never reaches one."""
    return SetupDesk(runner, store)


@pytest.fixture
def start(desk: SetupDesk) -> Iterator[TillStart]:
    def open_till(demo: bool, on_setup: Callable[[], object] | None) -> TillWindows:
        return TillWindows(
            Counter(desk.runner), SimulatedPaymentTerminal(), demo=demo, on_setup=on_setup
        )

    start = TillStart(desk, open_till)
    yield start
    start.close()


def banners(widget: object) -> list[DemoBanner]:
    return [b for b in widget.findChildren(DemoBanner) if b.isVisible()]  # type: ignore[attr-defined]


def test_choosing_the_demo_opens_a_demo_till(qtbot: QtBot, start: TillStart) -> None:
    start.show()
    assert start.setup is not None
    start.setup.choice.demo.click()
    qtbot.waitUntil(lambda: start.till is not None, timeout=10_000)
    assert start.desk.stage() is Stage.DEMO
    assert isinstance(start.till, TillWindows)
    (banner,) = banners(start.till.sign_in)
    assert banner.text.text() == BANNER_TEXT
    assert "PIN 1234" in banner.pins.text()
    assert "PIN 2222" in banner.pins.text()


@pytest.mark.usefixtures("qtbot")
def test_the_banner_is_on_every_screen_of_a_demo_till(start: TillStart, desk: SetupDesk) -> None:
    desk.start_demo()
    start.show()
    till = start.till
    assert isinstance(till, TillWindows)
    till.counter.sign_in("1", "1234")
    window = till.open_till(till.counter.who())
    seen = 0
    # Back office first: the shell saves the last mode in the (shared) prefs file on close.
    for mode in (Mode.BACK_OFFICE, Mode.TERMINAL):
        window.set_mode(mode)
        for screen in window.nav_ids():
            window.open_screen(screen)
            (banner,) = banners(window)
            assert not banner.pins.isVisible()  # the PINs only where people sign in
            seen += 1
    assert seen >= 5


@pytest.mark.usefixtures("qtbot")
def test_a_real_till_has_no_banner(desk: SetupDesk, start: TillStart) -> None:
    with UnitOfWork(desk.runner.engine, desk.runner.clock) as uow:
        seed_shop(uow)  # a till set up through the services (as a sync would)
    start.show()
    assert isinstance(start.till, TillWindows)
    assert banners(start.till.sign_in) == []


@pytest.mark.usefixtures("qtbot")
class TestSetUpFromTheDemo:
    def test_the_confirmation_names_what_is_wiped_and_no_keeps_the_demo(
        self, start: TillStart, desk: SetupDesk, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        asked: list[tuple[str, str]] = []

        def ask(_parent: object, title: str, message: str, **_kw: object) -> bool:
            asked.append((title, message))
            return False

        monkeypatch.setattr(ConfirmDialog, "ask", ask)
        desk.start_demo()
        start.show()
        assert isinstance(start.till, TillWindows)
        (banner,) = banners(start.till.sign_in)
        banner.setup_button.click()
        ((title, message),) = asked
        assert title == WIPE_TITLE
        for words in ("sales", "staff", "catalog", "stock", "customers", "sync"):
            assert words in message
        assert desk.is_demo()
        assert start.setup is None

    def test_yes_wipes_the_demo_and_opens_the_set_up_at_the_server_address(
        self, start: TillStart, desk: SetupDesk, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(ConfirmDialog, "ask", lambda *_a, **_k: True)
        desk.start_demo()
        start.show()
        till = start.till
        assert isinstance(till, TillWindows)
        till.counter.sign_in("1", "1234")
        window = till.open_till(till.counter.who())
        (banner,) = banners(window)
        banner.setup_button.click()
        assert start.till is None
        assert start.setup is not None
        assert start.setup.current() is start.setup.server
        assert desk.stage() is Stage.FRESH
        assert till.counter.staff() == []  # the demo people are gone
