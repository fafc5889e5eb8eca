"""`nova seed tenant` against a real server (SQLite and Postgres) through its public API only.

The server runs under uvicorn with the file mailer; the seed reads the activation link from
the mail folder like a person would. A second run must find everything and write nothing: the
row count of every server table is the same before and after it (counted through a read-only
connection, which is for asserting only).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import Connection, inspect, text

from desktop.db.instance_lock import DatabaseInUse, WriterLock
from desktop.outbox.service import pending_count
from desktop.sync import credentials
from desktop.till.demo import seed_demo
from nova.seed import demo
from nova.seed.run import seed_tenant
from nova.seed.tenant import SeedOptions
from nova.seed.till import Till
from shared.errors import Conflict
from syncserver.db import make_engine, make_sessionmaker
from syncserver.superadmin.accounts import create_superadmin
from tests.support.live_server import live_server
from tests.syncserver.conftest import make_app  # noqa: F401


@pytest.fixture(autouse=True)
def _keyring_warning_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    """This machine has no keyring: the credential fallback warns once per process (the
    credential tests check that warning themselves)."""
    monkeypatch.setattr(credentials, "_warned", True)


@pytest.fixture
def server(
    make_app: Callable[..., FastAPI],  # noqa: F811
    db_url: str,
    tmp_path: Path,
) -> Iterator[str]:
    app = make_app(mail_sender="file", mail_dir=tmp_path / "mail")
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session, session.begin():
        # What `nova admin create-superadmin` does: the operator exists before anyone registers.
        create_superadmin(
            session,
            email=demo.DEMO_SUPERADMIN_EMAIL,
            name="Ops",
            password=demo.DEMO_SUPERADMIN_PASSWORD,
        )
    engine.dispose()
    with live_server(app) as url:
        yield url


def options(server: str, tmp_path: Path, **overrides: object) -> SeedOptions:
    values: dict[str, object] = {
        "server_url": server,
        "till_database": tmp_path / "till" / "terminal.db",
        "mail_dir": tmp_path / "mail",
        **overrides,
    }
    return SeedOptions(**values)  # type: ignore[arg-type]


def _read_only(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(text("PRAGMA query_only = ON"))
    else:
        conn.execute(text("SET TRANSACTION READ ONLY"))


def row_counts(db_url: str) -> dict[str, int]:
    """Rows per server table, read through a connection that cannot write."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            _read_only(conn)
            tables = inspect(conn).get_table_names()
            return {
                t: int(conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one())
                for t in tables
            }
    finally:
        engine.dispose()


class TestSeedTenant:
    def test_first_run_builds_the_business_to_a_synced_sale(
        self, server: str, tmp_path: Path, db_url: str
    ) -> None:
        said: list[str] = []
        seeded = seed_tenant(options(server, tmp_path), say=said.append)
        text_ = "\n".join(said)
        for expected in (
            "registered Nova Demo Café",
            "approved by the superadmin",
            "activated owner@demo-cafe.example from the e-mailed link",
            "signed in as the owner",
            "tax preset",
            "modifier group Milk (Oat +0.50, Soy +0.40)",
            "item Cappuccino 3.20 (STD)",
            "cashier Cara Cashier: code 2, PIN 2468",
            "manager Max Manager: code 1, PIN 1357",
            "till enrolled as 'Till 1'",
            "opening stock of CRO: 24 received",
            "Cara Cashier sold",
        ):
            assert expected in text_
        assert seeded.done
        assert not seeded.nothing_to_do
        till = Till.open(tmp_path / "till" / "terminal.db")
        try:
            assert till.runner.read(pending_count) == 0  # the sale reached the server
        finally:
            till.close()
        counts = row_counts(db_url)
        assert counts["tenants"] == 1
        assert counts["devices"] == 1

    def test_second_run_finds_everything_and_changes_no_row(
        self, server: str, tmp_path: Path, db_url: str
    ) -> None:
        seed_tenant(options(server, tmp_path), say=lambda _: None)
        before = row_counts(db_url)
        said: list[str] = []
        again = seed_tenant(options(server, tmp_path), say=said.append)
        assert again.nothing_to_do, said
        assert said == []
        assert row_counts(db_url) == before

    def test_a_fresh_till_database_is_enrolled_into_the_same_business(
        self, server: str, tmp_path: Path, db_url: str
    ) -> None:
        first = seed_tenant(options(server, tmp_path), say=lambda _: None)
        said: list[str] = []
        second = seed_tenant(
            options(server, tmp_path, till_database=tmp_path / "other" / "terminal.db"),
            say=said.append,
        )
        assert second.tenant_id == first.tenant_id
        assert "registered Nova Demo Café" not in "\n".join(said)
        assert any("till enrolled as 'Till 1 (2)'" in line for line in said), said
        assert row_counts(db_url)["tenants"] == 1

    def test_a_till_only_demo_database_is_never_enrolled(
        self, server: str, tmp_path: Path, db_url: str
    ) -> None:
        path = tmp_path / "demo" / "terminal.db"
        demo_till = Till.open(path)
        try:
            assert demo_till.runner.run(seed_demo)  # its own staff, menu and an open shift
        finally:
            demo_till.close()
        opts = options(server, tmp_path, till_database=path)
        with pytest.raises(Conflict, match="holds a till of its own") as refused:
            seed_tenant(opts, say=lambda _: None)
        assert refused.value.details["reason"] == "till_has_data"
        assert row_counts(db_url)["devices"] == 0  # no code was spent on it, nothing enrolled
        left = seed_tenant(opts, say=lambda _: None, leave_foreign_till=True)
        assert not left.till_in_tenant  # what `nova start` does: the till starts as it is
        assert row_counts(db_url)["devices"] == 0


def test_a_till_database_in_use_is_refused_before_anything_is_asked(tmp_path: Path) -> None:
    path = tmp_path / "till" / "terminal.db"
    opts = SeedOptions(
        server_url="http://127.0.0.1:9", till_database=path, mail_dir=tmp_path / "mail"
    )
    with WriterLock(path), pytest.raises(DatabaseInUse, match="already running"):
        seed_tenant(opts, say=lambda _: None)


def test_the_command_takes_flags_and_env_and_says_nothing_to_do_the_second_time(
    server: str, tmp_path: Path
) -> None:
    command = [
        sys.executable, "-m", "nova", "seed", "tenant",
        "--server-url", server,
        "--till-database", str(tmp_path / "cli" / "terminal.db"),
        "--mail-dir", str(tmp_path / "mail"),
        "--business-name", "Bäckerei Flag",
    ]  # fmt: skip
    env = {
        **os.environ,
        "NOVA_SEED_OWNER_EMAIL": "owner@flag.example",
        "NOVA_SEED_OWNER_PASSWORD": "sourdough-2026",
    }
    first = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert first.returncode == 0, first.stderr[-2000:]
    assert "nova seed tenant: Bäckerei Flag on" in first.stdout
    assert "registered Bäckerei Flag (owner@flag.example)" in first.stdout
    second = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert second.returncode == 0, second.stderr[-2000:]
    assert second.stdout.splitlines()[-1].startswith("nothing to do")
