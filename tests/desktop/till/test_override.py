"""Manager override at the counter, without a screen: who may approve, the three-PIN lock shared
with sign-in, both people on the record, and the sign-out ticket rule."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from desktop.db.models import AuditEntry, CashMovement, OutboxRecord
from desktop.sales.shifts import close_shift
from desktop.sales.tickets import open_shift
from desktop.staff.service import MAX_FAILED_OVERRIDE_PINS, sign_in
from desktop.till.counter import Counter
from desktop.till.override import OverrideDesk, overridable, staff_code
from shared.errors import AuthnError, AuthzError, NotFound, ValidationFailed
from shared.money import Money
from shared.permissions import Permission
from tests.desktop.conftest import Shop


@pytest.fixture
def cashier(shop: Shop) -> Shop:
    """The shop with the cashier (pos.sell, shift.open only) signed in instead of the manager."""
    shop.counter.sign_out()
    shop.counter.sign_in("2", "2222")
    return shop


def audit_of(shop: Shop, action: str) -> tuple[str, str | None]:
    row = shop.runner.read(
        lambda uow: uow.conn.execute(
            select(AuditEntry.actor_id, AuditEntry.authorized_by).where(AuditEntry.action == action)
        ).one()
    )
    return str(row.actor_id), (str(row.authorized_by) if row.authorized_by else None)


class TestWhichRefusals:
    def test_a_missing_override_permission_is_overridable(self, cashier: Shop) -> None:
        cashier.counter.scan("0001")
        line = cashier.counter.cart().lines[0].id
        with pytest.raises(AuthzError) as refused:
            cashier.counter.void(line, "wrong item")
        assert overridable(refused.value) == Permission.POS_VOID

    def test_other_refusals_are_not(self) -> None:
        assert overridable(NotFound("no such item")) is None
        not_lifted = AuthzError("no", details={"permission": Permission.STAFF_MANAGE})
        assert overridable(not_lifted) is None


class TestStaffCode:
    def test_a_typed_code_or_a_staff_card(self) -> None:
        assert staff_code(" 1 ") == "1"
        assert staff_code(";EMP0001=0000?") == "1"
        assert staff_code("EMP0001") == "1"  # a printed staff card, scanned

    @pytest.mark.parametrize(
        ("typed", "said"),
        [
            ("", "type the manager's staff code"),
            ("%B4111111111111111^DOE/JOHN^2512101000?", "bank card"),
        ],
    )
    def test_no_code_or_a_bank_card_is_refused(self, typed: str, said: str) -> None:
        with pytest.raises(ValidationFailed, match=said):
            staff_code(typed)


class TestApprove:
    def test_a_manager_approves_a_void_and_both_people_are_recorded(self, cashier: Shop) -> None:
        counter = cashier.counter
        counter.scan("0001")
        counter.scan("4006381333931")
        line = counter.cart().lines[0].id
        manager = OverrideDesk(counter).approve("1", "1111", Permission.POS_VOID)
        cart = counter.void(line, "scanned twice", manager)
        assert [x.name for x in cart.lines] == ["Café Latte"]
        actor, approver = audit_of(cashier, "ticket.line_voided")
        assert (actor, approver) == (str(counter.who().id), str(manager.id))
        # The server's copy of the audit names the approver too.
        payloads = cashier.runner.read(
            lambda uow: uow.conn.execute(
                select(OutboxRecord.payload).where(OutboxRecord.kind == "audit.recorded")
            ).scalars().all()
        )  # fmt: skip
        voided = [json.loads(p) for p in payloads if "line_voided" in p]
        assert voided[0]["authorized_by"] == str(manager.id)

    def test_someone_who_may_not_approve_is_told_so(self, cashier: Shop) -> None:
        with pytest.raises(AuthzError, match="may not approve this"):
            OverrideDesk(cashier.counter).approve("2", "2222", Permission.POS_VOID)

    def test_three_wrong_pins_lock_the_code_for_override_and_sign_in(self, cashier: Shop) -> None:
        desk = OverrideDesk(cashier.counter)
        for _ in range(MAX_FAILED_OVERRIDE_PINS):
            with pytest.raises(AuthnError, match="wrong user code or PIN"):
                desk.approve("1", "0000", Permission.POS_DISCOUNT)
        with pytest.raises(AuthnError, match="locked"):
            desk.approve("1", "1111", Permission.POS_DISCOUNT)  # even the right PIN
        with pytest.raises(AuthnError, match="locked"):
            cashier.counter.runner.run(lambda uow: sign_in(uow, code="1", pin="1111"))
        assert cashier.counter.who().name == "Carl Cashier"  # the cashier stays signed in

    def test_a_right_pin_resets_the_count(self, cashier: Shop) -> None:
        desk = OverrideDesk(cashier.counter)
        for _ in range(MAX_FAILED_OVERRIDE_PINS - 1):
            with pytest.raises(AuthnError):
                desk.approve("1", "0000", Permission.POS_VOID)
        desk.approve("1", "1111", Permission.POS_VOID)
        with pytest.raises(AuthnError, match="wrong user code or PIN"):
            desk.approve("1", "0000", Permission.POS_VOID)  # counting starts again
        assert desk.approve("1", "1111", Permission.POS_VOID).name == "Mia Manager"


class TestNoSale:
    def test_a_cashier_opens_the_drawer_with_a_managers_approval(self, cashier: Shop) -> None:
        counter = cashier.counter
        with pytest.raises(AuthzError) as refused:
            counter.no_sale("change for the parking meter")
        assert overridable(refused.value) == Permission.DRAWER_NO_SALE
        manager = OverrideDesk(counter).approve("1", "1111", Permission.DRAWER_NO_SALE)
        counter.no_sale("change for the parking meter", manager)
        kinds = cashier.runner.read(
            lambda uow: uow.conn.execute(select(CashMovement.kind)).scalars().all()
        )
        assert kinds == ["no_sale"]
        assert audit_of(cashier, "drawer.no_sale") == (str(counter.who().id), str(manager.id))


class TestSignOutTicketRule:
    def test_the_open_ticket_is_parked_for_its_cashier_and_comes_back(self, shop: Shop) -> None:
        counter = shop.counter  # the manager, ringing up
        counter.scan("0001")
        ticket = counter.ticket_id
        counter.sign_out()
        assert counter.ticket_id is None
        assert counter.parked() == [ticket]
        counter.sign_in("2", "2222")  # the next person starts an empty ticket
        assert counter.ticket_id is None
        assert counter.cart().lines == ()
        counter.sign_out()
        counter.sign_in("1", "1111")
        assert counter.ticket_id == ticket
        assert [x.name for x in counter.cart().lines] == ["Bagel"]
        assert counter.parked() == []

    def test_the_rule_survives_a_restart_of_the_till(self, shop: Shop) -> None:
        shop.counter.scan("0001")
        ticket = shop.counter.ticket_id
        shop.counter.sign_out()
        restarted = Counter(shop.runner)  # the app closed (or crashed) and started again
        restarted.sign_in("1", "1111")
        assert restarted.ticket_id == ticket
        assert [x.name for x in restarted.cart().lines] == ["Bagel"]

    def test_a_ticket_someone_else_resumed_meanwhile_stays_theirs(self, shop: Shop) -> None:
        counter = shop.counter
        counter.scan("0001")
        ticket = counter.ticket_id
        assert ticket is not None
        counter.sign_out()
        counter.sign_in("2", "2222")
        counter.resume(ticket)  # a colleague finishes the customer's ticket
        counter.sign_out()  # … and signs out with it open: parked for them now
        counter.sign_in("1", "1111")
        assert counter.ticket_id is None
        counter.sign_out()
        counter.sign_in("2", "2222")
        assert counter.ticket_id == ticket

    def test_a_ticket_parked_by_the_z_comes_back_in_the_next_shift(self, shop: Shop) -> None:
        counter = shop.counter
        counter.scan("0001")
        ticket = counter.ticket_id
        manager = counter.who()
        counter.runner.run(lambda uow: close_shift(uow, manager, counted={}))  # parks it
        counter.sign_out()
        assert counter.sign_in("1", "1111").name == "Mia Manager"  # no shift: it waits
        assert counter.ticket_id is None
        counter.runner.run(
            lambda uow: open_shift(uow, manager, float_amount=Money("100.00", "EUR"))
        )
        counter.sign_out()
        counter.sign_in("1", "1111")
        assert counter.ticket_id == ticket
