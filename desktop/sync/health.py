"""The health check: compare this till's ledgers with the server's sums (and its catalog's
clock stamps with the server's), repair a scope that differs by re-reading only that scope (the
catalog: its snapshot again), and say so (log, counter, issue) — never a one-way wipe.

Run only when nothing is left to push (the server then holds every fact this till wrote) and
after pulling up to the digest's head, so both sides describe the same set of facts.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

from sqlalchemy import delete, insert, select

from desktop.db.models import LocalMeta, SyncIssue
from desktop.db.uow import UnitOfWork
from desktop.outbox.service import pending_count
from desktop.sync.client import SyncClient
from desktop.sync.inbound import apply_changes
from desktop.till.runner import Runner
from shared.sync import PULL_PAGE, Digest, catalog_fingerprint

log = logging.getLogger(__name__)
MISMATCH_COUNTER = "sync.health_mismatches"
SCOPES = {"stock": "stock_movement", "loyalty": "loyalty_entry", "catalog": "cat."}
_ISSUE_SEQ = {"stock": -1, "loyalty": -2, "catalog": -3}  # rows not tied to an outbox record


@dataclass
class Health:
    checked: bool = False
    mismatched: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)


def local_sums(uow: UnitOfWork, location_code: str) -> dict[str, dict[str, int]]:
    stock = uow.sql.execute(
        "SELECT item_id, sum(qty_milli) FROM stock_movements WHERE location_code = ? "
        "GROUP BY item_id",
        (location_code,),
    ).fetchall()
    points = uow.sql.execute(
        "SELECT customer_id, sum(points) FROM loyalty_entries GROUP BY customer_id"
    ).fetchall()
    return {
        "stock": {str(k): int(v) for k, v in stock},
        "loyalty": {str(k): int(v) for k, v in points},
    }


def catalog_stamps(uow: UnitOfWork) -> str:
    rows = uow.sql.execute("SELECT entity, entity_id, field, stamp FROM catalog_clocks")
    return catalog_fingerprint([(e, i, f, s) for e, i, f, s in rows])


def differing(uow: UnitOfWork, digest: Digest) -> list[str]:
    """Scopes whose sums differ, over the ids this till knows (items of its catalog, its
    customers); the server's view of ids this till never saw is not this till's to judge.
    The catalog is compared whole: every till holds all of it."""
    mine = local_sums(uow, digest.location_code)
    known_items = {r[0] for r in uow.sql.execute("SELECT id FROM items")}
    known_customers = {r[0] for r in uow.sql.execute("SELECT id FROM customers")}
    theirs = {"stock": digest.stock, "loyalty": digest.loyalty}
    known = {"stock": known_items, "loyalty": known_customers}
    found = [
        scope
        for scope in ("stock", "loyalty")
        if any(mine[scope].get(i, 0) != theirs[scope].get(i, 0) for i in known[scope])
    ]
    if digest.catalog and digest.catalog != catalog_stamps(uow):
        found.append("catalog")
    return found


def check(
    runner: Runner, client: SyncClient, replica: uuid.UUID, pull_to_head: object,
    rebootstrap: Callable[[], None] | None = None,
) -> Health:  # fmt: skip
    """Compare, repair what differs, report. `pull_to_head(head)` brings the cursor to head;
    `rebootstrap()` fetches the catalog snapshot again (the catalog's repair)."""
    if runner.read(pending_count):
        return Health()  # facts of ours the server does not have yet: not comparable now
    digest = client.digest()
    pull_to_head(digest.head)  # type: ignore[operator]
    health = Health(checked=True, mismatched=runner.read(partial(differing, digest=digest)))
    for scope in health.mismatched:
        log.warning("sync health: %s differs from the server; re-reading that scope", scope)
        if scope == "catalog":
            if rebootstrap is not None:
                rebootstrap()
            continue
        _reread(runner, client, replica, digest, SCOPES[scope])
    if health.mismatched:
        digest = client.digest()
        pull_to_head(digest.head)  # type: ignore[operator]
        still = runner.read(partial(differing, digest=digest))
        health.repaired = [s for s in health.mismatched if s not in still]
        runner.run(partial(_record, found=health.mismatched, unrepaired=still))
    return health


def _reread(
    runner: Runner, client: SyncClient, replica: uuid.UUID, digest: Digest, entity: str
) -> None:
    """Every change of one scope from the start; applied by id, so only what is missing lands.
    The main cursor does not move: this is a repair, not a pull."""
    cursor = 0
    while True:
        page = client.pull(replica, cursor, digest.epoch, PULL_PAGE, entity=entity)
        runner.run(partial(apply_changes, changes=page.changes, location_id=None))
        cursor = page.cursor
        if not page.more:
            return


def _record(uow: UnitOfWork, found: list[str], unrepaired: list[str]) -> None:
    """Count every mismatch; one that a re-read could not fix becomes an issue for a person."""
    key = MISMATCH_COUNTER
    count = uow.conn.execute(select(LocalMeta.value).where(LocalMeta.key == key)).scalar()
    uow.conn.execute(delete(LocalMeta).where(LocalMeta.key == key))
    total = int(count or 0) + len(found)
    uow.conn.execute(insert(LocalMeta).values(key=key, value=str(total)))
    for scope in unrepaired:
        seq = _ISSUE_SEQ[scope]
        uow.conn.execute(delete(SyncIssue).where(SyncIssue.seq == seq))
        uow.conn.execute(
            insert(SyncIssue).values(
                seq=seq,
                kind=f"health.{scope}",
                status="needs_review",
                detail=f"{scope} differs from the server after re-reading it",
                at=datetime.now(UTC),
            )
        )
