"""The back office's tills (Qt-free): the business's tills with their location and when each
was last heard from, a one-time enrollment code for a new till, a till moved to another
location, a till revoked. All on the server, so each change first asks `rules` whether it may
run now (operation `tills.manage`).

A moved till takes its new location at its next sync; what it sold before stays booked at the
old one (docs/sync-protocol.md, "A till moves").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from desktop.office.config_desk import ConfigDesk
from desktop.office.models import Location, Till
from desktop.office.session import OfficeSession
from shared.errors import ValidationFailed

TILLS = "tills.manage"  # the operation id in desktop/office/rules.py
# How long a code stays valid, as the manager picks it (minutes; the server allows 5 min–7 days).
CODE_LIFETIMES: tuple[tuple[str, int], ...] = (
    ("1 hour", 60),
    ("24 hours", 24 * 60),
    ("7 days", 7 * 24 * 60),
)
RECENT = timedelta(minutes=10)  # heard from within this: "online"


@dataclass(frozen=True)
class EnrollmentCode:
    code: str  # "ABCDE-FGHJK": typed at the new till, shown once
    expires_at: datetime
    location: Location


@dataclass(frozen=True)
class TillsOverview:
    tills: list[Till]
    locations: list[Location]


class TillsDesk:
    def __init__(self, session: OfficeSession) -> None:
        self.session = session
        self._config = ConfigDesk(session)  # its guard: one rule for every back-office desk

    def why_not(self, operation_id: str = TILLS) -> str | None:
        return self.session.why_not(operation_id)

    def overview(self) -> TillsOverview:
        """Raises what the guard raises (an account without `devices.manage` cannot list)."""
        self._config.guard(TILLS)
        return self.session.call(lambda c: TillsOverview(c.devices(), c.locations()))

    def issue_code(self, location: Location | None, minutes: int) -> EnrollmentCode:
        """A one-time code for a new till at `location`, valid `minutes` (one of
        CODE_LIFETIMES). Raises ValidationFailed naming the field (location, lifetime)."""
        self._config.guard(TILLS)
        if location is None:
            raise ValidationFailed("Choose the location the new till is for",
                                   details={"field": "location"})  # fmt: skip
        if minutes not in {m for _, m in CODE_LIFETIMES}:
            raise ValidationFailed("Choose how long the code stays valid",
                                   details={"field": "lifetime"})  # fmt: skip
        code, expires = self.session.call(lambda c: c.enrollment_code(location.id, minutes))
        return EnrollmentCode(code, expires, location)

    def move(self, till: Till, location: Location | None) -> Till:
        """Raises ValidationFailed (field location_id) for no choice or the till's own
        location; Conflict (another currency, a revoked till) from the server."""
        self._config.guard(TILLS)
        if location is None or location.id == till.location_id:
            raise ValidationFailed("Choose another location for this till",
                                   details={"field": "location_id"})  # fmt: skip
        return self.session.call(lambda c: c.move_device(till.id, location.id))

    def revoke(self, till: Till) -> Till:
        """The till stops syncing at once; what it sold and has not sent yet reaches the server
        kept aside for review (never lost)."""
        self._config.guard(TILLS)
        return self.session.call(lambda c: c.revoke_device(till.id))


def last_seen(till: Till, *, zone: str, now: datetime | None = None) -> str:
    """When the till last synced, in words a manager reads at a glance."""
    if not till.active:
        return "revoked"
    if till.last_seen_at is None:
        return "not synced yet"
    now = now or datetime.now(UTC)
    ago = now - till.last_seen_at
    if ago < RECENT:
        return "online"
    if ago < timedelta(hours=1):
        return f"{int(ago.total_seconds() // 60)} min ago"
    local = till.last_seen_at.astimezone(ZoneInfo(zone))
    if ago < timedelta(hours=20):
        return (
            f"today {local:%H:%M}"
            if local.date() == now.astimezone(local.tzinfo).date()
            else f"yesterday {local:%H:%M}"
        )
    return f"{local:%d %b %Y %H:%M}"


def valid_until(code: EnrollmentCode, *, zone: str) -> str:
    return f"{code.expires_at.astimezone(ZoneInfo(zone)):%d %b %H:%M}"
