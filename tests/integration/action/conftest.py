"""Run ``python -m smtrain action`` the way the runner does, against loopback servers.

The SageMaker double and the OIDC token endpoint come from the remote-run tests
(tests/integration/remote/); moto serves STS, S3 and CloudWatch Logs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

REMOTE_TESTS = Path(__file__).resolve().parents[1] / "remote"
sys.path.insert(0, str(REMOTE_TESTS))

from action_runner import ActionRunner  # noqa: E402
from oidc_servers import REQUEST_TOKEN, LoopbackServer, TokenEndpoint  # noqa: E402
from remote_support import BUCKET  # noqa: E402
from sagemaker_double import SageMakerDouble  # noqa: E402


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
def token_endpoint() -> Iterator[LoopbackServer]:
    with LoopbackServer(TokenEndpoint) as server:
        yield server


@pytest.fixture
def runner(tmp_path: Path, token_endpoint: LoopbackServer) -> ActionRunner:
    return ActionRunner(tmp_path, f"{token_endpoint.url}/token?x=1", REQUEST_TOKEN)
