"""What a finished (or abandoned) run reports, whether it ran remotely or locally.

Outputs, the job summary and the exit code are all derived from one ``JobResult``,
so the CLI, ``smtrain action`` and local mode report alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from smtrain.errors import EXIT_CANCELLED, EXIT_JOB_FAILED, EXIT_OK

COMPLETED = "Completed"
FAILED = "Failed"
STOPPED = "Stopped"
IN_PROGRESS = "InProgress"
TERMINAL_STATUSES = frozenset({COMPLETED, FAILED, STOPPED})


@dataclass(frozen=True)
class StatusTransition:
    """One change of status or secondary status, as SageMaker reports it."""

    time: datetime
    status: str
    secondary_status: str
    message: str = ""


@dataclass(frozen=True)
class Trial:
    """One training job of a tuning job, as a leaderboard row."""

    job_name: str
    status: str
    hyperparameters: dict[str, str]
    objective: float | None = None


@dataclass
class JobResult:
    """Everything known about a training job when smtrain stops following it.

    ``metrics`` holds final values (FinalMetricDataList, or the last match in
    local mode); ``metric_series`` every value in log order, for the curves.
    ``ended_by`` says why smtrain stopped watching: ``terminal``, ``timeout``,
    ``cancel`` or ``no-wait``.
    """

    job_name: str
    status: str
    job_arn: str = ""
    local: bool = False
    secondary_status: str = ""
    failure_reason: str = ""
    model_artifacts: str = ""
    training_time_seconds: int | None = None
    billable_time_seconds: int | None = None
    instance_type: str = ""
    instance_count: int = 1
    use_spot: bool = False
    region: str = ""
    metrics: dict[str, float] = field(default_factory=dict)
    metric_series: dict[str, list[float]] = field(default_factory=dict)
    transitions: list[StatusTransition] = field(default_factory=list)
    traceback_tail: str = ""
    ended_by: str = "terminal"
    # Set for a tuning job: job_name and status are then the tuning job's, and
    # the leaderboard holds its trials, best first.
    tuning_job_name: str = ""
    objective_metric: str = ""
    best_training_job_name: str = ""
    best_hyperparameters: dict[str, str] = field(default_factory=dict)
    best_objective_value: float | None = None
    leaderboard: list[Trial] = field(default_factory=list)

    @property
    def spot_savings_percent(self) -> float | None:
        """Share of training time not billed thanks to managed spot."""
        if not self.use_spot or not self.training_time_seconds:
            return None
        billable = self.billable_time_seconds or 0
        return round(100 * (1 - billable / self.training_time_seconds), 1)

    @property
    def exit_code(self) -> int:
        if self.ended_by == "cancel":
            return EXIT_CANCELLED
        if self.ended_by == "no-wait":
            return EXIT_OK
        return EXIT_OK if self.status == COMPLETED else EXIT_JOB_FAILED
