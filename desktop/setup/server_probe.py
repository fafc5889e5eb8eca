"""Is this address a Nova server? `GET /health` must answer `{"status": "ok", "version": …}`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from desktop.net.http import ServerClient, ServerUnreachable
from desktop.setup.errors import SetupField
from shared.errors import NovaError, Unavailable, ValidationFailed

PROBE_TIMEOUT = 5.0  # seconds: someone is waiting at the screen
NOT_NOVA = "This address does not answer like a Nova server"


@dataclass(frozen=True)
class ServerInfo:
    url: str  # normalised: scheme, host, port, optional path; no trailing slash
    version: str


def normalize(address: str) -> str:
    """`nova.example:8700/` → `http://nova.example:8700`; raises ValidationFailed (server)."""
    text = address.strip().rstrip("/")
    if not text:
        raise ValidationFailed(
            "Type the server address, e.g. nova.example.com or 192.168.1.20:8700",
            details={"field": SetupField.SERVER.value},
        )
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        httpx.URL(text)
    except (ValueError, httpx.InvalidURL):
        parts = None
    if parts is None or parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationFailed(
            "That is not a server address: type it like nova.example.com or 192.168.1.20:8700",
            details={"field": SetupField.SERVER.value},
        )
    return text


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url


def probe(address: str, *, transport: httpx.BaseTransport | None = None) -> ServerInfo:
    """The server at `address`, if it answers like a Nova server.

    Raises:
        ValidationFailed: empty or malformed address, or not a Nova server (field server).
        Unavailable: nothing answers there (field server).
    """
    url = normalize(address)
    field = {"field": SetupField.SERVER.value}
    try:
        with ServerClient(url, transport=transport, timeout=PROBE_TIMEOUT) as server:
            body: Any = server.request("GET", "/health").json()
    except ServerUnreachable as exc:
        raise Unavailable(
            f"Cannot reach {host_of(url)}: check the address and the network",
            details={**field, "reason": exc.details.get("reason")},
        ) from exc
    except (NovaError, ValueError) as exc:  # an error page, HTML, not JSON at all
        raise ValidationFailed(NOT_NOVA, details=field) from exc
    if not isinstance(body, dict) or body.get("status") != "ok" or "version" not in body:
        raise ValidationFailed(NOT_NOVA, details=field)
    return ServerInfo(url, str(body["version"]))
