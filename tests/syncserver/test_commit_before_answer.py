"""A 2xx means committed: the request's transaction commits before the response leaves, so a
failed commit is an error answer, never a success for data that does not exist."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session


@pytest.mark.allow_warnings  # the crash is logged, as it should be
def test_a_failed_commit_is_not_answered_with_success(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    committed = Session.commit

    def broken(_self: Session, *_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Session, "commit", broken)
    r = client.post(
        "/v1/auth/register",
        json={
            "business_name": "Commit Café", "owner_name": "Cora", "email": "cora@c.example",
            "password": "a-long-pass-42", "country": "DE", "currency": "EUR",
            "timezone": "Europe/Berlin",
        },
    )  # fmt: skip
    monkeypatch.setattr(Session, "commit", committed)
    assert r.status_code == 500
    assert r.json()["error"]["code"] == "INTERNAL"
