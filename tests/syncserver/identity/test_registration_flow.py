"""Register -> approve -> activate -> sign in, on Postgres and SQLite, with every refusal."""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from nova.cli import main
from syncserver.mail import MemoryMailSender
from syncserver.models import AuditEvent, Location, Role, TenantModule, User, UserRole
from tests.syncserver.identity.conftest import ADMIN_PASSWORD, OWNER, admin_headers, login, rows


class TestHappyPath:
    def test_register_approve_activate_login_logout(
        self, api: TestClient, mailer: MemoryMailSender, db_url: str
    ) -> None:
        r = api.post("/v1/auth/register", json=OWNER)
        assert r.status_code == 201
        reg = r.json()
        assert (reg["status"], reg["email"], reg["tenant_id"]) == ("pending", OWNER["email"], None)
        assert "password" not in r.text

        headers = admin_headers(api)
        pending = api.get("/v1/superadmin/registrations", headers=headers).json()
        assert [p["id"] for p in pending] == [reg["id"]]
        r = api.post(
            f"/v1/superadmin/registrations/{reg['id']}/decision",
            json={"decision": "approve"},
            headers=headers,
        )
        assert r.status_code == 200
        tenant_id = uuid.UUID(r.json()["tenant_id"])
        assert r.json()["status"] == "approved"

        not_yet = api.post(
            "/v1/auth/login", json={"email": OWNER["email"], "password": OWNER["password"]}
        )
        assert not_yet.status_code == 401
        assert "activation link" in not_yet.json()["error"]["message"]

        (mail,) = mailer.sent
        assert mail.to == OWNER["email"]
        token = re.search(r"token=([\w-]+)", mail.body).group(1)  # type: ignore[union-attr]
        assert api.post("/v1/auth/activate", json={"token": token}).status_code == 200
        reused = api.post("/v1/auth/activate", json={"token": token})
        assert reused.status_code == 401

        session = login(api, OWNER["email"], OWNER["password"])
        assert session["user"]["tenant_id"] == str(tenant_id)
        bearer = {"Authorization": f"Bearer {session['token']}"}
        assert api.post("/v1/auth/logout", headers=bearer).status_code == 204
        assert api.post("/v1/auth/logout", headers=bearer).status_code == 401

        roles = {r.name for r in rows(db_url, select(Role.name).where(Role.tenant_id == tenant_id))}
        assert roles == {"owner", "manager", "cashier"}
        assert len(rows(db_url, select(Location.id).where(Location.tenant_id == tenant_id))) == 1
        modules = rows(
            db_url, select(TenantModule.module).where(TenantModule.tenant_id == tenant_id)
        )
        assert {m.module for m in modules} == {"inventory", "loyalty", "reports"}
        assert len(rows(db_url, select(UserRole.id).where(UserRole.tenant_id == tenant_id))) == 1
        actions = [
            a.action for a in rows(db_url, select(AuditEvent.action).order_by(AuditEvent.at))
        ]
        assert {
            "registration.created",
            "registration.approved",
            "user.activated",
            "user.signed_in",
        } <= set(actions)
        with_request_id = rows(
            db_url,
            select(AuditEvent.request_id).where(AuditEvent.action == "registration.approved"),
        )
        assert with_request_id[0].request_id


