"""Refund screen driven like a cashier would, checking the engine afterwards (the shift screen:
test_shift_screen.py)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.db.models import AuditEntry, PrintJob, Ticket
from desktop.hardware.sim_printer import render_text
from desktop.sales.checkout import TenderRequest
from desktop.staff.service import create_role, create_user
from desktop.till.refund_desk import RefundDesk
from desktop.ui.components.primitives import ToastKind
from desktop.ui.sell.override_dialog import OverrideDialog
from desktop.ui.sell.refund_screen import RefundScreen
from shared.money import Money
from shared.permissions import Permission
from tests.desktop.conftest import Shop


def eur(text: str) -> Money:
    return Money(text, "EUR")


def sell_two_lattes(shop: Shop) -> str:
    shop.counter.scan("4006381333931")
    shop.counter.scan("4006381333931")
    return shop.counter.pay([TenderRequest("cash", eur("10.00"))], shop.card).receipt_no


class TestRefundScreen:
    def test_cashier_refund_with_a_managers_override(
        self, qtbot: QtBot, shop: Shop, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        receipt = sell_two_lattes(shop)
        role = shop.runner.run(
            lambda uow: create_role(uow, name="till", permissions={Permission.POS_SELL})
        )
        shop.runner.run(
            lambda uow: create_user(uow, code="7", name="Tim Till", pin="7777", role_id=role)
        )
        shop.counter.sign_in("7", "7777")  # a cashier without pos.refund
        screen = RefundScreen(RefundDesk(shop.counter), shop.card)
        qtbot.addWidget(screen)
        screen.receipt_box.setText(f" {receipt} ")
        screen.receipt_box.returnPressed.emit()
        assert screen.heading.text() == f"Sale {receipt} · EUR 6.80"
        assert not screen.tender_buttons["card"].isEnabled()  # paid in cash: no card refund
        screen.set_quantity(0, "1", restock=False)
        screen.reason.edit.setText("spilled")

        def manager_approves(dialog: OverrideDialog) -> int:
            dialog.enter("1", "1111")
            return dialog.result()

        monkeypatch.setattr(OverrideDialog, "exec", manager_approves)
        screen.tender_buttons["cash"].click()
        assert screen.last_toast == (
            ToastKind.SUCCESS,
            "Refunded EUR 3.40 — receipt T01R-000001",
        )
        assert screen.table.item(0, 2).text() == "1"  # one latte left to refund  # type: ignore[union-attr]
        audit = shop.runner.read(
            lambda uow: uow.conn.execute(
                select(AuditEntry.actor_id, AuditEntry.authorized_by).where(
                    AuditEntry.action == "ticket.refunded"
                )
            ).one()
        )
        assert str(audit.authorized_by) != str(audit.actor_id)  # both people recorded

    def test_bad_input_is_a_toast_and_refunds_nothing(self, qtbot: QtBot, shop: Shop) -> None:
        receipt = sell_two_lattes(shop)
        screen = RefundScreen(RefundDesk(shop.counter), shop.card)
        qtbot.addWidget(screen)
        screen.load("T01-999999")
        assert screen.last_toast is not None
        assert screen.last_toast[0] is ToastKind.ERROR
        screen.load(receipt)
        screen.set_quantity(0, "3")
        screen.reason.edit.setText("too many")
        screen.tender_buttons["cash"].click()
        assert screen.last_toast == (
            ToastKind.ERROR,
            "only 2 of Café Latte can still be refunded",
        )
        refunds = shop.runner.read(
            lambda uow: uow.conn.execute(select(Ticket.id).where(Ticket.kind == "refund")).all()
        )
        assert refunds == []

    def test_print_a_copy_of_a_lost_receipt(self, qtbot: QtBot, shop: Shop) -> None:
        receipt = sell_two_lattes(shop)
        screen = RefundScreen(RefundDesk(shop.counter), shop.card)
        qtbot.addWidget(screen)
        assert not screen.copy_button.isEnabled()
        screen.load(receipt)
        screen.copy_button.click()
        assert screen.last_toast == (ToastKind.ERROR, "no receipt printer is set up on this till")
        shop.counter.printer = True
        screen.copy_button.click()
        assert screen.last_toast == (
            ToastKind.SUCCESS,
            f"Copy of {receipt} sent to the printer",
        )
        (payload,) = shop.runner.read(
            lambda uow: (
                uow.conn.execute(select(PrintJob.payload).where(PrintJob.kind == "receipt"))
                .scalars()
                .all()
            )
        )
        text = render_text(payload)
        assert "*** COPY ***" in text
        assert f"RECEIPT {receipt}" in text
        assert "Served by" in text  # whoever rang it up, read from the sale
        audited = shop.runner.read(
            lambda uow: uow.conn.execute(
                select(AuditEntry.id).where(AuditEntry.action == "receipt.copy")
            ).all()
        )
        assert len(audited) == 1
