"""A ``RunListener`` that speaks the runner's language: groups, debug, warnings.

Each contiguous block of one instance's log lines is folded in its own group;
status transitions are printed between groups so the timeline stays visible
with every group closed. Log lines are echoed with the runner's workflow
commands stopped, so a job cannot issue commands by printing them. They are
also matched against the job's metric
definitions, so the summary can chart a metric's series.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from smtrain.github.workflow import WorkflowCommands
from smtrain.result import StatusTransition
from smtrain.spec import MetricDefinition

_FIRST_HOST = "algo-1"


class MetricSeries:
    """Every value each metric definition's regex finds in the log, in order."""

    def __init__(self, definitions: Sequence[MetricDefinition]) -> None:
        self._patterns = [(d.name, re.compile(d.regex)) for d in definitions]
        self.series: dict[str, list[float]] = {}

    def scan(self, line: str) -> None:
        for name, pattern in self._patterns:
            match = pattern.search(line)
            if match is None or not match.groups():
                continue
            try:
                value = float(match.group(1))
            except (TypeError, ValueError):
                continue
            # A chart cannot place nan or inf; the final metrics still show them.
            if math.isfinite(value):
                self.series.setdefault(name, []).append(value)


class ActionListener:
    def __init__(
        self, commands: WorkflowCommands, metrics: MetricSeries | None = None
    ) -> None:
        self.commands = commands
        self.metrics = metrics or MetricSeries([])
        self._log_host = ""

    def info(self, message: str) -> None:
        self.commands.line(message)

    def warning(self, message: str) -> None:
        self.commands.warning(message)

    def debug(self, message: str) -> None:
        self.commands.debug(message)

    def status(self, transition: StatusTransition) -> None:
        self.end_logs()
        stamp = transition.time.strftime("%H:%M:%S")
        text = f"{stamp} {transition.status} - {transition.secondary_status}"
        if transition.message:
            text += f": {transition.message}"
        self.commands.line(text)

    def log(self, host: str, line: str) -> None:
        if host != self._log_host:
            self.commands.group(f"Log of {host}")
            self._log_host = host
        # The job wrote this line, not smtrain: the runner must not obey it.
        self.commands.echo(line)
        # Every instance may log the same metrics; one curve per metric is
        # drawn from the first instance, as SageMaker's own metrics are.
        if host == _FIRST_HOST or not host.startswith("algo-"):
            self.metrics.scan(line)

    def end_logs(self) -> None:
        """Close the open log group, if any."""
        if self._log_host:
            self.commands.end_group()
            self._log_host = ""
