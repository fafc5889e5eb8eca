"""The one table of back-office operations: what works offline and what needs the server."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.office import rules
from shared.navigation import SCREENS
from shared.permissions import ALL_PERMISSIONS, Permission

EVERYTHING = frozenset(ALL_PERMISSIONS)


class TestTable:
    def test_outbox_work_is_local_and_server_work_needs_the_server(self) -> None:
        local = {op.id for op in rules.OPERATIONS if op.needs is rules.Needs.LOCAL}
        assert local == {"catalog.edit", "inventory.adjust", "inventory.count",
                         "devices.printers"}  # fmt: skip
        for op in ("locations.edit", "taxes.apply_preset", "taxes.edit_rates", "selling.edit",
                   "staff.manage", "roles.manage", "tills.manage", "billing"):  # fmt: skip
            assert rules.needs_server(op), op

    def test_every_operation_names_a_real_screen_and_permission(self) -> None:
        screens = {s.id for s in SCREENS}
        for op in rules.OPERATIONS:
            assert op.screen in screens, op
            assert op.permission in ALL_PERMISSIONS, op

    def test_ids_are_unique(self) -> None:
        assert len(rules.BY_ID) == len(rules.OPERATIONS)


class TestWhyNot:
    @pytest.mark.parametrize("op", ["catalog.edit", "inventory.adjust", "devices.printers"])
    def test_local_work_runs_offline_and_signed_out(self, op: str) -> None:
        assert rules.why_not(op, connected=False, online=False, signed_in=False) is None

    def test_an_unenrolled_till_says_so(self) -> None:
        reason = rules.why_not("locations.edit", connected=False, online=False, signed_in=True)
        assert reason == rules.NOT_CONNECTED

    def test_offline_comes_before_signing_in(self) -> None:
        reason = rules.why_not("selling.edit", connected=True, online=False, signed_in=False)
        assert reason == "Needs the server: you are offline"

    def test_online_but_signed_out_asks_for_the_email_sign_in(self) -> None:
        reason = rules.why_not("taxes.apply_preset", connected=True, online=True, signed_in=False)
        assert reason == "Sign in with your e-mail to change this"

    def test_a_missing_permission_is_named(self) -> None:
        held = EVERYTHING - {Permission.LOCATIONS_MANAGE}
        reason = rules.why_not("locations.edit", connected=True, online=True, signed_in=True,
                               permissions=held)  # fmt: skip
        assert reason is not None
        assert "locations.manage" in reason

    def test_every_permission_the_server_asks_is_named(self) -> None:
        held = frozenset({Permission.SETTINGS_MANAGE})
        reason = rules.why_not("taxes.apply_preset", connected=True, online=True,
                               signed_in=True, permissions=held)  # fmt: skip
        assert reason == "Your account may not do this (it needs the catalog.edit permission)"

    def test_signed_in_online_with_the_permission_may_run(self) -> None:
        assert rules.why_not("locations.edit", connected=True, online=True, signed_in=True,
                             permissions=EVERYTHING) is None  # fmt: skip

    def test_an_unknown_operation_is_our_bug(self) -> None:
        with pytest.raises(KeyError):
            rules.why_not("nope", connected=True, online=True, signed_in=True)


class TestDocs:
    def test_docs_back_office_lists_the_table_as_the_code_has_it(self) -> None:
        text = (Path(__file__).parents[3] / "docs" / "back-office.md").read_text("utf-8")
        documented = {}
        for line in text.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 4 and cells[0].startswith("`") and cells[0].strip("`") in rules.BY_ID:
                held = frozenset(x.strip("`") for x in cells[3].split())
                documented[cells[0].strip("`")] = (cells[2].split(" ")[0], held)
        expected = {
            op.id: (op.needs.value, frozenset((op.permission, *op.also))) for op in rules.OPERATIONS
        }
        assert documented == expected
