"""The SMTP mail sender against a real SMTP server: plain, STARTTLS, TLS, AUTH, and outages."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from shared.errors import Unavailable
from syncserver.db import make_engine, make_sessionmaker
from syncserver.mail import Mail, SmtpMailSender
from syncserver.superadmin.accounts import create_superadmin
from tests.support.live_server import free_port
from tests.support.smtp_server import Inbox, smtp_server
from tests.syncserver.identity.conftest import ADMIN_PASSWORD, OWNER, login

LOGIN = ("nova", "s3cret-relay")
MAIL = Mail("sara@sonne.example", "Hello Sara", "Grüße aus der Bäckerei.\nZeile zwei.")


def sender(inbox: Inbox, security: Literal["starttls", "tls", "none"], **kw: str) -> SmtpMailSender:
    return SmtpMailSender(
        host="127.0.0.1",
        port=inbox.port,
        sender="Nova POS <no-reply@nova.example>",
        security=security,
        tls_context=inbox.client_tls,
        timeout=5,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("security", ["none", "starttls", "tls"])
def test_delivers_with_each_security_mode(
    tmp_path: Path, security: Literal["starttls", "tls", "none"]
) -> None:
    login = None if security == "none" else LOGIN
    with smtp_server(tmp_path, security=security, login=login) as inbox:
        creds = {"username": LOGIN[0], "password": LOGIN[1]} if login else {}
        sender(inbox, security, **creds).send(MAIL)
    (message,) = inbox.messages
    assert message["To"] == "sara@sonne.example"
    assert message["From"] == "Nova POS <no-reply@nova.example>"
    assert message["Subject"] == "Hello Sara"
    assert message["Message-ID"].endswith("@nova-pos>")
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert "Grüße aus der Bäckerei." in body.decode("utf-8")
    assert inbox.envelopes == [("no-reply@nova.example", ["sara@sonne.example"])]


@pytest.mark.allow_warnings  # the sender logs the failed delivery
def test_wrong_password_is_unavailable_and_sends_nothing(tmp_path: Path) -> None:
    with (
        smtp_server(tmp_path, security="starttls", login=LOGIN) as inbox,
        pytest.raises(Unavailable, match="could not be sent"),
    ):
        sender(inbox, "starttls", username="nova", password="wrong").send(MAIL)
    assert inbox.messages == []


@pytest.mark.allow_warnings  # the sender logs the failed delivery
def test_untrusted_certificate_is_refused(tmp_path: Path) -> None:
    with smtp_server(tmp_path, security="starttls", login=LOGIN) as inbox:
        strict = SmtpMailSender(
            host="127.0.0.1", port=inbox.port, sender="x@nova.example", timeout=5
        )  # the system's CAs do not know our self-signed certificate
        with pytest.raises(Unavailable):
            strict.send(MAIL)
    assert inbox.messages == []


@pytest.mark.allow_warnings  # the sender logs the failed delivery
def test_no_server_is_unavailable_naming_it() -> None:
    port = free_port()
    down = SmtpMailSender(host="127.0.0.1", port=port, sender="x@nova.example", timeout=2)
    with pytest.raises(Unavailable) as caught:
        down.send(MAIL)
    assert caught.value.details == {"mail_server": f"127.0.0.1:{port}"}


@pytest.mark.allow_warnings  # the sender logs the failed delivery
def test_approval_waits_for_the_mail_server(
    make_app: Callable[..., FastAPI], tmp_path: Path, db_url: str
) -> None:
    """SMTP down: the approval is refused (503) and the registration stays pending; retried
    once the server is back, it goes through and the owner gets the activation link."""
    port = free_port()
    app = make_app(mail_sender="smtp", smtp_port=port, smtp_security="none")
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session, session.begin():
        create_superadmin(session, email="ops@nova.example", name="Ops", password=ADMIN_PASSWORD)
    engine.dispose()
    with TestClient(app, raise_server_exceptions=False) as api:
        body = {**OWNER, "business_name": "Hotel Sonne", "email": "owner@hotel.example"}
        reg = api.post("/v1/auth/register", json=body).json()
        token = login(api, "ops@nova.example", ADMIN_PASSWORD)["token"]
        admin = {"Authorization": f"Bearer {token}"}
        decide = f"/v1/superadmin/registrations/{reg['id']}/decision"

        refused = api.post(decide, json={"decision": "approve"}, headers=admin)
        assert refused.status_code == 503
        assert refused.json()["error"]["code"] == "UNAVAILABLE"
        pending = api.get("/v1/superadmin/registrations", headers=admin).json()
        assert [r["id"] for r in pending] == [reg["id"]]

        with smtp_server(tmp_path, security="none", port=port) as inbox:
            approved = api.post(decide, json={"decision": "approve"}, headers=admin)
        assert approved.status_code == 200, approved.text
        (message,) = inbox.messages
        assert message["To"] == "owner@hotel.example"
        body_text = message.get_payload(decode=True)
        assert isinstance(body_text, bytes)
        assert re.search(r"/activate\?token=[\w-]+", body_text.decode())
