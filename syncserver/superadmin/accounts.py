"""Creating superadmin accounts (from the command line only: there is no sign-up for them)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import Conflict
from shared.ids import uuid7
from syncserver.audit.service import record
from syncserver.auth.schemas import normalize_email
from syncserver.auth.secrets import check_password_strength, hash_password
from syncserver.auth.service import now
from syncserver.models import User


def create_superadmin(session: Session, *, email: str, name: str, password: str) -> uuid.UUID:
    email = normalize_email(email)
    check_password_strength(password, email=email)
    if session.scalar(select(User.id).where(User.email == email)):
        raise Conflict("a user with this e-mail exists already", details={"email": email})
    user = User(
        id=uuid7(),
        tenant_id=None,
        email=email,
        name=name,
        password_hash=hash_password(password),
        is_superadmin=True,
        status="active",
        failed_logins=0,
        created_at=now(),
    )
    session.add(user)
    record(
        session,
        action="superadmin.created",
        tenant_id=None,
        actor_id=None,
        target=f"user:{user.id}",
    )
    session.flush()
    return user.id
