"""UUIDv7 ids: right version bits, time-ordered, strictly increasing within a process."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

import pytest

from shared.errors import ValidationFailed
from shared.ids import parse_uuid7, uuid7, uuid7_time


class TestUuid7:
    def test_has_version_7_and_rfc_variant(self) -> None:
        u = uuid7()
        assert u.version == 7
        assert u.variant == uuid.RFC_4122

    def test_ten_thousand_ids_are_strictly_increasing(self) -> None:
        ids = [uuid7() for _ in range(10_000)]
        assert ids == sorted(ids)
        assert len(set(ids)) == len(ids)

    def test_same_millisecond_and_backwards_clock_still_increase(self) -> None:
        a = uuid7(now_ms=2_000_000_000_000)
        b = uuid7(now_ms=2_000_000_000_000)
        c = uuid7(now_ms=1_999_999_999_000)  # wall clock stepped back
        assert a < b < c

    def test_threads_never_collide(self) -> None:
        out: list[uuid.UUID] = []
        lock = threading.Lock()

        def work() -> None:
            mine = [uuid7() for _ in range(2_000)]
            with lock:
                out.extend(mine)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(set(out)) == 8_000

    def test_time_is_recoverable(self) -> None:
        when = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
        assert uuid7_time(uuid7(now_ms=int(when.timestamp() * 1000) + 10**9)) > when


class TestParse:
    def test_round_trip(self) -> None:
        u = uuid7()
        assert parse_uuid7(str(u)) == u

    @pytest.mark.parametrize("text", ["nope", str(uuid.uuid4()), ""])
    def test_non_v7_is_a_validation_error(self, text: str) -> None:
        with pytest.raises(ValidationFailed):
            parse_uuid7(text)
