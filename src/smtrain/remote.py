"""Run a job spec on SageMaker: authenticate, upload code, submit once, follow.

``run_remote`` is what ``smtrain run`` calls; ``follow_job`` is shared with
``smtrain attach`` for a job that already exists.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from smtrain.aws.auth import AuthInputs, open_session
from smtrain.aws.clients import RemoteClients
from smtrain.aws.code import SourceArchive, pack_source_dir, upload_archive
from smtrain.aws.errors import aws_errors, error_code, is_not_found
from smtrain.cancel import CANCELLED_BEFORE_SUBMIT, CancelToken
from smtrain.errors import AwsError, CancelledError
from smtrain.events import RunListener
from smtrain.jobresult import result_from_description
from smtrain.logs import read_last_lines
from smtrain.monitor import (
    JobWatcher,
    WatchOutcome,
    describe_job,
    not_found_message,
    watch_until_cancelled,
)
from smtrain.names import default_job_name
from smtrain.pacing import Pacing
from smtrain.render import default_code_uri, render_training_job
from smtrain.result import FAILED, JobResult
from smtrain.rules import find_warnings
from smtrain.spec import JobSpec
from smtrain.submit import (
    TRAINING_JOB,
    JobKind,
    Submitter,
    job_tags,
    new_submission_id,
    spec_hash,
)

_LOST_SIGHT = (
    "smtrain stopped watching, but {name} may still be running: follow it with "
    "`smtrain attach {name}`, or stop it with `smtrain stop {name}`"
)


@dataclass(frozen=True)
class RequestBuilder:
    """Where job names and CreateTrainingJob requests come from.

    Normally ``smtrain.names`` and ``smtrain.render``; a caller may wrap them,
    e.g. to add to the request.
    """

    default_name: Callable[[JobSpec], str]
    render: Callable[..., dict[str, Any]]

    @classmethod
    def from_spec_modules(cls) -> RequestBuilder:
        return cls(default_job_name, render_training_job)


@dataclass(frozen=True)
class FollowOptions:
    """How to watch a job, from the spec or the ``attach`` command's flags."""

    stream_logs: bool = True
    timeout: int | None = None
    stop_on_timeout: bool = True
    stop_on_cancel: bool = True

    @classmethod
    def from_spec(cls, spec: JobSpec) -> FollowOptions:
        return cls(
            spec.stream_logs, spec.timeout, spec.stop_on_timeout, spec.stop_on_cancel
        )


def run_remote(
    spec: JobSpec,
    listener: RunListener,
    token: CancelToken,
    *,
    auth: AuthInputs | None = None,
    builder: RequestBuilder | None = None,
    session: boto3.Session | None = None,
) -> JobResult:
    """Submit ``spec`` (or attach to its job) and follow it as the spec says.

    ``session``, when given, is used instead of one opened from ``auth`` (the
    action opens it first, to mask the credentials it obtained).
    """
    builder = builder or RequestBuilder.from_spec_modules()
    for warning in find_warnings(spec):
        listener.warning(warning)
    job_name = spec.job_name or builder.default_name(spec)
    # A request SageMaker would refuse fails here, before any AWS call.
    builder.render(spec, job_name, region=spec.aws_region)
    session = session or open_session(auth or AuthInputs(), spec.aws_region)
    clients = RemoteClients.from_session(session)
    job_name, arn = submit_spec(spec, job_name, clients, listener, builder, token)
    if token.cancelled:
        return stop_after_cancel(clients, job_name, listener, spec.stop_on_cancel)
    if not spec.wait:
        listener.info(f"not waiting for {job_name} (wait: false)")
        return JobResult(
            job_name,
            "InProgress",
            job_arn=arn,
            region=clients.region,
            ended_by="no-wait",
        )
    return follow_job(clients, job_name, FollowOptions.from_spec(spec), listener, token)


def submit_spec(
    spec: JobSpec,
    base_name: str,
    clients: RemoteClients,
    listener: RunListener,
    builder: RequestBuilder,
    token: CancelToken,
    kind: JobKind = TRAINING_JOB,
) -> tuple[str, str]:
    """Create the job, or find the one a previous attempt created; name and ARN.

    ``base_name`` may end up suffixed (``on-existing-job: new-name``). ``kind``
    and ``builder`` say whether it is a training or a tuning job.
    """
    archive = pack_source_dir(Path(spec.source_dir)) if spec.source_dir else None
    digest = spec_hash(spec, archive.digest if archive else "")
    submission_id = new_submission_id()
    tags = job_tags(spec, digest, submission_id)

    def build_request(name: str) -> dict[str, Any]:
        # Before and after the upload, which can take minutes: the last moments
        # to give up without leaving anything running.
        _give_up_if_cancelled(token)
        uri = _upload_code(spec, archive, name, clients, listener)
        _give_up_if_cancelled(token)
        return builder.render(
            spec, name, code_uri=uri, tags=tags, region=clients.region
        )

    submitter = Submitter(clients.sagemaker, digest, submission_id, kind)
    submission = submitter.submit(base_name, spec.on_existing_job, build_request)
    verb = "attached to existing" if submission.attached else "submitted"
    listener.info(f"{verb} {kind.noun} {submission.job_name} in {clients.region}")
    return submission.job_name, submission.job_arn


