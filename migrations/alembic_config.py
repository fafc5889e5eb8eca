"""Build Alembic configs in code (no alembic.ini at run time) bound to a live connection."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData


def make_config(script_dir: Path, connection: Connection | None = None) -> Config:
    """An Alembic config for `script_dir`; env.py uses `connection` when one is given."""
    config = Config()
    config.set_main_option("script_location", str(script_dir))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def heads(script_dir: Path) -> set[str]:
    """The head revision ids the migration scripts define."""
    return set(ScriptDirectory.from_config(make_config(script_dir)).get_heads())


def known_revisions(script_dir: Path) -> set[str]:
    """Every revision id this build of the app knows."""
    script = ScriptDirectory.from_config(make_config(script_dir))
    return {rev.revision for rev in script.walk_revisions()}


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    """Leave out what the models do not describe on purpose: FTS5 virtual and shadow tables."""
    return not (type_ == "table" and name is not None and name.startswith("items_fts"))


def schema_diff(connection: Connection, metadata: MetaData) -> list[object]:
    """Alembic's autogenerate comparison of `metadata` against the live schema."""
    context = MigrationContext.configure(connection, opts={"include_name": include_name})
    return list(compare_metadata(context, metadata))
