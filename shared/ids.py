"""Client-generated UUIDv7 ids (RFC 9562): time-ordered, so inserts stay index-friendly.

Python 3.11 has no `uuid.uuid7`. Ours puts a 12-bit counter in `rand_a` so ids made within the
same millisecond in one process still sort in creation order.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import UTC, datetime

from shared.errors import ValidationFailed

_lock = threading.Lock()
_last_ms = -1
_counter = 0
_COUNTER_MAX = 0xFFF


def uuid7(now_ms: int | None = None) -> uuid.UUID:
    """A new version-7 UUID; strictly increasing within this process."""
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
        if ms <= _last_ms:
            # Same millisecond, or the wall clock stepped back: keep counting on the last one.
            ms = _last_ms
            _counter += 1
            if _counter > _COUNTER_MAX:
                ms += 1
                _counter = 0
        else:
            _counter = 0
        _last_ms = ms
        counter = _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand_b
    return uuid.UUID(int=value)


def uuid7_time(value: uuid.UUID) -> datetime:
    """The UTC creation time encoded in a UUIDv7 (millisecond precision)."""
    return datetime.fromtimestamp((value.int >> 80) / 1000, tz=UTC)


def parse_uuid7(text: str) -> uuid.UUID:
    """Parse a UUIDv7 from text.

    Raises:
        ValidationFailed: not a UUID, or not version 7.
    """
    try:
        value = uuid.UUID(text)
    except (ValueError, AttributeError, TypeError):
        raise ValidationFailed("not a valid id", details={"id": str(text)[:64]}) from None
    if value.version != 7:
        raise ValidationFailed("ids must be UUIDv7", details={"id": str(value)})
    return value
