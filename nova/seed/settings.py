"""Settings of `nova seed tenant` (env prefix ``NOVA_SEED_``; flags override them)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from nova.seed import demo
from shared.paths import app_dirs


def _mail_dir() -> Path:
    """The server's file-mailer folder when it runs on this machine with default settings."""
    configured = os.environ.get("NOVA_SERVER_MAIL_DIR")
    return Path(configured) if configured else app_dirs().data / "mail"


class SeedSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NOVA_SEED_", extra="ignore")

    server_url: str = Field(
        default_factory=lambda: os.environ.get("NOVA_TERMINAL_SERVER_URL", "http://127.0.0.1:8700"),
        description="The server to seed (default: the terminal's `NOVA_TERMINAL_SERVER_URL`).",
    )
    business_name: str = Field(default=demo.DEMO_BUSINESS, description="Business registered.")
    owner_name: str = Field(default=demo.DEMO_OWNER_NAME, description="The owner's name.")
    owner_email: str = Field(default=demo.DEMO_OWNER_EMAIL, description="The owner's e-mail.")
    owner_password: str = Field(
        default=demo.DEMO_OWNER_PASSWORD, description="The owner's password."
    )
    superadmin_email: str = Field(
        default=demo.DEMO_SUPERADMIN_EMAIL, description="The superadmin who approves."
    )
    superadmin_password: str = Field(
        default=demo.DEMO_SUPERADMIN_PASSWORD, description="The superadmin's password."
    )
    till_database: Path = Field(
        default_factory=lambda: Path(
            os.environ.get("NOVA_TERMINAL_DATABASE_PATH") or app_dirs().data / "terminal.db"
        ),
        description="The till database enrolled and sold on (default: the terminal's).",
    )
    till_name: str = Field(default=demo.TILL_NAME, description="How the back office lists it.")
    mail_dir: Path = Field(
        default_factory=_mail_dir,
        description="Where the server's file mailer writes (default: `NOVA_SERVER_MAIL_DIR`).",
    )
