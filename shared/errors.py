"""The error taxonomy both sides agree on: codes, HTTP statuses and the one payload shape.

Every refusal the product can give is a `NovaError` subclass with a stable `code`. The server
renders any of them as ``{"error": {"code", "message", "details", "request_id"}}`` with the
status below; the terminal's HTTP client turns that payload back into the same class, so a
cashier-facing message survives the round trip unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar


class ErrorCode(StrEnum):
    """Stable, documented error codes (see docs/errors.md)."""

    VALIDATION = "VALIDATION"
    AUTHN = "AUTHN"
    AUTHZ = "AUTHZ"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    RATE_LIMIT = "RATE_LIMIT"
    UNAVAILABLE = "UNAVAILABLE"
    INTERNAL = "INTERNAL"


HTTP_STATUS: Mapping[ErrorCode, int] = {
    ErrorCode.VALIDATION: 422,
    ErrorCode.AUTHN: 401,
    ErrorCode.AUTHZ: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.RATE_LIMIT: 429,
    ErrorCode.UNAVAILABLE: 503,
    ErrorCode.INTERNAL: 500,
}


class NovaError(Exception):
    """Base of every expected refusal. Never raise it directly; pick the coded subclass."""

    code: ClassVar[ErrorCode] = ErrorCode.INTERNAL

    def __init__(
        self,
        message: str,
        *,
        details: Mapping[str, Any] | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details or {})
        self.request_id = request_id

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.code]

    def to_payload(self) -> dict[str, Any]:
        """The wire shape: ``{"error": {"code", "message", "details", "request_id"}}``."""
        return {
            "error": {
                "code": self.code.value,
                "message": self.message,
                "details": self.details,
                "request_id": self.request_id,
            }
        }

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, details={self.details!r})"


class ValidationFailed(NovaError):
    """Input is malformed or breaks a business rule the caller can fix (422)."""

    code = ErrorCode.VALIDATION


class AuthnError(NovaError):
    """Who you are is unknown or not proven: bad credentials, expired session (401)."""

    code = ErrorCode.AUTHN


class AuthzError(NovaError):
    """Known caller, not allowed: missing permission, disabled module (403)."""

    code = ErrorCode.AUTHZ


class NotFound(NovaError):
    """No such thing, or not visible to this tenant (404)."""

    code = ErrorCode.NOT_FOUND


class Conflict(NovaError):
    """The request collides with current state: duplicate, already closed (409)."""

    code = ErrorCode.CONFLICT


class RateLimited(NovaError):
    """Too many attempts; `retry_after` seconds tell when to try again (429)."""

    code = ErrorCode.RATE_LIMIT

    def __init__(
        self,
        message: str,
        *,
        retry_after: int,
        details: Mapping[str, Any] | None = None,
        request_id: str | None = None,
    ) -> None:
        merged = {"retry_after": retry_after, **(details or {})}
        super().__init__(message, details=merged, request_id=request_id)
        self.retry_after = retry_after


class Unavailable(NovaError):
    """Something we depend on is unreachable (a mail server, say); safe to retry later (503)."""

    code = ErrorCode.UNAVAILABLE


class InternalError(NovaError):
    """Our bug. The message shown to clients is generic; the cause is logged (500)."""

    code = ErrorCode.INTERNAL


ERROR_CLASSES: Mapping[ErrorCode, type[NovaError]] = {
    ErrorCode.VALIDATION: ValidationFailed,
    ErrorCode.AUTHN: AuthnError,
    ErrorCode.AUTHZ: AuthzError,
    ErrorCode.NOT_FOUND: NotFound,
    ErrorCode.CONFLICT: Conflict,
    ErrorCode.RATE_LIMIT: RateLimited,
    ErrorCode.UNAVAILABLE: Unavailable,
    ErrorCode.INTERNAL: InternalError,
}


def error_from_payload(payload: object, *, status: int | None = None) -> NovaError:
    """Rebuild the typed error from a server payload.

    Args:
        payload: the decoded JSON body of an error response.
        status: the HTTP status, used only when the body is not our shape.

    Returns:
        The matching `NovaError` subclass; an `InternalError` describing the reply when the
        body is not a taxonomy payload (a proxy's HTML page, say).
    """
    body = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(body, dict) or body.get("code") not in ErrorCode.__members__:
        by_status = {v: k for k, v in HTTP_STATUS.items()}
        code = by_status.get(status or 500, ErrorCode.INTERNAL)
        return ERROR_CLASSES[code](
            f"unexpected reply from server (HTTP {status})", details={"status": status}
        )
    code = ErrorCode(body["code"])
    message = str(body.get("message", ""))
    raw_details = body.get("details")
    details: dict[str, Any] = raw_details if isinstance(raw_details, dict) else {}
    request_id = body.get("request_id") if isinstance(body.get("request_id"), str) else None
    if code is ErrorCode.RATE_LIMIT:
        retry = details.get("retry_after", 1)
        return RateLimited(
            message,
            retry_after=int(retry) if isinstance(retry, int | str) else 1,
            details=details,
            request_id=request_id,
        )
    return ERROR_CLASSES[code](message, details=details, request_id=request_id)
