"""Alembic environment of the terminal DB (SQLite, batch mode); run through desktop.db.migrate."""

from __future__ import annotations

from alembic import context

from desktop.db.models import Base
from migrations.alembic_config import include_name

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_name=include_name,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
