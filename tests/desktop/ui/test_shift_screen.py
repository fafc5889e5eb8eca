"""The Shift screen driven as a cashier and a shift manager would: open with a float, move cash,
count blind, check over/short before the close is final, and reprint a past Z as a copy."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.db.models import PrintJob, Shift
from desktop.hardware.sim_printer import render_text
from desktop.sales.checkout import TenderRequest
from desktop.sales.config import configure, load
from desktop.till.shift_desk import ShiftDesk
from desktop.ui.components.primitives import ToastKind
from desktop.ui.sell.override_dialog import OverrideDialog
from desktop.ui.sell.shift_screen import NEXT_SHIFT, ShiftScreen
from shared.errors import AuthzError
from shared.money import Money
from shared.navigation import SCREENS
from shared.permissions import DEFAULT_ROLES
from tests.desktop.conftest import Shop


def eur(text: str) -> Money:
    return Money(text, "EUR")


def sell_two_lattes(shop: Shop) -> None:
    shop.counter.scan("4006381333931")
    shop.counter.scan("4006381333931")
    shop.counter.pay([TenderRequest("cash", eur("10.00"))], shop.card)  # 6.80 cash


@pytest.fixture
def screen(qtbot: QtBot, shop: Shop, monkeypatch: pytest.MonkeyPatch) -> ShiftScreen:
    monkeypatch.setattr(ShiftScreen, "ask_reason", staticmethod(lambda *_: "milk"))
    page = ShiftScreen(ShiftDesk(shop.counter))
    qtbot.addWidget(page)
    return page


def close_through_the_screen(screen: ShiftScreen, counts: dict[str, int]) -> None:
    for denomination, count in counts.items():
        screen.counts[eur(denomination)].setValue(count)
    screen.close_button.click()
    screen.confirm_button.click()


class TestCashierShift:
    def test_a_cashier_opens_moves_cash_counts_blind_and_closes_their_shift(
        self, qtbot: QtBot, shop: Shop, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        (shift,) = (s for s in SCREENS if s.id == "shift")
        assert shift.permission in DEFAULT_ROLES["cashier"]
        ShiftDesk(shop.counter).close({eur("100"): 1})  # the manager ends the fixture's shift
        shop.counter.sign_in("2", "2222")  # Carl: pos.sell and shift.open only
        monkeypatch.setattr(ShiftScreen, "ask_reason", staticmethod(lambda *_: "to the safe"))
        screen = ShiftScreen(ShiftDesk(shop.counter))
        qtbot.addWidget(screen)
        assert screen.status.text() == NEXT_SHIFT
        assert screen.count_panel.isHidden()  # nothing of his to count yet
        assert screen.buttons["x"].isHidden()  # the X report and Z history are a manager's
        assert screen.history_panel.isHidden()
        screen.amount.edit.setText("120.00")
        screen.buttons["open"].click()
        assert screen.last_toast == (ToastKind.SUCCESS, "Shift open")
        assert "by Carl Cashier · float EUR 120.00 · 0 sale(s)" in screen.status.text()
        for kind, amount, done in (
            ("paid_in", "10.00", "Paid in recorded"),
            ("paid_out", "2.50", "Paid out recorded"),
            ("drop", "50.00", "Cash drop recorded"),
        ):
            screen.amount.edit.setText(amount)
            screen.buttons[kind].click()
            assert screen.last_toast == (ToastKind.SUCCESS, done)
        # No drawer.no_sale: the manager override dialog opens; nobody approves, nothing opens.
        asked: list[OverrideDialog] = []
        monkeypatch.setattr(OverrideDialog, "exec", lambda d: asked.append(d) or d.reject() or 0)
        screen.buttons["no_sale"].click()
        assert len(asked) == 1
        assert screen.last_toast == (
            ToastKind.INFO,
            "no manager approved it: the drawer stays shut",
        )

        # His own shift: he counts it blind (77.50 expected, never shown while counting).
        assert not screen.count_panel.isHidden()
        assert screen.count_panel.isEnabled()
        assert "Expected" not in screen.status.text() + screen.report.text()
        close_through_the_screen(screen, {"50": 1, "20": 1, "5": 1, "2": 1, "0.50": 1})
        assert screen.last_toast == (
            ToastKind.SUCCESS,
            "Shift closed, Z report No. 2 — over/short EUR 0.00",
        )
        assert screen.status.text() == NEXT_SHIFT
        assert screen.count_panel.isHidden()
        assert screen.report.text().startswith("Z REPORT No. 2\n")

    def test_a_cashier_does_not_close_someone_elses_shift(self, qtbot: QtBot, shop: Shop) -> None:
        shop.counter.sign_in("2", "2222")  # the fixture's shift was opened by the manager
        screen = ShiftScreen(ShiftDesk(shop.counter))
        qtbot.addWidget(screen)
        assert screen.count_panel.isHidden()
        with pytest.raises(AuthzError, match="ask a manager"):
            ShiftDesk(shop.counter).close({eur("100"): 1})


class TestCountRows:
    @pytest.mark.parametrize(
        ("currency", "largest", "smallest", "rows"),
        [("EUR", "500", "0.01", 15), ("GBP", "50", "0.01", 12), ("USD", "100", "0.01", 10)],
    )
    def test_the_count_has_the_notes_and_coins_of_the_tills_currency(
        self, qtbot: QtBot, shop: Shop, currency: str, largest: str, smallest: str, rows: int
    ) -> None:
        shop.runner.run(lambda uow: configure(uow, replace(load(uow), currency=currency)))
        screen = ShiftScreen(ShiftDesk(shop.counter))
        qtbot.addWidget(screen)
        denominations = list(screen.counts)
        assert len(denominations) == rows
        assert denominations[0] == Money(largest, currency)
        assert denominations[-1] == Money(smallest, currency)


class TestClosingAShift:
    def test_the_count_is_blind_and_checked_before_the_close_is_final(
        self, shop: Shop, screen: ShiftScreen
    ) -> None:
        sell_two_lattes(shop)  # 156.80 expected
        screen.refresh()
        assert "Expected" not in screen.status.text() + screen.report.text()
        assert screen.confirm.isHidden()
        for denomination, count in {"100": 1, "20": 2, "5": 1}.items():  # 145.00
            screen.counts[eur(denomination)].setValue(count)
        screen.close_button.click()
        assert not screen.confirm.isHidden()
        assert screen.confirm_text.text().splitlines() == [
            "Counted EUR 145.00",
            "Expected EUR 156.80",
            "Short EUR 11.80",
        ]
        assert not screen.count_panel.isEnabled()  # the count cannot change under the check

        screen.back_button.click()  # cancel: back to the count, nothing closed
        assert screen.confirm.isHidden()
        assert screen.count_panel.isEnabled()
        assert screen.counts[eur("20")].value() == 2  # the count is kept to correct
        still_open = shop.runner.read(
            lambda uow: uow.conn.execute(select(Shift.closed_at)).scalars().all()
        )
        assert still_open == [None]

        screen.counts[eur("10")].setValue(1)
        screen.counts[eur("1")].setValue(1)
        screen.counts[eur("0.50")].setValue(1)
        screen.counts[eur("0.20")].setValue(1)
        screen.counts[eur("0.10")].setValue(1)  # 156.80: even
        screen.close_button.click()
        assert screen.confirm_text.text().splitlines()[-1] == "Even EUR 0.00"
        screen.confirm_button.click()
        assert screen.last_toast == (
            ToastKind.SUCCESS,
            "Shift closed, Z report No. 1 — over/short EUR 0.00",
        )
        closed = shop.runner.read(
            lambda uow: uow.conn.execute(select(Shift.counted_minor, Shift.expected_minor)).one()
        )
        assert tuple(closed) == (15680, 15680)
        assert screen.report.text().startswith("Z REPORT No. 1\n")
        assert screen.confirm.isHidden()

    def test_after_the_z_the_counts_are_cleared_and_the_next_shift_is_explained(
        self, screen: ShiftScreen
    ) -> None:
        close_through_the_screen(screen, {"100": 1, "50": 1})
        assert all(spin.value() == 0 for spin in screen.counts.values())
        assert screen.status.text() == NEXT_SHIFT
        assert screen.buttons["open"].isEnabled()
        assert not screen.count_panel.isEnabled()
        screen.amount.edit.setText("100")
        screen.buttons["open"].click()
        assert screen.last_toast == (ToastKind.SUCCESS, "Shift open")
        assert "float EUR 100.00" in screen.status.text()
        assert screen.count_panel.isEnabled()
        assert all(spin.value() == 0 for spin in screen.counts.values())

    def test_an_empty_count_is_called_out_before_closing(self, screen: ShiftScreen) -> None:
        screen.close_button.click()
        assert screen.confirm_text.text().splitlines()[2:] == [
            "Short EUR 150.00",
            "Nothing was counted: go back and enter the notes and coins.",
        ]

    def test_an_x_report_left_on_screen_goes_when_counting_starts(
        self, screen: ShiftScreen
    ) -> None:
        screen.buttons["x"].click()
        assert "Expected cash EUR 150.00" in screen.report.text()
        screen.counts[eur("50")].setValue(3)
        assert screen.report.text() == ""


class TestZHistory:
    def test_a_past_z_is_shown_and_reprinted_marked_copy(
        self, shop: Shop, screen: ShiftScreen
    ) -> None:
        close_through_the_screen(screen, {"100": 1, "50": 1})
        screen.amount.edit.setText("100")
        screen.buttons["open"].click()
        close_through_the_screen(screen, {"100": 1})
        assert [screen.history.item(i).text()[:4] for i in range(screen.history.count())] == [
            "Z 2 ",
            "Z 1 ",
        ]
        assert not screen.reprint_button.isEnabled()
        screen.history.setCurrentRow(1)
        assert screen.report.text().startswith("COPY of Z REPORT No. 1")
        screen.reprint_button.click()
        assert screen.last_toast == (ToastKind.ERROR, "no report printer is set up on this till")
        shop.counter.printer = True
        screen.reprint_button.click()
        assert screen.last_toast == (
            ToastKind.SUCCESS,
            "Copy of Z report No. 1 sent to the printer",
        )
        (payload,) = shop.runner.read(
            lambda uow: uow.conn.execute(
                select(PrintJob.payload).where(PrintJob.kind == "report")
            ).scalars().all()
        )  # fmt: skip
        text = render_text(payload)
        assert "*** COPY ***" in text
        assert "Z REPORT No. 1" in text
