"""Registration, password sign-in with lockout, sessions, activation. Services only flush."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import AuthnError, Conflict
from shared.ids import uuid7
from syncserver.audit.service import record
from syncserver.auth.schemas import RegisterIn
from syncserver.auth.secrets import (
    check_password_strength,
    hash_password,
    hash_token,
    new_token,
    verify_password,
)
from syncserver.models import AuthToken, Tenant, TenantRegistration, User

SESSION_TTL = timedelta(hours=12)
ACTIVATION_TTL = timedelta(days=7)
MAX_FAILED_LOGINS = 5
LOGIN_LOCKOUT = timedelta(minutes=15)
# One dummy hash so a login for an unknown e-mail costs as much as a real one (no probing).
_DUMMY_HASH = hash_password("not-a-real-password-0")


def business_key(name: str) -> str:
    """'Café Müller GmbH' and 'cafe  muller gmbh' are the same business."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def now() -> datetime:
    return datetime.now(UTC)


def register(session: Session, data: RegisterIn, *, ip: str | None) -> TenantRegistration:
    """Record a pending registration; a superadmin approves it later.

    Raises:
        ValidationFailed: weak password.
        Conflict: the e-mail or the business is already registered or pending.
    """
    check_password_strength(data.password, email=data.email)
    key = business_key(data.business_name)
    pending = TenantRegistration.status == "pending"
    if session.scalar(select(User.id).where(User.email == data.email)) or session.scalar(
        select(TenantRegistration.id).where(TenantRegistration.email == data.email, pending)
    ):
        raise Conflict("this e-mail address is already registered", details={"field": "email"})
    if session.scalar(select(Tenant.id).where(Tenant.business_key == key)) or session.scalar(
        select(TenantRegistration.id).where(TenantRegistration.business_key == key, pending)
    ):
        raise Conflict(
            "a business with this name is already registered", details={"field": "business_name"}
        )
    registration = TenantRegistration(
        id=uuid7(),
        business_name=data.business_name,
        business_key=key,
        owner_name=data.owner_name,
        email=data.email,
        password_hash=hash_password(data.password),
        country=data.country,
        currency=data.currency,
        timezone=data.timezone,
        status="pending",
        created_at=now(),
    )
    session.add(registration)
    record(
        session,
        action="registration.created",
        tenant_id=None,
        actor_id=None,
        target=f"registration:{registration.id}",
        ip=ip,
        after={"business_name": data.business_name, "email": data.email},
    )
    session.flush()
    return registration


@dataclass(frozen=True)
class SignedIn:
    token: str
    expires_at: datetime
    user: User


def issue_token(session: Session, user_id: uuid.UUID, kind: str, ttl: timedelta) -> str:
    token, digest = new_token()
    session.add(
        AuthToken(
            token_hash=digest, kind=kind, user_id=user_id, expires_at=now() + ttl, created_at=now()
        )
    )
    return token


def login(session: Session, *, email: str, password: str, ip: str | None) -> SignedIn:
    """Check a password and open a session (opaque token; only its hash is stored).

    A wrong password is counted; after `MAX_FAILED_LOGINS` the account is locked for
    `LOGIN_LOCKOUT`. The caller commits even when this raises AuthnError, so the count sticks.
    """
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        verify_password(_DUMMY_HASH, password)
        raise AuthnError("wrong e-mail or password")
    if user.locked_until is not None and user.locked_until > now():
        raise AuthnError(
            "too many failed sign-ins: try again later or reset your password",
            details={"locked_until": user.locked_until.isoformat()},
        )
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.failed_logins, user.locked_until = 0, now() + LOGIN_LOCKOUT
            record(
                session,
                action="user.locked",
                tenant_id=user.tenant_id,
                actor_id=None,
                target=f"user:{user.id}",
                ip=ip,
            )
        session.flush()
        raise AuthnError("wrong e-mail or password")
    if user.status != "active":
        raise AuthnError(
            "this account is not active yet: use the activation link we sent"
            if user.status == "invited"
            else "this account is disabled"
        )
    if user.tenant_id is not None:
        tenant_status = session.scalar(select(Tenant.status).where(Tenant.id == user.tenant_id))
        if tenant_status != "active":
            raise AuthnError(f"this business is {tenant_status}; contact support")
    user.failed_logins, user.locked_until = 0, None
    token = issue_token(session, user.id, "session", SESSION_TTL)
    record(
        session,
        action="user.signed_in",
        tenant_id=user.tenant_id,
        actor_id=user.id,
        target=f"user:{user.id}",
        ip=ip,
    )
    session.flush()
    return SignedIn(token, now() + SESSION_TTL, user)


