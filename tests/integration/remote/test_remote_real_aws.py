"""Against real AWS: opt-in only, never in CI.

Set SMTRAIN_AWS_TESTS=1 and, for the full run, SMTRAIN_AWS_TEST_ROLE_ARN (a
SageMaker execution role), SMTRAIN_AWS_TEST_IMAGE (a training image that exits 0)
and SMTRAIN_AWS_TEST_OUTPUT (s3://bucket/prefix). Credentials and region come
from the AWS_* variables present when pytest starts; the safe-environment fixture
replaces them with dummies, so they are captured here at import time.
"""

from __future__ import annotations

import os
import uuid

import pytest

from smtrain.aws.auth import AuthInputs, open_session
from smtrain.aws.clients import RemoteClients
from smtrain.cancel import CancelToken
from smtrain.events import SilentListener
from smtrain.submit import Submitter

_REAL_ENV = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
_ENABLED = os.environ.get("SMTRAIN_AWS_TESTS") == "1" and bool(
    _REAL_ENV.get("AWS_ACCESS_KEY_ID") or _REAL_ENV.get("AWS_PROFILE")
)

pytestmark = [
    pytest.mark.aws,
    pytest.mark.skipif(not _ENABLED, reason="needs SMTRAIN_AWS_TESTS=1 and real AWS"),
]


@pytest.fixture
def real_aws(monkeypatch: pytest.MonkeyPatch) -> RemoteClients:
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    for name, value in _REAL_ENV.items():
        monkeypatch.setenv(name, value)
    return RemoteClients.from_session(open_session(AuthInputs(), None))


def test_unknown_job_name_is_seen_as_free(real_aws: RemoteClients) -> None:
    # Relies on SageMaker's wording for an unknown job; this test guards it.
    submitter = Submitter(real_aws.sagemaker, "digest", "submission")

    assert submitter.find_job(f"smtrain-absent-{uuid.uuid4().hex[:8]}") is None


def test_a_real_job_is_followed_to_completed(real_aws: RemoteClients) -> None:
    from smtrain.remote import run_remote
    from smtrain.spec import JobSpec

    names = ("ROLE_ARN", "IMAGE", "OUTPUT")
    values = {n: os.environ.get(f"SMTRAIN_AWS_TEST_{n}", "") for n in names}
    if not all(values.values()):
        pytest.skip("set SMTRAIN_AWS_TEST_ROLE_ARN, _IMAGE and _OUTPUT")
    spec = JobSpec.model_validate(
        {
            "role-arn": values["ROLE_ARN"],
            "image-uri": values["IMAGE"],
            "output-path": values["OUTPUT"],
            "timeout": "30m",
        }
    )

    result = run_remote(spec, SilentListener(), CancelToken())

    assert result.status == "Completed"
