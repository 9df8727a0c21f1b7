"""Fixtures for remote runs: the SageMaker double, a bucket, a recording listener."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from remote_support import BUCKET, RecordingListener
from sagemaker_double import SageMakerDouble

from smtrain.remote import RequestBuilder


@pytest.fixture
def sagemaker_double(
    aws_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SageMakerDouble]:
    double = SageMakerDouble(aws_endpoint, phase_seconds=0.12)
    double.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER", double.url)
    monkeypatch.setenv("SMTRAIN_POLL_INTERVAL", "0.05")
    boto3.client("s3").create_bucket(Bucket=BUCKET)
    try:
        yield double
    finally:
        double.stop()


@pytest.fixture
def builder() -> RequestBuilder:
    return RequestBuilder.from_spec_modules()


@pytest.fixture
def listener() -> RecordingListener:
    return RecordingListener()
