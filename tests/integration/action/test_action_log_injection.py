"""A job's log cannot issue workflow commands; smtrain's own commands still work.

The runner obeys any stdout line shaped like a command, so every line a job
wrote (local script output, CloudWatch events) must reach the log inside a
stop-commands region, and every command smtrain writes must sit outside one.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from action_runner import ActionRun, ActionRunner
from remote_support import BUCKET, ROLE
from sagemaker_double import JobPlan, SageMakerDouble

# What a hostile (or careless) log line could make the runner do.
INJECTED = [
    "::set-output name=status::Completed",
    "::error title=fake::injected annotation",
    "::add-mask::loss",
    "::endgroup::",
    "  ::group::indented still counts",
    "::stop-commands::attacker",
    "::attacker::",
    "##[set-output name=status;]Completed",
    "::warning::after the attacker's resume",
]

_SCRIPT = """\
import sys
lines = {lines!r}
for line in lines:
    print(line, flush=True)
sys.exit(1)
"""


def _local_config(workspace: Path) -> str:
    code = workspace / "code"
    code.mkdir()
    (code / "train.py").write_text(_SCRIPT.format(lines=INJECTED))
    spec = {"local": True, "source-dir": "code", "entry-point": "train.py"}
    (workspace / "job.yml").write_text(yaml.safe_dump(spec))
    return "job.yml"


def _assert_log_is_shown_not_obeyed(run: ActionRun) -> None:
    log = run.step_log
    assert [line for line in log.ignored if line in INJECTED] == INJECTED
    # smtrain writes "::endgroup::" too: the pairing below finds an extra one.
    for line in set(INJECTED) - {"::endgroup::"}:
        assert line not in log.obeyed, f"obeyed by the runner: {line}"
    # smtrain's own groups still pair up and its annotation is obeyed.
    groups = [s for s in log.obeyed if s.startswith(("::group::", "::endgroup::"))]
    assert groups and len(groups) % 2 == 0
    assert all(line.startswith("::group::") for line in groups[::2])
    assert all(line == "::endgroup::" for line in groups[1::2])
    assert any(line.startswith("::error title=Training job") for line in log.obeyed)


def test_local_script_output_cannot_issue_workflow_commands(
    runner: ActionRunner,
) -> None:
    run = runner.run({"config": _local_config(runner.workspace)})

    assert run.returncode == 1, run.stdout + run.stderr
    _assert_log_is_shown_not_obeyed(run)
    assert run.outputs["status"] == "Failed"


def test_cloudwatch_log_lines_cannot_issue_workflow_commands(
    sagemaker_double: SageMakerDouble, runner: ActionRunner
) -> None:
    sagemaker_double.plans["act-inject"] = JobPlan(
        outcome="Failed", closing_lines=INJECTED
    )
    spec = {
        "role-arn": ROLE,
        "image-uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1",
        "output-path": f"s3://{BUCKET}/out",
        "job-name": "act-inject",
    }
    (runner.workspace / "job.yml").write_text(yaml.safe_dump(spec))

    run = runner.run({"config": "job.yml"})

    assert run.returncode == 1, run.stdout + run.stderr
    _assert_log_is_shown_not_obeyed(run)
    assert run.outputs["status"] == "Failed"
    assert json.loads(run.outputs["metrics"]) == {"train:loss": 0.25}
    # The session's credentials were masked while the runner obeyed commands.
    assert "::add-mask::testing" in run.step_log.obeyed
