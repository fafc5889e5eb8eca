"""Item pictures on this till: the bytes of the tile pictures items name by sha256, kept in the
till's database (written whole in one transaction, backed up with it, there when offline).

The sync round fills it after its pull (`fetch_missing`): any item naming a picture this till
lacks gets it then; a picture that fails to arrive is asked for again next round. Selling never
waits for a picture: a tile without one shows its name and price as always.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from functools import partial

from desktop.db.models.types import utc_text
from desktop.db.uow import UnitOfWork
from desktop.net.http import ServerUnreachable
from desktop.till.runner import Runner
from shared.errors import NovaError

log = logging.getLogger(__name__)
FETCH_PER_ROUND = 200  # pictures one sync round fetches at most (the rest: next round)


def missing(uow: UnitOfWork, limit: int = FETCH_PER_ROUND) -> list[str]:
    """Hashes items here name whose bytes this till does not hold yet."""
    rows = uow.sql.execute(
        "SELECT DISTINCT image FROM items WHERE image IS NOT NULL "
        "AND image NOT IN (SELECT sha256 FROM item_images) ORDER BY image LIMIT ?",
        (limit,),
    )
    return [str(sha) for (sha,) in rows]


def store(uow: UnitOfWork, sha256: str, data: bytes) -> bool:
    """Keep a picture's bytes; False (nothing kept) when they are not what the hash names."""
    if hashlib.sha256(data).hexdigest() != sha256:
        return False
    uow.sql.execute(
        "INSERT INTO item_images (sha256, data, fetched_at) VALUES (?, ?, ?) "
        "ON CONFLICT (sha256) DO NOTHING",
        (sha256, data, utc_text(uow.clock.now())),
    )
    return True


def held(uow: UnitOfWork, hashes: Iterable[str]) -> set[str]:
    """Which of `hashes` this till holds the bytes of."""
    wanted = sorted(set(hashes))
    found: set[str] = set()
    for lo in range(0, len(wanted), 500):
        part = wanted[lo : lo + 500]
        marks = ",".join("?" * len(part))
        rows = uow.sql.execute(f"SELECT sha256 FROM item_images WHERE sha256 IN ({marks})", part)
        found |= {str(sha) for (sha,) in rows}
    return found


def picture(uow: UnitOfWork, sha256: str) -> bytes | None:
    """A picture's bytes (None: not here, yet)."""
    row = uow.sql.execute("SELECT data FROM item_images WHERE sha256 = ?", (sha256,)).fetchone()
    return None if row is None else bytes(row[0])


def of_item(uow: UnitOfWork, item_id: str) -> bytes | None:
    """The item's picture as this till holds it (None: none, or not fetched yet)."""
    row = uow.sql.execute(
        "SELECT data FROM items JOIN item_images ON sha256 = image WHERE id = ?", (item_id,)
    ).fetchone()
    return None if row is None else bytes(row[0])


def show_now(uow: UnitOfWork, item_id: str, sha256: str | None, data: bytes | None) -> None:
    """What the server has just answered a picture change here with, shown before the next
    sync brings the same value (no outbox record: the field is the server's)."""
    if sha256 is not None and (data is None or not store(uow, sha256, data)):
        return  # without the right bytes the till waits for the sync to fetch them
    uow.sql.execute("UPDATE items SET image = ? WHERE id = ?", (sha256, item_id))


def fetch_missing(runner: Runner, fetch: Callable[[str], bytes]) -> int:
    """Fetch the pictures items name that this till lacks, each kept in its own transaction;
    returns how many arrived. A picture the server no longer has, or whose bytes come out
    wrong, is skipped; an unreachable server ends the round's fetching. Both retry next round.
    """
    arrived = 0
    for sha in runner.read(missing):
        try:
            data = fetch(sha)
        except ServerUnreachable:
            log.info("item pictures: server unreachable, %s left for the next round", sha)
            break
        except NovaError as exc:
            log.info("item picture %s not fetched: %s", sha, exc)
            continue
        arrived += runner.run(partial(store, sha256=sha, data=data))
    return arrived
