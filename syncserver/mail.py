"""Outgoing e-mail behind one small interface: console (default), file, or a test outbox."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

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
class MemoryMailSender:
    """Keeps what was sent; tests read `sent`."""

    sent: list[Mail] = field(default_factory=list)

    def send(self, mail: Mail) -> None:
        self.sent.append(mail)


def sender_for(settings: ServerSettings) -> MailSender:
    if settings.mail_sender == "file":
        return FileMailSender(settings.mail_dir)
    return ConsoleMailSender()
