"""Run ``python -m smtrain action`` the way the runner does, against loopback servers.

The SageMaker double and the OIDC token endpoint come from the remote-run tests
(tests/integration/remote/); moto serves STS, S3 and CloudWatch Logs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REMOTE_TESTS = Path(__file__).resolve().parents[1] / "remote"
sys.path.insert(0, str(REMOTE_TESTS))

from action_runner import ActionRunner  # noqa: E402
from oidc_servers import REQUEST_TOKEN, LoopbackServer, TokenEndpoint  # noqa: E402
from remote_support import sagemaker_double as sagemaker_double  # noqa: E402


@pytest.fixture
def token_endpoint() -> Iterator[LoopbackServer]:
    with LoopbackServer(TokenEndpoint) as server:
        yield server


@pytest.fixture
def runner(tmp_path: Path, token_endpoint: LoopbackServer) -> ActionRunner:
    return ActionRunner(tmp_path, f"{token_endpoint.url}/token?x=1", REQUEST_TOKEN)
