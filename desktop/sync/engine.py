"""One sync round: handshake, push the outbox, pull the server's changes (docs/sync-protocol.md).

Every step that changes local state commits on its own, right after the server answered, and
only with what the server confirmed: the pushed mark moves to the server's `applied_seq`, the pull
cursor moves in the transaction that applied the page. Killing the app at any point therefore
loses nothing and duplicates nothing: the next round resends (the server answers from its stored
results) or re-pulls (changes apply idempotently by id).
"""

from __future__ import annotations

import json
import os
import signal
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from sqlalchemy import delete, insert, select, update

from desktop.catalog.images import fetch_missing
from desktop.catalog.sync import adopt_unstamped, apply_documents
from desktop.db.models import LocalMeta, OutboxRecord, SyncIssue, SyncState
from desktop.db.models.local_meta import REPLICA_ID_KEY
from desktop.db.uow import UnitOfWork
from desktop.outbox.service import append
from desktop.sales.config import load as load_selling_config
from desktop.sync.client import SyncClient
from desktop.sync.health import Health
from desktop.sync.health import check as check_health
from desktop.sync.inbound import apply_changes
from desktop.sync.till_config import assigned_terminal_code, moved_to
from desktop.till.runner import Runner
from shared.errors import Conflict, NotFound, NovaError, ValidationFailed
from shared.facts import TILL_MOVED
from shared.sync import (
    BOOTSTRAP_PAGE,
    MAX_BATCH_BYTES,
    MAX_BATCH_MUTATIONS,
    PROTOCOL_VERSION,
    PULL_PAGE,
    BootstrapPage,
    HandshakeRequest,
    HandshakeResponse,
    Mutation,
    MutationStatus,
    PullResponse,
    PushRequest,
    PushResponse,
)
from shared.version import __version__

KILL_AT_ENV = "NOVA_SYNC_KILL_AT"


def failpoint(name: str) -> None:
    """Crash tests set NOVA_SYNC_KILL_AT to a step name: the process dies right there, as a
    power cut or the task manager would kill it (no cleanup, no rollback on our side)."""
    if os.environ.get(KILL_AT_ENV) == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


class NotEnrolled(NotFound):
    """This terminal has no sync server yet (`nova sync enroll`)."""


@dataclass
class SyncReport:
    pushed: int = 0
    pulled: int = 0
    bootstrapped: int = 0  # catalog documents received by a bootstrap
    images: int = 0  # item pictures fetched (after the pull: sales never wait for them)
    issues: int = 0
    epoch_changed: bool = False
    quarantined: bool = False
    upgrade_required: bool = False
    health: Health | None = None  # set when the round ran the health check
    clock_skew: timedelta | None = None  # the server's clock minus this till's, at the handshake
    moved_to: str | None = None  # the location code a manager moved this till to, this round


Progress = Callable[[float], None]


def load_state(uow: UnitOfWork) -> SyncState | None:
    row = uow.conn.execute(select(SyncState).where(SyncState.id == 1)).first()
    return None if row is None else SyncState(**row._asdict())


def replica_id(uow: UnitOfWork) -> uuid.UUID:
    value = uow.conn.execute(
        select(LocalMeta.value).where(LocalMeta.key == REPLICA_ID_KEY)
    ).scalar_one()
    return uuid.UUID(str(value))


def save_enrollment(uow: UnitOfWork, *, server_url: str, device_id: str, tenant_id: str) -> None:
    """Bind this database to a server; progress marks survive a re-enrollment (nothing lost)."""
    values = {
        "server_url": server_url,
        "device_id": uuid.UUID(device_id),
        "tenant_id": uuid.UUID(tenant_id),
    }
    if load_state(uow) is None:
        uow.conn.execute(
            insert(SyncState).values(
                id=1,
                pushed_seq=0,
                pull_cursor=0,
                replica_status="active",
                upgrade_required=False,
                **values,
            )
        )
    else:
        uow.conn.execute(update(SyncState).where(SyncState.id == 1).values(**values))


def _set(uow: UnitOfWork, **values: object) -> None:
    uow.conn.execute(update(SyncState).where(SyncState.id == 1).values(**values))


