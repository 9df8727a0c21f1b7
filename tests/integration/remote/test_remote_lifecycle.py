"""A job followed end to end against the SageMaker double and moto."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import boto3
import pytest
from remote_support import make_spec
from sagemaker_double import JobPlan, SageMakerDouble

from recording import RecordingListener
from smtrain.cancel import CancelToken
from smtrain.remote import RequestBuilder, run_remote
from smtrain.result import JobResult


def test_completed_job_reports_every_transition_once_and_its_results(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
) -> None:
    spec = make_spec(**{"job-name": "lifecycle-ok", "instance-count": 2})

    result = run_remote(spec, listener, CancelToken(), builder=builder)

    assert result.status == "Completed"
    assert result.exit_code == 0
    assert result.metrics == {"train:loss": 0.25}
    assert result.model_artifacts.endswith("lifecycle-ok/output/model.tar.gz")
    assert result.training_time_seconds == 120
    secondaries = [t.secondary_status for t in listener.transitions]
    assert secondaries == [
        "Starting",
        "Downloading",
        "Training",
        "Uploading",
        "Completed",
    ]
    assert sagemaker_double.calls["CreateTrainingJob"] == 1


def test_failed_job_exits_1_with_reason_and_traceback(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
) -> None:
    traceback = [
        "Traceback (most recent call last):",
        '  File "train.py", line 3, in <module>',
        "ValueError: bad learning rate",
    ]
    sagemaker_double.plans["lifecycle-fail"] = JobPlan(
        outcome="Failed",
        failure_reason="AlgorithmError: ValueError",
        closing_lines=traceback,
    )
    spec = make_spec(**{"job-name": "lifecycle-fail"})

    result = run_remote(spec, listener, CancelToken(), builder=builder)

    assert result.status == "Failed"
    assert result.exit_code == 1
    assert result.failure_reason == "AlgorithmError: ValueError"
    assert result.traceback_tail == "\n".join(traceback)
    assert listener.lines[-1] == ("algo-1", "ValueError: bad learning rate")


def _run_in_thread(
    spec_values: dict[str, object], builder: RequestBuilder, token: CancelToken
) -> tuple[threading.Thread, list[JobResult]]:
    results: list[JobResult] = []
    listener = RecordingListener()

    def target() -> None:
        results.append(
            run_remote(make_spec(**spec_values), listener, token, builder=builder)
        )

    thread = threading.Thread(target=target)
    thread.start()
    return thread, results


def test_cancel_stops_the_job_and_exits_130(
    sagemaker_double: SageMakerDouble, builder: RequestBuilder
) -> None:
    sagemaker_double.plans["cancelled"] = JobPlan(endless=True)
    token = CancelToken()
    thread, results = _run_in_thread({"job-name": "cancelled"}, builder, token)
    sagemaker_double.wait_for("cancelled", "Training")

    token.cancel("SIGINT")
    thread.join(timeout=30)

    assert results[0].ended_by == "cancel"
    assert results[0].exit_code == 130
    assert sagemaker_double.calls["StopTrainingJob"] == 1
    assert results[0].status == "Stopping"


def test_cancel_without_stop_on_cancel_leaves_the_job_running(
    sagemaker_double: SageMakerDouble, builder: RequestBuilder
) -> None:
    sagemaker_double.plans["kept"] = JobPlan(endless=True)
    token = CancelToken()
    values = {"job-name": "kept", "stop-on-cancel": False}
    thread, results = _run_in_thread(values, builder, token)
    sagemaker_double.wait_for("kept", "Training")

    token.cancel("SIGTERM")
    thread.join(timeout=30)

    assert results[0].exit_code == 130
    assert sagemaker_double.calls["StopTrainingJob"] == 0
    assert results[0].status == "InProgress"


def test_job_stopped_elsewhere_ends_stopped_with_exit_1(
    sagemaker_double: SageMakerDouble, builder: RequestBuilder
) -> None:
    sagemaker_double.plans["stopped"] = JobPlan(endless=True)
    thread, results = _run_in_thread({"job-name": "stopped"}, builder, CancelToken())
    sagemaker_double.wait_for("stopped", "Training")

    boto3.client("sagemaker").stop_training_job(TrainingJobName="stopped")
    thread.join(timeout=30)

    assert results[0].status == "Stopped"
    assert results[0].ended_by == "terminal"
    assert results[0].exit_code == 1


@pytest.mark.parametrize(("stop", "stop_calls"), [(True, 1), (False, 0)])
def test_timeout_stops_the_job_unless_told_not_to(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
    stop: bool,
    stop_calls: int,
) -> None:
    sagemaker_double.plans["slow"] = JobPlan(endless=True)
    spec = make_spec(**{"job-name": "slow", "timeout": 1, "stop-on-timeout": stop})

    result = run_remote(spec, listener, CancelToken(), builder=builder)

    assert result.ended_by == "timeout"
    assert result.exit_code == 1
    assert sagemaker_double.calls["StopTrainingJob"] == stop_calls


def test_no_wait_returns_after_submit(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
) -> None:
    spec = make_spec(**{"job-name": "fire-and-forget", "wait": False})

    result = run_remote(spec, listener, CancelToken(), builder=builder)

    assert (result.ended_by, result.exit_code) == ("no-wait", 0)
    assert result.job_arn.endswith("training-job/fire-and-forget")
    assert sagemaker_double.calls["DescribeTrainingJob"] == 1  # the name check only


def test_failed_job_without_streaming_still_finds_the_traceback(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
) -> None:
    closing = ["Traceback (most recent call last):", "KeyError: 'label'"]
    sagemaker_double.plans["quiet-fail"] = JobPlan(
        outcome="Failed", closing_lines=closing
    )
    spec = make_spec(**{"job-name": "quiet-fail", "stream-logs": False})

    result = run_remote(spec, listener, CancelToken(), builder=builder)

    assert listener.lines == []
    assert result.traceback_tail == "\n".join(closing)


def test_spot_job_reports_savings_and_warns_without_checkpoints(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
) -> None:
    spec = make_spec(**{"job-name": "spotty", "use-spot": True, "max-wait": "2h"})

    result = run_remote(spec, listener, CancelToken(), builder=builder)

    assert result.use_spot
    assert result.spot_savings_percent == 60.0
    assert any("without checkpoint-s3-uri" in w for w in listener.warnings)


def test_cancel_stops_the_job_while_a_status_check_is_stuck(
    sagemaker_double: SageMakerDouble, builder: RequestBuilder
) -> None:
    sagemaker_double.plans["stuck"] = JobPlan(endless=True)
    token = CancelToken()
    thread, results = _run_in_thread({"job-name": "stuck"}, builder, token)
    sagemaker_double.wait_for("stuck", "Training")
    gate = sagemaker_double.hold("DescribeTrainingJob")
    _wait_until(lambda: sagemaker_double.holding > 0)

    token.cancel("SIGINT")
    _wait_until(lambda: sagemaker_double.calls["StopTrainingJob"] > 0)
    gate.set()
    thread.join(timeout=30)

    # The stop went out while the watcher's status check was still blocked.
    assert sagemaker_double.stops_while_holding == 1
    assert results[0].exit_code == 130


def _wait_until(condition: Callable[[], bool]) -> None:
    end = time.monotonic() + 20
    while not condition():
        assert time.monotonic() < end, "condition never became true"
        time.sleep(0.02)
