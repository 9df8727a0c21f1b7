"""Fault tests: the SageMaker double and moto behind a fault-injecting proxy.

Every boto3 client of the test (and of any ``smtrain`` subprocess it starts)
talks to the proxy; the double writes its log lines to moto directly, so faults
hit only smtrain's calls.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

TESTS = Path(__file__).resolve().parents[1]
for folder in ("remote", "action"):
    sys.path.insert(0, str(TESTS / folder))

from fault_proxy import FaultProxy  # noqa: E402
from remote_support import BUCKET  # noqa: E402
from sagemaker_double import SageMakerDouble  # noqa: E402

from recording import RecordingListener  # noqa: E402


@pytest.fixture
def double(aws_endpoint: str) -> Iterator[SageMakerDouble]:
    double = SageMakerDouble(aws_endpoint, phase_seconds=0.12)
    double.start()
    try:
        yield double
    finally:
        double.stop()


@pytest.fixture
def proxy(
    aws_endpoint: str, double: SageMakerDouble, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FaultProxy]:
    with FaultProxy(aws_endpoint, double.url) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
        monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER", proxy.url)
        monkeypatch.setenv("SMTRAIN_POLL_INTERVAL", "0.05")
        boto3.client("s3").create_bucket(Bucket=BUCKET)
        yield proxy


@pytest.fixture
def listener() -> RecordingListener:
    return RecordingListener()