class SyncEngine:
    def __init__(
        self,
        runner: Runner,
        client: SyncClient,
        *,
        batch: int = MAX_BATCH_MUTATIONS,
        page: int = PULL_PAGE,
        progress: Progress | None = None,
    ) -> None:
        self.runner = runner
        self.client = client
        self.batch = min(batch, MAX_BATCH_MUTATIONS)
        self.page = min(page, PULL_PAGE)
        self.progress = progress or (lambda _f: None)
        self._adopted = False
        self.bootstrap_page = BOOTSTRAP_PAGE

    def run_once(self, *, health: bool = False) -> SyncReport:
        """Handshake, push everything, pull everything (then, with `health`, compare ledgers
        with the server's sums); raises the error that stopped it."""
        report = SyncReport()
        try:
            for _attempt in range(3):
                try:
                    self._round(report, health)
                    break
                except Conflict as exc:
                    # The server was restored (epoch) or we lost track of what it has (gap):
                    # the next handshake tells where to resume.
                    if exc.details.get("reason") not in {"epoch", "gap", "handshake"}:
                        raise
            else:
                raise Conflict("the server keeps moving the ground: try again later")
        except Exception as exc:
            failed = partial(_set, last_error=str(exc)[:500], last_error_at=datetime.now(UTC))
            self.runner.run(failed)
            raise
        self.runner.run(lambda uow: _set(uow, last_success_at=datetime.now(UTC), last_error=None))
        return report

    def _round(self, report: SyncReport, health: bool = False) -> None:
        if not self._adopted:
            # Catalog entries older than catalog sync (an upgraded till, a bulk load) go out once.
            self.runner.run(adopt_unstamped)
            self._adopted = True
        state, replica, last_seq, code = self.runner.read(
            lambda uow: (load_state(uow), replica_id(uow), _last_seq(uow), _terminal_code(uow))
        )
        if state is None:
            raise NotEnrolled("this terminal is not enrolled with a sync server")
        request = HandshakeRequest(
            replica_id=replica,
            protocol_version=PROTOCOL_VERSION,
            app_version=__version__[:40],
            last_pushed_seq=last_seq,
            terminal_code=code,
        )
        try:
            hello = self.client.handshake(request)
        except ValidationFailed as exc:
            if "terminal_code" not in exc.message:
                raise
            # A server older than the terminal-code check refuses the field: sync without it.
            hello = self.client.handshake(request.model_copy(update={"terminal_code": None}))
        changed, moved = self.runner.run(partial(_after_handshake, hello=hello))
        report.epoch_changed |= changed
        if moved:
            report.moved_to = hello.location_code
            health = True  # the new location's stock is read from its whole ledger
        report.clock_skew = hello.server_time - datetime.now(UTC)
        report.upgrade_required = hello.upgrade_required
        self._push(replica, hello, last_seq, report)
        if report.quarantined or hello.replica_status != "active":
            report.quarantined = True
            return  # what it sold is kept for review on the server; it may not pull
        self._bootstrap(replica, hello, report)
        self._pull(replica, hello, report)
        report.images += fetch_missing(self.runner, self.client.image)
        if health and not report.quarantined:
            report.health = check_health(
                self.runner, self.client, replica, lambda _head: self._pull(replica, hello, report),
                rebootstrap=lambda: self._rebootstrap(replica, hello, report),
            )  # fmt: skip

    def _push(
        self, replica: uuid.UUID, hello: HandshakeResponse, last_seq: int, report: SyncReport
    ) -> None:
        start = self.runner.read(_pushed_seq)
        total = max(1, last_seq - start)
        while True:
            pushed = self.runner.read(_pushed_seq)
            mutations = self.runner.read(partial(_next_batch, after=pushed, limit=self.batch))
            if not mutations:
                return
            failpoint("before_push")
            answer = self.client.push(
                PushRequest(replica_id=replica, epoch=hello.epoch, mutations=mutations)
            )
            failpoint("after_push_answer")  # the server committed; our ack is not written
            sent = mutations[-1].seq
            self.runner.run(partial(_after_push, answer=answer, sent=sent))
            report.pushed += sum(1 for m in mutations if m.seq <= answer.applied_seq)
            report.issues += sum(1 for r in answer.results if r.status != MutationStatus.APPLIED)
            self.progress(min(1.0, (answer.applied_seq - start) / total) * 0.8)
            if answer.replica_status != "active":
                report.quarantined = True
                return
            if answer.applied_seq < mutations[-1].seq:
                return  # the server stopped early; the next round resumes from its mark

    def _bootstrap(self, replica: uuid.UUID, hello: HandshakeResponse, report: SyncReport) -> None:
        """The catalog as the server has it now, in pages; each page lands with its resume
        position, so a till killed halfway goes on from there."""
        while True:
            state = self.runner.read(load_state)
            assert state is not None
            if state.catalog_as_of is not None:
                return
            page = self.client.bootstrap(
                replica, state.bootstrap_after, hello.epoch, self.bootstrap_page
            )
            self.runner.run(partial(_apply_bootstrap_page, page=page))
            report.bootstrapped += len(page.documents)

    def _rebootstrap(
        self, replica: uuid.UUID, hello: HandshakeResponse, report: SyncReport
    ) -> None:
        """The catalog snapshot again (documents apply idempotently; nothing local is lost:
        unpushed edits are kept field by field), then the pull catches up."""
        self.runner.run(
            lambda u: _set(u, catalog_as_of=None, bootstrap_after=None, bootstrap_as_of=None)
        )
        self._bootstrap(replica, hello, report)
        self._pull(replica, hello, report)

    def _pull(self, replica: uuid.UUID, hello: HandshakeResponse, report: SyncReport) -> None:
        while True:
            cursor, catalog_from = self.runner.read(_cursor_and_catalog)
            page = self.client.pull(
                replica, cursor, hello.epoch, self.page, catalog_from=catalog_from
            )
            self.runner.run(partial(_apply_page, page=page, location_id=hello.location_id))
            report.pulled += len(page.changes)
            if not page.more:
                self.progress(1.0)
                return


