"""Sync state as the status bar shows it (Qt-free: the worker fills it, the shell renders it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Connectivity(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    SYNCING = "syncing"


@dataclass(frozen=True)
class SyncStatus:
    """What the cashier needs to know about sync at a glance."""

    state: Connectivity = Connectivity.OFFLINE
    pending: int = 0
    last_success: datetime | None = None
    progress: float | None = None  # 0..1 while syncing, when known
    # Records the server kept for a person (rejected, held or waiting): the till moved on, but
    # a manager should look at the sync inbox.
    review: int = 0

    def connectivity_text(self) -> str:
        if self.state is Connectivity.SYNCING:
            pct = f" {round(self.progress * 100)}%" if self.progress is not None else ""
            return f"Syncing{pct}"
        return "Online" if self.state is Connectivity.ONLINE else "Offline"

    def pending_text(self) -> str:
        if self.pending == 0:
            return "All changes synced"
        noun = "change" if self.pending == 1 else "changes"
        return f"{self.pending} {noun} waiting to sync"

    def summary(self) -> str:
        """One line, as the status bar reads left to right: "Online · All changes synced"."""
        return f"{self.connectivity_text()} · {self.pending_text()}"

    def review_text(self) -> str:
        """Empty when the server took everything as it came."""
        if self.review == 0:
            return ""
        noun = "record needs" if self.review == 1 else "records need"
        return f"{self.review} {noun} a manager's look (sync inbox)"

    def last_success_text(self) -> str:
        if self.last_success is None:
            return "Never synced"
        return f"Last sync {self.last_success.astimezone().strftime('%Y-%m-%d %H:%M')}"
