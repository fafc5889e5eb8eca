"""A second writer on the same terminal database is refused with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.app import EXIT_DB_IN_USE
from desktop.db.instance_lock import DatabaseInUse, WriterLock


def test_second_lock_is_refused_and_names_the_owner(tmp_path: Path) -> None:
    db = tmp_path / "terminal.db"
    with WriterLock(db):
        with pytest.raises(DatabaseInUse, match="already running") as caught:
            WriterLock(db).acquire()
        assert caught.value.details["owner_pid"] == str(os.getpid())
    with WriterLock(db):  # released: a new writer may start
        pass


def test_a_second_terminal_process_exits_with_a_message(tmp_path: Path) -> None:
    db = tmp_path / "data" / "terminal.db"
    with WriterLock(db):
        done = subprocess.run(
            [sys.executable, "-m", "nova", "terminal", "--quit-after-ms", "100"],
            env={
                **os.environ,
                "NOVA_TERMINAL_DATABASE_PATH": str(db),
                "NOVA_CONFIG_DIR": str(tmp_path / "cfg"),
                "QT_QPA_PLATFORM": "offscreen",
            },
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == EXIT_DB_IN_USE
    assert "already running on this database" in done.stderr
    assert not db.exists()  # refused before anything touched the database


def test_a_killed_owner_leaves_no_stale_lock(tmp_path: Path) -> None:
    db = tmp_path / "terminal.db"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from desktop.db.instance_lock import "
            "WriterLock; lock = WriterLock(Path(sys.argv[1])); lock.acquire(); "
            "print('locked', flush=True); "
            "time.sleep(60)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseInUse):
            WriterLock(db).acquire()
        holder.kill()
        holder.wait()
        with WriterLock(db):
            pass
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
