"""Selling rules: defaults, saving them, who may, and the `selling` document tills pull."""

from __future__ import annotations

from typing import Any

import pytest

from tests.syncserver.config.conftest import demote_owner_to_cashier, enroll, error, latest
from tests.syncserver.sync.conftest import Shop

URL = "/v1/selling-rules"
CHF_LIKE = {"prices_include_tax": False, "cash_rounding_minor": 5, "max_change_minor": 20000,
            "rounding": "half_even", "tax_rounding": "per_ticket"}  # fmt: skip


class TestSellingRulesApi:
    def test_defaults_then_saved(self, shop: Shop) -> None:
        first = shop.api.get(URL, headers=shop.headers)
        assert first.status_code == 200
        assert first.json() == {"prices_include_tax": True, "cash_rounding_minor": 1,
                                "max_change_minor": 50000, "rounding": "half_up",
                                "tax_rounding": "per_line"}  # fmt: skip
        saved = shop.api.put(URL, headers=shop.headers, json=CHF_LIKE)
        assert saved.status_code == 200, saved.text
        assert saved.json() == CHF_LIKE
        assert shop.api.get(URL, headers=shop.headers).json() == CHF_LIKE
        assert shop.api.put(URL, headers=shop.headers, json=CHF_LIKE).status_code == 200
        trail = shop.api.get("/v1/audit-events", headers=shop.headers,
                             params={"action": "selling.changed"}).json()["items"]  # fmt: skip
        assert len(trail) == 1  # saving the rules in place records nothing

    @pytest.mark.parametrize(
        "bad",
        [
            {"rounding": "up"},
            {"tax_rounding": "never"},
            {"cash_rounding_minor": 0},
            {"max_change_minor": -1},
            {"cash_rounding_minor": "5"},
            {"prices_include_tax": "yes"},
        ],
    )
    def test_bad_values_are_refused(self, shop: Shop, bad: dict[str, Any]) -> None:
        r = shop.api.put(URL, headers=shop.headers, json={**CHF_LIKE, **bad})
        assert r.status_code == 422
        assert error(r)["code"] == "VALIDATION"

    def test_a_cashier_is_refused(self, shop: Shop) -> None:
        demote_owner_to_cashier(shop)
        r = shop.api.put(URL, headers=shop.headers, json=CHF_LIKE)
        assert r.status_code == 403
        assert error(r)["details"]["permission"] == "settings.manage"


class TestSellingDocument:
    def test_a_till_pulls_the_rules_and_each_change(self, shop: Shop) -> None:
        till, _ = enroll(shop)
        changes, cursor = till.pull_all()
        doc = latest(changes, "selling", "tenant")
        assert doc is not None
        assert doc["body"] == {"currency": "EUR", "prices_include_tax": True,
                               "cash_rounding_minor": 1, "max_change_minor": 50000,
                               "rounding": "half_up", "tax_rounding": "per_line"}  # fmt: skip
        shop.api.put(URL, headers=shop.headers, json=CHF_LIKE)
        changes, cursor = till.pull_all(cursor)
        doc = latest(changes, "selling", "tenant")
        assert doc is not None
        assert doc["body"] == {"currency": "EUR", **CHF_LIKE}
        shop.api.put(URL, headers=shop.headers, json=CHF_LIKE)
        changes, _ = till.pull_all(cursor)
        assert latest(changes, "selling", "tenant") is None  # nothing changed, nothing sent
