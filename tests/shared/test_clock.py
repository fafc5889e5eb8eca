"""Hybrid logical clock: monotonic through wall-clock steps, causal across nodes, sortable text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.clock import HLC, FakeClock, HlcStamp
from shared.errors import ValidationFailed


class TestHlc:
    def test_stamps_increase_while_the_wall_clock_stands_still(self) -> None:
        hlc = HLC("a", FakeClock())
        a, b = hlc.now(), hlc.now()
        assert b > a
        assert b.wall_ms == a.wall_ms
        assert b.counter == a.counter + 1

    def test_never_goes_backwards_when_the_wall_clock_does(self) -> None:
        clock = FakeClock()
        hlc = HLC("a", clock)
        before = hlc.now()
        clock.advance(-timedelta(days=2))
        assert hlc.now() > before

    def test_receiving_a_later_remote_stamp_moves_past_it(self) -> None:
        clock_a, clock_b = FakeClock(), FakeClock()
        clock_b.advance(timedelta(hours=1))  # b runs an hour fast
        a, b = HLC("a", clock_a), HLC("b", clock_b)
        sent = b.now()
        received = a.update(sent)
        assert received > sent
        assert a.now() > sent

    def test_remote_stamp_too_far_ahead_is_refused(self) -> None:
        clock = FakeClock()
        hlc = HLC("a", clock, max_drift=timedelta(days=1))
        far = HlcStamp(int(clock.now().timestamp() * 1000) + 3 * 86_400_000, 0, "b")
        with pytest.raises(ValidationFailed, match="too far ahead"):
            hlc.update(far)

    def test_two_days_of_skew_is_within_a_wider_drift_budget(self) -> None:
        clock = FakeClock()
        hlc = HLC("a", clock, max_drift=timedelta(days=3))
        ahead = HlcStamp(int(clock.now().timestamp() * 1000) + 2 * 86_400_000, 4, "b")
        assert hlc.update(ahead) > ahead

    def test_malformed_text_is_a_validation_error(self) -> None:
        with pytest.raises(ValidationFailed):
            HlcStamp.parse("12-3-x")


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10**13 - 1),
            st.integers(min_value=0, max_value=99_999),
            st.sampled_from(["a", "b", "node7"]),
        ),
        min_size=2,
        max_size=20,
    )
)
def test_encoded_order_equals_stamp_order(raw: list[tuple[int, int, str]]) -> None:
    stamps = [HlcStamp(*r) for r in raw]
    assert sorted(stamps) == sorted(stamps, key=HlcStamp.encode)
    assert all(HlcStamp.parse(s.encode()) == s for s in stamps)
