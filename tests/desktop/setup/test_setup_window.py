"""The first-run window on real widgets against a real server (SQLite and Postgres): each path
to an enrolled, synced till, and each bad input shown at its field, then a retry that works."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from pytestqt.qtbot import QtBot

from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.setup.desk import SetupDesk, Stage
from desktop.setup.server_probe import NOT_NOVA
from desktop.sync.engine import load_state
from desktop.till.counter import Counter
from desktop.ui.components.primitives import Button, Input
from desktop.ui.setup.banner import DemoBanner
from desktop.ui.setup.start import TillStart
from desktop.ui.setup.window import WAITING, SetupWindow
from desktop.ui.till_window import TillWindows
from tests.desktop.setup.conftest import OWNER_EMAIL, OWNER_PASSWORD
from tests.desktop.sync.conftest import Server
from tests.desktop.ui.conftest import _no_dangling_threads  # noqa: F401 - fixture

pytestmark = pytest.mark.gui


def open_window(qtbot: QtBot, desk: SetupDesk, start: Stage = Stage.FRESH) -> SetupWindow:
    window = SetupWindow(desk, start=start)
    qtbot.addWidget(window, before_close_func=lambda w: w.wait())  # type: ignore[attr-defined]
    window.show()
    return window


def settle(qtbot: QtBot, window: SetupWindow) -> None:
    """Wait until the step on its worker thread has ended and its answer reached the window."""
    qtbot.waitUntil(
        lambda: (
            window.task is not None
            and window.task.isFinished()
            and not any(b.busy for b in window.findChildren(Button))
        ),
        timeout=30_000,
    )


def press(qtbot: QtBot, window: SetupWindow, button: Button) -> None:
    """Press a button that starts a step: while it works it is busy and the page's others are
    disabled (checked before the answer can arrive: it is queued to this thread)."""
    button.click()
    page = window.current()
    assert button.busy
    others = [b for b in page.findChildren(Button) if b is not button and b.isVisible()]
    assert not any(b.isEnabled() for b in others)
    settle(qtbot, window)


def fill(field: Input, text: str) -> None:
    field.edit.setText(text)


def to_owner_page(qtbot: QtBot, window: SetupWindow, address: str = "testserver/") -> None:
    window.choice.setup.click()
    assert window.current() is window.server
    fill(window.server.address, address)
    press(qtbot, window, window.server.next)
    assert window.current() is window.owner


def sync_done(window: SetupWindow) -> bool:
    """The first sync ended: ready to sign in, or enrolled and waiting for its settings, or
    (a new business) asking for the first counter staff."""
    if window.current() is window.staff:
        return window.task is not None and window.task.isFinished()
    page = window.progress
    return page.bar.value() == 100 and (
        page.open.isVisible() or (page.retry.isVisible() and page.status.text() == WAITING)
    )


class TestOwnerPath:
    def test_owner_sign_in_to_a_new_location_and_a_synced_till(
        self, qtbot: QtBot, desk: SetupDesk, server: Server
    ) -> None:
        window = open_window(qtbot, desk)
        to_owner_page(qtbot, window)
        fill(window.owner.email, OWNER_EMAIL)
        fill(window.owner.password, "wrong password")
        press(qtbot, window, window.owner.sign_in)
        assert window.current() is window.owner
        assert window.owner.password.has_error
        assert window.owner.password.helper.text() == "Wrong e-mail or password"
        fill(window.owner.password, OWNER_PASSWORD)
        press(qtbot, window, window.owner.sign_in)
        assert window.current() is window.location
        assert window.location.choices.count() == 1
        fill(window.location.code, "MAIN")  # the business's first location has it
        fill(window.location.name, "Market Street")
        press(qtbot, window, window.location.open_button)
        assert window.location.code.has_error
        assert "MAIN is taken" in window.location.code.helper.text()
        fill(window.location.code, "MARKET")
        press(qtbot, window, window.location.open_button)
        assert not window.location.code.has_error
        assert window.location.choices.count() == 2
        assert window.picked() is not None
        assert window.picked().name == "Market Street"  # type: ignore[union-attr]
        window.location.next.click()
        assert window.current() is window.till
        assert not window.till.code.isVisible()
        fill(window.till.name, "Counter 1")
        window.till.enroll.click()
        # A new business has nobody with a counter PIN: the owner makes the first people.
        qtbot.waitUntil(lambda: window.current() is window.staff, timeout=60_000)
        settle(qtbot, window)
        state = desk.runner.read(load_state)
        assert state is not None
        assert state.location_code == "MARKET"
        devices = server.api.get("/v1/devices", headers=server.headers).json()
        assert [d["name"] for d in devices] == ["Counter 1"]
        assert window.staff.you_name.text() == "Anna Müller"  # the owner who signed in
        fill(window.staff.you_code, "1")
        fill(window.staff.you_pin, "12")
        fill(window.staff.cashier_name, "Ben Koch")
        fill(window.staff.cashier_code, "1")
        fill(window.staff.cashier_pin, "24680")
        press(qtbot, window, window.staff.save)
        assert "4 to 8 digits" in window.staff.you_pin.helper.text()
        assert window.current() is window.staff
        fill(window.staff.you_pin, "97531")
        press(qtbot, window, window.staff.save)
        assert "own code" in window.staff.cashier_code.helper.text()  # two people, one code
        fill(window.staff.cashier_code, "2")
        press(qtbot, window, window.staff.save)
        assert window.current() is window.progress
        assert window.progress.open.isVisible()
        assert "staff code 1" in window.progress.status.text()
        staff = server.api.get("/v1/staff", headers=server.headers).json()
        assert sorted((s["code"], s["name"]) for s in staff) == [
            ("1", "Anna Müller"),
            ("2", "Ben Koch"),
        ]
        assert window.progress.card.title.text() == "This till is ready"
        with qtbot.waitSignal(window.finished, timeout=5_000):
            window.progress.open.click()

    def test_a_till_name_already_taken_is_shown_at_the_name_and_another_works(
        self, qtbot: QtBot, desk: SetupDesk, server: Server
    ) -> None:
        server.enroll("Counter 1")
        window = open_window(qtbot, desk)
        to_owner_page(qtbot, window)
        fill(window.owner.email, OWNER_EMAIL)
        fill(window.owner.password, OWNER_PASSWORD)
        press(qtbot, window, window.owner.sign_in)
        window.location.next.click()
        fill(window.till.name, "Counter 1")
        press(qtbot, window, window.till.enroll)
        assert window.current() is window.till
        assert "already called Counter 1" in window.till.name.helper.text()
        assert desk.runner.read(load_state) is None
        fill(window.till.name, "Counter 2")
        window.till.enroll.click()
        qtbot.waitUntil(lambda: sync_done(window), timeout=30_000)
        window.wait()


class TestManagerCode:
    def test_a_used_code_is_shown_at_the_code_and_a_fresh_one_works(
        self, qtbot: QtBot, desk: SetupDesk, server: Server
    ) -> None:
        used = server.code()
        server.api.post("/v1/devices/enroll", json={"code": used, "name": "Other till"})
        window = open_window(qtbot, desk)
        to_owner_page(qtbot, window)
        window.owner.use_code.click()
        assert window.current() is window.till
        assert window.till.code.isVisible()
        fill(window.till.code, used)
        fill(window.till.name, "Back counter")
        press(qtbot, window, window.till.enroll)
        assert window.till.code.has_error
        assert "expired or already used" in window.till.code.helper.text()
        assert desk.runner.read(load_state) is None  # nothing half-enrolled
        fill(window.till.code, server.code())
        window.till.enroll.click()
        qtbot.waitUntil(lambda: sync_done(window), timeout=30_000)
        window.wait()
        state = desk.runner.read(load_state)
        assert state is not None
        assert str(state.location_id) == server.location


class TestServerAddress:
    def test_a_server_that_is_not_nova_is_shown_at_the_address_then_the_right_one_works(
        self, qtbot: QtBot, desk: SetupDesk, server: Server
    ) -> None:
        desk.transport = httpx.MockTransport(
            lambda _r: httpx.Response(200, text="<html><body>Router login</body></html>")
        )
        window = open_window(qtbot, desk)
        window.choice.setup.click()
        fill(window.server.address, "router.local")
        press(qtbot, window, window.server.next)
        assert window.current() is window.server
        assert window.server.address.helper.text() == NOT_NOVA
        desk.transport = server.transport()
        fill(window.server.address, "testserver")
        press(qtbot, window, window.server.next)
        assert window.current() is window.owner

    def test_an_unreachable_server_is_shown_at_the_address_then_a_retry_works(
        self, qtbot: QtBot, desk: SetupDesk, server: Server
    ) -> None:
        desk.transport = None  # a real socket: nothing listens on port 1
        window = open_window(qtbot, desk)
        window.choice.setup.click()
        fill(window.server.address, "127.0.0.1:1")
        press(qtbot, window, window.server.next)
        assert window.server.address.has_error
        assert window.server.address.helper.text() == (
            "Cannot reach 127.0.0.1:1: check the address and the network"
        )
        desk.transport = server.transport()
        fill(window.server.address, "testserver")
        press(qtbot, window, window.server.next)
        assert window.current() is window.owner
        assert not window.server.address.has_error


class TestFirstSync:
    def test_an_enrolled_till_still_waiting_opens_on_the_progress_page(
        self, qtbot: QtBot, desk: SetupDesk, server: Server
    ) -> None:
        desk.check_server("testserver")
        desk.enroll_with_code(code=server.code(), till_name="Counter")
        window = open_window(qtbot, desk, start=desk.stage())
        assert window.current() is window.progress
        qtbot.waitUntil(lambda: sync_done(window), timeout=30_000)
        window.wait()
        assert not window.progress.back.isVisible()

    def test_a_failed_first_sync_offers_a_retry_that_resumes(
        self, qtbot: QtBot, desk: SetupDesk, server: Server
    ) -> None:
        desk.check_server("testserver")
        desk.enroll_with_code(code=server.code(), till_name="Counter")

        def offline(request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError("network down", request=request)

        desk.transport = httpx.MockTransport(offline)
        window = open_window(qtbot, desk, start=Stage.SYNCING)
        settle(qtbot, window)
        assert window.progress.retry.isVisible()
        assert "Try again" in window.progress.message.text()
        desk.transport = server.transport()
        press(qtbot, window, window.progress.retry)
        assert sync_done(window)
        assert not window.progress.message.isVisible()


def test_done_opens_the_normal_sign_in(qtbot: QtBot, desk: SetupDesk, server: Server) -> None:
    """The whole start of a fresh till: first-run window, code path, then the till's sign-in
    (no demo banner: this is a business's till)."""

    def open_till(demo: bool, on_setup: Callable[[], object] | None) -> TillWindows:
        return TillWindows(
            Counter(desk.runner), SimulatedPaymentTerminal(), demo=demo, on_setup=on_setup
        )

    start = TillStart(desk, open_till)
    start.show()
    window = start.setup
    assert window is not None
    qtbot.addWidget(window, before_close_func=lambda w: w.wait())  # type: ignore[attr-defined]
    to_owner_page(qtbot, window)
    window.owner.use_code.click()
    fill(window.till.code, server.code())
    fill(window.till.name, "Counter 1")
    window.till.enroll.click()
    qtbot.waitUntil(window.progress.open.isVisible, timeout=30_000)
    window.progress.open.click()
    till = start.till
    assert isinstance(till, TillWindows)
    assert start.setup is None
    assert till.sign_in.isVisible()
    assert till.sign_in.findChildren(DemoBanner) == []
    start.close()