def _live_token(session: Session, token: str, kind: str) -> AuthToken:
    row = session.get(AuthToken, hash_token(token))
    if row is None or row.kind != kind or row.used_at is not None or row.expires_at <= now():
        raise AuthnError("this link or session is not valid (expired or already used)")
    return row


def user_for_session(session: Session, token: str) -> User:
    """The signed-in user of a bearer token, or AuthnError."""
    row = _live_token(session, token, "session")
    user = session.get(User, row.user_id)
    if user is None or user.status != "active":
        raise AuthnError("sign in again")
    return user


def logout(session: Session, token: str, *, ip: str | None = None) -> None:
    row = _live_token(session, token, "session")
    row.used_at = now()
    user = session.get(User, row.user_id)
    record(
        session,
        action="user.signed_out",
        tenant_id=user.tenant_id if user else None,
        actor_id=row.user_id,
        target=f"user:{row.user_id}",
        ip=ip,
    )
    session.flush()


def end_sessions(session: Session, user_id: uuid.UUID) -> int:
    rows = session.scalars(
        select(AuthToken).where(
            AuthToken.user_id == user_id, AuthToken.kind == "session", AuthToken.used_at.is_(None)
        )
    ).all()
    for row in rows:
        row.used_at = now()
    return len(rows)


def revoke_all_sessions(session: Session, user: User, *, ip: str | None = None) -> int:
    """End every open session of `user` (audited with how many were ended)."""
    ended = end_sessions(session, user.id)
    record(
        session,
        action="user.sessions_revoked",
        tenant_id=user.tenant_id,
        actor_id=user.id,
        target=f"user:{user.id}",
        after={"revoked": ended},
        ip=ip,
    )
    session.flush()
    return ended


def activate(session: Session, token: str, *, ip: str | None) -> User:
    """Use a one-time activation link: the invited owner becomes active."""
    row = _live_token(session, token, "activation")
    user = session.get(User, row.user_id)
    if user is None:
        raise AuthnError("this link is not valid")
    row.used_at = now()
    if user.status == "invited":
        user.status = "active"
    record(
        session,
        action="user.activated",
        tenant_id=user.tenant_id,
        actor_id=user.id,
        target=f"user:{user.id}",
        ip=ip,
    )
    session.flush()
    return user


RESET_TTL = timedelta(hours=1)


def request_password_reset(session: Session, *, email: str, ip: str | None) -> str | None:
    """Issue a reset token for an active password user; None (same answer) for anyone else."""
    user = session.scalar(select(User).where(User.email == email))
    if user is None or user.status != "active" or user.password_hash == "!":
        return None
    token = issue_token(session, user.id, "reset", RESET_TTL)
    record(
        session,
        action="user.reset_requested",
        tenant_id=user.tenant_id,
        actor_id=None,
        target=f"user:{user.id}",
        ip=ip,
    )
    session.flush()
    return token


def reset_password(session: Session, *, token: str, password: str, ip: str | None) -> User:
    """Set a new password with a one-time token; every open session of the user ends."""
    row = _live_token(session, token, "reset")
    user = session.get(User, row.user_id)
    if user is None or user.email is None:
        raise AuthnError("this link is not valid")
    check_password_strength(password, email=user.email)
    row.used_at = now()
    user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    ended = end_sessions(session, user.id)
    record(
        session,
        action="user.password_reset",
        tenant_id=user.tenant_id,
        actor_id=user.id,
        target=f"user:{user.id}",
        after={"sessions_ended": ended},
        ip=ip,
    )
    session.flush()
    return user
