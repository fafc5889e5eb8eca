"""E-mail sign-in to the back office against a real server (SQLite and Postgres)."""

from __future__ import annotations

import uuid

import pytest

from desktop.net.http import ServerUnreachable
from desktop.office import rules
from desktop.office.session import COUNTER_ONLY, OfficeSession
from shared.errors import AuthnError, AuthzError, ValidationFailed
from shared.paths import app_dirs
from tests.desktop.office.conftest import SERVER, STAFF_PASSWORD, Business
from tests.syncserver.identity.conftest import ADMIN_PASSWORD


class TestSignIn:
    def test_a_wrong_password_then_the_right_one(
        self, office: OfficeSession, business: Business
    ) -> None:
        with pytest.raises(AuthnError) as wrong:
            office.sign_in(business.owner_email, "not-the-password-1")
        assert wrong.value.message == "Wrong e-mail or password"
        assert wrong.value.details["field"] == "password"
        assert not office.signed_in
        user = office.sign_in(business.owner_email, business.owner_password)
        assert office.signed_in
        assert user.tenant_id == business.shop.tenant
        assert user.currency == "EUR"
        assert user.business_name == "Kilo Shop"
        assert office.why_not("locations.edit") is None

    def test_a_cashiers_account_is_sent_to_the_counter(
        self, office: OfficeSession, business: Business
    ) -> None:
        business.hire("42", "cashier", "mia@kilo.example")
        with pytest.raises(AuthzError) as refused:
            office.sign_in("mia@kilo.example", STAFF_PASSWORD)
        assert refused.value.message == COUNTER_ONLY
        assert "staff code and PIN" in refused.value.message
        assert not office.signed_in
        assert office.why_not("selling.edit") == rules.SIGN_IN

    def test_a_manager_signs_in_but_may_not_change_locations(
        self, office: OfficeSession, business: Business
    ) -> None:
        business.hire("43", "manager", "max@kilo.example")
        office.sign_in("max@kilo.example", STAFF_PASSWORD)
        assert office.why_not("selling.edit") is None
        reason = office.why_not("locations.edit")
        assert reason is not None
        assert "locations.manage" in reason

    def test_another_business_owner_is_refused(self, business: Business) -> None:
        other = OfficeSession(SERVER, uuid.UUID(int=1), transport=business.network)
        with pytest.raises(AuthzError, match="another business"):
            other.sign_in(business.owner_email, business.owner_password)
        assert not other.signed_in
        other.close()

    def test_a_superadmin_is_told_to_use_a_business_account(self, office: OfficeSession) -> None:
        with pytest.raises(AuthzError, match="operator account"):
            office.sign_in("ops@nova.example", ADMIN_PASSWORD)
        assert not office.signed_in

    def test_empty_fields_are_named_before_asking_the_server(self, office: OfficeSession) -> None:
        with pytest.raises(ValidationFailed) as empty:
            office.sign_in("  ", "x")
        assert empty.value.details == {"field": "email"}
        with pytest.raises(ValidationFailed) as no_password:
            office.sign_in("owner@kilo.example", "")
        assert no_password.value.details == {"field": "password"}


class TestSignOut:
    def test_signing_out_ends_the_session_on_the_server(
        self, office: OfficeSession, business: Business
    ) -> None:
        office.sign_in(business.owner_email, business.owner_password)
        token = office._client.token if office._client else None
        assert token
        office.sign_out()
        assert not office.signed_in
        r = business.shop.api.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401
        with pytest.raises(AuthnError, match="Sign in with your e-mail"):
            office.call(lambda c: c.locations())

    def test_nothing_of_the_session_is_written_to_the_apps_folders(
        self, office: OfficeSession, business: Business
    ) -> None:
        office.sign_in(business.owner_email, business.owner_password)
        token = office._client.token if office._client else ""
        assert token
        dirs = app_dirs()  # isolated per test by the root conftest
        files = [
            p
            for folder in (dirs.data, dirs.config, dirs.logs, dirs.cache)
            if folder.exists()
            for p in folder.rglob("*")
            if p.is_file()
        ]
        assert not [p for p in files if token.encode() in p.read_bytes()]

    def test_signing_out_offline_still_forgets_the_token(
        self, office: OfficeSession, business: Business
    ) -> None:
        office.sign_in(business.owner_email, business.owner_password)
        business.network.down = True
        office.sign_out()
        assert not office.signed_in
        assert office._client is not None
        assert office._client.token is None


class TestOffline:
    def test_signing_in_offline_says_so_and_marks_the_till_offline(
        self, office: OfficeSession, business: Business
    ) -> None:
        business.network.down = True
        with pytest.raises(ServerUnreachable, match="you are offline"):
            office.sign_in(business.owner_email, business.owner_password)
        assert not office.online
        assert office.why_not("locations.edit") == rules.OFFLINE
        assert office.why_not("catalog.edit") is None  # the outbox still takes catalog edits

    def test_losing_the_network_while_signed_in_disables_server_work(
        self, office: OfficeSession, business: Business
    ) -> None:
        office.sign_in(business.owner_email, business.owner_password)
        business.network.down = True
        with pytest.raises(ServerUnreachable):
            office.call(lambda c: c.locations())
        assert office.why_not("selling.edit") == rules.OFFLINE
        business.network.down = False
        assert office.probe()
        assert office.why_not("selling.edit") is None

    def test_an_unenrolled_till_has_no_server_work(self) -> None:
        lone = OfficeSession(None, None)
        assert lone.why_not("taxes.apply_preset") == rules.NOT_CONNECTED
        with pytest.raises(ServerUnreachable, match="not connected"):
            lone.sign_in("owner@kilo.example", "whatever-1")
