"""Accept gzip-compressed request bodies (terminals compress pushes), bounded when inflated.

The body limit middleware outside this one counts the compressed bytes; here the inflated size
is capped too, so a small "zip bomb" gets a 413 like any other oversized body.
"""

from __future__ import annotations

import zlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import ValidationFailed
from syncserver.errors import send_error


class GzipRequestMiddleware:
    def __init__(self, app: ASGIApp, max_inflated_bytes: int) -> None:
        self.app = app
        self.max_inflated = max_inflated_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = scope.get("headers", []) if scope["type"] == "http" else []
        if (b"content-encoding", b"gzip") not in [(k, v.lower()) for k, v in headers]:
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            body = inflater.decompress(b"".join(chunks), self.max_inflated + 1)
        except zlib.error:
            bad = ValidationFailed("request body is not valid gzip")
            await send_error(send, bad, bad.http_status)
            return
        if len(body) > self.max_inflated or inflater.unconsumed_tail:
            error = ValidationFailed(
                f"request body too large once inflated (limit {self.max_inflated} bytes)",
                details={"limit_bytes": self.max_inflated},
            )
            await send_error(send, error, 413)
            return
        kept = [(k, v) for k, v in headers if k not in (b"content-encoding", b"content-length")]
        kept.append((b"content-length", str(len(body)).encode()))
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app({**scope, "headers": kept}, replay, send)
