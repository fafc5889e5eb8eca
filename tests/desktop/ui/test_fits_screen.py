"""Every window and dialog fits a 1024×768 and a 1366×768 screen under a title bar: no widget
outside its window, no label or button text cut off (see `tests/desktop/ui/fit.py`)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.catalog.items import ItemDraft
from desktop.db.models import Role
from desktop.db.uow import UnitOfWork
from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.hardware.zvt import ZvtTerminal
from desktop.hardware.zvt_link import TcpZvtLink
from desktop.staff.service import create_user
from desktop.till.catalog_desk import CatalogDesk
from desktop.till.counter import Counter
from desktop.till.override import OVERRIDABLE, OverrideDesk
from desktop.ui.components.primitives import ConfirmDialog, Toast, ToastKind
from desktop.ui.components.prompts import ChoicePrompt, TextPrompt, WeightPrompt
from desktop.ui.screenshots import _demo_counter, shots
from desktop.ui.sell.override_dialog import OverrideDialog
from desktop.ui.sell.sell_screen import SellScreen
from desktop.ui.sell.sign_in import SignInScreen
from desktop.ui.shell.registry import Mode
from desktop.ui.theme import apply_theme
from desktop.ui.till_window import TillWindows
from tests.desktop.ui.fit import FULL_HD, SCREENS, SMALL, Screen, assert_fits, misfits

pytestmark = pytest.mark.gui

DIALOGS = ("tender", "modifiers", "override")  # shots that open at their own size, not the window's


@pytest.fixture(scope="module")
def counter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Counter]:
    """The demo shop the screenshots show, one ticket rung up (built once: ~1 s)."""
    folder = tmp_path_factory.mktemp("fit")
    shop = _demo_counter(folder)
    yield shop
    shop.runner.engine.dispose()


@pytest.fixture(params=SCREENS, ids=lambda s: s.name)
def screen(request: pytest.FixtureRequest) -> Screen:
    return request.param  # type: ignore[no-any-return]


def test_every_screen_the_docs_show_fits(
    qtbot: QtBot, counter: Counter, screen: Screen, tmp_path: Path
) -> None:
    failures = []
    for shot in shots(counter, "light", tmp_path):
        widget = shot.build((screen.usable.width(), screen.usable.height()))
        qtbot.addWidget(widget)
        try:
            assert_fits(widget, screen, dialog=shot.name.split("-")[0] in DIALOGS)
        except AssertionError as exc:
            failures.append(f"{shot.name}: {exc}")
        widget.close()
    assert not failures, "\n\n".join(failures)


def _till(qtbot: QtBot, counter: Counter) -> TillWindows:
    windows = TillWindows(counter, SimulatedPaymentTerminal(), "dark")
    qtbot.addWidget(windows.sign_in)
    return windows


def test_the_real_till_fits_in_every_mode_and_screen(
    qtbot: QtBot, counter: Counter, screen: Screen
) -> None:
    windows = _till(qtbot, counter)
    window = windows.open_till(counter.sign_in("1", "1234"))
    qtbot.addWidget(window)
    for mode in Mode:
        window.set_mode(mode)
        for screen_id in window.nav_ids():
            window.open_screen(screen_id)
            assert_fits(window, screen)
    window.set_mode(Mode.TERMINAL)
    sell = window.open_screen("sell")
    assert isinstance(sell, SellScreen)
    sell.toast("nothing matches “4006381999999”: check the barcode or search by name",
               ToastKind.ERROR)  # fmt: skip
    toasts = window.findChildren(Toast)
    assert toasts
    assert_fits(window, screen)  # the toast too
    windows.lock()
    assert_fits(windows.sign_in, screen)  # the lock message whole
    windows.close()


def test_a_question_fits(qtbot: QtBot, screen: Screen) -> None:
    dialog = ConfirmDialog(
        "Void line?", "Remove 2 × Cheesecake slice from the ticket? The reason is kept.",
        confirm="Void the line", cancel="Keep it", danger=True,
    )  # fmt: skip
    apply_theme(dialog, "light")
    qtbot.addWidget(dialog)
    assert_fits(dialog, screen, dialog=True)


def test_the_manager_approval_fits_as_it_opens(
    qtbot: QtBot, counter: Counter, screen: Screen
) -> None:
    """Empty, as a cashier's refusal opens it: the code field's hint whole (the titles differ
    in length, and so does the dialog's width)."""
    for permission in sorted(OVERRIDABLE):
        dialog = OverrideDialog(OverrideDesk(counter), permission)
        apply_theme(dialog, "light")
        qtbot.addWidget(dialog)
        assert_fits(dialog, screen, dialog=True)


def test_the_counters_questions_fit(qtbot: QtBot, screen: Screen) -> None:
    """The reason a void asks for, the line-or-ticket choice of a discount, and the weight of
    an item sold by the kg."""
    reason = TextPrompt("Void line", "Reason")
    choice = ChoicePrompt("Discount", ["This line: 2 × Cheesecake slice", "Whole ticket (3 lines)"])
    weight = WeightPrompt("Weigh Comté (per kg)")
    for dialog in (reason, choice, weight):
        apply_theme(dialog, "light")
        qtbot.addWidget(dialog)
        assert_fits(dialog, screen, dialog=True)


def test_the_till_scales_to_a_full_hd_screen(qtbot: QtBot, counter: Counter) -> None:
    windows = _till(qtbot, counter)
    window = windows.open_till(counter.sign_in("1", "1234"))
    qtbot.addWidget(window)
    assert_fits(window, FULL_HD)
    windows.close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_tender_dialog_shows_a_refusal_beside_its_buttons(
    qtbot: QtBot, counter: Counter, screen: Screen
) -> None:
    """Card with an unplugged terminal, then points with no customer: each message in the
    dialog, on screen, next to the buttons."""
    unplugged = TcpZvtLink("127.0.0.1", _closed_port())
    terminal = ZvtTerminal(unplugged, timeout_s=2, enquiry_timeout_s=1)
    counter.sign_in("1", "1234")
    sell = SellScreen(counter, terminal)
    qtbot.addWidget(sell)
    view = counter.cart()
    dialog = sell.tender_dialog(view)
    qtbot.addWidget(dialog)
    assert_fits(dialog, screen, dialog=True)
    dialog.card_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    dialog.wait_for_payment()
    assert dialog.error is not None
    assert "could not be reached" in dialog.error
    assert dialog.message.text() == dialog.error
    assert dialog.message.isVisible()
    assert_fits(dialog, screen, dialog=True)
    dialog.points_button.click()
    assert dialog.error is not None
    assert "attach the customer" in dialog.error
    assert_fits(dialog, screen, dialog=True)
    assert counter.cart().lines == view.lines  # the ticket is as it was


class TestTheCheck:
    """The check itself finds what it is for (else a green run proves nothing)."""

    def test_a_cut_button_text_is_found(self, qtbot: QtBot) -> None:
        host = QWidget()
        qtbot.addWidget(host)
        button = QPushButton("Demo Cashier", host)
        button.setFixedWidth(40)
        host.resize(300, 200)
        host.show()
        assert any("'Demo Cashier' text clipped" in m for m in misfits(host, SMALL))

    def test_a_wrapped_label_too_short_for_its_lines_is_found(self, qtbot: QtBot) -> None:
        host = QWidget()
        qtbot.addWidget(host)
        label = QLabel("Locked after a while without use. Sign in to go on.", host)
        label.setWordWrap(True)
        label.setFixedSize(120, 20)
        host.resize(300, 200)
        host.show()
        assert any("text clipped" in m for m in misfits(host, SMALL))

    def test_a_widget_past_the_window_edge_is_found(self, qtbot: QtBot) -> None:
        host = QWidget()
        qtbot.addWidget(host)
        host.resize(300, 200)
        QLabel("Print receipt", host).move(250, 190)
        host.show()
        assert any("leaves the window" in m for m in misfits(host, SMALL))

    def test_a_window_taller_than_the_screen_leaves_is_found(self, qtbot: QtBot) -> None:
        host = QWidget()
        qtbot.addWidget(host)
        host.resize(1024, 768)  # the whole screen: no room for the title bar
        host.show()
        assert any("leaves 1024x736" in m for m in misfits(host, SMALL))

    def test_a_layout_squeezed_below_its_minimum_is_found(self, qtbot: QtBot) -> None:
        host = QWidget()
        qtbot.addWidget(host)
        column = QVBoxLayout(host)
        for n in range(12):
            column.addWidget(QPushButton(f"Button {n}"))
        host.setFixedHeight(100)
        host.show()
        assert any("needs at least" in m for m in misfits(host, SMALL))


def test_long_product_and_staff_names_stay_whole(
    qtbot: QtBot, tmp_path: Path, screen: Screen
) -> None:
    """A name a real shop has ("Anna-Lena Müller-Schmidt", a drink in four words) on more
    lines rather than cut at both ends, on the sign-in tiles and the product tiles."""
    shop = _demo_counter(tmp_path)
    desk = CatalogDesk(shop)
    coffee = desk.categories()[0][0]
    desk.save_item(ItemDraft("Hot chocolate with whipped cream", "HCW", "4.20", "STD", coffee))

    def add_person(uow: UnitOfWork) -> None:
        role = uow.conn.execute(select(Role.id).where(Role.name == "cashier")).scalar_one()
        create_user(uow, code="7", name="Anna-Lena Müller-Schmidt", pin="7777", role_id=role)

    shop.runner.run(add_person)
    sign_in = SignInScreen(shop)
    qtbot.addWidget(sign_in)
    apply_theme(sign_in, "light")
    assert "Anna-Lena Müller-Schmidt" in [t.accessibleName() for t in sign_in.tiles]
    assert_fits(sign_in, screen)
    windows = _till(qtbot, shop)
    window = windows.open_till(shop.sign_in("1", "1234"))
    qtbot.addWidget(window)
    sell = window.open_screen("sell")
    assert isinstance(sell, SellScreen)
    assert any("whipped" in b.text() for b in sell.tile_buttons)
    assert_fits(window, screen)
    windows.close()
    shop.runner.engine.dispose()
