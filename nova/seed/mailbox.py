"""Read the activation link the server mailed to the owner from the file mailer's folder.

The server writes one `.eml` per e-mail when `NOVA_SERVER_MAIL_SENDER=file`
(`syncserver/mail.py`); their names are UUIDv7s, so the newest sorts last.
"""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from shared.errors import NotFound

ACTIVATION_LINK = re.compile(r"/activate\?token=([\w-]+)")


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def activation_token(folder: Path, email: str) -> str:
    """The token of the newest activation link mailed to `email`.

    Raises:
        NotFound: no such mail in `folder` (the server does not write mail files there).
    """
    for path in sorted(folder.glob("*.eml"), reverse=True):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        if str(message["To"]).strip().lower() != email.lower():
            continue
        link = ACTIVATION_LINK.search(_body(message))
        if link:
            return link.group(1)
    raise NotFound(
        f"no activation e-mail for {email} in {folder}: run the server with "
        f"NOVA_SERVER_MAIL_SENDER=file and NOVA_SERVER_MAIL_DIR={folder}",
        details={"mail_dir": str(folder)},
    )
