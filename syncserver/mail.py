"""Outgoing e-mail behind one small interface: console (default), file, SMTP, or a test outbox.

Senders are called inside the request's transaction: when the SMTP server refuses or cannot be
reached, `Unavailable` rolls the change back (a registration stays pending, no reset token is
left behind) and the caller can simply retry.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Literal, Protocol

from shared.errors import Unavailable
from shared.ids import uuid7
from syncserver.settings import ServerSettings

log = logging.getLogger("syncserver.mail")


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


class MailSender(Protocol):
    def send(self, mail: Mail) -> None: ...


class ConsoleMailSender:
    """Logs each e-mail: enough for a single-shop install and for development."""

    def send(self, mail: Mail) -> None:
        log.info("mail to %s: %s\n%s", mail.to, mail.subject, mail.body)


@dataclass
class FileMailSender:
    """Writes one .eml file per e-mail (pick them up with any mail tool)."""

    folder: Path

    def send(self, mail: Mail) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        message = EmailMessage()
        message["To"], message["Subject"] = mail.to, mail.subject
        message["Date"] = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
        message.set_content(mail.body)
        (self.folder / f"{uuid7()}.eml").write_bytes(bytes(message))


@dataclass
class SmtpMailSender:
    """Sends through an SMTP server (STARTTLS, implicit TLS, or plain for a local relay)."""

    host: str
    port: int
    sender: str
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    password: str | None = None
    timeout: float = 10
    tls_context: ssl.SSLContext = field(default_factory=ssl.create_default_context)

    def message(self, mail: Mail) -> EmailMessage:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, mail.to, mail.subject
        message["Date"] = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
        message["Message-ID"] = f"<{uuid7()}@nova-pos>"
        message.set_content(mail.body)
        return message

    def send(self, mail: Mail) -> None:
        try:
            if self.security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=self.tls_context
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with client:
                if self.security == "starttls":
                    client.starttls(context=self.tls_context)
                if self.username:
                    client.login(self.username, self.password or "")
                client.send_message(self.message(mail))
        except (OSError, smtplib.SMTPException) as exc:
            # OSError covers refused connections, timeouts and TLS failures.
            log.warning("mail to %s not sent via %s:%s: %s", mail.to, self.host, self.port, exc)
            raise Unavailable(
                "the e-mail could not be sent (mail server unreachable or refusing); "
                "nothing was changed — try again later",
                details={"mail_server": f"{self.host}:{self.port}"},
            ) from exc


@dataclass
class MemoryMailSender:
    """Keeps what was sent; tests read `sent`."""

    sent: list[Mail] = field(default_factory=list)

    def send(self, mail: Mail) -> None:
        self.sent.append(mail)


def sender_for(settings: ServerSettings) -> MailSender:
    if settings.mail_sender == "file":
        return FileMailSender(settings.mail_dir)
    if settings.mail_sender == "smtp":
        return SmtpMailSender(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.mail_from,
            security=settings.smtp_security,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            timeout=settings.smtp_timeout_seconds,
        )
    return ConsoleMailSender()
