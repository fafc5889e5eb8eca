"""Clocks: wall time behind a Protocol (so tests inject `FakeClock`), and a hybrid logical clock.

The HLC orders edits across devices whose wall clocks disagree: a stamp is (wall ms, counter,
node). It never goes backwards, even when the wall clock does, and absorbs remote stamps so a
causally later edit always gets a larger stamp.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol, Self

from shared.errors import ValidationFailed

DEFAULT_MAX_DRIFT = timedelta(days=1)


class Clock(Protocol):
    def now(self) -> datetime:
        """Current time, timezone-aware UTC."""
        ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock tests move by hand (time travel for expiry, skew and backwards steps)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 1, tzinfo=UTC)
        if self._now.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = when

    def advance(self, delta: timedelta) -> None:
        self._now += delta


def _ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


@dataclass(frozen=True, order=True)
class HlcStamp:
    """One hybrid-logical-clock timestamp; ordering is (wall_ms, counter, node)."""

    wall_ms: int
    counter: int
    node: str

    WALL_DIGITS = 13  # milliseconds up to year 2286
    COUNTER_DIGITS = 5

    def encode(self) -> str:
        """Fixed-width text whose string order equals stamp order."""
        wall = f"{self.wall_ms:0{self.WALL_DIGITS}d}"
        return f"{wall}-{self.counter:0{self.COUNTER_DIGITS}d}-{self.node}"

    @classmethod
    def parse(cls, text: str) -> Self:
        """Inverse of `encode`.

        Raises:
            ValidationFailed: the text is not an encoded stamp.
        """
        try:
            wall, counter, node = text.split("-", 2)
            if len(wall) != cls.WALL_DIGITS or len(counter) != cls.COUNTER_DIGITS or not node:
                raise ValueError(text)
            return cls(int(wall), int(counter), node)
        except ValueError:
            raise ValidationFailed("malformed clock stamp", details={"stamp": text[:64]}) from None

    @classmethod
    def after(cls, last: HlcStamp | None, wall: datetime, node: str) -> HlcStamp:
        """The next stamp of `node` at wall time `wall`: larger than `last` (the largest stamp the
        node has seen, its own or absorbed), even when the wall clock stepped backwards."""
        ms = _ms(wall)
        if last is None or ms > last.wall_ms:
            return cls(ms, 0, node)
        return cls(last.wall_ms, last.counter + 1, node)


class HLC:
    """A hybrid logical clock for one node (a terminal's replica, or the server).

    Args:
        node: this node's id, part of every stamp (ties between nodes break on it).
        clock: the wall clock.
        max_drift: a remote stamp further ahead of our wall clock than this is refused, so one
            device with a clock set to next year cannot drag every stamp forward.
    """

    def __init__(
        self, node: str, clock: Clock | None = None, max_drift: timedelta = DEFAULT_MAX_DRIFT
    ) -> None:
        if not node or "-" in node:
            raise ValueError("HLC node id must be non-empty and contain no '-'")
        self.node = node
        self._clock = clock or SystemClock()
        self._max_drift_ms = int(max_drift.total_seconds() * 1000)
        self._last = HlcStamp(0, 0, node)
        self._lock = threading.Lock()

    @property
    def last(self) -> HlcStamp:
        return self._last

    def now(self) -> HlcStamp:
        """Stamp a local event (or a message about to be sent)."""
        with self._lock:
            wall = _ms(self._clock.now())
            if wall > self._last.wall_ms:
                self._last = HlcStamp(wall, 0, self.node)
            else:
                self._last = HlcStamp(self._last.wall_ms, self._last.counter + 1, self.node)
            return self._last

    def update(self, remote: HlcStamp) -> HlcStamp:
        """Absorb a received stamp; the result is larger than both it and anything before.

        Raises:
            ValidationFailed: the remote stamp is more than `max_drift` ahead of our clock.
        """
        with self._lock:
            wall = _ms(self._clock.now())
            if remote.wall_ms - wall > self._max_drift_ms:
                raise ValidationFailed(
                    "a device's clock is too far ahead; check its date and time",
                    details={"remote_node": remote.node, "ahead_ms": remote.wall_ms - wall},
                )
            top = max(wall, self._last.wall_ms, remote.wall_ms)
            if top == self._last.wall_ms == remote.wall_ms:
                counter = max(self._last.counter, remote.counter) + 1
            elif top == self._last.wall_ms:
                counter = self._last.counter + 1
            elif top == remote.wall_ms:
                counter = remote.counter + 1
            else:
                counter = 0
            self._last = HlcStamp(top, counter, self.node)
            return self._last
