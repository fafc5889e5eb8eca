"""Where Nova keeps its files: platformdirs locations, each overridable by an env variable.

Databases and backups live under the *data* dir, never the cache dir (caches get wiped).
Nothing here touches the disk; callers create the folders they use.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "nova-pos"
APP_AUTHOR = "Nova"


@dataclass(frozen=True)
class AppDirs:
    """The four folders of one installation."""

    data: Path
    config: Path
    logs: Path
    cache: Path


def app_dirs() -> AppDirs:
    """Resolve the folders, honouring ``NOVA_DATA_DIR``/``NOVA_CONFIG_DIR``/... overrides."""

    def pick(env: str, default: str) -> Path:
        value = os.environ.get(env)
        return Path(value).expanduser() if value else Path(default)

    return AppDirs(
        data=pick("NOVA_DATA_DIR", platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
        config=pick("NOVA_CONFIG_DIR", platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)),
        logs=pick("NOVA_LOG_DIR", platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)),
        cache=pick("NOVA_CACHE_DIR", platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)),
    )


def assets_dir() -> Path:
    """The bundled assets: the source tree's `assets/`, PyInstaller's bundle, or the wheel copy."""
    import sys

    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "assets"
    source = Path(__file__).resolve().parent.parent / "assets"
    if source.is_dir():
        return source
    return Path(__file__).resolve().parent.parent / "nova" / "_assets"


def tokens_file() -> Path:
    """`assets/design/tokens.toml`, the one source of design tokens."""
    return assets_dir() / "design" / "tokens.toml"
