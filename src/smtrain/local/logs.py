"""What SageMaker reads from the training log: metrics and the error at the end.

SageMaker applies each ``metric-definitions`` regex to every log line and records
the first capture group as a number; the job's final value of a metric is its
last recorded one. The traceback tail is what a user needs to see when a job
fails without writing ``output/failure``.
"""

from __future__ import annotations

import math
import re
from collections import deque
from collections.abc import Sequence

from smtrain.spec import MetricDefinition

TRACEBACK_START = "Traceback (most recent call last):"
_KEPT_LINES = 200
_TAIL_LINES = 40


class MetricExtractor:
    """Collects every value of every defined metric, in log order."""

    def __init__(self, definitions: Sequence[MetricDefinition]) -> None:
        self._patterns = [(d.name, re.compile(d.regex)) for d in definitions]
        self.series: dict[str, list[float]] = {}

    def observe(self, line: str) -> None:
        for name, pattern in self._patterns:
            match = pattern.search(line)
            if match is None:
                continue
            value = _number(match.group(1) if pattern.groups else match.group(0))
            if value is not None:
                self.series.setdefault(name, []).append(value)

    @property
    def final(self) -> dict[str, float]:
        return {name: values[-1] for name, values in self.series.items()}


def _number(text: str) -> float | None:
    """A finite float, or None: SageMaker drops values it cannot plot."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class LogTail:
    """The last lines of one host's log, enough to find its final traceback."""

    def __init__(self) -> None:
        self._lines: deque[str] = deque(maxlen=_KEPT_LINES)

    def observe(self, line: str) -> None:
        self._lines.append(line)

    def traceback(self) -> str:
        """The last Python traceback to the end of the log; else the last lines."""
        lines = list(self._lines)
        starts = [i for i, line in enumerate(lines) if TRACEBACK_START in line]
        tail = lines[starts[-1] :] if starts else lines
        return "\n".join(tail[-_TAIL_LINES:])

    def last_error_line(self) -> str:
        """The exception line of the traceback, e.g. ``ValueError: bad``."""
        for line in reversed(self._lines):
            if line.strip():
                return line.strip()
        return ""
