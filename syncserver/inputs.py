"""Checks every request passes before a route sees it: no NUL anywhere, no integer a database
column cannot hold, no query parameter an API route (`/v1/…`) does not take.

Postgres refuses a NUL in text and an integer beyond BIGINT with an error that used to surface
as a 500, while SQLite stored them: the two backends disagreed. Refusing at the edge makes both
answer the same 422. A misspelt filter (`?actoin=void`) would otherwise be ignored and the
audit search would silently return everything.

The sync push is left to its own per-mutation checks: one bad record there is quarantined
alone (docs/sync-protocol.md), never a 422 for the whole batch.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from shared.errors import ValidationFailed
from shared.limits import no_control_anywhere

PER_MUTATION = frozenset({"/v1/sync/push"})


def _query_names(dependant: Any) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _allowed_query(request: Request) -> set[str] | None:
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return None
    cache = getattr(route, "_nova_query_names", None)
    if cache is None:
        cache = _query_names(dependant)
        route._nova_query_names = cache  # type: ignore[union-attr]
    return set(cache)


async def checked_inputs(request: Request) -> None:
    """An app-wide dependency (see `create_app`)."""
    for name, value in request.query_params.multi_items():
        if "\x00" in name or "\x00" in value:
            raise ValidationFailed(
                f"query parameter {name!r} contains a NUL character", details={"field": name}
            )
    allowed = _allowed_query(request) if request.url.path.startswith("/v1/") else None
    if allowed is not None:
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationFailed(
                f"unknown query parameter {unknown[0]!r}"
                + (f"; this endpoint takes {', '.join(sorted(allowed))}" if allowed else ""),
                details={"unknown": unknown, "allowed": sorted(allowed)},
            )
    if request.url.path in PER_MUTATION:
        return
    if not request.headers.get("content-type", "").startswith("application/json"):
        return
    raw = await request.body()
    if not raw:
        return
    try:
        body = json.loads(raw)
    except ValueError:
        return  # FastAPI's own parsing words the error
    no_control_anywhere(body, "body")
