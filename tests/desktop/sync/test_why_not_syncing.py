"""The status bar says why a till is not syncing: the worker turns what a real server answers
(a suspended business, a revoked till, no answer at all, a clock far off) into a reason."""

from __future__ import annotations

import json
import random
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from desktop.net.http import ServerUnreachable
from desktop.sync.engine import load_state
from desktop.sync.setup import build_engine
from desktop.sync.status import Connectivity, Stalled, SyncStatus, reason_for, skew_reason
from desktop.sync.worker import SyncWorker
from shared.errors import AuthnError, AuthzError, Conflict
from syncserver.db import make_engine
from syncserver.models import Tenant
from tests.desktop.conftest import Shop
from tests.desktop.sync.conftest import Link, Server, enroll
from tests.desktop.sync.faulty import FaultyTransport
from tests.desktop.sync.test_sync_round import sell


class ShiftedClock(httpx.BaseTransport):
    """The server's handshake answer, its clock `shift` away from this machine's."""

    def __init__(self, inner: httpx.BaseTransport, shift: timedelta) -> None:
        self.inner = inner
        self.shift = shift

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if not request.url.path.endswith("/handshake") or response.status_code != 200:
            return response
        body = json.loads(response.read())
        body["server_time"] = (datetime.fromisoformat(body["server_time"]) + self.shift).isoformat()
        return httpx.Response(200, json=body, headers={"X-Request-ID": "shifted"})


def worker_for(
    shop: Shop, link: Link, terminal_db: Path, transport: httpx.BaseTransport | None = None
) -> SyncWorker:
    chosen = transport or link.transport

    def make(progress: object) -> object:
        return build_engine(shop.runner, link.store, transport=chosen, progress=progress)  # type: ignore[arg-type]

    return SyncWorker(terminal_db, shop.runner, make, lambda _s: None, rng=random.Random(1))  # type: ignore[arg-type]


def set_tenant_status(server: Server, tenant_id: uuid.UUID, status: str) -> None:
    """What a superadmin's suspend and reactivate store (tests/syncserver cover the API)."""
    engine = make_engine(server.db_url)
    try:
        with engine.begin() as conn:
            conn.execute(update(Tenant).where(Tenant.id == tenant_id).values(status=status))
    finally:
        engine.dispose()


class TestReasons:
    def test_each_refusal_has_its_reason(self) -> None:
        assert reason_for(ServerUnreachable("down")) is Stalled.UNREACHABLE
        suspended = AuthzError("paused", details={"tenant_status": "suspended"})
        assert reason_for(suspended) is Stalled.SUSPENDED
        assert reason_for(AuthnError("this device was revoked; enroll it again")) is (
            Stalled.REVOKED
        )
        assert reason_for(AuthnError("unknown device or wrong secret")) is Stalled.CREDENTIAL
        assert reason_for(Conflict("the server keeps moving the ground")) is Stalled.REFUSED

    def test_a_clock_a_few_minutes_off_is_fine_further_off_is_said(self) -> None:
        assert skew_reason(None) is None
        assert skew_reason(timedelta(minutes=4)) is None
        assert skew_reason(timedelta(minutes=-12)) is Stalled.CLOCK_SKEW
        status = SyncStatus(
            Connectivity.ONLINE, reason=Stalled.CLOCK_SKEW, clock_skew=timedelta(minutes=-12)
        )
        assert not status.stopped  # it still syncs
        assert status.connectivity_text() == "Online · clock 12 min off"
        assert "12 min ahead of the server's" in status.reason_text()

    def test_without_a_reason_the_line_reads_as_before(self) -> None:
        status = SyncStatus(Connectivity.ONLINE)
        assert (status.summary(), status.reason_text(), status.stopped) == (
            "Online · All changes synced", "", False,
        )  # fmt: skip


class TestTheWorkerSaysWhy:
    def test_a_suspended_business(
        self, shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
    ) -> None:
        link = enroll(server, shop.runner, tmp_path)
        sell(shop)
        state = shop.runner.read(load_state)
        assert state is not None
        set_tenant_status(server, state.tenant_id, "suspended")
        worker = worker_for(shop, link, terminal_db)
        worker.run_round()
        status = worker.status
        assert (status.state, status.reason) == (Connectivity.OFFLINE, Stalled.SUSPENDED)
        assert status.connectivity_text() == "Not syncing: business suspended"
        assert "contact support" in status.reason_text()
        assert status.pending > 0  # kept here

        set_tenant_status(server, state.tenant_id, "active")
        worker.run_round()
        assert (worker.status.state, worker.status.reason) == (Connectivity.ONLINE, None)

    def test_a_revoked_till(
        self, shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
    ) -> None:
        link = enroll(server, shop.runner, tmp_path)
        link.sync()
        sell(shop)
        state = shop.runner.read(load_state)
        assert state is not None
        revoked = server.api.post(f"/v1/devices/{state.device_id}/revoke", headers=server.headers)
        assert revoked.status_code == 200
        worker = worker_for(shop, link, terminal_db)
        worker.run_round()
        assert worker.status.reason is Stalled.REVOKED
        assert worker.status.stopped
        assert worker.status.connectivity_text() == "Not syncing: till revoked"
        assert "enroll it again" in worker.status.reason_text()

    def test_a_server_out_of_reach(
        self, shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
    ) -> None:
        link = enroll(server, shop.runner, tmp_path)
        down = FaultyTransport(server.transport(), seed=0, rate=1.0)
        down.faults = {"drop": 0}  # every request dropped: the network is down
        worker = worker_for(shop, link, terminal_db, down)
        worker.run_round()
        assert worker.status.reason is Stalled.UNREACHABLE
        assert worker.status.connectivity_text() == "Offline: server unreachable"

    @pytest.mark.parametrize("minutes", [20, -20])
    def test_a_clock_far_off_the_servers(
        self, shop: Shop, server: Server, terminal_db: Path, tmp_path: Path, minutes: int
    ) -> None:
        link = enroll(server, shop.runner, tmp_path)
        shifted = ShiftedClock(server.transport(), timedelta(minutes=minutes))
        worker = worker_for(shop, link, terminal_db, shifted)
        worker.run_round()
        status = worker.status
        assert (status.state, status.reason) == (Connectivity.ONLINE, Stalled.CLOCK_SKEW)
        assert status.connectivity_text() == "Online · clock 20 min off"
        assert ("behind" if minutes > 0 else "ahead of") in status.reason_text()
