"""Request dependencies: who is calling (bearer session token) and client address."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from shared.errors import AuthnError, AuthzError
from syncserver.auth.service import user_for_session
from syncserver.deps import db_session
from syncserver.models import User

# scope="function": the commit happens before the response is sent. FastAPI's default runs the
# code after `yield` once the response is out, so a client could act on a 2xx before the data
# was committed — or for a change whose commit then failed.
DbSession = Annotated[Session, Depends(db_session, scope="function")]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def bearer_token(request: Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthnError("sign in first (Authorization: Bearer <token>)")
    return token.strip()


def current_user(request: Request, session: DbSession) -> User:
    return user_for_session(session, bearer_token(request))


# Self-service routes (sign out everywhere) declare only that the caller is signed in.
current_user.nova_permission = "authenticated"  # type: ignore[attr-defined]
CurrentUser = Annotated[User, Depends(current_user)]


def superadmin(user: CurrentUser) -> User:
    if not user.is_superadmin:
        raise AuthzError("only superadmins may do this", details={"permission": "superadmin"})
    return user


superadmin.nova_permission = "superadmin"  # type: ignore[attr-defined]
Superadmin = Annotated[User, Depends(superadmin)]
