"""Business settings: defaults, an owner's change (validated, audited), one business each."""

from __future__ import annotations

from fastapi.testclient import TestClient

from syncserver.mail import MemoryMailSender
from tests.syncserver.identity.conftest import onboard

URL = "/v1/business/settings"
GOOD = {
    "receipt_name": "  Café Lima  ",
    "address_lines": ["Rua Augusta 12", "", "1100-053 Lisboa"],
    "tax_id": "PT 123 456 789",
    "receipt_footer": "Obrigado!",
}


def test_defaults_then_an_owner_changes_them_and_it_is_audited(
    api: TestClient, mailer: MemoryMailSender
) -> None:
    _, h = onboard(api, mailer, "Lima")
    first = api.get(URL, headers=h).json()
    assert first["receipt_footer"] == "Thank you!"
    assert first["receipt_name"]  # the registered business name
    saved = api.put(URL, headers=h, json=GOOD)
    assert saved.status_code == 200, saved.text
    expected = {
        "receipt_name": "Café Lima",
        "address_lines": ["Rua Augusta 12", "1100-053 Lisboa"],
        "tax_id": "PT 123 456 789",
        "receipt_footer": "Obrigado!",
    }
    assert saved.json() == expected
    assert api.get(URL, headers=h).json() == expected
    trail = api.get("/v1/audit-events", headers=h, params={"action": "settings.changed"}).json()
    assert trail["items"][0]["after"]["receipt_name"] == "Café Lima"

    _, other = onboard(api, mailer, "Mike")
    assert api.get(URL, headers=other).json()["receipt_footer"] == "Thank you!"
    assert api.get(URL).status_code == 401


def test_bad_settings_are_validation_errors(api: TestClient, mailer: MemoryMailSender) -> None:
    _, h = onboard(api, mailer, "Lima")
    for body in (
        {**GOOD, "receipt_name": ""},
        {**GOOD, "address_lines": ["a", "b", "c", "d", "e"]},
        {**GOOD, "address_lines": ["x" * 49]},
        {**GOOD, "receipt_footer": "x" * 201},
    ):
        r = api.put(URL, headers=h, json=body)
        assert r.status_code == 422, body
        assert r.json()["error"]["code"] == "VALIDATION"
