"""The set-up desk against a real server: each path to an enrolled, synced till, and each bad
input refused at its field with nothing half-enrolled (a retry then works)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from desktop.setup.desk import SetupDesk, Stage
from desktop.setup.errors import SetupField, field_of
from desktop.setup.server_probe import NOT_NOVA, normalize
from desktop.sync.credentials import CredentialStore
from desktop.sync.engine import load_state
from desktop.till.runner import Runner
from shared.errors import AuthnError, NovaError, Unavailable, ValidationFailed
from syncserver.devices import service as devices_service
from tests.desktop.setup.conftest import OWNER_EMAIL, OWNER_PASSWORD
from tests.desktop.sync.conftest import Server


def refused(call: object, field: SetupField) -> NovaError:
    assert callable(call)
    with pytest.raises(NovaError) as caught:
        call()
    assert field_of(caught.value) is field, caught.value
    return caught.value


def html_transport() -> httpx.MockTransport:
    """A web server that is not Nova: every path answers a page of HTML."""
    return httpx.MockTransport(
        lambda _request: httpx.Response(200, text="<html><body>Router login</body></html>")
    )


class TestServerAddress:
    def test_an_address_without_scheme_or_with_a_trailing_slash_is_accepted(self) -> None:
        assert normalize(" nova.example:8700/ ") == "http://nova.example:8700"
        assert normalize("https://nova.example/") == "https://nova.example"

    def test_a_nova_server_answers_with_its_version(self, desk: SetupDesk) -> None:
        info = desk.check_server("testserver/")
        assert info.url == "http://testserver"
        assert info.version

    def test_a_server_that_is_not_nova_is_refused_at_the_server_field(
        self, runner: Runner, store: CredentialStore
    ) -> None:
        desk = SetupDesk(runner, store, transport=html_transport())
        error = refused(lambda: desk.check_server("router.local"), SetupField.SERVER)
        assert error.message == NOT_NOVA

    def test_an_unreachable_server_names_the_host(
        self, runner: Runner, store: CredentialStore
    ) -> None:
        desk = SetupDesk(runner, store)  # a real socket: nothing listens on port 1
        error = refused(lambda: desk.check_server("127.0.0.1:1"), SetupField.SERVER)
        assert isinstance(error, Unavailable)
        assert error.message == "Cannot reach 127.0.0.1:1: check the address and the network"

    def test_an_empty_or_malformed_address_is_refused(self, desk: SetupDesk) -> None:
        refused(lambda: desk.check_server("  "), SetupField.SERVER)
        refused(lambda: desk.check_server("ftp://files.example"), SetupField.SERVER)
        refused(lambda: desk.check_server("nova.example:port"), SetupField.SERVER)


class TestOwnerPath:
    def test_sign_in_create_a_location_enroll_and_sync(
        self, desk: SetupDesk, server: Server, store: CredentialStore
    ) -> None:
        desk.check_server("testserver")
        locations = desk.sign_in_owner(email=OWNER_EMAIL, password=OWNER_PASSWORD)
        assert [str(x.id) for x in locations] == [server.location]
        market = desk.create_location(code="market", name="Market Street")
        assert market.code == "MARKET"
        enrolled = desk.enroll_as_owner(location=market, till_name="Counter 1")
        assert enrolled.location == market
        state = desk.runner.read(load_state)
        assert state is not None
        assert store.load(str(state.device_id))
        assert desk.first_sync() is True  # the selling settings came with it
        assert desk.stage() is Stage.READY
        state = desk.runner.read(load_state)
        assert state is not None
        assert state.location_id == market.id
        devices = server.api.get("/v1/devices", headers=server.headers).json()
        assert [d["name"] for d in devices] == ["Counter 1"]

    def test_a_wrong_password_is_refused_at_the_password_field_and_a_retry_works(
        self, desk: SetupDesk
    ) -> None:
        desk.check_server("testserver")
        error = refused(
            lambda: desk.sign_in_owner(email=OWNER_EMAIL, password="not-it"),
            SetupField.PASSWORD,
        )
        assert isinstance(error, AuthnError)
        assert error.message == "Wrong e-mail or password"
        assert desk.sign_in_owner(email=OWNER_EMAIL, password=OWNER_PASSWORD)

    def test_empty_inputs_are_refused_at_their_fields(self, desk: SetupDesk) -> None:
        desk.check_server("testserver")
        refused(lambda: desk.sign_in_owner(email=" ", password="x"), SetupField.EMAIL)
        refused(lambda: desk.sign_in_owner(email=OWNER_EMAIL, password=""), SetupField.PASSWORD)
        (main,) = desk.sign_in_owner(email=OWNER_EMAIL, password=OWNER_PASSWORD)
        refused(lambda: desk.create_location(code="", name="X"), SetupField.LOCATION_CODE)
        refused(lambda: desk.create_location(code="X", name=" "), SetupField.LOCATION_NAME)
        refused(lambda: desk.create_location(code="a b", name="X"), SetupField.LOCATION_CODE)
        refused(lambda: desk.create_location(code=main.code, name="X"), SetupField.LOCATION_CODE)
        refused(lambda: desk.enroll_as_owner(location=main, till_name=""), SetupField.NAME)
        assert desk.runner.read(load_state) is None  # nothing half-enrolled


class TestManagerCode:
    def test_a_code_enrolls_the_till_at_the_codes_location(
        self, desk: SetupDesk, server: Server
    ) -> None:
        desk.check_server("testserver")
        enrolled = desk.enroll_with_code(code=server.code(), till_name="Back counter")
        assert enrolled.location is None
        desk.first_sync()
        state = desk.runner.read(load_state)
        assert state is not None
        assert str(state.location_id) == server.location

    def test_a_used_or_wrong_code_is_refused_at_the_code_field_and_a_new_one_works(
        self, desk: SetupDesk, server: Server
    ) -> None:
        code = server.code()
        server.api.post("/v1/devices/enroll", json={"code": code, "name": "Other till"})
        desk.check_server("testserver")
        error = refused(
            lambda: desk.enroll_with_code(code=code, till_name="Counter"), SetupField.CODE
        )
        assert "expired or already used" in error.message
        refused(
            lambda: desk.enroll_with_code(code="WRONG-CODE1", till_name="Counter"),
            SetupField.CODE,
        )
        refused(lambda: desk.enroll_with_code(code="", till_name="Counter"), SetupField.CODE)
        assert desk.runner.read(load_state) is None  # nothing half-enrolled
        desk.enroll_with_code(code=server.code(), till_name="Counter")
        assert desk.runner.read(load_state) is not None

    def test_an_expired_code_is_refused_at_the_code_field(
        self, desk: SetupDesk, server: Server, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        desk.check_server("testserver")
        desk.sign_in_owner(email=OWNER_EMAIL, password=OWNER_PASSWORD)
        code = desk._owner().enrollment_code(uuid.UUID(server.location))  # lives 10 minutes
        later = datetime.now(UTC) + timedelta(minutes=11)
        monkeypatch.setattr(devices_service, "now", lambda: later)  # the server's clock moved on
        error = refused(
            lambda: desk.enroll_with_code(code=code, till_name="Counter"), SetupField.CODE
        )
        assert "expired" in error.message
        assert desk.runner.read(load_state) is None

    def test_a_name_taken_by_another_till_is_refused_at_the_name_field(
        self, desk: SetupDesk, server: Server
    ) -> None:
        server.enroll("Counter 1")
        desk.check_server("testserver")
        code = server.code()
        error = refused(
            lambda: desk.enroll_with_code(code=code, till_name="Counter 1"), SetupField.NAME
        )
        assert "already called Counter 1" in error.message
        assert desk.runner.read(load_state) is None
        desk.enroll_with_code(code=code, till_name="Counter 2")  # the code was not spent
        assert desk.runner.read(load_state) is not None


class TestFirstSync:
    def test_a_failed_first_sync_leaves_an_enrolled_till_that_resumes(
        self, desk: SetupDesk, server: Server, runner: Runner, store: CredentialStore
    ) -> None:
        desk.check_server("testserver")
        desk.enroll_with_code(code=server.code(), till_name="Counter")

        def offline(request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError("network down", request=request)

        cut_off = SetupDesk(runner, store, transport=httpx.MockTransport(offline))
        error = refused(cut_off.first_sync, SetupField.SYNC)
        assert "Try again" in error.message
        assert desk.stage() is Stage.SYNCING  # enrolled, waiting for its settings
        seen: list[float] = []
        desk.first_sync(seen.append)
        assert seen[0] == 0.0
        assert seen[-1] == 1.0

    def test_an_unenrolled_till_cannot_sync(self, desk: SetupDesk) -> None:
        refused(desk.first_sync, SetupField.SYNC)


def test_stage_of_a_fresh_till(desk: SetupDesk) -> None:
    assert desk.stage() is Stage.FRESH
    refused(lambda: desk.sign_in_owner(email="a@b.example", password="x"), SetupField.SERVER)
    with pytest.raises(ValidationFailed):
        desk.enroll_with_code(code="ABCDE-FGHJK", till_name="x")
