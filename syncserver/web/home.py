"""`/`: the server's front page — what this is, its version, where to go (no JavaScript)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from shared.version import __version__
from syncserver.web.router import templates

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """A person who opens the printed server URL lands here instead of a JSON 404."""
    return templates.TemplateResponse(
        request,
        "home.html",
        # `docs_url` is None when an operator turned the interactive API docs off.
        {"version": __version__, "docs_url": request.app.docs_url},
    )
