"""A real SMTP server (aiosmtpd) on a loopback port: plain, STARTTLS or implicit TLS, with AUTH."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.support.live_server import free_port


@dataclass
class Inbox:
    """What the server accepted, and a client TLS context that trusts its certificate."""

    port: int
    client_tls: ssl.SSLContext
    messages: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)


class _Handler:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_DATA(self, _server: SMTP, _session: Session, envelope: Envelope) -> str:  # noqa: N802
        assert isinstance(envelope.content, bytes)
        self.inbox.messages.append(message_from_bytes(envelope.content))
        self.inbox.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 OK"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1/localhost and its key, written to `folder`."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp.crt", folder / "smtp.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@contextmanager
def smtp_server(
    folder: Path,
    *,
    security: Literal["starttls", "tls", "none"] = "none",
    login: tuple[str, str] | None = None,
    port: int | None = None,
) -> Iterator[Inbox]:
    """Run an SMTP server until the block ends; `login` makes AUTH mandatory."""
    cert, key = self_signed(folder)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    client_tls = ssl.create_default_context(cafile=str(cert))
    inbox = Inbox(port=port or free_port(), client_tls=client_tls)

    def authenticate(
        _server: SMTP, _session: Session, _envelope: Envelope, _mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            login is not None
            and isinstance(data, LoginPassword)
            and (data.login.decode(), data.password.decode()) == login
        )
        return AuthResult(success=ok)

    options: dict[str, Any] = {
        # aiosmtpd cannot tell implicit TLS apart, and warns when AUTH is required without it:
        # there, AUTH is offered and checked when used, not required.
        "auth_required": login is not None and security != "tls",
        "authenticator": authenticate,
        # Implicit TLS is not seen by aiosmtpd as TLS, so it would hide AUTH: require it only
        # where it knows (after STARTTLS).
        "auth_require_tls": security == "starttls",
    }
    if security == "starttls":
        options |= {"tls_context": server_tls, "require_starttls": True}
    if security == "tls":
        options["ssl_context"] = server_tls
    controller = Controller(_Handler(inbox), hostname="127.0.0.1", port=inbox.port, **options)
    library_log = logging.getLogger("mail.log")
    library_log.addFilter(_drop_login_data_deprecation)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
        library_log.removeFilter(_drop_login_data_deprecation)


def _drop_login_data_deprecation(record: logging.LogRecord) -> bool:
    # aiosmtpd 1.4 warns about its own deprecated attribute on every successful AUTH.
    return "login_data is deprecated" not in record.getMessage()