class TestRegistrationRefusals:
    @pytest.mark.parametrize(
        ("field", "value", "text"),
        [
            ("password", "short1", "at least 10"),
            ("password", "onlyletterslong", "letters and digits"),
            ("email", "not-an-email", "e-mail"),
            ("currency", "EURO", "ISO 4217"),
            ("timezone", "Mars/Olympus", "IANA"),
            ("country", "germany", "pattern"),
            ("business_name", " ", "at least 2"),
        ],
    )
    def test_bad_input_is_a_validation_error_naming_the_field(
        self, api: TestClient, field: str, value: str, text: str
    ) -> None:
        r = api.post("/v1/auth/register", json={**OWNER, field: value})
        assert r.status_code == 422
        body = r.json()["error"]
        assert body["code"] == "VALIDATION"
        assert text in body["message"] or any(text in e["msg"] for e in body["details"]["errors"])

    def test_duplicate_email_and_business_are_conflicts(self, api: TestClient) -> None:
        assert api.post("/v1/auth/register", json=OWNER).status_code == 201
        again = api.post("/v1/auth/register", json={**OWNER, "business_name": "Other"})
        assert (again.status_code, again.json()["error"]["details"]) == (409, {"field": "email"})
        same_shop = api.post(
            "/v1/auth/register",
            json={**OWNER, "email": "b@x.example", "business_name": "cafe  MULLER"},
        )
        assert same_shop.status_code == 409
        assert same_shop.json()["error"]["details"] == {"field": "business_name"}

    def test_rate_limited_per_ip_with_retry_after(self, api: TestClient) -> None:
        for n in range(3):
            api.post(
                "/v1/auth/register",
                json={**OWNER, "email": f"x{n}@x.example", "business_name": f"Shop {n}"},
            )
        r = api.post(
            "/v1/auth/register", json={**OWNER, "email": "y@x.example", "business_name": "Shop Y"}
        )
        assert r.status_code == 429
        assert r.json()["error"]["code"] == "RATE_LIMIT"
        assert int(r.headers["Retry-After"]) > 0


class TestDecisions:
    def test_deciding_twice_is_a_conflict_and_rejection_needs_a_reason(
        self, api: TestClient, mailer: MemoryMailSender
    ) -> None:
        reg = api.post("/v1/auth/register", json=OWNER).json()
        headers = admin_headers(api)
        url = f"/v1/superadmin/registrations/{reg['id']}/decision"
        no_reason = api.post(url, json={"decision": "reject"}, headers=headers)
        assert no_reason.status_code == 422
        assert (
            api.post(
                url, json={"decision": "reject", "reason": "duplicate shop"}, headers=headers
            ).status_code
            == 200
        )
        twice = api.post(url, json={"decision": "approve"}, headers=headers)
        assert (twice.status_code, twice.json()["error"]["code"]) == (409, "CONFLICT")
        assert "duplicate shop" in mailer.sent[0].body

    def test_only_superadmins_decide(self, api: TestClient) -> None:
        reg = api.post("/v1/auth/register", json=OWNER).json()
        url = f"/v1/superadmin/registrations/{reg['id']}/decision"
        assert api.post(url, json={"decision": "approve"}).status_code == 401
        assert (
            api.get(
                "/v1/superadmin/registrations", headers={"Authorization": "Bearer forged-token-123"}
            ).status_code
            == 401
        )
        missing = api.post(
            "/v1/superadmin/registrations/01970000-0000-7000-8000-000000000000/decision",
            json={"decision": "approve"},
            headers=admin_headers(api),
        )
        assert missing.status_code == 404


class TestLogin:
    def test_wrong_password_lockout_even_for_the_right_one(self, api: TestClient) -> None:
        for _ in range(5):
            r = api.post(
                "/v1/auth/login", json={"email": "ops@nova.example", "password": "nope-12345"}
            )
            assert r.json()["error"]["message"] == "wrong e-mail or password"
        locked = api.post(
            "/v1/auth/login", json={"email": "ops@nova.example", "password": ADMIN_PASSWORD}
        )
        assert locked.status_code == 401
        assert "too many failed sign-ins" in locked.json()["error"]["message"]

    def test_unknown_email_reads_like_a_wrong_password(self, api: TestClient) -> None:
        r = api.post("/v1/auth/login", json={"email": "who@x.example", "password": "whatever-123"})
        assert r.json()["error"]["message"] == "wrong e-mail or password"


def test_create_superadmin_command(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NOVA_ADMIN_PASSWORD", "strong-pass-123")
    assert (
        main(
            [
                "admin",
                "create-superadmin",
                "--email",
                "Root@Nova.example",
                "--name",
                "Root",
                "--database-url",
                db_url,
            ]
        )
        == 0
    )
    assert "created" in capsys.readouterr().out
    assert (
        main(
            [
                "admin",
                "create-superadmin",
                "--email",
                "root@nova.example",
                "--name",
                "R",
                "--database-url",
                db_url,
            ]
        )
        == 1
    )
    assert "exists already" in capsys.readouterr().err
    admins = rows(db_url, select(User.email).where(User.is_superadmin.is_(True)))
    assert "root@nova.example" in {a.email for a in admins}
