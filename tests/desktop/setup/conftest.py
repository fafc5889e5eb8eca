"""Set-up fixtures: a fresh till database and its set-up desk, wired to a real server app
(SQLite and Postgres) through the app's in-process transport; the business is onboarded
through the public API (register, superadmin approval, activation)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from desktop.setup.desk import SetupDesk
from desktop.sync.credentials import CredentialStore
from desktop.till.runner import Runner
from shared.clock import FakeClock
from syncserver.mail import MemoryMailSender
from tests.desktop.sync.conftest import (  # noqa: F401 - fixtures
    SERVER,
    Server,
    _keyring_warning_seen,
    server,
)
from tests.syncserver.conftest import make_app  # noqa: F401
from tests.syncserver.identity.conftest import ADMIN_PASSWORD, OWNER, mailer, serve  # noqa: F401

OWNER_EMAIL = "owner@juliet.example"  # the `server` fixture's business is "Juliet"
OWNER_PASSWORD = OWNER["password"]


@pytest.fixture
def api(
    make_app: Callable[..., FastAPI],  # noqa: F811
    mailer: MemoryMailSender,  # noqa: F811
    db_url: str,
) -> Iterator[TestClient]:
    """The identity tests' app, with room for the set-up tests' enrollment attempts (the
    server counts each, right or wrong, against one limit per address)."""
    yield from serve(make_app, mailer, db_url, register_limit_per_hour=100)


@pytest.fixture
def runner(engine: Engine, clock: FakeClock) -> Runner:
    return Runner(engine, clock)


@pytest.fixture
def store(tmp_path: Path) -> CredentialStore:
    return CredentialStore(tmp_path / "credential")


@pytest.fixture
def desk(runner: Runner, store: CredentialStore, server: Server) -> SetupDesk:  # noqa: F811
    return SetupDesk(runner, store, transport=server.transport())
