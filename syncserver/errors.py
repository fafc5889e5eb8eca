"""One renderer for every error the server returns: `{"error": {code, message, details, ...}}`.

Expected refusals are `NovaError`s raised by services. FastAPI's validation errors, unknown
routes, wrong methods, oversized or malformed bodies and our own bugs are mapped onto the same
shape here. Nothing internal (traceback, SQL) ever reaches a client; it is logged instead.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import (
    AuthnError,
    AuthzError,
    Conflict,
    ErrorCode,
    InternalError,
    NotFound,
    NovaError,
    RateLimited,
    Unavailable,
    ValidationFailed,
)
from syncserver.db import ServerBusy
from syncserver.observability.request_id import current_request_id

log = logging.getLogger("syncserver.errors")


class NotReady(InternalError):
    """The server runs but cannot serve yet (database down, migrations behind): 503."""

    @property
    def http_status(self) -> int:
        return 503


def error_body(error: NovaError) -> dict[str, Any]:
    error.request_id = error.request_id or current_request_id()
    return error.to_payload()


def error_response(
    error: NovaError, *, status: int | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    """Render `error`; RATE_LIMIT, and UNAVAILABLE that knows when, get a `Retry-After` header."""
    extra = dict(headers or {})
    retry_after = error.details.get("retry_after")
    if isinstance(error, RateLimited | Unavailable) and isinstance(retry_after, int):
        extra["Retry-After"] = str(retry_after)
    return JSONResponse(error_body(error), status_code=status or error.http_status, headers=extra)


async def _nova_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NovaError)
    return error_response(exc)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type")}
        for e in exc.errors()
    ]  # never echo `input`: it may hold a password or a PIN
    if any(e["type"] == "json_invalid" for e in errors):
        message = "the request body is not valid JSON"
    else:
        message = "the request is invalid: " + "; ".join(
            f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors[:5]
        )
    return error_response(ValidationFailed(message, details={"errors": errors}))


_BY_STATUS: dict[int, type[NovaError]] = {
    400: ValidationFailed,
    401: AuthnError,
    403: AuthzError,
    404: NotFound,
    409: Conflict,
    413: ValidationFailed,
    422: ValidationFailed,
}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 404:
        error: NovaError = NotFound(
            f"no such endpoint: {request.method} {request.url.path}",
            details={"path": request.url.path},
        )
    elif exc.status_code == 405:
        # 405 is not a taxonomy code: the client sent a request this URL cannot take, so the
        # code is VALIDATION while the status stays 405 with `Allow` listing what works.
        # Starlette lists only the first route that matched the path; a path served by
        # several routes (GET and POST /v1/staff) needs all of them.
        headers["Allow"] = ", ".join(_allowed_methods(request)) or headers.get("Allow", "")
        error = ValidationFailed(
            f"method {request.method} is not allowed here",
            details={"method": request.method, "allow": headers.get("Allow", "")},
        )
    elif exc.status_code == 429:
        error = RateLimited(str(exc.detail), retry_after=int(headers.get("Retry-After", "1")))
    elif exc.status_code >= 500:
        error = InternalError("internal error")
    else:
        cls = _BY_STATUS.get(exc.status_code, ValidationFailed)
        error = cls(str(exc.detail))
    status = exc.status_code if exc.status_code in (405, 413, 400) else error.http_status
    return error_response(error, status=status, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app takes on this request's path, in a stable order."""
    methods: set[str] = set()
    for route in _leaf_routes(request.app.router.routes):
        if (
            isinstance(route, BaseRoute)
            and route.matches({**request.scope, "method": "GET"})[0] is not Match.NONE
        ):
            methods |= getattr(route, "methods", None) or set()
    return sorted(methods)


def _leaf_routes(routes: Iterable[Any]) -> Iterator[Any]:
    for route in routes:
        inner = getattr(route, "original_router", None)  # FastAPI's included routers
        if inner is not None:
            yield from _leaf_routes(inner.routes)
        else:
            yield route


_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    """SQLite's lock wait ran out (another process held the writer): 503, retry; else 500."""
    assert isinstance(exc, OperationalError)
    if any(text in str(exc.orig).lower() for text in _SQLITE_BUSY):
        log.warning("database busy on %s %s", request.method, request.url.path)
        return error_response(ServerBusy())
    raise exc


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(NovaError, _nova_error)
    app.add_exception_handler(OperationalError, _database_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)


async def send_error(send: Send, error: NovaError, status: int) -> None:
    body = json.dumps(error_body(error)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class UnhandledErrorMiddleware:
    """Turns any exception that escaped the app into a 500 INTERNAL body, logged with its cause.

    Done here rather than in Starlette's ServerErrorMiddleware, which re-raises after replying
    (uvicorn would log the traceback a second time, without our request id).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception(
                "unhandled error on %s %s",
                scope["method"],
                scope["path"],
                extra={"path": scope["path"], "method": scope["method"]},
            )
            if not started:
                message = "internal error; quote the request id when reporting it"
                await send_error(send, InternalError(message), 500)


class BodyLimitMiddleware:
    """Refuses bodies over `max_bytes` with 413, by Content-Length or while streaming (chunked)."""

    def __init__(
        self, app: ASGIApp, max_bytes: int,
        larger: Mapping[str, tuple[int, Callable[[], ValidationFailed]]] | None = None,
        larger_matching: Mapping[re.Pattern[str], tuple[int, Callable[[], ValidationFailed]]]
        | None = None,
    ) -> None:  # fmt: skip
        """`larger`: exact paths that take bigger bodies (a file upload) -> (limit, the refusal
        in that route's words); `larger_matching` the same for paths with an id in them."""
        self.app = app
        self.max_bytes = max_bytes
        self.larger = dict(larger or {})
        self.larger_matching = dict(larger_matching or {})

    def _limit(self, path: str) -> tuple[int, Callable[[], ValidationFailed]]:
        if path in self.larger:
            return self.larger[path]
        for pattern, limit in self.larger_matching.items():
            if pattern.fullmatch(path):
                return limit
        return self.max_bytes, self._too_large

    def _too_large(self) -> ValidationFailed:
        return ValidationFailed(
            f"request body too large (limit {self.max_bytes} bytes)",
            details={"limit_bytes": self.max_bytes},
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, refusal = self._limit(scope["path"])
        for key, value in scope.get("headers", []):
            if key == b"content-length" and value.isdigit() and int(value) > limit:
                await send_error(send, refusal(), 413)
                return
        seen = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # Stop feeding the app; whatever it answers is replaced by our 413 below.
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await send_error(send, refusal(), 413)


__all__ = [
    "BodyLimitMiddleware",
    "ErrorCode",
    "NotReady",
    "UnhandledErrorMiddleware",
    "error_response",
    "install_error_handlers",
]
