"""Upgrade, downgrade and inspect the server database (used by `nova db` and `/ready`)."""

from __future__ import annotations

from alembic import command
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from migrations import SERVER_DIR
from migrations.alembic_config import heads, make_config, schema_diff


def _engine(url: str) -> Engine:
    from syncserver.db import make_engine

    return make_engine(url)


def upgrade_server(url: str, revision: str = "head") -> None:
    """Upgrade the server DB at `url` to `revision`, in one transaction where the DB allows."""
    engine = _engine(url)
    try:
        with engine.begin() as conn:
            command.upgrade(make_config(SERVER_DIR, conn), revision)
    finally:
        engine.dispose()


def downgrade_server(url: str, revision: str) -> None:
    """Downgrade the server DB at `url` to `revision` (`base` drops everything)."""
    engine = _engine(url)
    try:
        with engine.begin() as conn:
            command.downgrade(make_config(SERVER_DIR, conn), revision)
    finally:
        engine.dispose()


def server_current(engine: Engine) -> set[str]:
    """Revisions the DB is at (empty for a fresh DB)."""
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def server_heads() -> set[str]:
    return heads(SERVER_DIR)


def server_is_at_head(engine: Engine) -> bool:
    """True when the DB is exactly at the scripts' head(s); False on an empty DB."""
    current = server_current(engine)
    return bool(current) and current == server_heads()


def server_schema_diff(engine: Engine) -> list[object]:
    """Differences between the ORM models and the migrated DB (empty when they agree)."""
    from syncserver.models import Base

    with engine.connect() as conn:
        return schema_diff(conn, Base.metadata)
