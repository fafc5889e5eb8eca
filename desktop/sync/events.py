"""Listen to the server's `poke` events (SSE) and wake the sync worker: an online till sees a
change within a second or two. Only a hint — if the stream is down, the worker's timer still
syncs; the listener reconnects with backoff on its own.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable

import httpx

from desktop.sync.worker import backoff_delay

log = logging.getLogger(__name__)


class PokeListener:
    def __init__(
        self,
        base_url: str,
        device_id: str,
        secret: str,
        on_poke: Callable[[], None],
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = base_url.rstrip("/") + "/v1/sync/events"
        self.headers = {"Authorization": f"Device {device_id}:{secret}"}
        self.on_poke = on_poke
        self.transport = transport
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None
        self._client: httpx.Client | None = None
        self.connected = threading.Event()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="nova-sync-events", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._halt.set()
        if self._client is not None:
            self._client.close()  # unblocks the read
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        failures, rng = 0, random.Random()
        while not self._halt.is_set():
            try:
                self._listen()
                failures = 0
            except (httpx.HTTPError, RuntimeError) as exc:
                if self._halt.is_set():
                    return
                failures += 1
                log.info("sync events stream down (%s); retrying", type(exc).__name__)
            self.connected.clear()
            self._halt.wait(backoff_delay(failures, base=1.0, cap=60.0, rng=rng))

    def _listen(self) -> None:
        timeout = httpx.Timeout(10.0, read=20.0)  # the server sends a keepalive every 2 s
        with httpx.Client(transport=self.transport, timeout=timeout) as client:
            self._client = client
            with client.stream("GET", self.url, headers=self.headers) as response:
                response.raise_for_status()
                event = ""
                for line in response.iter_lines():
                    if self._halt.is_set():
                        return  # closing the response tells the server we left
                    if line.startswith("event:"):
                        event = line.removeprefix("event:").strip()
                    elif line == "":
                        if event == "hello":
                            self.connected.set()
                        elif event == "poke":
                            self.on_poke()
                        event = ""
