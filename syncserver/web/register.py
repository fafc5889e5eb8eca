"""`/register`: the public sign-up page (server-rendered, design-system macros, no JavaScript)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from shared.errors import NovaError
from syncserver.auth import service
from syncserver.auth.deps import DbSession, client_ip
from syncserver.auth.schemas import RegisterIn
from syncserver.web.router import templates

router = APIRouter(include_in_schema=False)
FIELDS = ("business_name", "owner_name", "email", "password", "country", "currency", "timezone")


def _page(request: Request, **context: Any) -> HTMLResponse:
    status = context.pop("status_code", 200)
    return templates.TemplateResponse(request, "register.html", context, status_code=status)


def _field_of(error: NovaError) -> str:
    """Which form field an error is about (a conflict names it; a weak password lists it)."""
    field = error.details.get("field")
    if field is None and error.details.get("errors"):
        field = error.details["errors"][0]["loc"][-1]
    return str(field) if field in FIELDS else "form"


@router.get("/register", response_class=HTMLResponse)
def form(request: Request) -> HTMLResponse:
    return _page(
        request, values={"country": "DE", "currency": "EUR", "timezone": "Europe/Berlin"}, errors={}
    )


@router.post("/register", response_class=HTMLResponse)
def submit(
    request: Request,
    session: DbSession,
    ip: Annotated[str | None, Depends(client_ip)],
    business_name: Annotated[str, Form()] = "",
    owner_name: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    country: Annotated[str, Form()] = "",
    currency: Annotated[str, Form()] = "",
    timezone: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Same rules as `POST /v1/auth/register`; errors are shown next to their fields."""
    values = {
        "business_name": business_name,
        "owner_name": owner_name,
        "email": email,
        "country": country.upper(),
        "currency": currency.upper(),
        "timezone": timezone,
    }
    errors: dict[str, str] = {}
    try:
        request.app.state.register_limiter.hit(ip or "unknown", what="registrations")
        data = RegisterIn(**values, password=password)
        registration = service.register(session, data, ip=ip)
    except ValidationError as exc:
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "form"
            errors.setdefault(field, str(err["msg"]).removeprefix("Value error, "))
    except NovaError as exc:
        session.rollback()
        errors[_field_of(exc)] = exc.message
    else:
        return _page(request, done=registration, values=values, errors={}, status_code=201)
    return _page(request, values=values, errors=errors, status_code=422)
