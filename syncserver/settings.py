"""Typed settings of the sync server (env prefix ``NOVA_SERVER_``; see docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.paths import app_dirs


def default_database_url() -> str:
    """The embedded default: a SQLite file in the user data dir."""
    return f"sqlite+pysqlite:///{app_dirs().data / 'server.db'}"


class ServerSettings(BaseSettings):
    """Everything the server reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="NOVA_SERVER_", extra="ignore")

    database_url: str = Field(
        default_factory=default_database_url,
        description="SQLAlchemy URL; `postgresql+psycopg://...` selects Postgres.",
    )
    host: str = Field(default="127.0.0.1", description="Interface `nova server` binds to.")
    port: int = Field(default=8700, ge=0, le=65535, description="TCP port of `nova server`.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Minimum level of log records written."
    )
    log_json: bool = Field(default=True, description="One JSON object per log line.")
    max_body_bytes: int = Field(
        default=1_048_576, gt=0, description="Largest request body accepted (413 beyond)."
    )
    auto_migrate: bool = Field(
        default=True, description="`nova server` upgrades the database to head before serving."
    )
    shutdown_grace_seconds: int = Field(
        default=10, ge=0, description="How long in-flight requests may finish on SIGTERM."
    )

    public_url: str = Field(
        default="http://127.0.0.1:8700",
        description="Base URL people use to reach the server (links in e-mails).",
    )
    mail_sender: Literal["console", "file", "smtp"] = Field(
        default="console",
        description="How e-mails leave: `console` logs them, `file` writes .eml files, `smtp` "
        "sends them through the SMTP server below.",
    )
    mail_from: str = Field(
        default="Nova POS <no-reply@localhost>",
        description="The From address of every e-mail.",
    )
    smtp_host: str = Field(default="127.0.0.1", description="SMTP server host (`smtp` sender).")
    smtp_port: int = Field(
        default=587, ge=1, le=65535, description="SMTP port: 587 STARTTLS, 465 TLS, 25 plain."
    )
    smtp_security: Literal["starttls", "tls", "none"] = Field(
        default="starttls",
        description="`starttls` upgrades the connection, `tls` connects with TLS (port 465), "
        "`none` only for a relay on the same machine.",
    )
    smtp_username: str | None = Field(default=None, description="SMTP login, if required.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    smtp_timeout_seconds: float = Field(
        default=10, gt=0, description="How long to wait for the SMTP server."
    )
    mail_dir: Path = Field(
        default_factory=lambda: app_dirs().data / "mail",
        description="Folder for the `file` mail sender.",
    )
    sqlite_write_wait_seconds: float = Field(
        default=20,
        gt=0,
        description="Embedded SQLite only: how long a write waits for its turn before the "
        "server answers 503 with `Retry-After` (tills retry by themselves).",
    )
    register_limit_per_hour: int = Field(
        default=5, ge=1, description="Registrations accepted per client IP per hour."
    )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
