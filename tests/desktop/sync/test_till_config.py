"""The till configures itself from the enrollment answer and the pulled documents."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.catalog.service import tax_rates
from desktop.db.engine import make_terminal_engine
from desktop.db.migrate import upgrade_terminal
from desktop.db.uow import UnitOfWork
from desktop.sales.config import SellingConfig, configure, load
from desktop.sync.credentials import CredentialStore
from desktop.sync.inbound import apply_changes
from desktop.sync.setup import enroll_terminal
from desktop.sync.till_config import location, remember_enrollment, till_name
from desktop.till.counter import Counter
from desktop.till.runner import Runner
from shared.errors import Conflict
from shared.money import Money, RoundingMode
from shared.sync import Change, ChangeOp
from shared.tax import TaxRate, TaxRounding
from tests.desktop.sync.conftest import SERVER, Link, Server, enroll

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


def test_a_till_takes_its_locations_own_tax_rates_and_not_another_shops(
    server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    """The business taxes STD at 19 %; this shop (MAIN) at 20 %, another shop at 7 %."""
    api, headers = server.api, server.headers
    assert api.post("/v1/tax/presets/DE/apply", headers=headers).status_code == 200
    assert api.post("/v1/locations", headers=headers, json={"code": "WIEN", "name": "Wien"})
    for code, percent in (("MAIN", "20"), ("WIEN", "7")):
        body = {"rates": [{"code": f"VAT{percent}", "percent": percent}]}
        r = api.put(f"/v1/catalog/tax-classes/STD/locations/{code}", headers=headers, json=body)
        assert r.status_code == 200, r.text
    runner = Runner(make_terminal_engine(terminal_db))
    link = enroll(server, runner, tmp_path / "a", "Front")
    link.sync()
    assert runner.read(lambda u: tax_rates(u, "STD")) == (TaxRate("VAT20", Decimal(20)),)
    assert runner.read(lambda u: tax_rates(u, "REDUCED")) == (TaxRate("VAT7", Decimal(7)),)
    r = api.delete("/v1/catalog/tax-classes/STD/locations/MAIN", headers=headers)
    assert r.status_code == 200, r.text
    link.sync()
    assert runner.read(lambda u: tax_rates(u, "STD")) == (TaxRate("VAT19", Decimal(19)),)
    runner.engine.dispose()


def test_a_till_at_a_location_in_another_currency_sells_only_its_items(
    server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    """A euro business opens a London shop in pounds: its till sells in GBP and offers only the
    items priced in GBP."""
    api, headers = server.api, server.headers
    assert api.post("/v1/tax/presets/DE/apply", headers=headers).status_code == 200
    body = {"code": "LDN", "name": "London", "currency": "GBP", "timezone": "Europe/London"}
    london = api.post("/v1/locations", headers=headers, json=body).json()
    for sku, price, currency in (("TEA-GB", "2.40", "GBP"), ("TEA-DE", "2.90", None)):
        item = {"sku": sku, "name": f"Tea {sku}", "price": price, "tax_class": "STD",
                "currency": currency}  # fmt: skip
        r = api.post("/v1/catalog/items", headers=headers, json=item)
        assert r.status_code == 201, r.text
    runner = Runner(make_terminal_engine(terminal_db))
    store = CredentialStore(tmp_path / "a")
    enroll_terminal(
        runner, store, server_url=SERVER, code=server.code(london["id"]), name="L1",
        transport=server.transport(),
    )  # fmt: skip
    Link(runner, store, server.transport()).sync()
    config = runner.read(load)
    assert (config.currency, config.location_code) == ("GBP", "LDN")
    counter = Counter(runner)
    assert [t.name for t in counter.tiles(None)] == ["Tea TEA-GB"]
    assert [t.name for t in counter.search("tea")] == ["Tea TEA-GB"]
    runner.engine.dispose()


def test_a_price_set_for_this_location_on_the_server_is_the_tiles_and_the_tickets(
    server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    api, headers = server.api, server.headers
    assert api.post("/v1/tax/presets/DE/apply", headers=headers).status_code == 200
    body = {"sku": "TEA", "name": "Tea", "price": "2.40", "tax_class": "STD",
            "barcodes": ["4006381333931"]}  # fmt: skip
    item = api.post("/v1/catalog/items", headers=headers, json=body).json()["id"]
    r = api.put(f"/v1/catalog/items/{item}/locations/MAIN", headers=headers,
                json={"price": "2.10"})  # fmt: skip
    assert r.status_code == 200, r.text
    runner = Runner(make_terminal_engine(terminal_db))
    enroll(server, runner, tmp_path / "a", "Front").sync()
    counter = Counter(runner)
    assert [t.price for t in counter.tiles(None)] == [Money("2.10", "EUR")]
    assert counter.lookup("4006381333931").price == Money("2.10", "EUR")
    runner.engine.dispose()
