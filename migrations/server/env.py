"""Alembic environment of the server DB (Postgres and SQLite); run through migrations.runner."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from syncserver.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from syncserver.db import make_engine
    from syncserver.settings import ServerSettings

    engine = make_engine(ServerSettings().database_url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


run_migrations_online()
