"""What the Staff & roles window asks of the server beyond hiring: weak PINs refused with the
rule, a new PIN, a new name, the e-mail lock lifted, a role renamed, and a held role's deletion
refused by name — each audited."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.pins import PIN_RULE, is_weak
from syncserver.mail import MemoryMailSender
from tests.syncserver.identity.conftest import login, onboard
from tests.syncserver.identity.test_staff_admin import audit, hire


@pytest.fixture
def lima(api: TestClient, mailer: MemoryMailSender) -> dict[str, Any]:
    _, h = onboard(api, mailer, "Lima")
    roles = {r["name"]: r["id"] for r in api.get("/v1/roles", headers=h).json()}
    return {"h": h, "roles": roles}


def test_the_weak_pin_rule() -> None:
    assert all(is_weak(p) for p in ("1111", "1234", "9876", "0123", "45678", "00000000"))
    assert not any(is_weak(p) for p in ("2580", "1357", "2468", "1112", "9870"))


@pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
def test_weak_pins_are_refused_with_the_rule(api: TestClient, lima: dict[str, Any]) -> None:
    h = lima["h"]
    body = {
        "name": "Weak",
        "code": "31",
        "pin": "1111",
        "roles": [{"role_id": lima["roles"]["cashier"]}],
    }
    refused = api.post("/v1/staff", headers=h, json=body)
    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == PIN_RULE
    assert refused.json()["error"]["details"] == {"field": "pin"}
    person = hire(api, lima, "32")
    for pin in ("1234", "98765", "12"):
        r = api.put(f"/v1/staff/{person['id']}/pin", headers=h, json={"pin": pin})
        assert r.status_code == 422, pin
        assert r.json()["error"]["details"] == {"field": "pin"}
    assert "31" not in {s["code"] for s in api.get("/v1/staff", headers=h).json()}


def test_pin_name_unlock_and_roles_change_audited(api: TestClient, lima: dict[str, Any]) -> None:
    h = lima["h"]
    person = hire(api, lima, "41")
    pid = person["id"]
    assert api.put(f"/v1/staff/{pid}/pin", headers=h, json={"pin": "8052"}).status_code == 200
    (event,) = audit(api, lima, "staff.pin_changed")
    assert "8052" not in str(event)  # the audit never holds the PIN
    renamed = api.patch(f"/v1/staff/{pid}", headers=h, json={"name": "Ada Lovelace"})
    assert renamed.json()["name"] == "Ada Lovelace"
    (event,) = audit(api, lima, "staff.renamed")
    assert event["before"] == {"name": "Person 41"}
    assert api.post(f"/v1/staff/{pid}/unlock", headers=h).status_code == 200
    assert len(audit(api, lima, "staff.unlocked")) == 1

    cashier = lima["roles"]["cashier"]
    owner = lima["roles"]["owner"]
    taken = api.patch(f"/v1/roles/{cashier}", headers=h, json={"name": "owner"})
    assert taken.status_code == 409
    assert taken.json()["error"]["details"]["field"] == "name"
    till = api.patch(f"/v1/roles/{cashier}", headers=h, json={"name": "Till staff"})
    assert till.status_code == 200
    assert till.json()["name"] == "Till staff"
    assert "pos.sell" in till.json()["permissions"]
    (event,) = audit(api, lima, "role.renamed")
    assert event["after"] == {"name": "Till staff"}

    held = api.delete(f"/v1/roles/{cashier}", headers=h)
    assert held.status_code == 409
    assert held.json()["error"]["message"] == (
        "Ada Lovelace holds the role Till staff; give them another role first"
    )
    assert held.json()["error"]["details"]["names"] == ["Ada Lovelace"]
    assert api.delete(f"/v1/roles/{owner}", headers=h).status_code == 409


def test_an_e_mail_sign_in_given_changed_and_taken_away(
    api: TestClient, lima: dict[str, Any]
) -> None:
    h = lima["h"]
    person = hire(api, lima, "51", role="manager")
    url = f"/v1/staff/{person['id']}/email"
    no_password = api.put(url, headers=h, json={"email": "ana@lima.example"})
    assert no_password.status_code == 422
    assert no_password.json()["error"]["details"] == {"field": "password"}
    given = api.put(url, headers=h, json={"email": "ana@lima.example", "password": "Counter2580"})
    assert given.status_code == 200, given.text
    assert given.json()["email"] == "ana@lima.example"
    first = login(api, "ana@lima.example", "Counter2580")
    assert "token" in first

    # A new address keeps the password and ends the sessions of the old one.
    moved = api.put(url, headers=h, json={"email": "ana.b@lima.example"})
    assert moved.status_code == 200
    assert (
        api.get("/v1/me", headers={"Authorization": f"Bearer {first['token']}"}).status_code == 401
    )
    assert "token" not in login(api, "ana@lima.example", "Counter2580")
    assert "token" in login(api, "ana.b@lima.example", "Counter2580")

    taken = api.put(url, headers=h, json={"email": "owner@lima.example"})
    assert taken.status_code == 409
    assert taken.json()["error"]["details"] == {"field": "email"}

    removed = api.put(url, headers=h, json={"email": None})
    assert removed.json()["email"] is None
    assert "token" not in login(api, "ana.b@lima.example", "Counter2580")
    events = audit(api, lima, "staff.email_changed")
    assert [e["after"]["email"] for e in events] == [None, "ana.b@lima.example", "ana@lima.example"]
    assert "Counter2580" not in str(events)


def test_you_cannot_take_away_your_own_e_mail_sign_in(
    api: TestClient, lima: dict[str, Any]
) -> None:
    person = hire(api, lima, "52", role="owner")
    url = f"/v1/staff/{person['id']}/email"
    body = {"email": "max@lima.example", "password": "Counter2580"}
    assert api.put(url, headers=lima["h"], json=body).status_code == 200
    mine = {"Authorization": f"Bearer {login(api, 'max@lima.example', 'Counter2580')['token']}"}
    refused = api.put(url, headers=mine, json={"email": None})
    assert refused.status_code == 409
    assert "your own sign-in" in refused.json()["error"]["message"]
    # Changing your own password keeps you signed in: you are the one at the screen.
    again = api.put(url, headers=mine, json={**body, "password": "Drawer7531x"})
    assert again.status_code == 200
    assert api.get("/v1/me", headers=mine).status_code == 200
