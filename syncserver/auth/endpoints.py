"""`/v1/auth/*`: register a business, activate, sign in and out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, Field

from shared.errors import AuthnError
from syncserver.auth import service
from syncserver.auth.deps import CurrentUser, DbSession, bearer_token, client_ip
from syncserver.auth.reset_mail import send_reset_link
from syncserver.auth.schemas import (
    Email,
    LoginIn,
    LoginOut,
    RegisterIn,
    RegistrationOut,
    TokenIn,
    UserOut,
)
from syncserver.tenancy import Public

# Sign-up and sign-in are public by nature; rate limits and lockouts guard them.
router = APIRouter(prefix="/v1/auth", tags=["auth"], dependencies=[Public])
Ip = Annotated[str | None, Depends(client_ip)]


def _user_out(user: object) -> UserOut:
    return UserOut.model_validate(user, from_attributes=True)


@router.post("/register", status_code=status.HTTP_201_CREATED, response_model=RegistrationOut)
def register(body: RegisterIn, request: Request, session: DbSession, ip: Ip) -> RegistrationOut:
    """Public: ask for an account; a superadmin approves it. Rate-limited per IP."""
    request.app.state.register_limiter.hit(ip or "unknown", what="registrations")
    registration = service.register(session, body, ip=ip)
    return RegistrationOut.model_validate(registration, from_attributes=True)


@router.post("/login", response_model=LoginOut)
def login(body: LoginIn, session: DbSession, ip: Ip) -> LoginOut:
    try:
        signed = service.login(session, email=body.email, password=body.password, ip=ip)
    except AuthnError:
        session.commit()  # a failed attempt must count even though we refuse
        raise
    return LoginOut(token=signed.token, expires_at=signed.expires_at, user=_user_out(signed.user))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request, session: DbSession, ip: Ip) -> None:
    service.logout(session, bearer_token(request), ip=ip)


@router.post("/activate", response_model=UserOut)
def activate(body: TokenIn, session: DbSession, ip: Ip) -> UserOut:
    return _user_out(service.activate(session, body.token, ip=ip))


class ResetRequestIn(BaseModel):
    email: Email


class ResetConfirmIn(BaseModel):
    token: str = Field(min_length=10, max_length=200)
    password: str = Field(max_length=200)


@router.post("/password-reset/request", status_code=status.HTTP_202_ACCEPTED)
def request_reset(
    body: ResetRequestIn, request: Request, session: DbSession, ip: Ip
) -> dict[str, str]:
    """Always the same answer, whether or not the address exists (no account probing)."""
    request.app.state.register_limiter.hit(f"reset:{ip}", what="reset requests")
    answer = send_reset_link(
        session,
        email=body.email,
        ip=ip,
        mailer=request.app.state.mailer,
        public_url=request.app.state.settings.public_url,
    )
    return {"status": answer}


@router.post("/password-reset/confirm", response_model=UserOut)
def confirm_reset(body: ResetConfirmIn, session: DbSession, ip: Ip) -> UserOut:
    return _user_out(
        service.reset_password(session, token=body.token, password=body.password, ip=ip)
    )


@router.post("/sessions/revoke-all")
def revoke_all(user: CurrentUser, session: DbSession, ip: Ip) -> dict[str, int]:
    """Sign out everywhere (a lost phone, a shared computer)."""
    return {"revoked": service.revoke_all_sessions(session, user, ip=ip)}
