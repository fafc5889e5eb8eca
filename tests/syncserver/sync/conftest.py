"""Sync fixtures: an onboarded shop with enrolled tills, and builders of pushed mutations."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from shared.catalog_sync import EDIT_KIND
from shared.clock import HlcStamp
from shared.ids import uuid7
from shared.sync import PROTOCOL_VERSION
from syncserver.mail import MemoryMailSender
from syncserver.models import Location
from tests.syncserver.identity.conftest import api, mailer, onboard, rows  # noqa: F401


@dataclass
class Till:
    """A fake terminal: its replica id, credential and outbox numbering."""

    api: TestClient
    headers: dict[str, str]
    device_id: str
    replica_id: uuid.UUID = field(default_factory=uuid7)
    seq: int = 0
    epoch: str | None = None

    def handshake(self) -> dict[str, Any]:
        r = self.api.post(
            "/v1/sync/handshake",
            headers=self.headers,
            json={
                "replica_id": str(self.replica_id),
                "protocol_version": PROTOCOL_VERSION,
                "app_version": "test",
                "last_pushed_seq": self.seq,
            },
        )
        assert r.status_code == 200, r.text
        self.epoch = r.json()["epoch"]
        return dict(r.json())

    def mutation(self, kind: str, payload: dict[str, Any], entity: Any = None) -> dict[str, Any]:
        self.seq += 1
        return {
            "seq": self.seq,
            "id": str(uuid7()),
            "kind": kind,
            "schema_version": 1,
            "entity_id": str(entity or uuid7()),
            "payload": payload,
            "created_at": datetime.now(UTC).isoformat(),
        }

    def add_item(self, name: str = "Item", price_minor: int = 1190) -> uuid.UUID:
        """A catalog item created at this till and pushed (sales must name known items)."""
        item = uuid7()
        assert self.push([self.mutation(EDIT_KIND, item_edit(item, name, price_minor))]) == [
            "applied"
        ]
        return item

    def add_customer(self, name: str = "Customer") -> uuid.UUID:
        """A customer created at this till and pushed."""
        customer = uuid7()
        payload = {"id": str(customer), "name": name, "created_at": datetime.now(UTC).isoformat()}
        assert self.push([self.mutation("customer.created", payload, customer)]) == ["applied"]
        return customer

    def push_raw(self, mutations: list[dict[str, Any]]) -> Any:
        body = {"replica_id": str(self.replica_id), "epoch": self.epoch, "mutations": mutations}
        return self.api.post("/v1/sync/push", headers=self.headers, json=body)

    def push(self, mutations: list[dict[str, Any]]) -> list[str]:
        r = self.push_raw(mutations)
        assert r.status_code == 200, r.text
        return [x["status"] for x in r.json()["results"]]

    def pull(self, cursor: int = 0, limit: int = 1000) -> dict[str, Any]:
        params: dict[str, Any] = {"replica_id": str(self.replica_id), "cursor": cursor}
        params["limit"] = limit
        r = self.api.get("/v1/sync/pull", headers=self.headers, params=params)
        assert r.status_code == 200, r.text
        return dict(r.json())

    def pull_all(self, cursor: int = 0) -> tuple[list[dict[str, Any]], int]:
        changes: list[dict[str, Any]] = []
        while True:
            page = self.pull(cursor)
            changes += page["changes"]
            cursor = page["cursor"]
            if not page["more"]:
                return changes, cursor


@dataclass
class Shop:
    api: TestClient
    tenant: uuid.UUID
    headers: dict[str, str]
    location: str
    roles: dict[str, str]

    def code(self, location: str | None = None) -> str:
        """A one-time enrollment code for a location (the shop's own by default)."""
        r = self.api.post(
            "/v1/devices/enrollment-codes",
            headers=self.headers,
            json={"location_id": location or self.location},
        )
        assert r.status_code == 201, r.text
        return str(r.json()["code"])

    def enroll(self, name: str = "Till", location: str | None = None) -> Till:
        code = self.code(location)
        r = self.api.post("/v1/devices/enroll", json={"code": code, "name": name})
        assert r.status_code == 201, r.text
        cred = r.json()
        headers = {"Authorization": f"Device {cred['device']['id']}:{cred['secret']}"}
        till = Till(self.api, headers, cred["device"]["id"])
        till.handshake()
        return till

    def hire(self, code: str, pin: str = "2468", role: str = "cashier") -> dict[str, Any]:
        body = {"name": f"Person {code}", "code": code, "pin": pin}
        body["roles"] = [{"role_id": self.roles[role]}]  # type: ignore[assignment]
        r = self.api.post("/v1/staff", headers=self.headers, json=body)
        assert r.status_code == 201, r.text
        return dict(r.json())


def open_shop(client: TestClient, mail: MemoryMailSender, db_url: str, name: str) -> Shop:
    """An approved, signed-in business with its default location and roles."""
    tenant, headers = onboard(client, mail, name)
    (location,) = rows(db_url, select(Location.id).where(Location.tenant_id == tenant))
    roles = {r["name"]: r["id"] for r in client.get("/v1/roles", headers=headers).json()}
    return Shop(client, tenant, headers, str(location.id), roles)


@pytest.fixture
def shop(api: TestClient, mailer: MemoryMailSender, db_url: str) -> Shop:  # noqa: F811
    return open_shop(api, mailer, db_url, "Sierra")


def item_edit(item: uuid.UUID, name: str = "Item", price_minor: int = 1190) -> dict[str, Any]:
    """A `catalog.edited` payload creating an item, as a till's back office writes it."""
    stamp = HlcStamp(int(datetime.now(UTC).timestamp() * 1000), 0, "testtill").encode()
    fields = {"name": name, "sku": f"SKU-{str(item)[-8:]}", "price_minor": price_minor,
              "currency": "EUR", "tax_class": "standard", "active": True}  # fmt: skip
    return {"entity": "cat.item", "id": str(item), "stamp": stamp, "fields": fields,
            "base": dict.fromkeys(fields)}  # fmt: skip


def sale(
    *, receipt: str, gross: int = 1190, item: uuid.UUID | None = None, customer: Any = None
) -> dict[str, Any]:
    """A `ticket.finalized` payload shaped like the terminal's (desktop/sales/checkout.py):
    one line of `gross` with 190 of tax at 19 %; `item` and `customer` must be on record."""
    ticket = uuid7()
    now = datetime.now(UTC).isoformat()
    payload: dict[str, Any] = {
        "ticket_id": str(ticket),
        "receipt_no": receipt,
        "shift_id": str(uuid7()),
        "cashier_id": None,
        "currency": "EUR",
        "closed_at": now,
        "net_minor": gross - 190,
        "tax_minor": 190,
        "gross_minor": gross,
        "lines": [
            {
                "id": str(uuid7()),
                **({"item_id": str(item)} if item is not None else {}),
                "name": "Item",
                "quantity": "1",
                "unit_price_minor": gross,
                "tax_class": "standard",
                "gross_minor": gross,
                "tax_minor": 190,
                "taxes": [["VAT19", "19", 190]],
            }
        ],
        "tenders": [{"id": str(uuid7()), "kind": "cash", "amount_minor": gross}],
        "movements": [],
        "loyalty": [],
    }
    if item is not None:
        payload["movements"] = [{"id": str(uuid7()), "item_id": str(item), "qty_milli": -1000}]
    if customer is not None:
        payload["loyalty"] = [loyalty_entry(customer, 11)]
    return payload


def loyalty_entry(customer: Any, points: int, kind: str = "earn") -> dict[str, Any]:
    return {
        "id": str(uuid7()),
        "customer_id": str(customer),
        "kind": kind,
        "points": points,
        "at": datetime.now(UTC).isoformat(),
        "origin": "test",
    }


def refund(original: dict[str, Any], *, receipt: str, gross: int) -> dict[str, Any]:
    return {
        "ticket_id": str(uuid7()),
        "refund_of": original["ticket_id"],
        "receipt_no": receipt,
        "gross_minor": -gross,
        "tender": "cash",
        "closed_at": datetime.now(UTC).isoformat(),
        "lines": [],
        "movements": [],
        "loyalty": [],
    }
