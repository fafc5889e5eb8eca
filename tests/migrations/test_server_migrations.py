"""Server migrations: up, down to base, up again, on Postgres and SQLite; models match them."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from migrations.runner import (
    downgrade_server,
    server_current,
    server_heads,
    server_is_at_head,
    server_schema_diff,
    upgrade_server,
)
from nova.cli import main
from shared.permissions import ALL_MODULES
from syncserver.db import make_engine


class TestRoundTrip:
    def test_up_down_up_leaves_the_schema_at_head(self, empty_db_url: str) -> None:
        engine = make_engine(empty_db_url)
        try:
            assert not server_is_at_head(engine)
            upgrade_server(empty_db_url)
            assert server_is_at_head(engine)
            tables = set(inspect(engine).get_table_names())
            downgrade_server(empty_db_url, "base")
            assert server_current(engine) == set()
            assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
            upgrade_server(empty_db_url)
            assert set(inspect(engine).get_table_names()) == tables
            assert server_current(engine) == server_heads()
        finally:
            engine.dispose()

    def test_every_revision_steps_down_and_up_one_at_a_time(self, empty_db_url: str) -> None:
        from alembic.script import ScriptDirectory

        from migrations import SERVER_DIR
        from migrations.alembic_config import make_config

        script = ScriptDirectory.from_config(make_config(SERVER_DIR))
        revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
        for rev in revisions:
            upgrade_server(empty_db_url, rev)
        for rev in reversed(revisions):
            downgrade_server(empty_db_url, "-1")
            upgrade_server(empty_db_url, rev)
            downgrade_server(empty_db_url, "-1")
        upgrade_server(empty_db_url)

    def test_seeded_epoch_row_exists(self, db_url: str) -> None:
        engine = make_engine(db_url)
        try:
            with engine.connect() as conn:
                rows = conn.execute(text("select id, epoch from server_instance")).all()
        finally:
            engine.dispose()
        assert len(rows) == 1

    def test_module_registry_matches_the_shared_enum(self, db_url: str) -> None:
        engine = make_engine(db_url)
        try:
            with engine.connect() as conn:
                codes = set(conn.execute(text("select code from modules")).scalars())
        finally:
            engine.dispose()
        assert codes == set(ALL_MODULES), "a new Module needs a migration adding its row"


class TestModelsMatchMigrations:
    def test_no_difference_at_head(self, db_url: str) -> None:
        engine = make_engine(db_url)
        try:
            assert server_schema_diff(engine) == []
        finally:
            engine.dispose()


class TestNovaDbCommand:
    def test_upgrade_current_check_downgrade(
        self, empty_db_url: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        def run(*args: str) -> tuple[int, str, str]:
            code = main(["db", "--database-url", empty_db_url, *args])
            out, err = capsys.readouterr()
            return code, out, err

        code, _, err = run("check")
        assert code == 1
        assert "run `nova db upgrade`" in err
        assert run("upgrade")[0] == 0
        code, out, _ = run("current")
        assert out.strip() == ", ".join(sorted(server_heads()))
        code, out, _ = run("check")
        assert code == 0
        assert "models match migrations" in out
        assert run("downgrade", "base")[0] == 0
        assert run("current")[1].strip() == "(empty database: no revision)"

    @pytest.mark.parametrize("sub", ["upgrade", "downgrade", "current", "check"])
    def test_each_subcommand_has_help(self, sub: str, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as done:
            main(["db", sub, "--help"])
        assert done.value.code == 0
        assert "usage: nova db" in capsys.readouterr().out
