"""Watch a training job until it ends, the deadline passes or the run is cancelled.

One loop keeps two schedules: status checks (DescribeTrainingJob) and log reads
(CloudWatch Logs). It sleeps on the cancel token, so SIGINT wakes it at once and
the caller can stop the job within its grace period.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from smtrain.aws.errors import aws_errors, is_not_found, is_transient
from smtrain.cancel import CancelToken
from smtrain.errors import AwsError
from smtrain.events import RunListener
from smtrain.logs import LogTailer
from smtrain.pacing import Interval, Pacing
from smtrain.result import TERMINAL_STATUSES, StatusTransition
from smtrain.transitions import TransitionReporter

_NOT_FOUND = (
    "no training job named {name} in {region}; check the name, and the region "
    "(--region or AWS_REGION)"
)
# Bound on the reads that drain every stream once the job has ended.
_MAX_FINAL_READS = 20
# How often the calling thread checks whether the worker's watch has ended.
_JOIN_POLL_SECONDS = 0.1
# Consecutive failed polls (after botocore's own retries) tolerated before the
# watch gives up; with backoff this rides out several minutes of AWS trouble.
_MAX_TRANSIENT_FAILURES = 8
# Before training starts no instance has a log stream; reading would only cost
# calls. Nothing is missed: streams are read from their first line later on.
_PHASES_WITHOUT_LOGS = frozenset(
    {
        "",
        "Starting",
        "Pending",
        "Downloading",
        "LaunchingMLInstances",
        "PreparingTrainingStack",
        "DownloadingTrainingImage",
    }
)


@dataclass
class WatchOutcome:
    """The last description seen and why watching ended."""

    description: dict[str, Any]
    ended_by: str
    transitions: list[StatusTransition] = field(default_factory=list)
    traceback: str = ""


def describe_job(sagemaker: Any, job_name: str) -> dict[str, Any]:
    try:
        with aws_errors(f"describing training job {job_name}"):
            description: dict[str, Any] = sagemaker.describe_training_job(
                TrainingJobName=job_name
            )
            return description
    except AwsError as error:
        if is_not_found(error):
            raise AwsError(not_found_message(sagemaker, job_name)) from error
        raise


def not_found_message(sagemaker: Any, job_name: str) -> str:
    return _NOT_FOUND.format(name=job_name, region=sagemaker.meta.region_name)


class JobWatcher:
    """Follows one job: reports transitions, streams logs, honours the token."""

    def __init__(
        self,
        clients: tuple[Any, Any | None],
        job_name: str,
        listener: RunListener,
        token: CancelToken,
        pacing: Pacing,
    ) -> None:
        self._sagemaker, logs = clients
        self._job_name = job_name
        self._listener = listener
        self._token = token
        self._tailer = LogTailer(logs, job_name, listener) if logs else None
        self._reporter = TransitionReporter(listener)
        self._status_interval = Interval(pacing)
        self._logs_interval = Interval(pacing)
        self._failures = 0
        self._lines_since_status = False
        self._last_lines_at: float | None = None
        self._pacing = pacing
        self.describe_calls = 0

    @property
    def log_calls(self) -> int:
        return self._tailer.calls if self._tailer else 0

    def watch(self, deadline: float | None = None) -> WatchOutcome:
        """Poll until a terminal status, ``deadline`` (monotonic) or cancel."""
        description: dict[str, Any] = {}
        next_status = next_logs = time.monotonic()
        while True:
            if self._token.cancelled:
                return self._outcome(description, "cancel")
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                return self._outcome(description, "timeout")
            if now >= next_status:
                description, delay = self._check_status(description)
                if description.get("TrainingJobStatus") in TERMINAL_STATUSES:
                    self._final_log_read()
                    return self._outcome(description, "terminal")
                next_status = time.monotonic() + delay
            wake = min(next_status, deadline or next_status)
            if self._streaming(description):
                if now >= next_logs:
                    next_logs = time.monotonic() + self._read_logs()
                wake = min(wake, next_logs)
            self._token.wait(max(0.0, wake - time.monotonic()))

    def _check_status(self, previous: dict[str, Any]) -> tuple[dict[str, Any], float]:
        self.describe_calls += 1
        try:
            description = describe_job(self._sagemaker, self._job_name)
        except Exception as error:
            return previous, self._back_off(error, self._status_interval)
        self._failures = 0
        changed = self._reporter.update(description)
        lines_flowed, self._lines_since_status = self._lines_since_status, False
        if lines_flowed:
            # The job is visibly running; its logs say more than its status.
            return description, self._status_interval.longest()
        if changed:
            return description, self._status_interval.after_news()
        return description, self._status_interval.after_quiet()

    def _streaming(self, description: dict[str, Any]) -> bool:
        secondary = description.get("SecondaryStatus", "")
        return self._tailer is not None and secondary not in _PHASES_WITHOUT_LOGS

    def _read_logs(self) -> float:
        assert self._tailer is not None
        try:
            count = self._tailer.poll()
        except Exception as error:
            return self._back_off(error, self._logs_interval)
        self._failures = 0
        if count:
            now = time.monotonic()
            elapsed = now - (self._last_lines_at or now)
            self._last_lines_at, self._lines_since_status = now, True
            return self._logs_interval.after_lines(count, elapsed)
        return self._logs_interval.after_quiet()

    def _back_off(self, error: Exception, interval: Interval) -> float:
        """The delay before retrying a transient failure; re-raises anything else."""
        self._failures += 1
        if not is_transient(error) or self._failures > _MAX_TRANSIENT_FAILURES:
            raise error
        delay = interval.after_throttling()
        self._listener.debug(f"{error}; retrying in {delay:.1f}s")
        return delay

    def _final_log_read(self) -> None:
        # The last lines (usually the traceback) reach CloudWatch after the
        # status turns terminal; reading every stream to its end, a moment
        # later, shows them.
        if not self._tailer:
            return
        self._failures = 0
        self._token.wait(self._pacing.min_interval)
        for _ in range(_MAX_FINAL_READS):
            if self._token.cancelled or not self._final_poll():
                return

    def _final_poll(self) -> bool:
        """One read of the job's log; False once there is nothing more to read."""
        assert self._tailer is not None
        try:
            return bool(self._tailer.poll()) or self._tailer.behind
        except Exception as error:
            # The job has ended: a read that keeps failing must not hide its
            # true status, so it ends the reading, not the run.
            self._failures += 1
            if not is_transient(error) or self._failures > _MAX_TRANSIENT_FAILURES:
                self._listener.warning(
                    f"{error}; the last log lines are not shown here: "
                    f"smtrain logs {self._job_name}"
                )
                return False
            self._token.wait(self._logs_interval.after_throttling())
            return True

    def _outcome(self, description: dict[str, Any], ended_by: str) -> WatchOutcome:
        traceback = self._tailer.traceback() if self._tailer else ""
        return WatchOutcome(
            description, ended_by, self._reporter.transitions, traceback
        )


def watch_until_cancelled(
    watcher: JobWatcher, token: CancelToken, deadline: float | None = None
) -> WatchOutcome | None:
    """``watcher.watch`` on a worker thread; None as soon as the run is cancelled.

    A poll can block for many seconds inside botocore's retry backoff. Watching on
    a worker leaves this thread free to act on a cancel at once, so the caller can
    stop the job well inside GitHub's 7.5 s grace.
    """
    results: list[WatchOutcome] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(watcher.watch(deadline))
        except BaseException as error:  # re-raised on the calling thread
            errors.append(error)

    worker = threading.Thread(target=work, name="smtrain-watch", daemon=True)
    worker.start()
    while worker.is_alive() and not token.cancelled:
        token.wait(_JOIN_POLL_SECONDS)
    if token.cancelled and worker.is_alive():
        return None
    if errors:
        raise errors[0]
    return results[0]
