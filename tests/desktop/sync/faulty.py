"""A transport between terminal and server that drops, duplicates and delays requests and
loses responses after the server committed — the network a till meets in real life."""

from __future__ import annotations

import random
import time

import httpx


class FaultyTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, seed: int, rate: float = 0.35) -> None:
        self.inner = inner
        self.rng = random.Random(seed)
        self.rate = rate
        self.faults: dict[str, int] = {"drop": 0, "lose_answer": 0, "duplicate": 0, "delay": 0}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        if self.rng.random() >= self.rate:
            return self.inner.handle_request(request)
        fault = self.rng.choice(sorted(self.faults))
        self.faults[fault] += 1
        if fault == "drop":  # never reached the server
            raise httpx.ConnectError("injected: request dropped", request=request)
        if fault == "delay":
            time.sleep(self.rng.uniform(0, 0.02))
            return self.inner.handle_request(request)
        if fault == "duplicate":  # a proxy retried it: the server sees it twice
            first = self.inner.handle_request(request)
            first.read()
            return self.inner.handle_request(request)
        answer = self.inner.handle_request(request)  # the server committed ...
        answer.read()
        raise httpx.ReadTimeout("injected: answer lost", request=request)  # ... we never know
