"""Setups that go wrong mid-run or at submit: credentials that expire while the job
is watched, a region whose SageMaker cannot be reached, a role that cannot be
passed. Each ends with a message that names the fix, and the documented exit code.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fault_proxy import FaultProxy
from oidc_servers import REQUEST_TOKEN, LoopbackServer, TokenEndpoint
from remote_support import BUCKET, ROLE, make_spec
from sagemaker_double import JobPlan, SageMakerDouble

from recording import RecordingListener
from smtrain.aws.auth import AuthInputs
from smtrain.cancel import CancelToken
from smtrain.cli import main
from smtrain.remote import run_remote

PASS_ROLE_DENIED = (
    "User: arn:aws:sts::123456789012:assumed-role/github/smtrain is not "
    f"authorized to perform: iam:PassRole on resource: {ROLE}"
)
UNTRUSTED_ROLE = (
    f"Could not assume role {ROLE}. Please ensure that the role exists and allows "
    "principal 'sagemaker.amazonaws.com' to assume the role."
)


class _SwitchableTokenEndpoint(TokenEndpoint):
    def do_GET(self) -> None:
        if getattr(self.owner, "refusing", False):
            self.owner.requests.append({"refused": "yes"})
            self.reply(503, b'{"message": "unavailable"}', "application/json")
            return
        super().do_GET()


@pytest.fixture
def token_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:
    with LoopbackServer(_SwitchableTokenEndpoint) as server:
        monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_URL", f"{server.url}/token")
        monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN)
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            monkeypatch.delenv(name)
        yield server


def _job_file(tmp_path: Path, name: str, **extra: object) -> str:
    values = {
        "job-name": name,
        "role-arn": ROLE,
        "image-uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1",
        "output-path": f"s3://{BUCKET}/out",
        **extra,
    }
    path = tmp_path / "job.yml"
    path.write_text(yaml.safe_dump(values))
    return str(path)


def _expire_keys_once_training(double: SageMakerDouble, name: str) -> None:
    def expire() -> None:
        double.wait_for(name, "Training")
        double.flaky("DescribeTrainingJob", "ExpiredTokenException", every=1)

    threading.Thread(target=expire, daemon=True).start()


def test_static_keys_expiring_mid_wait_exit_3_naming_the_fix_and_the_job(
    proxy: FaultProxy,
    double: SageMakerDouble,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    double.plans["expiring"] = JobPlan(endless=True)
    _expire_keys_once_training(double, "expiring")

    code = main(["run", _job_file(tmp_path, "expiring")])

    err = capsys.readouterr().err
    assert code == 3
    assert "the AWS credentials have expired" in err
    assert "use role-to-assume with GitHub OIDC" in err
    assert "`smtrain attach expiring`" in err
    assert "Traceback" not in err
    # Still running (an endless job moves on to Uploading but never ends), not
    # stopped: smtrain could not call StopTrainingJob and named the job instead.
    assert double.jobs["expiring"].status in {"Training", "Uploading"}


def test_oidc_credentials_refresh_while_the_job_is_watched(
    proxy: FaultProxy,
    double: SageMakerDouble,
    token_endpoint: LoopbackServer,
) -> None:
    double.plans["refreshing"] = JobPlan(lines_per_host=20)
    # 900 s lies inside botocore's refresh window: every call refreshes first.
    auth = AuthInputs(role_to_assume=ROLE, role_duration_seconds=900)
    listener = RecordingListener()

    result = run_remote(
        make_spec(**{"job-name": "refreshing"}), listener, CancelToken(), auth=auth
    )

    assert result.status == "Completed"
    assert len(listener.lines) == 20
    assert len(token_endpoint.requests) > 3
    assert proxy.forwarded["AssumeRoleWithWebIdentity"] > 3


def test_a_token_endpoint_outage_while_credentials_still_hold_is_ridden_out(
    proxy: FaultProxy,
    double: SageMakerDouble,
    token_endpoint: LoopbackServer,
) -> None:
    double.plans["outage"] = JobPlan(lines_per_host=20)
    auth = AuthInputs(role_to_assume=ROLE, role_duration_seconds=900)

    def refuse_once_training() -> None:
        double.wait_for("outage", "Downloading")
        token_endpoint.refusing = True  # type: ignore[attr-defined]

    threading.Thread(target=refuse_once_training, daemon=True).start()
    listener = RecordingListener()

    result = run_remote(
        make_spec(**{"job-name": "outage"}), listener, CancelToken(), auth=auth
    )

    # The refresh failed, but the credentials had minutes left: no harm done.
    assert result.status == "Completed"
    assert len(listener.lines) == 20
    assert {"refused": "yes"} in token_endpoint.requests


def test_a_region_without_a_reachable_sagemaker_exits_3_naming_the_region(
    proxy: FaultProxy,
    double: SageMakerDouble,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Where SageMaker is not offered its endpoint does not resolve; a closed
    # loopback port fails the same way (EndpointConnectionError), offline.
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER", f"http://127.0.0.1:{port}")

    code = main(["run", _job_file(tmp_path, "nowhere", **{"aws-region": "ap-east-9"})])

    err = capsys.readouterr().err
    assert code == 3
    assert "could not reach AWS" in err
    assert "region (aws-region) is spelled right and offers the service" in err
    assert double.jobs == {}


@pytest.mark.parametrize(
    ("status", "code", "message", "expected"),
    [
        (
            400,
            "AccessDeniedException",
            PASS_ROLE_DENIED,
            "these credentials may not pass role-arn to SageMaker",
        ),
        (
            400,
            "ValidationException",
            UNTRUSTED_ROLE,
            "its trust policy allows sagemaker.amazonaws.com",
        ),
    ],
)
def test_a_role_that_cannot_be_passed_exits_3_naming_the_fix(
    proxy: FaultProxy,
    double: SageMakerDouble,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    status: int,
    code: str,
    message: str,
    expected: str,
) -> None:
    proxy.answer("CreateTrainingJob", status, code, message)

    exit_code = main(["run", _job_file(tmp_path, "no-pass")])

    err = capsys.readouterr().err
    assert exit_code == 3
    assert expected in err
    assert "creating training job no-pass" in err
    assert double.jobs == {}
