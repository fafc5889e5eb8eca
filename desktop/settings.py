"""Typed settings of the terminal app (env prefix ``NOVA_TERMINAL_``; see docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.paths import app_dirs


class TerminalSettings(BaseSettings):
    """Everything the terminal reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="NOVA_TERMINAL_", extra="ignore")

    database_path: Path = Field(
        default_factory=lambda: app_dirs().data / "terminal.db",
        description="The local SQLite database of this terminal.",
    )
    backup_dir: Path = Field(
        default_factory=lambda: app_dirs().data / "backups",
        description="Where the database is copied before each migration.",
    )
    server_url: str = Field(
        default="http://127.0.0.1:8700", description="Base URL of the sync server."
    )
    theme: Literal["light", "dark"] = Field(
        default="light", description="Initial theme until the user picks one."
    )
    demo_data: bool = Field(
        default=False,
        description="Load a till-only demo shop into a database never set up for selling (code "
        "1, PIN 1234); enrollment brings the real configuration. `nova start` does not use it.",
    )
    sign_in_hint: str = Field(
        default="",
        description="A line shown on the sign-in screen under the keypad (empty: none). `nova "
        "start` sets it to the demo staff codes and PINs, and only while this till is enrolled "
        "in the demo tenant that `nova seed tenant` built.",
    )
    receipt_printer: str = Field(
        default="",
        description="Network receipt printer, e.g. tcp://192.168.1.50:9100 (empty: no printer).",
    )
    paper_width_mm: Literal[58, 80] = Field(default=80, description="Receipt paper width.")
    scanner: str = Field(
        default="",
        description="Serial barcode scanner (device or pyserial URL); keyboard-wedge scanners "
        "need no setting.",
    )
    price_label_prefixes: str = Field(
        default="",
        description="Scale-label prefixes (20-29, comma-separated, e.g. 28,29) whose labels carry "
        "the pack's price instead of its weight.",
    )
    card_reader: str = Field(
        default="",
        description="Serial magnetic-stripe reader for employee and loyalty cards (device or "
        "pyserial URL); keyboard-wedge readers need no setting.",
    )
    customer_display: str = Field(
        default="",
        description="Serial pole display (2x20), a device or pyserial URL such as /dev/ttyUSB0.",
    )
    card_terminal: str = Field(
        default="",
        description="ZVT payment terminal: zvt://192.168.1.60:20007 over the network or "
        "zvt+serial:///dev/ttyUSB0 on a serial port (empty: the built-in simulator that approves "
        "everything).",
    )
    idle_lock_seconds: int = Field(
        default=300,
        ge=0,
        description="Lock the till (back to sign-in) after this long without input; 0 never.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Minimum level of log records written."
    )

    @field_validator("price_label_prefixes")
    @classmethod
    def _prefixes(cls, value: str) -> str:
        from desktop.hardware.barcodes import parse_prefixes

        parse_prefixes(value)  # a ValueError here names the bad prefix at start-up
        return value