def _last_seq(uow: UnitOfWork) -> int:
    (seq,) = uow.sql.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()
    return int(seq)


def _pushed_seq(uow: UnitOfWork) -> int:
    return int(uow.conn.execute(select(SyncState.pushed_seq)).scalar_one())


def _cursor(uow: UnitOfWork) -> int:
    return int(uow.conn.execute(select(SyncState.pull_cursor)).scalar_one())


def _cursor_and_catalog(uow: UnitOfWork) -> tuple[int, int]:
    cursor, as_of = uow.conn.execute(select(SyncState.pull_cursor, SyncState.catalog_as_of)).one()
    return int(cursor), int(as_of or 0)


def _apply_bootstrap_page(uow: UnitOfWork, page: BootstrapPage) -> None:
    documents = [(d.entity, d.entity_id, d.body) for d in page.documents]
    apply_documents(uow, documents, _pushed_seq(uow))
    state = load_state(uow)
    assert state is not None
    as_of = state.bootstrap_as_of if state.bootstrap_as_of is not None else page.as_of
    if page.next is None:
        _set(uow, catalog_as_of=as_of, bootstrap_after=None, bootstrap_as_of=None)
    else:
        _set(uow, bootstrap_after=page.next, bootstrap_as_of=as_of)
    failpoint("mid_bootstrap")  # a page applied, its position moved, still uncommitted


def _after_handshake(uow: UnitOfWork, hello: HandshakeResponse) -> tuple[bool, bool]:
    """Adopt the server's view; returns whether its epoch changed (it was restored) and whether
    a manager moved this till to another location.

    A move becomes a `till.moved` record in the outbox, in this transaction: every record
    before it was made at the old location and every one after it at the new one, and the
    server changes the till's location exactly there (docs/sync-protocol.md, "A till moves")."""
    state = load_state(uow)
    assert state is not None
    changed = state.epoch is not None and state.epoch != hello.epoch
    moved = state.location_id is not None and state.location_id != hello.location_id
    if moved:
        append(
            uow, kind=TILL_MOVED, entity_id=hello.location_id,
            payload={"location_id": str(hello.location_id),
                     "from_location_id": str(state.location_id)},
        )  # fmt: skip
        moved_to(uow, hello.location_id, hello.location_code)
    values: dict[str, object] = {
        "epoch": hello.epoch,
        "location_id": hello.location_id,
        "location_code": hello.location_code,
        "replica_status": hello.replica_status,
        "upgrade_required": hello.upgrade_required,
        # Only ever lowered here: after a server restore we push again what it lost, from the
        # outbox we kept. When the server holds more than we think (its answer never reached us,
        # or this database was restored from an older copy) we resend from our own mark and let
        # the server judge each record: the same content is answered from its store, different
        # content under a number it holds quarantines this database — nothing is skipped.
        "pushed_seq": min(hello.applied_seq, state.pushed_seq),
    }
    if changed:
        values["pull_cursor"] = 0  # its change log restarted too: read it again from the start
        values.update(catalog_as_of=None, bootstrap_after=None, bootstrap_as_of=None)
    _set(uow, **values)
    return changed, moved


