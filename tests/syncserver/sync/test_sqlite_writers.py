"""The embedded SQLite server under concurrent tills: writers take turns, readers never wait, and a
writer that cannot get its turn in time is told 503 + Retry-After with nothing written."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, func, select, text

from syncserver.db import ServerBusy, WriterGate, make_engine, make_sessionmaker, read_session
from syncserver.models import SyncReplica
from tests.syncserver.sync.conftest import Shop, Till

ON_SQLITE = pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """Hold a write transaction open on `engine` (its turn and SQLite's write lock)."""
    with engine.connect() as conn:
        conn.begin()
        conn.execute(text("UPDATE server_instance SET epoch = epoch"))
        try:
            yield conn
        finally:
            conn.rollback()


@pytest.fixture
def impatient(make_app: Callable[..., FastAPI], shop: Shop) -> Iterator[TestClient]:
    """A second server process on the same file (the shop's) whose writers wait only 0.3 s."""
    assert shop.tenant
    with TestClient(make_app(sqlite_write_wait_seconds=0.3), raise_server_exceptions=False) as c:
        yield c


def replicas(db_url: str) -> int:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(SyncReplica)) or 0)
    finally:
        engine.dispose()


def handshake_as(client: TestClient, till: Till) -> object:
    fresh = Till(client, till.headers, till.device_id)
    return client.post(
        "/v1/sync/handshake",
        headers=till.headers,
        json={
            "replica_id": str(fresh.replica_id),
            "protocol_version": 2,
            "app_version": "test",
            "last_pushed_seq": 0,
        },
    )


@ON_SQLITE
class TestTurns:
    def test_a_reader_answers_while_a_writer_holds_the_database(
        self, shop: Shop, impatient: TestClient
    ) -> None:
        till = shop.enroll()
        with writing(shop.api.app.state.engine):  # type: ignore[attr-defined]
            r = impatient.get("/v1/sync/digest", headers=till.headers)
        # The writer holds the database for the whole request: a reader that queued behind it
        # would have been answered 503 by this impatient server, never 200 (no clock needed).
        assert r.status_code == 200, r.text

    @pytest.mark.allow_warnings  # the server logs that the database was busy
    def test_a_writer_blocked_by_another_process_gets_503_with_retry_after(
        self, shop: Shop, impatient: TestClient, db_url: str
    ) -> None:
        till = shop.enroll()
        before = replicas(db_url)
        with writing(shop.api.app.state.engine):  # type: ignore[attr-defined]
            r = handshake_as(impatient, till)
        assert r.status_code == 503, r.text  # type: ignore[attr-defined]
        assert r.headers["Retry-After"] == "1"  # type: ignore[attr-defined]
        assert r.json()["error"]["code"] == "UNAVAILABLE"  # type: ignore[attr-defined]
        assert replicas(db_url) == before  # nothing was written
        assert handshake_as(impatient, till).status_code == 200  # type: ignore[attr-defined]

    def test_a_writer_waiting_behind_its_own_process_gets_503_after_its_wait(
        self, shop: Shop, impatient: TestClient
    ) -> None:
        till = shop.enroll()
        with writing(impatient.app.state.engine):  # type: ignore[attr-defined]
            r = handshake_as(impatient, till)
        assert r.status_code == 503, r.text  # type: ignore[attr-defined]
        assert r.json()["error"]["details"]["retry_after"] == 1  # type: ignore[attr-defined]

    def test_a_read_only_session_refuses_to_write(self, db_url: str) -> None:
        engine = make_engine(db_url)
        maker = make_sessionmaker(engine)
        try:
            with read_session(maker) as session:
                replica = session.scalars(select(SyncReplica)).first()
                session.execute(text("SELECT 1"))
                if replica is not None:
                    replica.pull_cursor += 1
                    with pytest.raises(RuntimeError, match="read-only"):
                        session.flush()
        finally:
            engine.dispose()


def test_the_gate_serves_writers_in_arrival_order_and_times_out() -> None:
    gate = WriterGate(wait_seconds=5)
    order: list[int] = []
    gate.acquire("first")

    def writer(n: int) -> None:
        gate.acquire(n)
        order.append(n)
        gate.release(n)

    threads = []
    for n in range(5):
        t = threading.Thread(target=writer, args=(n,))
        t.start()
        threads.append(t)
        while gate.waiting < n + 1:
            time.sleep(0.001)
    gate.release("first")
    for t in threads:
        t.join()
    assert order == [0, 1, 2, 3, 4]

    quick = WriterGate(wait_seconds=0.05)
    quick.acquire("holder")
    with pytest.raises(ServerBusy):
        quick.acquire("late")
    assert quick.waiting == 0
    quick.release("holder")
    quick.acquire("next")  # a timed-out waiter left no ghost in the queue
