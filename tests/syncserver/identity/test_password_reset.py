"""Password reset by one-time token, and signing out everywhere."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from syncserver.mail import MemoryMailSender
from tests.syncserver.identity.conftest import ADMIN_PASSWORD, login

ADMIN = "ops@nova.example"


def reset_token(mailer: MemoryMailSender) -> str:
    match = re.search(r"token=([\w-]+)", mailer.sent[-1].body)
    assert match is not None
    return match.group(1)


class TestPasswordReset:
    def test_reset_sets_a_new_password_ends_sessions_and_works_once(
        self, api: TestClient, mailer: MemoryMailSender
    ) -> None:
        old_session = login(api, ADMIN, ADMIN_PASSWORD)["token"]
        r = api.post("/v1/auth/password-reset/request", json={"email": ADMIN})
        assert r.status_code == 202
        token = reset_token(mailer)
        weak = api.post(
            "/v1/auth/password-reset/confirm", json={"token": token, "password": "short"}
        )
        assert weak.status_code == 422
        ok = api.post(
            "/v1/auth/password-reset/confirm", json={"token": token, "password": "brand-new-pass-7"}
        )
        assert ok.status_code == 200
        again = api.post(
            "/v1/auth/password-reset/confirm", json={"token": token, "password": "another-pass-8"}
        )
        assert again.status_code == 401
        assert (
            api.post(
                "/v1/auth/logout", headers={"Authorization": f"Bearer {old_session}"}
            ).status_code
            == 401
        )
        assert "token" in login(api, ADMIN, "brand-new-pass-7")
        assert login(api, ADMIN, ADMIN_PASSWORD)["error"]["code"] == "AUTHN"

    def test_unknown_address_gets_the_same_answer_and_no_mail(
        self, api: TestClient, mailer: MemoryMailSender
    ) -> None:
        known = api.post("/v1/auth/password-reset/request", json={"email": ADMIN})
        unknown = api.post("/v1/auth/password-reset/request", json={"email": "nobody@x.example"})
        assert known.json() == unknown.json()
        assert len(mailer.sent) == 1

    def test_reset_lifts_a_lockout(self, api: TestClient, mailer: MemoryMailSender) -> None:
        for _ in range(5):
            login(api, ADMIN, "wrong-pass-123")
        api.post("/v1/auth/password-reset/request", json={"email": ADMIN})
        api.post(
            "/v1/auth/password-reset/confirm",
            json={"token": reset_token(mailer), "password": "fresh-start-99"},
        )
        assert "token" in login(api, ADMIN, "fresh-start-99")


def test_revoke_all_signs_out_everywhere(api: TestClient) -> None:
    tokens = [login(api, ADMIN, ADMIN_PASSWORD)["token"] for _ in range(3)]
    r = api.post("/v1/auth/sessions/revoke-all", headers={"Authorization": f"Bearer {tokens[0]}"})
    assert r.json() == {"revoked": 3}
    for token in tokens:
        assert (
            api.post("/v1/auth/logout", headers={"Authorization": f"Bearer {token}"}).status_code
            == 401
        )
