"""The till configures itself from the enrollment answer and the pulled documents."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from desktop.db.engine import make_terminal_engine
from desktop.db.migrate import upgrade_terminal
from desktop.db.uow import UnitOfWork
from desktop.sales.config import SellingConfig, configure, load
from desktop.sync.inbound import apply_changes
from desktop.sync.till_config import location, remember_enrollment, till_name
from desktop.till.runner import Runner
from shared.errors import Conflict
from shared.money import RoundingMode
from shared.sync import Change, ChangeOp
from shared.tax import TaxRounding
from tests.desktop.sync.conftest import Server, enroll

HERE = uuid.UUID("01900000-0000-7000-8000-00000000000a")
ELSEWHERE = uuid.UUID("01900000-0000-7000-8000-00000000000b")
SELLING = {
    "currency": "GBP",
    "prices_include_tax": False,
    "cash_rounding_minor": 5,
    "max_change_minor": 10_000,
    "rounding": "half_even",
    "tax_rounding": "per_ticket",
}


def doc(seq: int, entity: str, entity_id: str, body: dict[str, object]) -> Change:
    return Change(seq=seq, entity=entity, entity_id=entity_id, op=ChangeOp.UPSERT, body=body)


def place(location_id: uuid.UUID, code: str) -> dict[str, object]:
    return {
        "id": str(location_id),
        "code": code,
        "name": f"Shop {code}",
        "address_lines": ["1 High Street", "Leeds"],
        "timezone": "Europe/London",
    }


def enrolled(uow: UnitOfWork) -> None:
    remember_enrollment(
        uow,
        terminal_code="t03",
        location={"id": str(HERE), "code": "LEEDS", "name": "Shop LEEDS"},
    )


def test_an_enrolled_till_cannot_sell_until_the_selling_rules_arrive(uow: UnitOfWork) -> None:
    enrolled(uow)
    with pytest.raises(Conflict):
        load(uow)
    apply_changes(uow, [doc(1, "selling", "tenant", SELLING)], HERE)
    assert load(uow) == SellingConfig(
        terminal_code="T03",
        currency="GBP",
        prices_include_tax=False,
        rounding=RoundingMode.HALF_EVEN,
        tax_rounding=TaxRounding.PER_TICKET,
        max_change_minor=10_000,
        location_code="LEEDS",
        cash_rounding_minor=5,
    )


def test_the_location_document_fills_in_the_address_and_a_changed_rule_reconfigures(
    uow: UnitOfWork,
) -> None:
    enrolled(uow)
    apply_changes(
        uow,
        [
            doc(1, "location", str(HERE), place(HERE, "LEEDS")),
            doc(2, "location", str(ELSEWHERE), place(ELSEWHERE, "YORK")),  # not this till's
            doc(3, "selling", "tenant", SELLING),
        ],
        HERE,
    )
    here = location(uow)
    assert here is not None
    assert (here.code, here.timezone, here.address_lines) == (
        "LEEDS",
        "Europe/London",
        ("1 High Street", "Leeds"),
    )
    apply_changes(uow, [doc(4, "selling", "tenant", {**SELLING, "cash_rounding_minor": 10})], HERE)
    assert load(uow).cash_rounding_minor == 10
    assert load(uow).location_code == "LEEDS"


def test_a_till_configured_before_enrollment_keeps_its_receipt_series(uow: UnitOfWork) -> None:
    configure(uow, SellingConfig(terminal_code="K7", currency="GBP"))
    enrolled(uow)
    apply_changes(uow, [doc(1, "selling", "tenant", SELLING)], HERE)
    config = load(uow)
    assert (config.terminal_code, config.cash_rounding_minor) == ("K7", 5)


def test_a_fresh_till_enrolled_with_a_real_server_is_ready_to_sell_after_its_first_sync(
    server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    """No local seeding: the code, currency, rules and location all come from the server."""
    runner = Runner(make_terminal_engine(terminal_db))
    first = enroll(server, runner, tmp_path / "a", "Front")
    with pytest.raises(Conflict):
        runner.read(load)
    first.sync()
    config = runner.read(load)
    assert (config.terminal_code, config.currency, config.location_code) == ("T01", "EUR", "MAIN")
    assert config.prices_include_tax is True
    assert runner.read(till_name) == "Front"  # the Z report prints it beside the code
    other = Runner(make_terminal_engine(tmp_path / "second.db"))
    upgrade_terminal(tmp_path / "second.db")
    enroll(server, other, tmp_path / "b", "Back").sync()
    assert other.read(load).terminal_code == "T02"  # unique in the business
    runner.engine.dispose()
    other.engine.dispose()
