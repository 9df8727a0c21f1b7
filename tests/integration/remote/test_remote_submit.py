"""Submitting once: attach rules, lost responses, re-runs and new names."""

from __future__ import annotations

import boto3
import pytest
from remote_support import make_spec
from sagemaker_double import SageMakerDouble

from recording import RecordingListener
from smtrain.aws.auth import AuthInputs, open_session
from smtrain.aws.clients import RemoteClients
from smtrain.cancel import CancelToken
from smtrain.errors import AwsError, Problem, SpecError
from smtrain.remote import FollowOptions, RequestBuilder, follow_job, run_remote
from smtrain.submit import SPEC_HASH_TAG


def test_rerun_attaches_to_the_job_of_the_same_spec(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
) -> None:
    spec = make_spec(**{"job-name": "rerun"})
    first = run_remote(spec, listener, CancelToken(), builder=builder)

    second = run_remote(spec, listener, CancelToken(), builder=builder)

    assert sagemaker_double.calls["CreateTrainingJob"] == 1
    assert second.job_arn == first.job_arn
    assert second.status == "Completed"
    assert "attached to existing training job rerun in us-east-1" in listener.infos


def test_lost_create_response_is_retried_into_the_same_job(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
) -> None:
    sagemaker_double.lose_create_response = True
    spec = make_spec(**{"job-name": "lost-answer", "on-existing-job": "fail"})

    result = run_remote(spec, listener, CancelToken(), builder=builder)

    # botocore retried the 500; the retry met ResourceInUse on our own job.
    assert sagemaker_double.calls["CreateTrainingJob"] == 2
    assert len(sagemaker_double.jobs) == 1
    assert result.status == "Completed"


def test_a_lost_answer_without_retries_left_is_looked_up_and_attached(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    sagemaker_double.lose_create_response = True
    spec = make_spec(**{"job-name": "crashed"})

    result = run_remote(spec, listener, CancelToken(), builder=builder)

    # No retry met ResourceInUse; the look-up after the 500 found our job.
    assert sagemaker_double.calls["CreateTrainingJob"] == 1
    assert list(sagemaker_double.jobs) == ["crashed"]
    assert result.status == "Completed"


def test_attach_refuses_a_job_started_from_another_spec(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
) -> None:
    run_remote(
        make_spec(**{"job-name": "taken", "wait": False}),
        listener,
        CancelToken(),
        builder=builder,
    )
    changed = make_spec(**{"job-name": "taken", "instance-count": 2})

    with pytest.raises(SpecError, match="was not started from this spec") as caught:
        run_remote(changed, listener, CancelToken(), builder=builder)

    assert caught.value.exit_code == 2
    assert sagemaker_double.calls["CreateTrainingJob"] == 1


def test_attach_refuses_a_job_without_our_tag(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
) -> None:
    sagemaker = boto3.client("sagemaker")
    request = builder.render(make_spec(), "foreign")
    sagemaker.create_training_job(**request)

    with pytest.raises(SpecError, match="no smtrain tag"):
        run_remote(
            make_spec(**{"job-name": "foreign"}),
            listener,
            CancelToken(),
            builder=builder,
        )


def test_fail_policy_stops_before_submitting(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
) -> None:
    spec = make_spec(**{"job-name": "once", "wait": False})
    run_remote(spec, listener, CancelToken(), builder=builder)
    again = make_spec(**{"job-name": "once", "on-existing-job": "fail"})

    with pytest.raises(SpecError, match="training job once already exists"):
        run_remote(again, listener, CancelToken(), builder=builder)
    assert sagemaker_double.calls["CreateTrainingJob"] == 1


def test_new_name_policy_adds_a_suffix(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
) -> None:
    spec = make_spec(
        **{"job-name": "twin", "wait": False, "on-existing-job": "new-name"}
    )
    run_remote(spec, listener, CancelToken(), builder=builder)

    second = run_remote(spec, listener, CancelToken(), builder=builder)

    assert second.job_name == "twin-2"
    assert sorted(sagemaker_double.jobs) == ["twin", "twin-2"]


def test_tags_carry_the_github_run_and_user_tags_win(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    github = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_RUN_ID": "4242",
        "GITHUB_RUN_ATTEMPT": "2",
        "GITHUB_REPOSITORY": "acme/models",
        "GITHUB_SHA": "abc123",
        "GITHUB_WORKFLOW": "train (nightly)",
        "GITHUB_REF": "refs/heads/main",
    }
    for name, value in github.items():
        monkeypatch.setenv(name, value)
    spec = make_spec(
        **{
            "job-name": "tagged",
            "wait": False,
            "tags": {"smtrain:ref": "mine", "team": "ml"},
        }
    )

    run_remote(spec, listener, CancelToken(), builder=builder)

    tags = sagemaker_double.jobs["tagged"].tags
    assert tags["smtrain:repository"] == "acme/models"
    assert tags["smtrain:run-id"] == "4242"
    assert tags["smtrain:run-attempt"] == "2"
    assert tags["smtrain:workflow"] == "train _nightly_"
    assert tags["smtrain:ref"] == "mine"
    assert tags["team"] == "ml"
    assert len(tags[SPEC_HASH_TAG]) == 32


def test_throttling_and_server_errors_are_retried(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
) -> None:
    sagemaker_double.fail_next("DescribeTrainingJob", "ThrottlingException", times=2)
    sagemaker_double.fail_next("CreateTrainingJob", "InternalFailure", status=500)
    spec = make_spec(**{"job-name": "bumpy"})

    result = run_remote(spec, listener, CancelToken(), builder=builder)

    assert result.status == "Completed"
    assert len(sagemaker_double.jobs) == 1


@pytest.mark.parametrize(
    ("code", "status"), [("ThrottlingException", 400), ("InternalFailure", 500)]
)
def test_failures_beyond_botocore_retries_slow_polling_instead_of_failing(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
    monkeypatch: pytest.MonkeyPatch,
    code: str,
    status: int,
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    # The name check is call 1; every status check after it alternates.
    sagemaker_double.flaky("DescribeTrainingJob", code, status, every=2)
    spec = make_spec(**{"job-name": "flaky", "instance-count": 2})

    result = run_remote(spec, listener, CancelToken(), builder=builder)

    assert result.status == "Completed"
    assert len(listener.lines) == 10


def test_an_outage_that_does_not_end_is_an_aws_error(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    spec = make_spec(**{"job-name": "outage", "wait": False})
    run_remote(spec, listener, CancelToken(), builder=builder)
    sagemaker_double.flaky("DescribeTrainingJob", "ServiceUnavailable", 503, every=1)
    monkeypatch.setenv("SMTRAIN_POLL_INTERVAL", "0.01")  # the backoff stays short

    with pytest.raises(AwsError, match="describing training job outage"):
        follow_job(
            connect_clients(), "outage", FollowOptions(), listener, CancelToken()
        )


def test_a_request_the_renderer_refuses_sends_nothing(
    sagemaker_double: SageMakerDouble, listener: RecordingListener
) -> None:
    def refuse(*_: object, **__: object) -> dict[str, object]:
        raise SpecError([Problem("instance-type", "not an ML instance type")])

    builder = RequestBuilder(lambda spec: "unused", refuse)

    with pytest.raises(SpecError, match="instance-type"):
        run_remote(
            make_spec(**{"job-name": "refused"}),
            listener,
            CancelToken(),
            builder=builder,
        )

    assert sum(sagemaker_double.calls.values()) == 0


def connect_clients() -> RemoteClients:
    return RemoteClients.from_session(open_session(AuthInputs(), None))
