"""Sync state as the status bar shows it (Qt-free: the worker fills it, the shell renders it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from shared.errors import AuthnError, AuthzError, NovaError

# A till this far off the server's clock prints wrong times on receipts and Z reports.
CLOCK_SKEW_LIMIT = timedelta(minutes=5)


class Connectivity(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    SYNCING = "syncing"


class Stalled(StrEnum):
    """Why the till is not syncing (or, for the clock, why what it syncs is off)."""

    UNREACHABLE = "unreachable"  # no network, the server down or too slow
    SUSPENDED = "suspended"  # the business is suspended or closed on the server
    REVOKED = "revoked"  # this till's credential was revoked in the back office
    CREDENTIAL = "credential"  # the server does not know this till's credential any more
    REVIEW = "review"  # the server keeps what this till sends for review (a copied database)
    CLOCK_SKEW = "clock_skew"  # syncing, but this till's clock is off the server's
    REFUSED = "refused"  # any other refusal: its message is in the log


# Short, for the status bar; the tooltip (`reason_text`) says what to do.
_SHORT = {
    Stalled.UNREACHABLE: "Offline: server unreachable",
    Stalled.SUSPENDED: "Not syncing: business suspended",
    Stalled.REVOKED: "Not syncing: till revoked",
    Stalled.CREDENTIAL: "Not syncing: till not recognised",
    Stalled.REVIEW: "Not syncing: held for review",
    Stalled.REFUSED: "Not syncing: refused by the server",
}
_LONG = {
    Stalled.UNREACHABLE: "The sync server cannot be reached (network or server down). Sales "
    "go on here and sync when it is back.",
    Stalled.SUSPENDED: "This business is suspended on the server: sync is paused. Sales go on "
    "here and are kept; the owner should contact support.",
    Stalled.REVOKED: "This till was revoked in the back office: it no longer syncs. Its sales "
    "are kept here and on the server for review; enroll it again to go on.",
    Stalled.CREDENTIAL: "The server does not recognise this till's credential: enroll it again. "
    "Its sales are kept here.",
    Stalled.REVIEW: "The server keeps what this till sends for a manager's review (it looks "
    "like a copy of another till's database). Sales are kept; see the sync inbox.",
    Stalled.REFUSED: "The server refused this round of sync; it is tried again shortly. Sales "
    "are kept here.",
}


def reason_for(error: NovaError) -> Stalled:
    """Which `Stalled` a failed round's error means (the server's refusals are typed)."""
    from desktop.net.http import ServerUnreachable  # httpx: not at the app's start-up

    if isinstance(error, ServerUnreachable):
        return Stalled.UNREACHABLE
    if isinstance(error, AuthzError) and "tenant_status" in error.details:
        return Stalled.SUSPENDED
    if isinstance(error, AuthnError):
        return Stalled.REVOKED if "revoked" in error.message else Stalled.CREDENTIAL
    return Stalled.REFUSED


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
    reason: Stalled | None = None  # why the last round did not sync (None: it did)
    clock_skew: timedelta | None = None  # the server's clock minus this till's, when known
    moved_to: str | None = None  # set once, by the round in which a manager moved this till

    def moved_text(self) -> str:
        """Said once to whoever is at the till; empty on every other status."""
        if self.moved_to is None:
            return ""
        return (
            f"This till now belongs to location {self.moved_to}: a manager moved it. New sales "
            "are booked there; earlier ones stay where they were made."
        )

    @property
    def stopped(self) -> bool:
        """Sync is not getting through (a wrong clock alone still syncs)."""
        return self.reason is not None and self.reason is not Stalled.CLOCK_SKEW

    def connectivity_text(self) -> str:
        if self.reason is not None and self.state is not Connectivity.SYNCING:
            if self.reason is Stalled.CLOCK_SKEW:
                return f"Online · clock {_minutes(self.clock_skew)} off"
            return _SHORT[self.reason]
        if self.state is Connectivity.SYNCING:
            pct = f" {round(self.progress * 100)}%" if self.progress is not None else ""
            return f"Syncing{pct}"
        return "Online" if self.state is Connectivity.ONLINE else "Offline"

    def reason_text(self) -> str:
        """What the cashier or owner should know and do; empty while sync works."""
        if self.reason is None:
            return ""
        if self.reason is Stalled.CLOCK_SKEW:
            ahead = self.clock_skew is not None and self.clock_skew < timedelta(0)
            return (
                f"This till's clock is {_minutes(self.clock_skew)} "
                f"{'ahead of' if ahead else 'behind'} the server's: receipts and reports carry "
                "the wrong time. Set the computer's date and time (automatic time is best)."
            )
        return _LONG[self.reason]

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


def _minutes(skew: timedelta | None) -> str:
    minutes = round(abs(skew.total_seconds()) / 60) if skew is not None else 0
    if minutes >= 120:
        return f"{round(minutes / 60)} h"
    return f"{minutes} min"


def skew_reason(skew: timedelta | None) -> Stalled | None:
    """CLOCK_SKEW when this till's clock is further off the server's than the limit."""
    return Stalled.CLOCK_SKEW if skew is not None and abs(skew) > CLOCK_SKEW_LIMIT else None
