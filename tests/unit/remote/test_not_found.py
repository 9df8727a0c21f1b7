"""One rule for "no such job", from the error code first, for every wording.

Each call is answered by botocore's Stubber with the error AWS (or moto)
returns, so the real client parses it as it would on the wire.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from smtrain.errors import AwsError
from smtrain.events import SilentListener
from smtrain.monitor import describe_job
from smtrain.remote import stop_job
from smtrain.submit import Submitter
from smtrain.tuning_submit import TUNING_JOB

NOT_FOUND = [
    # Real SageMaker, DescribeTrainingJob and StopTrainingJob.
    ("ValidationException", "Requested resource not found."),
    # moto's DescribeTrainingJob, and SageMaker's wording for some resources.
    ("ValidationException", "Could not find training job 'arn:aws:sagemaker:x'"),
    # DescribeHyperParameterTuningJob.
    ("ResourceNotFound", "Amazon SageMaker can't find a tuning job with name x"),
]
NOT_A_MISSING_JOB = [
    ("ValidationException", "The training job is in status Completed; not stopped"),
    ("ValidationException", "Value 'x' at 'name' failed: resource not found pattern"),
    ("ThrottlingException", "Could not find capacity, slow down"),
]


@pytest.fixture
def stubbed() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client("sagemaker", region_name="eu-west-1")
    with Stubber(client) as stubber:
        yield client, stubber


def _answer(stubber: Stubber, operation: str, code: str, message: str) -> None:
    stubber.add_client_error(
        operation, service_error_code=code, service_message=message
    )


@pytest.mark.parametrize(("code", "message"), NOT_FOUND)
def test_every_missing_job_wording_is_not_found_everywhere(
    stubbed: tuple[Any, Stubber], code: str, message: str
) -> None:
    client, stubber = stubbed
    _answer(stubber, "describe_training_job", code, message)
    _answer(stubber, "describe_training_job", code, message)
    _answer(stubber, "stop_training_job", code, message)
    _answer(stubber, "describe_hyper_parameter_tuning_job", code, message)

    with pytest.raises(AwsError) as described:
        describe_job(client, "gone")
    found = Submitter(client, "digest", "id").find_job("gone")
    with pytest.raises(AwsError) as stopped:
        stop_job(client, "gone", SilentListener(), "asked")
    tuning = Submitter(client, "digest", "id", TUNING_JOB).find_job("gone")

    expected = "no training job named gone in eu-west-1"
    assert expected in str(described.value) and expected in str(stopped.value)
    assert found is None and tuning is None
    stubber.assert_no_pending_responses()


@pytest.mark.parametrize(("code", "message"), NOT_A_MISSING_JOB)
def test_other_errors_are_not_mistaken_for_a_missing_job(
    stubbed: tuple[Any, Stubber], code: str, message: str
) -> None:
    client, stubber = stubbed
    _answer(stubber, "describe_training_job", code, message)
    _answer(stubber, "describe_training_job", code, message)

    with pytest.raises(AwsError) as described:
        describe_job(client, "there")
    with pytest.raises(AwsError):
        Submitter(client, "digest", "id").find_job("there")

    assert "no training job named" not in str(described.value)


def test_stopping_an_ended_job_is_not_an_error(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    _answer(stubber, "stop_training_job", *NOT_A_MISSING_JOB[0])

    assert stop_job(client, "done", SilentListener(), "asked") is False
