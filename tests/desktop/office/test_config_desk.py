"""The business set-up desk against a real server (SQLite and Postgres): what it checks itself,
what it leaves to the server, and that nothing runs when the rules say no."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.net.http import ServerUnreachable
from desktop.office import rules
from desktop.office.config_desk import ConfigDesk, field_of, plain
from desktop.office.session import OfficeSession
from shared.errors import AuthnError, AuthzError, Conflict, ValidationFailed
from tests.desktop.office.conftest import STAFF_PASSWORD, Business


class TestTaxes:
    def test_a_us_preset_needs_the_local_rate_and_writes_it(self, desk: ConfigDesk) -> None:
        with pytest.raises(ValidationFailed) as no_rate:
            desk.apply_preset("US")
        assert field_of(no_rate.value) == "rate_percent"
        classes = {c.code: c for c in desk.apply_preset("US", rate_percent="8.875")}
        assert classes["TAX"].rates[0].percent == Decimal("8.875")
        assert classes["EXEMPT"].rates == ()
        assert desk.selling_rules().prices_include_tax is False

    def test_applying_a_preset_twice_changes_nothing(self, desk: ConfigDesk) -> None:
        first = desk.apply_preset("FR")
        assert desk.apply_preset("FR") == first
        assert {c.code for c in first} >= {"STD", "INTER", "REDUCED"}

    def test_a_percent_of_100_or_more_is_named_before_the_server(self, desk: ConfigDesk) -> None:
        desk.apply_preset("DE")
        with pytest.raises(ValidationFailed) as bad:
            desk.save_rates("STD", {"VAT19": "100"})
        assert field_of(bad.value) == "VAT19"


class TestLocations:
    def test_a_code_already_taken_is_the_servers_conflict(self, desk: ConfigDesk) -> None:
        desk.create_location(code="north", name="North", address="", timezone="")
        with pytest.raises(Conflict):
            desk.create_location(code="NORTH", name="North again", address="", timezone="")

    def test_too_many_address_lines_are_named(self, desk: ConfigDesk) -> None:
        with pytest.raises(ValidationFailed) as bad:
            desk.create_location(code="X1", name="X", address="a\nb\nc\nd\ne", timezone="")
        assert field_of(bad.value) == "address_lines"
        assert plain(bad.value).startswith("At most 4 lines")


class TestGuard:
    def test_nothing_runs_signed_out(self, office: OfficeSession) -> None:
        desk = ConfigDesk(office)
        with pytest.raises(AuthnError, match=rules.SIGN_IN):
            desk.create_location(code="X1", name="X", address="", timezone="")

    def test_nothing_runs_offline(self, desk: ConfigDesk, business: Business) -> None:
        business.network.down = True
        with pytest.raises(ServerUnreachable):
            desk.selling_rules()
        with pytest.raises(ServerUnreachable, match="you are offline"):
            desk.create_location(code="X1", name="X", address="", timezone="")
        business.network.down = False
        assert desk.session.probe()
        assert "X1" not in [loc.code for loc in desk.locations()]  # nothing was half-done

    def test_a_manager_is_stopped_before_the_server_for_locations(
        self, office: OfficeSession, business: Business
    ) -> None:
        business.hire("43", "manager", "max@kilo.example")
        office.sign_in("max@kilo.example", STAFF_PASSWORD)
        desk = ConfigDesk(office)
        with pytest.raises(AuthzError, match=r"locations\.manage"):
            desk.create_location(code="X1", name="X", address="", timezone="")
        saved = desk.save_selling_rules(
            desk.selling_rules(),
            prices_include_tax=True,
            cash_rounding_minor=10,
            max_change="50",
            rounding="half_up",
        )
        assert saved.cash_rounding_minor == 10
        assert saved.max_change_minor == 5000
