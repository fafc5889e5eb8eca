"""The device credential: in the OS keyring, or a file only this user can read.

Headless Linux has no keyring backend (`keyring` raises `NoKeyringError`). We do not ship
`keyrings.alt` (it silently stores secrets in plain text); instead the secret goes to a 0600 file
beside the database and a warning says so, once per process.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path

import keyring
from keyring.errors import KeyringError, NoKeyringError

log = logging.getLogger(__name__)
SERVICE = "nova-pos-device"
_warned = False


class CredentialStore:
    def __init__(self, fallback_dir: Path) -> None:
        self.fallback = fallback_dir / "device-credential.json"

    def save(self, device_id: str, secret: str) -> str:
        """Store the secret; returns where it went ("keyring" or the fallback file's path)."""
        try:
            keyring.set_password(SERVICE, device_id, secret)
        except (NoKeyringError, KeyringError, RuntimeError) as exc:
            self._warn(exc)
            self._write({**self._read(), device_id: secret})
            return str(self.fallback)
        return "keyring"

    def load(self, device_id: str) -> str | None:
        try:
            secret = keyring.get_password(SERVICE, device_id)
        except (NoKeyringError, KeyringError, RuntimeError) as exc:
            self._warn(exc)
            secret = None
        return secret or self._read().get(device_id)

    def forget(self, device_id: str) -> None:
        with contextlib.suppress(NoKeyringError, KeyringError, RuntimeError):
            keyring.delete_password(SERVICE, device_id)
        stored = self._read()
        if stored.pop(device_id, None) is not None:
            self._write(stored)

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.fallback.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _write(self, data: dict[str, str]) -> None:
        self.fallback.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.fallback.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)  # also when the file existed with wider rights
        os.replace(tmp, self.fallback)

    def _warn(self, exc: Exception) -> None:
        global _warned
        if not _warned:
            _warned = True
            log.warning(
                "no OS keyring (%s): the device credential is kept in %s, readable only by "
                "this user",
                type(exc).__name__,
                self.fallback,
            )
