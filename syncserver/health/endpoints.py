"""`/health` (the process answers), `/ready` (DB reachable, schema at head), `/metrics`."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from migrations.runner import server_current, server_heads
from shared.version import __version__
from syncserver.db import read_session
from syncserver.errors import NotReady
from syncserver.observability.metrics import Metrics
from syncserver.sync.inbox import open_counts

router = APIRouter(tags=["health"])
log = logging.getLogger("syncserver.health")


@router.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


def check_ready(engine: Engine) -> dict[str, Any]:
    """Raise `NotReady` unless the DB answers and its schema is at the migrations' head."""
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        current = server_current(engine)
    except SQLAlchemyError as exc:
        log.warning("readiness: database unreachable (%s)", type(exc).__name__)
        raise NotReady(
            "database unreachable", details={"check": "database", "error": type(exc).__name__}
        ) from None
    head = server_heads()
    if current != head:
        raise NotReady(
            "database schema is not at the current version: run `nova db upgrade`",
            details={"check": "migrations", "current": sorted(current), "head": sorted(head)},
        )
    return {"status": "ready", "version": __version__, "revision": sorted(head)}


@router.get("/ready")
def ready(request: Request) -> dict[str, Any]:
    return check_ready(request.app.state.engine)


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    registry: Metrics = request.app.state.metrics
    with read_session(request.app.state.sessionmaker) as session:
        for status, count in open_counts(session).items():
            registry.sync.conflicts_open.labels(status).set(count)
    return Response(registry.render(), media_type="text/plain; version=0.0.4; charset=utf-8")