def _next_batch(uow: UnitOfWork, after: int, limit: int) -> list[Mutation]:
    rows = uow.conn.execute(
        select(OutboxRecord).where(OutboxRecord.seq > after).order_by(OutboxRecord.seq).limit(limit)
    ).all()
    batch: list[Mutation] = []
    size = 0
    for row in rows:
        size += len(row.payload) + 200
        if batch and size > MAX_BATCH_BYTES:
            break
        batch.append(
            Mutation(
                seq=row.seq,
                id=row.id,
                kind=row.kind,
                schema_version=row.schema_version,
                entity_id=row.entity_id,
                payload=json.loads(row.payload),
                created_at=row.created_at,
            )
        )
    return batch


def _after_push(uow: UnitOfWork, answer: PushResponse, sent: int) -> None:
    kinds = dict(
        uow.conn.execute(
            select(OutboxRecord.seq, OutboxRecord.kind).where(
                OutboxRecord.seq.in_([r.seq for r in answer.results])
            )
        ).all()
    )
    now = datetime.now(UTC)
    for result in answer.results:
        uow.conn.execute(delete(SyncIssue).where(SyncIssue.seq == result.seq))
        if result.status != MutationStatus.APPLIED:
            uow.conn.execute(
                insert(SyncIssue).values(
                    seq=result.seq,
                    kind=kinds.get(result.seq, "?"),
                    status=result.status.value,
                    detail=result.detail,
                    at=now,
                )
            )
    _confirm_loyalty(uow, [r.seq for r in answer.results if r.status in _KEPT])
    # Through what we sent and the server answered for, never beyond: records past this batch
    # are judged by the server when they are sent, even if it holds their numbers already.
    _set(uow, pushed_seq=min(answer.applied_seq, sent), replica_status=answer.replica_status)


_KEPT = (MutationStatus.APPLIED, MutationStatus.NEEDS_REVIEW)  # effects on the server


def _confirm_loyalty(uow: UnitOfWork, seqs: list[int]) -> None:
    """This till's loyalty entries the server now holds: they count in its balance, so the
    offline guard stops deducting them a second time."""
    if not seqs:
        return
    rows = uow.conn.execute(
        select(OutboxRecord.kind, OutboxRecord.payload).where(
            OutboxRecord.seq.in_(seqs),
            OutboxRecord.kind.in_(
                ["ticket.finalized", "ticket.refunded", "loyalty.adjusted", "loyalty.expired"]
            ),
        )
    ).all()
    ids: list[str] = []
    for kind, text in rows:
        payload = json.loads(text)
        if kind.startswith("ticket."):
            ids += [str(e["id"]) for e in payload.get("loyalty", [])]
        else:
            ids.append(str(payload["id"]))
    for i in range(0, len(ids), 500):
        marks = ",".join("?" * len(ids[i : i + 500]))
        uow.sql.execute(
            f"UPDATE loyalty_entries SET confirmed = 1 WHERE id IN ({marks})", ids[i : i + 500]
        )


def _apply_page(uow: UnitOfWork, page: PullResponse, location_id: uuid.UUID) -> None:
    """The page's changes and the cursor after them, in one transaction."""
    apply_changes(uow, page.changes, location_id)
    _set(uow, pull_cursor=page.cursor)
    failpoint("before_cursor_commit")  # applied and cursor moved, all still uncommitted


def _terminal_code(uow: UnitOfWork) -> str | None:
    """The code this till prints in receipt numbers, for the server's uniqueness check (None
    before the till is configured, or for a code the server could not take)."""
    try:
        code = load_selling_config(uow).terminal_code
    except NovaError:
        code = assigned_terminal_code(uow) or ""  # enrolled, the selling rules not yet pulled
    return code if code.isascii() and code.isalnum() and len(code) <= 8 else None
