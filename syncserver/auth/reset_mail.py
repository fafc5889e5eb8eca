"""Send the password-reset link: shared by `POST /v1/auth/password-reset/request` and `/forgot`."""

from __future__ import annotations

from sqlalchemy.orm import Session

from syncserver.auth.service import request_password_reset
from syncserver.mail import Mail, MailSender

SAME_ANSWER = "if the address has an account, a reset link is on its way"


def send_reset_link(
    session: Session, *, email: str, ip: str | None, mailer: MailSender, public_url: str
) -> str:
    """Mail a one-hour reset link if `email` has an active password account.

    Returns the same sentence either way, so nobody can probe which addresses have accounts.
    """
    token = request_password_reset(session, email=email, ip=ip)
    if token is not None:
        mailer.send(
            Mail(
                email,
                "Reset your Nova POS password",
                "Set a new password (the link works for one hour):\n"
                f"{public_url.rstrip('/')}/reset?token={token}\n\n"
                "If you did not ask for this, ignore this e-mail.",
            )
        )
    return SAME_ANSWER
