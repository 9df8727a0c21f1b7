"""Helpers shared by the remote-run tests and the action tests.

``sagemaker_double`` is a fixture both conftest.py files import, so the two
suites start the double alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from sagemaker_double import SageMakerDouble

from smtrain.spec import JobSpec

BUCKET = "smtrain-remote-tests"
ROLE = "arn:aws:iam::123456789012:role/smtrain-training"


@pytest.fixture
def sagemaker_double(
    aws_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SageMakerDouble]:
    """The double on loopback, on a fast clock, with the tests' bucket in moto."""
    double = SageMakerDouble(aws_endpoint, phase_seconds=0.12)
    double.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER", double.url)
    monkeypatch.setenv("SMTRAIN_POLL_INTERVAL", "0.05")
    boto3.client("s3").create_bucket(Bucket=BUCKET)
    try:
        yield double
    finally:
        double.stop()


def make_spec(**values: Any) -> JobSpec:
    base: dict[str, Any] = {
        "role-arn": ROLE,
        "image-uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1",
        "output-path": f"s3://{BUCKET}/out",
    }
    return JobSpec.model_validate({**base, **values})
