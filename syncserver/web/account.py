"""The pages behind e-mailed links: `/activate`, `/reset`, and `/forgot` to ask for a reset.

A GET never uses a one-time token: mail scanners fetch links before people click them, so the
page shows a button (or a form) and only its POST spends the token.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse

from shared.errors import NovaError
from syncserver.auth import service
from syncserver.auth.deps import DbSession, client_ip
from syncserver.auth.reset_mail import send_reset_link
from syncserver.web.router import templates

router = APIRouter(include_in_schema=False)
Ip = Annotated[str | None, Depends(client_ip)]
Text = Annotated[str, Form()]


def _page(request: Request, mode: str, status: int = 200, **context: Any) -> HTMLResponse:
    context = {"mode": mode, "errors": {}, "token": "", **context}
    return templates.TemplateResponse(request, "account.html", context, status_code=status)


@router.get("/activate", response_class=HTMLResponse)
def activate_form(request: Request, token: str = "") -> HTMLResponse:
    return _page(request, "activate", token=token)


@router.post("/activate", response_class=HTMLResponse)
def activate(request: Request, session: DbSession, ip: Ip, token: Text = "") -> HTMLResponse:
    try:
        user = service.activate(session, token, ip=ip)
    except NovaError as exc:
        session.rollback()
        return _page(request, "activate", 400, token=token, errors={"form": exc.message})
    return _page(request, "activated", email=user.email)


@router.get("/reset", response_class=HTMLResponse)
def reset_form(request: Request, token: str = "") -> HTMLResponse:
    return _page(request, "reset", token=token)


@router.post("/reset", response_class=HTMLResponse)
def reset(
    request: Request,
    session: DbSession,
    ip: Ip,
    token: Text = "",
    password: Text = "",
    confirm: Text = "",
) -> HTMLResponse:
    """Field errors for a weak or mismatched password; a page-level error for a dead link."""
    if password != confirm:
        errors = {"confirm": "the two passwords differ"}
        return _page(request, "reset", 422, token=token, errors=errors)
    try:
        user = service.reset_password(session, token=token, password=password, ip=ip)
    except NovaError as exc:
        session.rollback()
        field = "password" if exc.code == "VALIDATION" else "form"
        return _page(request, "reset", 422, token=token, errors={field: exc.message})
    return _page(request, "reset_done", email=user.email)


@router.get("/forgot", response_class=HTMLResponse)
def forgot_form(request: Request) -> HTMLResponse:
    return _page(request, "forgot")


@router.post("/forgot", response_class=HTMLResponse)
def forgot(request: Request, session: DbSession, ip: Ip, email: Text = "") -> HTMLResponse:
    """The same answer whether or not the address has an account (rate-limited per IP)."""
    try:
        request.app.state.register_limiter.hit(f"reset:{ip}", what="reset requests")
    except NovaError as exc:
        return _page(request, "forgot", 429, email=email, errors={"form": exc.message})
    answer = send_reset_link(
        session,
        email=email.strip().lower(),
        ip=ip,
        mailer=request.app.state.mailer,
        public_url=request.app.state.settings.public_url,
    )
    return _page(request, "forgot_sent", message=answer)
