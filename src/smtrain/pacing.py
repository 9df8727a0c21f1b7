"""How often smtrain polls AWS: adaptive intervals and jittered backoff.

A status or log poll that finds something new resets its interval to the
minimum; each quiet poll stretches it, up to the maximum. Throttling that
outlasts botocore's own retries doubles the interval with full jitter, so twenty
jobs watched at once spread out instead of retrying in step.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass

POLL_INTERVAL_VAR = "SMTRAIN_POLL_INTERVAL"


@dataclass(frozen=True)
class Pacing:
    min_interval: float = 5.0
    max_interval: float = 30.0
    growth: float = 1.5

    @classmethod
    def from_environment(cls) -> Pacing:
        """Minimum from ``SMTRAIN_POLL_INTERVAL`` (seconds); six times it as maximum."""
        text = os.environ.get(POLL_INTERVAL_VAR, "")
        try:
            minimum = float(text)
        except ValueError:
            return cls()
        if minimum <= 0:
            return cls()
        return cls(min_interval=minimum, max_interval=6 * minimum)


class Interval:
    """One polling schedule (status, or logs) under a ``Pacing``."""

    def __init__(self, pacing: Pacing) -> None:
        self._pacing = pacing
        self.seconds = pacing.min_interval

    def after_news(self) -> float:
        self.seconds = self._pacing.min_interval
        return self.seconds

    def after_quiet(self) -> float:
        self.seconds = min(
            self.seconds * self._pacing.growth, self._pacing.max_interval
        )
        return self.seconds

    def after_lines(self, count: int, elapsed: float) -> float:
        """About when the next line is due at the rate seen, within 1-2x the minimum.

        Reading faster than lines arrive only adds empty reads; reading slower
        than twice the minimum would show sparse lines later than it need.
        """
        low = self._pacing.min_interval
        self.seconds = min(max(elapsed / max(count, 1), low), 2 * low)
        return self.seconds

    def longest(self) -> float:
        self.seconds = self._pacing.max_interval
        return self.seconds

    def after_throttling(self) -> float:
        ceiling = 4 * self._pacing.max_interval
        self.seconds = min(max(2 * self.seconds, self._pacing.min_interval), ceiling)
        # Not a finding (B311): jitter.
        return random.uniform(self.seconds / 2, self.seconds)  # nosec B311
