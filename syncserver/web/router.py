"""Web UI routes: the tokens CSS generated from the design tokens, static CSS, the gallery page."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from shared.design_tokens import css_from_tokens, parse_tokens
from shared.paths import tokens_file

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(prefix="/ui", tags=["web"], include_in_schema=False)


@cache
def tokens_css() -> str:
    """CSS custom properties generated from assets/design/tokens.toml (once per process)."""
    return css_from_tokens(parse_tokens(tokens_file().read_text(encoding="utf-8")))


@router.get("/static/tokens.css")
def get_tokens_css() -> Response:
    return Response(tokens_css(), media_type="text/css; charset=utf-8")


@router.get("/static/components.css")
def get_components_css() -> Response:
    css = (HERE / "static" / "components.css").read_text(encoding="utf-8")
    return Response(css, media_type="text/css; charset=utf-8")


@router.get("/gallery", response_class=HTMLResponse)
def gallery(request: Request, theme: str = "light") -> HTMLResponse:
    """Every web primitive in its variants and states: the web twin of `nova gallery`."""
    theme = theme if theme in {"light", "dark"} else "light"
    return templates.TemplateResponse(request, "gallery.html", {"theme": theme})
