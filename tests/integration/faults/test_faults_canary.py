"""A canary in every secret-bearing input shows up nowhere it must not.

Secret inputs (keys, session token), the GitHub OIDC token and a secret in the
runner's environment each carry a distinctive canary. After a whole action run
none may appear in the log (beyond the ``::add-mask::`` lines), the outputs, the
summary, the job's tags or any request sent to SageMaker or CloudWatch Logs, nor
in ``smtrain render``'s output.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from action_runner import ActionRunner
from fault_proxy import FaultProxy
from oidc_servers import REQUEST_TOKEN, LoopbackServer, TokenEndpoint
from remote_support import BUCKET, ROLE
from sagemaker_double import SageMakerDouble

from smtrain.cli import main

CANARY = "cAnArY-{}-9d1e5b"
# STS must receive the OIDC token; what goes to the other services is checked.
_STS_CALLS = {"AssumeRoleWithWebIdentity", "AssumeRole", "GetCallerIdentity"}


class _CanaryTokenEndpoint(TokenEndpoint):
    def do_GET(self) -> None:
        self.owner.requests.append({"path": self.path})
        body = json.dumps({"value": CANARY.format("oidc")}).encode()
        self.reply(200, body, "application/json")


@pytest.fixture
def token_endpoint() -> Iterator[LoopbackServer]:
    with LoopbackServer(_CanaryTokenEndpoint) as server:
        yield server


def _config(workspace: Path, name: str) -> str:
    spec = {
        "job-name": name,
        "role-arn": ROLE,
        "image-uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1",
        "output-path": f"s3://{BUCKET}/out",
        "hyperparameters": {"epochs": 2},
    }
    (workspace / "job.yml").write_text(yaml.safe_dump(spec))
    return "job.yml"


def _leaks(canaries: list[str], texts: dict[str, str]) -> list[str]:
    found = []
    for where, text in texts.items():
        shown = "\n".join(
            line for line in text.splitlines() if not line.startswith("::add-mask::")
        )
        found += [f"{c} in {where}" for c in canaries if c in shown]
    return found


@pytest.mark.parametrize("auth", ["oidc", "keys"])
def test_no_canary_leaks_from_a_whole_action_run(
    proxy: FaultProxy,
    double: SageMakerDouble,
    token_endpoint: LoopbackServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    auth: str,
) -> None:
    name = f"canary-{auth}"
    runner = ActionRunner(tmp_path, f"{token_endpoint.url}/token", REQUEST_TOKEN)
    canaries = [CANARY.format(kind) for kind in ("env", "oidc")]
    monkeypatch.setenv("DATABASE_PASSWORD", canaries[0])
    inputs = {"config": _config(tmp_path, name), "job-name": name}
    if auth == "oidc":
        for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            monkeypatch.delenv(variable)
        monkeypatch.setenv("AWS_SESSION_TOKEN", CANARY.format("ambient-token"))
        canaries.append(CANARY.format("ambient-token"))
        inputs["role-to-assume"] = "arn:aws:iam::123456789012:role/github"
    else:
        keys = {
            "aws-access-key-id": "AKIA" + CANARY.format("id"),
            "aws-secret-access-key": CANARY.format("secret"),
            "aws-session-token": CANARY.format("session"),
        }
        inputs |= keys
        canaries += list(keys.values())

    run = runner.run(inputs)

    assert run.returncode == 0, run.stdout + run.stderr
    sent = {
        f"request {i} ({op})": body.decode("utf-8", "replace")
        for i, (op, body) in enumerate(proxy.bodies)
        if op not in _STS_CALLS
    }
    texts = {
        "stdout": run.stdout,
        "stderr": run.stderr,
        "summary": run.summary,
        "outputs": json.dumps(run.outputs),
        "tags": json.dumps(double.jobs[name].tags),
        **sent,
    }
    assert _leaks(canaries, texts) == []
    assert double.calls["CreateTrainingJob"] == 1
    if auth == "oidc":
        assert token_endpoint.requests  # the canary token was really used


def test_render_shows_no_canary_from_the_environment(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    canary = CANARY.format("render")
    for variable in ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "GITHUB_TOKEN"):
        monkeypatch.setenv(variable, canary)

    assert main(["render", str(tmp_path / _config(tmp_path, "rendered"))]) == 0

    out, err = capsys.readouterr()
    assert canary not in out + err
