"""Which of many keys a table holds, in chunks SQLite's bound-variable limit allows."""

from __future__ import annotations

from collections.abc import Iterable

from desktop.db.uow import UnitOfWork

CHUNK = 500


def existing(uow: UnitOfWork, query: str, keys: Iterable[str]) -> set[str]:
    """The first column of `query` (with `{marks}` where the `IN (...)` placeholders go) run
    over `keys`: e.g. `existing(uow, "SELECT id FROM items WHERE id IN ({marks})", ids)`."""
    found: set[str] = set()
    listed = sorted(set(keys))
    for i in range(0, len(listed), CHUNK):
        chunk = listed[i : i + CHUNK]
        rows = uow.sql.execute(query.format(marks=",".join("?" * len(chunk))), chunk)
        found.update(str(row[0]) for row in rows)
    return found
