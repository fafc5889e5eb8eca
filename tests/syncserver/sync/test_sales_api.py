"""`/v1/sales` (syncserver/sales/): a sale a till pushed, found by its receipt number and read
line by line with the modifiers chosen, its payments and tax per rate; refused to a person
without `reports.view`, invisible to another business — on SQLite and Postgres."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from shared.ids import uuid7
from syncserver.mail import MemoryMailSender
from tests.syncserver.config.conftest import demote_owner_to_cashier
from tests.syncserver.sync.conftest import Shop, open_shop, sale


def latte_with_oat(item: uuid.UUID) -> dict[str, object]:
    """A sale of one latte (3.40) with oat milk (+0.50): 3.90, the delta in the unit price."""
    payload = sale(receipt="T01-000007", gross=390, item=item)
    line = payload["lines"][0]  # type: ignore[index]
    oat = {"id": str(uuid7()), "name": "Oat", "price_delta_minor": 50}
    line.update({"name": "Latte", "unit_price_minor": 390, "modifiers": [oat]})
    return payload


def test_a_pushed_sale_shows_its_lines_and_modifiers(shop: Shop) -> None:
    till = shop.enroll()
    item = till.add_item("Latte", 340)
    payload = latte_with_oat(item)
    assert till.push([till.mutation("ticket.finalized", payload)]) == ["applied"]

    listed = shop.api.get("/v1/sales", headers=shop.headers, params={"receipt_no": "T01-000007"})
    assert listed.status_code == 200, listed.text
    (found,) = listed.json()
    assert (found["kind"], found["gross"], found["currency"]) == ("sale", "3.90", "EUR")
    assert found["id"] == payload["ticket_id"]

    r = shop.api.get(f"/v1/sales/{found['id']}", headers=shop.headers)
    assert r.status_code == 200, r.text
    detail = r.json()
    (line,) = detail["lines"]
    assert (line["name"], line["quantity"], line["unit_price"], line["item_id"]) == (
        "Latte", "1", "3.90", str(item))  # fmt: skip
    assert line["modifiers"] == [{"name": "Oat", "price_delta": "0.50"}]
    assert detail["payments"] == [{"kind": "cash", "amount": "3.90"}]
    assert detail["taxes"] == [{"rate_code": "VAT19", "rate_percent": "19", "tax": "1.90"}]
    assert shop.api.get("/v1/sales", headers=shop.headers,
                        params={"receipt_no": "T01-999999"}).json() == []  # fmt: skip


@pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
def test_only_people_who_see_reports_and_only_their_business(
    shop: Shop, api: TestClient, mailer: MemoryMailSender, db_url: str
) -> None:
    till = shop.enroll()
    payload = latte_with_oat(till.add_item("Latte", 340))
    assert till.push([till.mutation("ticket.finalized", payload)]) == ["applied"]
    path = f"/v1/sales/{payload['ticket_id']}"

    other = open_shop(api, mailer, db_url, "Tango")
    assert api.get(path, headers=other.headers).status_code == 404  # not even "it exists"
    assert api.get("/v1/sales", headers=other.headers).json() == []

    demote_owner_to_cashier(shop)
    refused = api.get(path, headers=shop.headers)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "AUTHZ"
