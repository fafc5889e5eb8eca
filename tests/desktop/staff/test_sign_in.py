"""PIN sign-in: argon2 hashes only, lockout after repeated wrong PINs, one message for probes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from desktop.db.models import User
from desktop.staff.service import LOCKOUT, MAX_FAILED_PINS, create_role, create_user, sign_in
from shared.clock import FakeClock
from shared.errors import AuthnError, Conflict, ValidationFailed
from tests.desktop.conftest import Till


class TestSignIn:
    def test_right_pin_gives_the_role_permissions(self, till: Till) -> None:
        actor = sign_in(till.uow, code="2", pin="2222")
        assert actor.name == "Carl Cashier"
        assert actor.permissions == {"pos.sell", "shift.open"}

    def test_pin_is_stored_as_argon2_never_in_clear(
        self, till: Till, caplog: pytest.LogCaptureFixture
    ) -> None:
        stored = till.uow.conn.execute(select(User.pin_hash).where(User.code == "2")).scalar_one()
        assert stored.startswith("$argon2id$")
        assert "2222" not in stored
        assert "2222" not in caplog.text

    def test_unknown_code_and_wrong_pin_read_the_same(self, till: Till) -> None:
        with pytest.raises(AuthnError) as unknown:
            sign_in(till.uow, code="99", pin="2222")
        with pytest.raises(AuthnError) as wrong:
            sign_in(till.uow, code="2", pin="0000")
        assert unknown.value.message == wrong.value.message == "wrong user code or PIN"

    def test_lockout_after_repeated_wrong_pins_then_release(
        self, till: Till, clock: FakeClock
    ) -> None:
        for _ in range(MAX_FAILED_PINS):
            with pytest.raises(AuthnError, match="wrong user code or PIN"):
                sign_in(till.uow, code="2", pin="0000")
        with pytest.raises(AuthnError, match="locked"):
            sign_in(till.uow, code="2", pin="2222")  # even the right PIN
        clock.advance(LOCKOUT + timedelta(seconds=1))
        assert sign_in(till.uow, code="2", pin="2222").name == "Carl Cashier"

    def test_failed_attempts_survive_a_rollback(self, till: Till) -> None:
        with pytest.raises(AuthnError):
            sign_in(till.uow, code="2", pin="0000")
        till.uow.rollback()
        failed = till.uow.conn.execute(
            select(User.failed_pins).where(User.code == "2")
        ).scalar_one()
        assert failed == 1


class TestUsers:
    @pytest.mark.parametrize("pin", ["123", "123456789", "12a4", ""])
    def test_pin_must_be_4_to_8_digits(self, till: Till, pin: str) -> None:
        role = create_role(till.uow, name="x", permissions=set())
        with pytest.raises(ValidationFailed, match="4 to 8 digits"):
            create_user(till.uow, code="9", name="X", pin=pin, role_id=role)

    def test_codes_and_role_names_are_unique(self, till: Till) -> None:
        role = create_role(till.uow, name="temp", permissions=set())
        with pytest.raises(Conflict, match="taken"):
            create_user(till.uow, code="1", name="Dup", pin="1234", role_id=role)
        with pytest.raises(Conflict, match="exists already"):
            create_role(till.uow, name="manager", permissions=set())

    def test_unknown_permission_is_refused(self, till: Till) -> None:
        with pytest.raises(ValidationFailed, match="unknown permissions"):
            create_role(till.uow, name="odd", permissions={"pos.fly"})