def _give_up_if_cancelled(token: CancelToken) -> None:
    if token.cancelled:
        raise CancelledError(CANCELLED_BEFORE_SUBMIT)


def _upload_code(
    spec: JobSpec,
    archive: SourceArchive | None,
    job_name: str,
    clients: RemoteClients,
    listener: RunListener,
) -> str | None:
    if archive is None:
        return None
    uri = default_code_uri(spec, job_name)
    listener.info(f"uploading {spec.source_dir} to {uri}")
    upload_archive(clients.s3, archive, uri)
    return uri


def follow_job(
    clients: RemoteClients,
    job_name: str,
    options: FollowOptions,
    listener: RunListener,
    token: CancelToken,
) -> JobResult:
    """Watch ``job_name`` to its end, a timeout or a cancel, then report it."""
    logs = clients.logs if options.stream_logs else None
    watcher = JobWatcher(
        (clients.sagemaker, logs), job_name, listener, token, Pacing.from_environment()
    )
    deadline = time.monotonic() + options.timeout if options.timeout else None
    try:
        outcome = watch_until_cancelled(watcher, token, deadline)
    except AwsError as error:
        hint = _LOST_SIGHT.format(name=job_name)
        raise type(error)(f"{error}; {hint}") from error
    listener.debug(
        f"{watcher.describe_calls} status checks, {watcher.log_calls} log calls"
    )
    if outcome is None or outcome.ended_by == "cancel":
        return stop_after_cancel(clients, job_name, listener, options.stop_on_cancel)
    if outcome.ended_by == "timeout":
        return _stop_after_timeout(clients, job_name, listener, options)
    return _finished(clients, outcome, options)


def _finished(
    clients: RemoteClients, outcome: WatchOutcome, options: FollowOptions
) -> JobResult:
    result = result_from_description(outcome.description, region=clients.region)
    result.transitions = outcome.transitions
    result.traceback_tail = outcome.traceback
    if result.status == FAILED and not options.stream_logs:
        # The status is known; logs that cannot be read must not replace it.
        with contextlib.suppress(AwsError):
            result.traceback_tail = read_last_lines(clients.logs, result.job_name)
    return result


def stop_after_cancel(
    clients: RemoteClients, job_name: str, listener: RunListener, stop: bool
) -> JobResult:
    if stop:
        _stop_or_warn(clients, job_name, listener, "the run was cancelled")
    else:
        listener.warning(f"cancelled; {job_name} keeps running (stop-on-cancel: false)")
    return _current_result(clients, job_name, "cancel")


def _stop_after_timeout(
    clients: RemoteClients, job_name: str, listener: RunListener, options: FollowOptions
) -> JobResult:
    if options.stop_on_timeout:
        _stop_or_warn(clients, job_name, listener, f"timeout of {options.timeout}s")
    else:
        listener.warning(
            f"timed out; {job_name} keeps running (stop-on-timeout: false)"
        )
    return _current_result(clients, job_name, "timeout")


def _stop_or_warn(
    clients: RemoteClients, job_name: str, listener: RunListener, why: str
) -> None:
    # A cancelled run must still end with 130, so a failed stop is reported
    # loudly instead of replacing the cancel with an AWS error.
    try:
        stop_job(clients.sagemaker, job_name, listener, why)
    except AwsError as error:
        listener.warning(
            f"{error}; the job may still be running: smtrain stop {job_name}"
        )


def stop_job(sagemaker: Any, job_name: str, listener: RunListener, why: str) -> bool:
    """Ask SageMaker to stop the job; False when it had already ended."""
    with aws_errors(f"stopping training job {job_name}"):
        try:
            sagemaker.stop_training_job(TrainingJobName=job_name)
        except ClientError as error:
            # An unknown job is also a ValidationException: not "already ended".
            if is_not_found(error):
                message = not_found_message(sagemaker, job_name)
                raise AwsError(message) from error
            if error_code(error) != "ValidationException":
                raise
            listener.info(f"{job_name} had already ended; nothing to stop")
            return False
    listener.info(f"stopping training job {job_name} ({why})")
    return True


def _current_result(clients: RemoteClients, job_name: str, ended_by: str) -> JobResult:
    try:
        description = describe_job(clients.sagemaker, job_name)
    except AwsError:
        return JobResult(job_name, "Unknown", region=clients.region, ended_by=ended_by)
    return result_from_description(
        description, region=clients.region, ended_by=ended_by
    )
