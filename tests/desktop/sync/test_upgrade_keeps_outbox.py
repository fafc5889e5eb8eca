"""An app upgrade with unsynced sales in the outbox: the new version migrates the database and
pushes them (Odoo lost orders exactly here)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from desktop.db.engine import make_terminal_engine
from desktop.db.migrate import prepare_terminal_db, upgrade_terminal
from desktop.till.runner import Runner
from shared.ids import uuid7
from syncserver.models import SyncMutation
from tests.desktop.sync.conftest import Server, enroll
from tests.desktop.sync.test_sync_round import server_count

BEFORE_SYNC = "t0012_local_devices"  # the last release without sync


def test_records_written_by_the_previous_version_are_pushed_after_the_upgrade(
    server: Server, tmp_path: Path
) -> None:
    db = tmp_path / "terminal.db"
    upgrade_terminal(db, BEFORE_SYNC)
    old = make_terminal_engine(db)
    with old.begin() as conn:
        for seq in (1, 2, 3):
            conn.exec_driver_sql(
                "INSERT INTO outbox (seq, id, kind, schema_version, entity_id, payload, created_at)"
                " VALUES (?, ?, 'shift.opened', 1, ?, ?, '2026-11-20T08:00:00.000000+00:00')",
                (seq, str(uuid7()), str(uuid.uuid4()), json.dumps({"n": seq})),
            )
    old.dispose()
    result = prepare_terminal_db(db, tmp_path / "backups")  # what the new version does at start
    assert result.backup is not None
    runner = Runner(make_terminal_engine(db))
    link = enroll(server, runner, tmp_path)
    report = link.sync()
    runner.engine.dispose()
    assert report.pushed == 3
    assert server_count(server, SyncMutation) == 3
