"""Server database engine and sessions, for Postgres (psycopg 3) or the embedded SQLite file.

SQLite has one writer at a time. Readers (GET requests) begin a deferred transaction and, in
WAL mode, never wait for a writer; writers begin `BEGIN IMMEDIATE` (so a transaction never
has to upgrade a stale read snapshot, which SQLite refuses without waiting) and queue first
in a FIFO gate: SQLite's own busy handler polls with back-off and is not fair, so under ten
tills pushing at once a waiter could be overtaken until its timeout ran out (measured in
`bench/sync.py --fleet`). The gate only orders this process's writers; SQLite's lock stays the
guarantee (another process still waits on `busy_timeout`). A writer that cannot get its turn
in time gets `ServerBusy`: 503 with `Retry-After`, and nothing was written.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from shared.errors import Unavailable

SQLITE_WRITE_WAIT_SECONDS = 20.0  # how long a writer may wait before it is told to retry
BUSY_RETRY_AFTER_SECONDS = 1

READ_ONLY = "nova_read_only"  # execution option and session.info key of a read-only session
_LATER = "nova_write_later"


class ServerBusy(Unavailable):
    """The database's single writer stayed busy for too long; nothing was written (503)."""

    def __init__(self) -> None:
        super().__init__(
            "the server is busy with other tills; try again in a moment",
            details={"retry_after": BUSY_RETRY_AFTER_SECONDS},
        )
        self.retry_after = BUSY_RETRY_AFTER_SECONDS


class WriterGate:
    """First come, first served turns for write transactions (one holder at a time)."""

    def __init__(self, wait_seconds: float) -> None:
        self.wait_seconds = wait_seconds
        self._cond = threading.Condition()
        self._queue: deque[object] = deque()
        self._holder: object | None = None

    def acquire(self, owner: object) -> None:
        ticket = object()
        deadline = time.monotonic() + self.wait_seconds
        with self._cond:
            self._queue.append(ticket)
            while self._holder is not None or self._queue[0] is not ticket:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._queue.remove(ticket)
                    self._cond.notify_all()
                    raise ServerBusy()
                self._cond.wait(left)
            self._queue.popleft()
            self._holder = owner

    def release(self, owner: object) -> None:
        with self._cond:
            if self._holder is owner:
                self._holder = None
                self._cond.notify_all()

    @property
    def waiting(self) -> int:
        return len(self._queue)


def make_engine(
    url: str, *, write_wait_seconds: float = SQLITE_WRITE_WAIT_SECONDS, writer_gate: bool = True
) -> Engine:
    """Create the engine for `url`; SQLite gets WAL, foreign keys, a busy timeout and, for
    writers, `BEGIN IMMEDIATE` behind a FIFO gate (`writer_gate=False` only to measure it)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False})
    gate = WriterGate(write_wait_seconds) if writer_gate else None

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # pysqlite's own transaction handling breaks SAVEPOINT and transactional DDL:
        # turn it off and emit BEGIN ourselves (see the "begin" hook below).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        # Another process's writer (a `nova admin` command): SQLite's own wait, same bound.
        cur.execute(f"PRAGMA busy_timeout={int(write_wait_seconds * 1000)}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")  # deferred: a WAL reader never waits for a writer
            return
        owner = conn.connection.dbapi_connection
        if gate is not None:
            gate.acquire(owner)
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if gate is not None:
                gate.release(owner)
            raise

    if gate is not None:

        def _release(conn: Any) -> None:
            gate.release(conn.connection.dbapi_connection)

        event.listen(engine, "commit", _release)
        event.listen(engine, "rollback", _release)

        @event.listens_for(engine.pool, "checkin")
        def _on_checkin(dbapi_conn: Any, _record: Any) -> None:
            gate.release(dbapi_conn)  # a connection handed back mid-transaction frees its turn

    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions open and commit at the edge (request dependency); services only flush.

    Every session publishes sync changes at commit (see `syncserver/sync/changes.py`).
    """
    from syncserver.sync import changes, documents  # the sync hooks need the models loaded

    maker = sessionmaker(engine, expire_on_commit=False)
    changes.install(maker)
    documents.install(maker)
    event.listen(maker, "before_flush", _refuse_writes_when_read_only)
    return maker


def read_session(maker: sessionmaker[Session]) -> Session:
    """A session for a request that only reads: on SQLite it never queues for the writer.

    Small bookkeeping writes a read needs (a device's last-seen time, a pull cursor) go through
    `write_later` and run after the read in their own short write transaction.
    """
    bind = maker.kw["bind"]
    session = maker(bind=bind.execution_options(**{READ_ONLY: True}))
    session.info[READ_ONLY] = True
    return session


def is_read_only(session: Session) -> bool:
    return bool(session.info.get(READ_ONLY))


def write_later(session: Session, change: Callable[[Session], None]) -> None:
    """Apply `change` now in a write session, or after the read when `session` is read-only."""
    if not is_read_only(session):
        change(session)
        return
    session.info.setdefault(_LATER, []).append(change)


def run_later_writes(maker: sessionmaker[Session], session: Session) -> None:
    """Run what a read-only session deferred, in one short write transaction.

    Only bookkeeping is ever deferred, so a busy database skips it rather than failing a read.
    """
    pending: list[Callable[[Session], None]] = session.info.pop(_LATER, [])
    if not pending:
        return
    try:
        with maker.begin() as writer:
            for change in pending:
                change(writer)
    except ServerBusy:
        pass


def _refuse_writes_when_read_only(session: Session, _flush: Any, _instances: Any) -> None:
    if not is_read_only(session):
        return
    if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty):
        # A bug, caught by the tests: on SQLite this write would race writers for the lock.
        raise RuntimeError("a read-only request tried to write; use write_later()")
