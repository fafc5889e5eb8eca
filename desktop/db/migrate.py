"""Start-up migration of the terminal DB: back up first, upgrade, refuse a DB from a newer app."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text

from desktop.db.engine import make_terminal_engine
from migrations import TERMINAL_DIR, TERMINAL_HEAD
from shared.errors import Conflict

if TYPE_CHECKING:
    from sqlalchemy import Connection

# Alembic is imported only when a migration may be needed: an up-to-date terminal starts
# without it (see TERMINAL_HEAD).


class DatabaseTooNew(Conflict):
    """The local DB was migrated by a newer Nova than this one; nothing was touched."""


@dataclass(frozen=True)
class MigrateResult:
    """What start-up did: the revisions before/after and the backup taken, if any."""

    before: frozenset[str]
    after: frozenset[str]
    backup: Path | None

    @property
    def migrated(self) -> bool:
        return self.before != self.after


def _current(path: Path) -> set[str]:
    # Read-only peek without creating the file or taking a write lock.
    uri = f"file:{path}?mode=ro"
    with sqlite3.connect(uri, uri=True) as conn:
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has_table:
            return set()
        return {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}


def backup_database(path: Path, backup_dir: Path, *, label: str) -> Path:
    """Copy `path` with SQLite's online backup API (a file copy would miss the WAL's commits)."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_dir / f"{path.stem}-{stamp}-{label}.db"
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def _check_foreign_keys(conn: Connection) -> None:
    bad = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
    if bad:
        raise RuntimeError(f"migration left foreign key violations: {bad[:5]}")


def upgrade_terminal(path: Path, revision: str = "head") -> None:
    """Run the terminal migrations with foreign keys off, then verify them."""
    from alembic import command

    from migrations.alembic_config import make_config

    engine = make_terminal_engine(path, foreign_keys=False)
    try:
        with engine.begin() as conn:
            command.upgrade(make_config(TERMINAL_DIR, conn), revision)
            _check_foreign_keys(conn)
    finally:
        engine.dispose()


def downgrade_terminal(path: Path, revision: str) -> None:
    """Downgrade the terminal DB (tests and support only; the app never downgrades)."""
    from alembic import command

    from migrations.alembic_config import make_config

    engine = make_terminal_engine(path, foreign_keys=False)
    try:
        with engine.begin() as conn:
            command.downgrade(make_config(TERMINAL_DIR, conn), revision)
            _check_foreign_keys(conn)
    finally:
        engine.dispose()


def terminal_current(path: Path) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    engine = make_terminal_engine(path)
    try:
        with engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()


def prepare_terminal_db(path: Path, backup_dir: Path) -> MigrateResult:
    """Bring the local DB to this app's schema before anything else opens it.

    Raises:
        DatabaseTooNew: the DB is at a revision this app does not know; the file is untouched.
    """
    before = _current(path) if path.exists() else set()
    if before == {TERMINAL_HEAD}:
        return MigrateResult(frozenset(before), frozenset(before), None)  # the daily start
    from migrations.alembic_config import heads, known_revisions

    head = heads(TERMINAL_DIR)
    unknown = before - known_revisions(TERMINAL_DIR)
    if unknown:
        raise DatabaseTooNew(
            "This terminal database was written by a newer version of Nova POS. Install that "
            "version (or newer) to open it; nothing in the database was changed.",
            details={"database": str(path), "revision": sorted(unknown)},
        )
    backup = None
    if before != head:
        if path.exists() and path.stat().st_size > 0:
            backup = backup_database(path, backup_dir, label="before-migrate")
        upgrade_terminal(path)
    return MigrateResult(frozenset(before), frozenset(heads(TERMINAL_DIR)), backup)
