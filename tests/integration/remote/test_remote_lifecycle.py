"""A job followed end to end against the SageMaker double and moto."""

from __future__ import annotations

from conftest import RecordingListener, make_spec
from sagemaker_double import JobPlan, SageMakerDouble

from smtrain.cancel import CancelToken
from smtrain.remote import RequestBuilder, run_remote


def test_completed_job_reports_every_transition_once_and_its_results(
    sagemaker_double: SageMakerDouble, listener: RecordingListener, builder: RequestBuilder
) -> None:
    spec = make_spec(**{"job-name": "lifecycle-ok", "instance-count": 2})

    result = run_remote(spec, listener, CancelToken(), builder=builder)

    assert result.status == "Completed"
    assert result.exit_code == 0
    assert result.metrics == {"train:loss": 0.25}
    assert result.model_artifacts.endswith("lifecycle-ok/output/model.tar.gz")
    assert result.training_time_seconds == 120
    secondaries = [t.secondary_status for t in listener.transitions]
    assert secondaries == ["Starting", "Downloading", "Training", "Uploading", "Completed"]
    assert sagemaker_double.calls["CreateTrainingJob"] == 1


def test_failed_job_exits_1_with_reason_and_traceback(
    sagemaker_double: SageMakerDouble, listener: RecordingListener, builder: RequestBuilder
) -> None:
    traceback = [
        "Traceback (most recent call last):",
        '  File "train.py", line 3, in <module>',
        "ValueError: bad learning rate",
    ]
    sagemaker_double.plans["lifecycle-fail"] = JobPlan(
        outcome="Failed", failure_reason="AlgorithmError: ValueError", closing_lines=traceback
    )
    spec = make_spec(**{"job-name": "lifecycle-fail"})

    result = run_remote(spec, listener, CancelToken(), builder=builder)

    assert result.status == "Failed"
    assert result.exit_code == 1
    assert result.failure_reason == "AlgorithmError: ValueError"
    assert result.traceback_tail == "\n".join(traceback)
    assert listener.lines[-1] == ("algo-1", "ValueError: bad learning rate")
