"""Credentials: GitHub OIDC against a local token endpoint and moto's STS, and the
distinct messages for each way a setup can be wrong."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from oidc_servers import REQUEST_TOKEN, LoopbackServer, RefusingSts, TokenEndpoint
from remote_support import BUCKET, make_spec
from sagemaker_double import SageMakerDouble

from recording import RecordingListener
from smtrain.aws.auth import AuthInputs, open_session
from smtrain.cancel import CancelToken
from smtrain.errors import CredentialsError
from smtrain.remote import run_remote

ROLE = "arn:aws:iam::123456789012:role/github-training"


@pytest.fixture
def token_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:
    with LoopbackServer(TokenEndpoint) as server:
        monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_URL", f"{server.url}/token?x=1")
        monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN)
        yield server


@pytest.fixture
def refusing_sts(monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:
    with LoopbackServer(RefusingSts) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", server.url)
        yield server


def _without_ambient_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)


def test_role_to_assume_trades_the_github_token_for_role_credentials(
    aws_endpoint: str, token_endpoint: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without_ambient_keys(monkeypatch)

    session = open_session(AuthInputs(role_to_assume=ROLE), "eu-west-1")

    frozen = session.get_credentials().get_frozen_credentials()
    assert frozen.access_key.startswith("ASIA")
    assert token_endpoint.requests[0] == {
        "audience": "sts.amazonaws.com",
        "auth": f"Bearer {REQUEST_TOKEN}",
    }
    identity = session.client("sts").get_caller_identity()
    assert ":assumed-role/github-training/smtrain" in identity["Arn"]


def test_role_credentials_refresh_by_fetching_a_new_github_token(
    aws_endpoint: str, token_endpoint: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without_ambient_keys(monkeypatch)
    # 900 s is inside botocore's refresh window, so every use refreshes.
    auth = AuthInputs(role_to_assume=ROLE, role_duration_seconds=900)
    session = open_session(auth, "us-east-1")
    fetched = len(token_endpoint.requests)

    session.get_credentials().get_frozen_credentials()

    assert len(token_endpoint.requests) > fetched


def test_custom_audience_is_sent_to_github(
    aws_endpoint: str, token_endpoint: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without_ambient_keys(monkeypatch)

    open_session(AuthInputs(role_to_assume=ROLE, audience="my-aud"), "us-east-1")

    assert token_endpoint.requests[0]["audience"] == "my-aud"


def test_wrong_audience_names_the_audience_input(
    token_endpoint: LoopbackServer,
    refusing_sts: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _without_ambient_keys(monkeypatch)

    with pytest.raises(CredentialsError, match="audience input must match") as caught:
        open_session(AuthInputs(role_to_assume=ROLE, audience="wrong"), "us-east-1")

    assert caught.value.exit_code == 3
    assert refusing_sts.requests[0]["WebIdentityToken"].endswith("-for-wrong")


def test_missing_id_token_permission_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")

    with pytest.raises(CredentialsError, match="permissions: id-token: write"):
        open_session(AuthInputs(role_to_assume=ROLE), "us-east-1")


def test_expired_static_keys_fail_before_anything_is_uploaded(
    sagemaker_double: SageMakerDouble, listener: RecordingListener, tmp_path: Path
) -> None:
    (tmp_path / "train.py").write_text("print('hi')\n")
    spec = make_spec(**{"source-dir": str(tmp_path), "entry-point": "train.py"})
    sagemaker_double.fail_next("DescribeTrainingJob", "ExpiredTokenException")

    with pytest.raises(CredentialsError, match=r"have expired.*use role-to-assume"):
        run_remote(spec, listener, CancelToken())

    assert sagemaker_double.calls["CreateTrainingJob"] == 0
    assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket=BUCKET)


def test_static_keys_cost_no_call_to_open_a_session(
    refusing_sts: LoopbackServer,
) -> None:
    open_session(AuthInputs(), "us-east-1")

    assert refusing_sts.requests == []


def test_no_region_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")

    with pytest.raises(CredentialsError, match="no AWS region: set aws-region"):
        open_session(AuthInputs(), None)


def test_no_credentials_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    _without_ambient_keys(monkeypatch)

    with pytest.raises(CredentialsError, match="no AWS credentials found"):
        open_session(AuthInputs(), "us-east-1")


def test_explicit_keys_win_over_the_environment(aws_endpoint: str) -> None:
    auth = AuthInputs(access_key_id="AKIAEXPLICIT", secret_access_key="secret")

    session = open_session(auth, "us-east-1")

    assert session.get_credentials().access_key == "AKIAEXPLICIT"


def test_half_given_keys_are_refused() -> None:
    with pytest.raises(CredentialsError, match="must be given together"):
        open_session(AuthInputs(access_key_id="AKIAONLY"), "us-east-1")


def test_role_with_keys_assumes_the_role_from_the_keys(
    aws_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without_ambient_keys(monkeypatch)
    auth = AuthInputs(
        role_to_assume=ROLE, access_key_id="AKIAEXPLICIT", secret_access_key="secret"
    )

    session = open_session(auth, "us-east-1")

    assert (
        session.get_credentials().get_frozen_credentials().access_key.startswith("ASIA")
    )


def test_secrets_never_show_in_the_inputs_repr() -> None:
    auth = AuthInputs(
        access_key_id="AKIAVISIBLE", secret_access_key="s3cr3t", session_token="t0k3n"
    )

    assert "s3cr3t" not in repr(auth)
    assert "t0k3n" not in repr(auth)


def test_role_outside_github_is_assumed_from_the_ambient_chain(
    aws_endpoint: str,
) -> None:
    session = open_session(AuthInputs(role_to_assume=ROLE), "us-east-1")

    identity = session.client("sts").get_caller_identity()
    assert ":assumed-role/github-training/smtrain" in identity["Arn"]
