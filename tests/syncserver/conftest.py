"""Server app fixtures, on the `db_url` fixture (SQLite and Postgres) from tests/conftest.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from syncserver.app import create_app
from syncserver.settings import ServerSettings


@pytest.fixture
def make_app(db_url: str) -> Callable[..., FastAPI]:
    def make(**overrides: object) -> FastAPI:
        return create_app(ServerSettings(database_url=db_url, **overrides))  # type: ignore[arg-type]

    return make


@pytest.fixture
def app(make_app: Callable[..., FastAPI]) -> FastAPI:
    return make_app()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
