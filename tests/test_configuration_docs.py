"""docs/configuration.md lists every setting with its env variable and default."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from desktop.settings import TerminalSettings
from nova.seed.settings import SeedSettings
from syncserver.settings import ServerSettings

DOC = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


@pytest.mark.parametrize("settings_cls", [ServerSettings, TerminalSettings, SeedSettings])
def test_every_setting_is_documented_with_its_env_name(settings_cls: type[BaseSettings]) -> None:
    text = DOC.read_text(encoding="utf-8")
    prefix = str(settings_cls.model_config.get("env_prefix", ""))
    missing = [
        f"{prefix}{name}".upper()
        for name in settings_cls.model_fields
        if f"`{prefix}{name}`".upper() not in text.upper()
    ]
    assert missing == []


@pytest.mark.parametrize(
    "env", ["NOVA_DATA_DIR", "NOVA_CONFIG_DIR", "NOVA_LOG_DIR", "NOVA_CACHE_DIR"]
)
def test_folder_overrides_are_documented(env: str) -> None:
    assert f"`{env}`" in DOC.read_text(encoding="utf-8")


def test_postgres_url_selects_postgres_and_default_is_embedded_sqlite() -> None:
    assert ServerSettings().is_sqlite
    assert "server.db" in ServerSettings().database_url
    pg = ServerSettings(database_url="postgresql+psycopg://u@h/db")
    assert not pg.is_sqlite
