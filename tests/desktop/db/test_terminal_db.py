"""The terminal's SQLite: durable pragmas, real transactions, start-up migration with backup."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError, OperationalError

from desktop.db.engine import make_terminal_engine
from desktop.db.migrate import (
    DatabaseTooNew,
    downgrade_terminal,
    prepare_terminal_db,
    terminal_current,
    upgrade_terminal,
)
from desktop.db.models import Base
from migrations import TERMINAL_DIR, TERMINAL_HEAD
from migrations.alembic_config import heads, make_config, schema_diff
from shared.ids import parse_uuid7


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "terminal.db"
    upgrade_terminal(path)
    return path


class TestEngine:
    def test_pragmas_are_durable(self, db: Path) -> None:
        engine = make_terminal_engine(db)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        engine.dispose()

    def test_foreign_keys_are_enforced(self, tmp_path: Path) -> None:
        engine = make_terminal_engine(tmp_path / "fk.db")
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
            conn.exec_driver_sql("CREATE TABLE child (id INTEGER, pid INTEGER REFERENCES parent)")
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO child VALUES (1, 99)")
        engine.dispose()

    def test_begin_takes_the_write_lock_immediately(self, db: Path) -> None:
        first = make_terminal_engine(db)
        second = make_terminal_engine(db)

        @event.listens_for(second, "connect")
        def short_timeout(dbapi_conn: sqlite3.Connection, _: object) -> None:
            dbapi_conn.execute("PRAGMA busy_timeout=50")

        with first.begin() as held:
            held.execute(text("select 1"))  # no write yet: only BEGIN IMMEDIATE holds the lock
            with pytest.raises(OperationalError, match="locked"), second.begin() as conn:
                conn.execute(text("select 1"))
        first.dispose()
        second.dispose()

    def test_savepoint_rolls_back_only_its_part(self, db: Path) -> None:
        engine = make_terminal_engine(db)
        with engine.begin() as conn:
            conn.execute(text("insert into local_meta values ('a', '1')"))
            nested = conn.begin_nested()
            conn.execute(text("insert into local_meta values ('b', '2')"))
            nested.rollback()
        with engine.connect() as conn:
            keys = set(conn.execute(text("select key from local_meta")).scalars())
        assert {"a"} <= keys
        assert "b" not in keys
        engine.dispose()


class TestMigrations:
    def test_up_down_up(self, tmp_path: Path) -> None:
        path = tmp_path / "t.db"
        upgrade_terminal(path)
        assert terminal_current(path) == heads(TERMINAL_DIR)
        downgrade_terminal(path, "base")
        assert terminal_current(path) == set()
        upgrade_terminal(path)
        assert terminal_current(path) == heads(TERMINAL_DIR)

    def test_every_revision_steps_down_and_up(self, tmp_path: Path) -> None:
        path = tmp_path / "t.db"
        script = ScriptDirectory.from_config(make_config(TERMINAL_DIR))
        for rev in reversed(list(script.walk_revisions())):
            upgrade_terminal(path, rev.revision)
            downgrade_terminal(path, "-1")
            upgrade_terminal(path, rev.revision)

    def test_terminal_head_constant_is_alembics_head(self) -> None:
        assert heads(TERMINAL_DIR) == {TERMINAL_HEAD}, "update migrations.TERMINAL_HEAD"

    def test_models_match_migrations(self, db: Path) -> None:
        engine = make_terminal_engine(db)
        with engine.connect() as conn:
            assert schema_diff(conn, Base.metadata) == []
        engine.dispose()

    def test_each_database_gets_its_own_uuid7_replica_id(self, tmp_path: Path) -> None:
        ids = []
        for name in ("a.db", "b.db"):
            upgrade_terminal(tmp_path / name)
            with sqlite3.connect(tmp_path / name) as conn:
                row = conn.execute("select value from local_meta where key='replica_id'").fetchone()
            ids.append(parse_uuid7(row[0]))
        assert ids[0] != ids[1]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class TestPrepareAtStartup:
    def test_new_database_is_created_at_head_without_backup(self, tmp_path: Path) -> None:
        result = prepare_terminal_db(tmp_path / "new.db", tmp_path / "backups")
        assert result.backup is None
        assert result.after == frozenset(heads(TERMINAL_DIR))
        assert not (tmp_path / "backups").exists()

    def test_database_at_head_is_left_alone(self, db: Path, tmp_path: Path) -> None:
        result = prepare_terminal_db(db, tmp_path / "backups")
        assert not result.migrated
        assert result.backup is None

    def test_behind_database_is_backed_up_with_its_committed_data_then_upgraded(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "old.db"
        upgrade_terminal(path)
        downgrade_terminal(path, "base")
        engine = make_terminal_engine(path)
        with engine.begin() as conn:  # a committed row that still sits in the WAL
            conn.exec_driver_sql("CREATE TABLE keepsake (v TEXT)")
            conn.exec_driver_sql("INSERT INTO keepsake VALUES ('sale-42')")
        result = prepare_terminal_db(path, tmp_path / "backups")
        engine.dispose()
        assert result.migrated
        assert result.backup is not None
        assert result.backup.parent == tmp_path / "backups"
        with sqlite3.connect(result.backup) as conn:
            assert conn.execute("select v from keepsake").fetchall() == [("sale-42",)]
        assert terminal_current(path) == heads(TERMINAL_DIR)

    def test_database_from_a_newer_app_is_refused_untouched(self, db: Path, tmp_path: Path) -> None:
        with sqlite3.connect(db) as conn:
            conn.execute("update alembic_version set version_num='t9999_from_the_future'")
        before = sha256(db)
        with pytest.raises(DatabaseTooNew, match="newer version of Nova POS") as caught:
            prepare_terminal_db(db, tmp_path / "backups")
        assert caught.value.details["revision"] == ["t9999_from_the_future"]
        assert sha256(db) == before
        assert not (tmp_path / "backups").exists()
