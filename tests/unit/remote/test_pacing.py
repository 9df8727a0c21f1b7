"""Polling intervals adapt to news and back off with jitter on throttling."""

from __future__ import annotations

import pytest

from smtrain.pacing import Interval, Pacing


def test_quiet_polls_stretch_up_to_the_maximum() -> None:
    interval = Interval(Pacing(min_interval=5, max_interval=30, growth=1.5))

    delays = [interval.after_quiet() for _ in range(8)]

    assert delays[:3] == [7.5, 11.25, 16.875]
    assert delays[-1] == 30


def test_news_resets_to_the_minimum() -> None:
    interval = Interval(Pacing(min_interval=5, max_interval=30))
    for _ in range(5):
        interval.after_quiet()

    assert interval.after_news() == 5


def test_throttling_doubles_with_jitter_below_a_ceiling() -> None:
    interval = Interval(Pacing(min_interval=5, max_interval=30))

    delays = [interval.after_throttling() for _ in range(10)]

    assert 5 <= delays[0] <= 10
    assert all(0 < d <= 120 for d in delays)
    assert interval.seconds == 120


def test_poll_interval_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMTRAIN_POLL_INTERVAL", "0.5")

    assert Pacing.from_environment() == Pacing(min_interval=0.5, max_interval=3.0)


@pytest.mark.parametrize("value", ["", "fast", "0", "-1"])
def test_bad_poll_interval_falls_back_to_the_default(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SMTRAIN_POLL_INTERVAL", value)

    assert Pacing.from_environment() == Pacing()


@pytest.mark.parametrize(
    ("count", "elapsed", "expected"),
    [(1, 7.5, 7.5), (50, 5.0, 5.0), (1, 60.0, 10.0), (1, 0.0, 5.0)],
)
def test_lines_set_the_next_read_near_their_rate(
    count: int, elapsed: float, expected: float
) -> None:
    interval = Interval(Pacing(min_interval=5, max_interval=30))

    assert interval.after_lines(count, elapsed) == expected


def test_flowing_lines_hold_the_status_interval_at_its_longest() -> None:
    interval = Interval(Pacing(min_interval=5, max_interval=30))

    assert interval.longest() == 30
    assert interval.after_quiet() == 30
