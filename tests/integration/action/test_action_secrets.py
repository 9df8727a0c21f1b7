"""No secret input ever reaches the log (beyond its mask), outputs or summary."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from action_runner import ActionRunner
from remote_support import BUCKET, ROLE
from sagemaker_double import JobPlan, SageMakerDouble

from smtrain.github.inputs import SECRET_INPUTS

CANARY = "c4n4ry-{}-7f3e"


def _canaries() -> dict[str, str]:
    return {name: CANARY.format(name) for name in SECRET_INPUTS}


def _config(workspace: Path) -> str:
    spec = {
        "job-name": "act-secret",
        "role-arn": ROLE,
        "image-uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1",
        "output-path": f"s3://{BUCKET}/out",
    }
    (workspace / "job.yml").write_text(yaml.safe_dump(spec))
    return "job.yml"


def _assert_nowhere(canaries: dict[str, str], *texts: str) -> None:
    for text in texts:
        unmasked = "\n".join(
            line for line in text.splitlines() if not line.startswith("::add-mask::")
        )
        for name, value in canaries.items():
            assert value not in unmasked, f"{name} leaked"


@pytest.mark.parametrize("outcome", ["Completed", "Failed"])
def test_secret_inputs_are_masked_first_and_never_shown(
    sagemaker_double: SageMakerDouble, runner: ActionRunner, outcome: str
) -> None:
    sagemaker_double.plans["act-secret"] = JobPlan(outcome=outcome)
    canaries = _canaries()
    inputs = {"config": _config(runner.workspace), **canaries}
    # Keys plus a role: the role is assumed from the keys, through moto's STS.
    inputs["role-to-assume"] = "arn:aws:iam::123456789012:role/from-keys"

    run = runner.run(inputs)

    assert run.returncode == (0 if outcome == "Completed" else 1), run.stderr
    head = run.stdout.splitlines()[: len(canaries)]
    assert sorted(head) == sorted(f"::add-mask::{v}" for v in canaries.values())
    _assert_nowhere(canaries, run.stdout, run.stderr, run.summary)
    _assert_nowhere(canaries, *run.outputs.values())


def test_secrets_stay_hidden_when_the_keys_are_refused(
    sagemaker_double: SageMakerDouble, runner: ActionRunner
) -> None:
    canaries = _canaries()
    # Only half of the key pair: refused before any AWS call, with exit 3.
    del canaries["aws-access-key-id"]

    run = runner.run({"config": _config(runner.workspace), **canaries})

    assert run.returncode == 3
    assert "must be given together" in run.summary
    _assert_nowhere(canaries, run.stdout, run.stderr, run.summary)
    _assert_nowhere(canaries, *run.outputs.values())
