"""Run a spec with ``tuning`` on SageMaker: submit the tuning job once, follow it.

While it runs, smtrain reports the trial counts whenever they change and the
best trial so far; a cancel or the timeout stops it (StopHyperParameterTuningJob)
as the spec says. The result carries the leaderboard of every trial.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any

import boto3
from botocore.exceptions import ClientError

from smtrain.aws.auth import AuthInputs, open_session
from smtrain.aws.clients import RemoteClients
from smtrain.aws.errors import aws_errors, error_code, is_not_found
from smtrain.cancel import CancelToken
from smtrain.errors import AwsError
from smtrain.events import RunListener
from smtrain.pacing import Interval, Pacing
from smtrain.remote import RequestBuilder, submit_spec
from smtrain.render_tuning import render_tuning_job
from smtrain.result import JobResult, StatusTransition, Trial
from smtrain.rules import find_warnings
from smtrain.spec import JobSpec
from smtrain.tuning_names import tuning_job_name
from smtrain.tuning_results import (
    count_text,
    rank,
    trial_from_summary,
    trial_text,
    with_leaderboard,
)
from smtrain.tuning_submit import TUNING_JOB

TUNING_TERMINAL = frozenset({"Completed", "Failed", "Stopped"})


def run_remote_tuning(
    spec: JobSpec,
    listener: RunListener,
    token: CancelToken,
    *,
    auth: AuthInputs | None = None,
    session: boto3.Session | None = None,
) -> JobResult:
    """Submit the spec's tuning job (or attach to it) and follow it to its end.

    ``session``, when given, is used instead of one opened from ``auth``.
    """
    for warning in find_warnings(spec):
        listener.warning(warning)
    name = tuning_job_name(spec)
    # A request SageMaker would refuse fails here, before any AWS call.
    render_tuning_job(spec, name, region=spec.aws_region)
    session = session or open_session(auth or AuthInputs(), spec.aws_region)
    clients = RemoteClients.from_session(session)
    builder = RequestBuilder(tuning_job_name, render_tuning_job)
    name, arn = submit_spec(
        spec, name, clients, listener, builder, token, kind=TUNING_JOB
    )
    follower = TuningFollower(clients, name, spec, listener)
    if token.cancelled:
        return follower.stop_and_report("cancel", spec.stop_on_cancel)
    if not spec.wait:
        listener.info(f"not waiting for {name} (wait: false)")
        result = JobResult(name, "InProgress", job_arn=arn, ended_by="no-wait")
        result.region, result.tuning_job_name = clients.region, name
        return result
    return follower.follow(token, spec.timeout)


class TuningFollower:
    """Polls one tuning job and turns what it sees into progress and a result."""

    def __init__(
        self, clients: RemoteClients, name: str, spec: JobSpec, listener: RunListener
    ) -> None:
        assert spec.tuning is not None
        self._clients, self._name, self._listener = clients, name, listener
        self._objective = spec.tuning.objective
        self._stop_on_timeout = spec.stop_on_timeout
        self._stop_on_cancel = spec.stop_on_cancel
        self._counts = ""
        self._best = ""
        self._status = ""
        self._transitions: list[StatusTransition] = []

    def follow(self, token: CancelToken, timeout: int | None) -> JobResult:
        interval = Interval(Pacing.from_environment())
        deadline = time.monotonic() + timeout if timeout else None
        while True:
            description = self.describe()
            news = self._report(description)
            if description["HyperParameterTuningJobStatus"] in TUNING_TERMINAL:
                return self._result(description, "terminal")
            if deadline is not None and time.monotonic() >= deadline:
                return self.stop_and_report("timeout", self._stop_on_timeout)
            delay = interval.after_news() if news else interval.after_quiet()
            if deadline is not None:
                delay = max(0.0, min(delay, deadline - time.monotonic()))
            if token.wait(delay):
                return self.stop_and_report("cancel", self._stop_on_cancel)

    def describe(self) -> dict[str, Any]:
        with aws_errors(f"describing tuning job {self._name}"):
            found: dict[str, Any] = (
                self._clients.sagemaker.describe_hyper_parameter_tuning_job(
                    HyperParameterTuningJobName=self._name
                )
            )
            return found

    def stop_and_report(self, ended_by: str, stop: bool) -> JobResult:
        if stop:
            self._stop(ended_by)
        else:
            self._listener.warning(f"{self._name} keeps running ({ended_by})")
        try:
            description = self.describe()
        except AwsError:
            return JobResult(self._name, "Unknown", ended_by=ended_by)
        return self._result(description, ended_by)

    def _stop(self, why: str) -> None:
        # A failed stop is reported, not raised: a cancelled run still ends 130.
        try:
            with aws_errors(f"stopping tuning job {self._name}"):
                self._clients.sagemaker.stop_hyper_parameter_tuning_job(
                    HyperParameterTuningJobName=self._name
                )
        except AwsError as error:
            cause = error.__cause__
            if (
                isinstance(cause, ClientError)
                and error_code(cause) == "ValidationException"
                and not is_not_found(cause)
            ):
                self._listener.info(f"{self._name} had already ended")
                return
            self._listener.warning(f"{error}; the tuning job may still be running")
            return
        self._listener.info(f"stopping tuning job {self._name} ({why})")

    def _report(self, description: dict[str, Any]) -> bool:
        """Tell the listener what changed; True when anything did."""
        changed = False
        status = description["HyperParameterTuningJobStatus"]
        if status != self._status:
            self._status, changed = status, True
            transition = StatusTransition(datetime.now(timezone.utc), status, status)
            self._transitions.append(transition)
            self._listener.status(transition)
        counts = count_text(description.get("TrainingJobStatusCounters", {}))
        if counts != self._counts:
            self._counts, changed = counts, True
            self._listener.info(f"trials: {counts}")
        best = description.get("BestTrainingJob")
        if best and best["TrainingJobName"] != self._best:
            self._best, changed = best["TrainingJobName"], True
            self._listener.info(f"best so far: {trial_text(trial_from_summary(best))}")
        return changed

    def _result(self, description: dict[str, Any], ended_by: str) -> JobResult:
        resources = description.get("TrainingJobDefinition", {}).get(
            "ResourceConfig", {}
        )
        result = JobResult(
            job_name=self._name,
            status=description["HyperParameterTuningJobStatus"],
            job_arn=description.get("HyperParameterTuningJobArn", ""),
            failure_reason=description.get("FailureReason", ""),
            instance_type=resources.get("InstanceType", ""),
            instance_count=resources.get("InstanceCount", 1),
            region=self._clients.region,
            transitions=self._transitions,
            ended_by=ended_by,
        )
        board = rank(self._trials(), self._objective.type)
        result = with_leaderboard(result, self._name, board, self._objective.metric)
        if result.best_training_job_name:
            result.model_artifacts = self._artifacts(result.best_training_job_name)
        return result

    def _trials(self) -> list[Trial]:
        sm = self._clients.sagemaker
        with aws_errors(f"listing the trials of {self._name}"):
            p = sm.get_paginator("list_training_jobs_for_hyper_parameter_tuning_job")
            pages = p.paginate(HyperParameterTuningJobName=self._name)
            return [
                trial_from_summary(summary)
                for page in pages
                for summary in page.get("TrainingJobSummaries", [])
            ]

    def _artifacts(self, job_name: str) -> str:
        try:
            with aws_errors(f"describing training job {job_name}"):
                job = self._clients.sagemaker.describe_training_job(
                    TrainingJobName=job_name
                )
        except AwsError as error:
            self._listener.warning(f"{error}; the best model's location is unknown")
            return ""
        return str(job.get("ModelArtifacts", {}).get("S3ModelArtifacts", ""))
