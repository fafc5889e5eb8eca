"""The OpenAPI document as the server really behaves: errors in the taxonomy shape on every
route, who may call it (security schemes), and the statuses each kind of route can answer.

FastAPI documents only the success and a 422 in its own shape. Every refusal we send is
`{"error": {code, message, details, request_id}}` (`syncserver/errors.py`), so the document is
rewritten here once, from the routes' own dependencies, rather than by hand on each route.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from shared.errors import ErrorCode

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "enum": [c.value for c in ErrorCode]},
                "message": {"type": "string"},
                "details": {"type": "object"},
                "request_id": {"type": ["string", "null"]},
            },
        }
    },
    "description": "Every error the server returns (docs/errors.md).",
}

SECURITY_SCHEMES: dict[str, Any] = {
    "session": {
        "type": "http",
        "scheme": "bearer",
        "description": "A signed-in person: the token from POST /v1/auth/login.",
    },
    "device": {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "An enrolled till: `Device <device id>:<secret>` from POST "
        "/v1/devices/enroll.",
    },
}

_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "schema": {"type": "integer"},
    }
}
_WHY = {
    401: "not signed in, or an unknown or revoked credential (AUTHN)",
    403: "signed in, but not allowed: a permission, a module or the business's status (AUTHZ)",
    404: "no such record in this business, or no such route (NOT_FOUND)",
    405: "this path does not take this method; `Allow` lists those it does (VALIDATION)",
    409: "collides with the current state: a duplicate, already done (CONFLICT)",
    413: "request body too large (VALIDATION)",
    422: "the request is invalid: `details.errors` lists each field (VALIDATION)",
    429: "too many attempts; wait `Retry-After` seconds (RATE_LIMIT)",
    500: "our bug; quote the request id (INTERNAL)",
    503: "not ready, or busy with other tills; retry after `Retry-After` when given (UNAVAILABLE)",
}
_PUBLIC = {"public"}
_DEVICE = {"device"}


def api_routes(
    routes: Any, inherited: frozenset[str] = frozenset()
) -> Iterator[tuple[APIRoute, frozenset[str]]]:
    """Every APIRoute with the permission markers its routers add (FastAPI nests routers)."""
    for route in routes:
        router = getattr(route, "original_router", None)
        if router is not None:
            marks = {getattr(d.dependency, "nova_permission", None) for d in router.dependencies}
            yield from api_routes(router.routes, inherited | {m for m in marks if m})
        elif isinstance(route, APIRoute):
            yield route, inherited


def declared(dependant: Any) -> set[str]:
    """The `nova_permission` markers of a route's dependencies, however deep."""
    found = set()
    for dep in dependant.dependencies:
        marker = getattr(dep.call, "nova_permission", None)
        if marker:
            found.add(marker)
        found |= declared(dep)
    return found


def _error(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": _WHY[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if status in (429, 503):
        response["headers"] = _RETRY_AFTER
    return response


def _statuses(route: APIRoute, method: str, markers: set[str]) -> list[int]:
    statuses = [405, 422, 500, 503]
    if markers - _PUBLIC:
        statuses += [401, 403]
    if route.param_convertors or method != "GET" or markers - _PUBLIC:
        statuses.append(404)
    if method != "GET":
        statuses += [409, 413]
    if markers & _PUBLIC or markers & _DEVICE:
        statuses.append(429)  # sign-in, registration and enrollment are rate limited
    return sorted(set(statuses))


def build(app: FastAPI) -> dict[str, Any]:
    """The document, built once per app."""
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Error"] = ERROR_SCHEMA
    components["securitySchemes"] = SECURITY_SCHEMES
    for route, inherited in api_routes(app.routes):
        if not route.include_in_schema or route.path not in doc["paths"]:
            continue
        markers = set(inherited) | declared(route.dependant)
        for method in route.methods or ():
            operation = doc["paths"][route.path].get(method.lower())
            if operation is None:
                continue
            if markers & _DEVICE:
                operation["security"] = [{"device": []}]
            elif markers - _PUBLIC:
                operation["security"] = [{"session": []}]
            else:
                operation["security"] = []
            responses = operation["responses"]
            for status in _statuses(route, method, markers):
                responses[str(status)] = _error(status)
            responses["default"] = {
                "description": "any other refusal, in the same shape",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
    app.openapi_schema = doc
    return doc


def install(app: FastAPI) -> None:
    app.openapi = lambda: build(app)  # type: ignore[method-assign]
