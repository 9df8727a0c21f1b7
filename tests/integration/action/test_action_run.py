"""``smtrain action`` end to end: inputs in, log, outputs and summary out."""

from __future__ import annotations

import json
import re
import signal
import time
from pathlib import Path

import pytest
import yaml
from action_runner import ActionRunner
from markdown_it import MarkdownIt
from oidc_servers import LoopbackServer
from remote_support import BUCKET, ROLE
from sagemaker_double import JobPlan, SageMakerDouble

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1"
ASSUMED_ROLE = "arn:aws:iam::123456789012:role/github-training"
EVERY_OUTPUT = {
    "job-name",
    "job-arn",
    "status",
    "failure-reason",
    "model-artifacts",
    "training-time-seconds",
    "billable-time-seconds",
    "metrics",
    "tuning-job-name",
    "best-training-job-name",
    "best-hyperparameters",
    "best-objective-value",
}


def _job_file(workspace: Path, **extra: object) -> str:
    spec = {
        "role-arn": ROLE,
        "image-uri": IMAGE,
        "output-path": f"s3://{BUCKET}/out",
        "metric-definitions": [{"name": "step", "regex": r"line (\d+)"}],
        **extra,
    }
    (workspace / "jobs").mkdir(exist_ok=True)
    (workspace / "jobs" / "train.yml").write_text(yaml.safe_dump(spec))
    return "jobs/train.yml"


def _tables(markdown: str) -> list[list[list[str]]]:
    """Each table of the summary as rows of cell texts, as GitHub would render it."""
    tables: list[list[list[str]]] = []
    row: list[str] = []
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and tables and token.level >= 3:
            row.append(token.content)
        elif token.type == "tr_close":
            tables[-1].append(row)
    return tables


def _rows(markdown: str) -> dict[str, str]:
    return {r[0]: r[1] for t in _tables(markdown) for r in t if len(r) == 2}


def _without_ambient_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)


def test_oidc_run_completes_with_every_output_and_a_summary(
    sagemaker_double: SageMakerDouble,
    runner: ActionRunner,
    token_endpoint: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _without_ambient_keys(monkeypatch)
    config = _job_file(runner.workspace)

    run = runner.run(
        {
            "config": config,
            "job-name": "act-ok",
            "instance-count": "2",
            "use-spot": "true",
            "max-wait": "25h",
            "role-to-assume": ASSUMED_ROLE,
            "aws-region": "us-east-1",
        }
    )

    assert run.returncode == 0, run.stderr
    assert set(run.outputs) == EVERY_OUTPUT
    assert run.outputs["job-name"] == "act-ok"
    assert run.outputs["job-arn"].endswith(":training-job/act-ok")
    assert run.outputs["status"] == "Completed"
    assert run.outputs["failure-reason"] == ""
    assert run.outputs["model-artifacts"] == (
        f"s3://{BUCKET}/out/act-ok/output/model.tar.gz"
    )
    assert run.outputs["training-time-seconds"] == "120"
    assert run.outputs["billable-time-seconds"] == "48"
    assert json.loads(run.outputs["metrics"]) == {"train:loss": 0.25}
    assert all(run.outputs[name] == "" for name in EVERY_OUTPUT if "best" in name)
    assert run.outputs["tuning-job-name"] == ""
    # The input overrode the file; the OIDC token was fetched for STS.
    request = sagemaker_double.jobs["act-ok"].request
    assert request["ResourceConfig"]["InstanceCount"] == 2
    assert token_endpoint.requests[0]["audience"] == "sts.amazonaws.com"
    # One exchange: the session whose credentials were masked is the one used.
    assert len(token_endpoint.requests) == 1

    rows = _rows(run.summary)
    assert rows["Instances"] == "2 x ml.m5.large"
    assert rows["Spot"] == "yes"
    assert rows["Billable time"] == "48 s"
    assert rows["Spot savings"] == "60 %"
    assert rows["train:loss"] == "0.25"
    assert "sagemaker/home?region=us-east-1#/jobs/act-ok" in run.summary
    assert "logStreamNameFilter$3Dact-ok" in run.summary
    phases = next(t for t in _tables(run.summary) if t[0][0] == "phase")
    assert [r[0] for r in phases[1:3]] == ["Starting", "Downloading"]
    assert re.search(r"\| Training \| [\d:]+ \| \d+ s \|", run.summary)
    # algo-1's five lines matched "line (\d+)": a curve to draw.
    assert "```mermaid\nxychart-beta" in run.summary
    assert 'x-axis "logged value" 1 --> 5\n    line [1, 2, 3, 4, 5]' in run.summary


def test_log_is_folded_per_phase_and_instance_and_credentials_masked(
    sagemaker_double: SageMakerDouble,
    runner: ActionRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _without_ambient_keys(monkeypatch)
    config = _job_file(runner.workspace, **{"instance-count": 2})

    run = runner.run(
        {"config": config, "job-name": "act-log", "role-to-assume": ASSUMED_ROLE}
    )

    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    groups = [line for line in lines if line.startswith("::group::")]
    assert groups[:3] == [
        "::group::Validate the job spec",
        "::group::Authenticate with AWS",
        "::group::Run on SageMaker",
    ]
    assert "::group::Log of algo-1" in groups and "::group::Log of algo-2" in groups
    # Never two groups open at once: every group is closed before the next.
    opened = 0
    for line in lines:
        opened += line.startswith("::group::") - (line == "::endgroup::")
        assert opened in (0, 1)
    assert opened == 0
    masks = [line.removeprefix("::add-mask::") for line in lines if "add-mask" in line]
    # The role's temporary key id, secret and session token, masked up front.
    assert any(value.startswith("ASIA") for value in masks)
    assert len(masks) >= 3
    first_mask = lines.index(f"::add-mask::{masks[0]}")
    assert all(mask not in "\n".join(lines[:first_mask]) for mask in masks)
    assert "::debug::" in run.stdout


def test_failed_job_exits_1_with_reason_and_traceback_annotations(
    sagemaker_double: SageMakerDouble, runner: ActionRunner
) -> None:
    sagemaker_double.plans["act-fail"] = JobPlan(
        outcome="Failed",
        failure_reason="AlgorithmError: ZeroDivisionError | bad\nsecond line",
        closing_lines=["Traceback (most recent call last):", "ZeroDivisionError: x"],
    )
    config = _job_file(runner.workspace)

    run = runner.run({"config": config, "job-name": "act-fail"})

    assert run.returncode == 1
    assert run.outputs["status"] == "Failed"
    assert run.outputs["failure-reason"] == (
        "AlgorithmError: ZeroDivisionError | bad\nsecond line"
    )
    assert (
        "::error title=Training job act-fail%3A Failed::"
        "AlgorithmError: ZeroDivisionError | bad%0Asecond line"
    ) in run.stdout
    assert (
        "::error title=Traceback of act-fail::Traceback (most recent call last):"
        "%0AZeroDivisionError: x"
    ) in run.stdout
    # The pipe and newline stay inside their cell.
    reason = _rows(run.summary)["Failure reason"]
    assert reason == "AlgorithmError: ZeroDivisionError | bad second line"
    assert "ZeroDivisionError: x" in run.summary


def test_invalid_input_exits_2_with_annotations_on_the_yaml_lines(
    sagemaker_double: SageMakerDouble, runner: ActionRunner
) -> None:
    config = _job_file(runner.workspace, **{"volume-size": 0})

    run = runner.run({"config": config, "instance-count": "many"})

    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    line = _line_of(runner.workspace / config, "volume-size")
    assert (
        f"::error title=Invalid job spec,file=jobs/train.yml,line={line}::volume-size"
    ) in run.stdout
    assert "::error title=Invalid job spec::instance-count" in run.stdout
    assert run.outputs["status"] == "Error"
    assert set(run.outputs) == EVERY_OUTPUT
    problems = next(t for t in _tables(run.summary) if t[0][0] == "where")
    assert [r[0] for r in problems[1:]] == ["input instance-count", f"{config}:{line}"]
    assert sagemaker_double.calls["CreateTrainingJob"] == 0


def _line_of(path: Path, key: str) -> int:
    lines = path.read_text().splitlines()
    return next(i for i, text in enumerate(lines, 1) if text.startswith(f"{key}:"))


def test_malformed_auth_input_exits_2_and_is_summarised(
    sagemaker_double: SageMakerDouble, runner: ActionRunner
) -> None:
    config = _job_file(runner.workspace)

    run = runner.run({"config": config, "role-duration-seconds": "1h"})

    assert run.returncode == 2
    assert "role-duration-seconds" in run.summary
    assert run.outputs["status"] == "Error"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_while_waiting_stops_the_job_and_exits_130(
    sagemaker_double: SageMakerDouble, runner: ActionRunner, signum: int
) -> None:
    sagemaker_double.plans["act-cancel"] = JobPlan(endless=True)
    config = _job_file(runner.workspace)
    process = runner.start({"config": config, "job-name": "act-cancel"})
    try:
        sagemaker_double.wait_for("act-cancel", "Training")
        end = time.monotonic() + 30
        while sagemaker_double.calls["DescribeTrainingJob"] < 3:
            assert time.monotonic() < end
            time.sleep(0.05)
        process.send_signal(signum)
    finally:
        run = runner.finish(process)

    assert run.returncode == 130, run.stderr
    assert sagemaker_double.calls["StopTrainingJob"] == 1
    assert run.outputs["job-name"] == "act-cancel"
    assert run.outputs["status"] in ("Stopping", "Stopped")
    assert "_the run was cancelled._" in run.summary
    assert "::error title=Training job act-cancel%3A" in run.stdout


def test_missing_credentials_exit_3_with_error_outputs_and_summary(
    sagemaker_double: SageMakerDouble,
    runner: ActionRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _without_ambient_keys(monkeypatch)
    config = _job_file(runner.workspace)

    run = runner.run({"config": config})

    assert run.returncode == 3
    assert "::error title=smtrain::" in run.stdout
    assert run.outputs["status"] == "Error"
    assert "no AWS credentials found" in run.outputs["failure-reason"]
    assert "no AWS credentials found" in run.summary
    assert sagemaker_double.calls["CreateTrainingJob"] == 0


def test_timeout_stops_the_job_and_is_summarised(
    sagemaker_double: SageMakerDouble, runner: ActionRunner
) -> None:
    sagemaker_double.plans["act-timeout"] = JobPlan(endless=True)
    config = _job_file(runner.workspace)

    run = runner.run({"config": config, "job-name": "act-timeout", "timeout": "1s"})

    assert run.returncode == 1, run.stderr
    assert sagemaker_double.calls["StopTrainingJob"] == 1
    assert run.outputs["job-name"] == "act-timeout"
    assert "_smtrain stopped waiting at the timeout._" in run.summary
    assert "::error title=Training job act-timeout%3A" in run.stdout


_TRAIN_SCRIPT = """\
import os, pathlib
for epoch in range(1, 5):
    print(f"epoch {epoch} loss={1 / epoch:.3f}", flush=True)
pathlib.Path(os.environ["SM_MODEL_DIR"], "model.txt").write_text("weights")
"""


def test_local_input_runs_the_job_here_and_reports_it(
    sagemaker_double: SageMakerDouble, runner: ActionRunner
) -> None:
    # Paths in the spec are relative to the YAML file.
    code = runner.workspace / "jobs" / "code"
    code.mkdir(parents=True)
    (code / "train.py").write_text(_TRAIN_SCRIPT)
    config = _job_file(
        runner.workspace,
        **{
            "entry-point": "train.py",
            "source-dir": "code",
            "output-path": "models",
            "metric-definitions": [{"name": "loss", "regex": r"loss=([0-9.]+)"}],
        },
    )

    run = runner.run({"config": config, "job-name": "act-local", "local": "true"})

    assert run.returncode == 0, run.stdout + run.stderr
    assert "::group::Run locally" in run.stdout
    assert run.outputs["status"] == "Completed"
    assert run.outputs["job-arn"] == ""
    assert json.loads(run.outputs["metrics"]) == {"loss": 0.25}
    assert Path(run.outputs["model-artifacts"]).name == "model.tar.gz"
    assert "### ✅ local training job `act-local`: Completed" in run.summary
    assert "line [1, 0.5, 0.333, 0.25]" in run.summary
    assert "console.aws.amazon.com" not in run.summary
    assert sagemaker_double.calls["CreateTrainingJob"] == 0


def test_fire_and_forget_then_a_later_step_attaches_to_the_same_job(
    sagemaker_double: SageMakerDouble, runner: ActionRunner
) -> None:
    config = _job_file(runner.workspace)

    submitted = runner.run({"config": config, "wait": "false"})
    job_name = submitted.outputs["job-name"]
    attached = runner.run(
        {"config": config, "job-name": job_name, "on-existing-job": "attach"}
    )

    assert submitted.returncode == 0, submitted.stderr
    assert submitted.outputs["status"] == "InProgress"
    assert "_submitted without waiting (wait: false)._" in submitted.summary
    assert attached.returncode == 0, attached.stderr
    assert attached.outputs["job-name"] == job_name
    assert attached.outputs["status"] == "Completed"
    assert f"attached to existing training job {job_name}" in attached.stdout
    assert sagemaker_double.calls["CreateTrainingJob"] == 1


def test_tuning_input_starts_a_tuning_job_with_its_outputs_and_leaderboard(
    sagemaker_double: SageMakerDouble, runner: ActionRunner
) -> None:
    config = _job_file(runner.workspace)
    tuning = {
        "strategy": "Grid",
        "objective": {"metric": "step", "type": "Maximize"},
        "max-jobs": 2,
        "max-parallel-jobs": 2,
        "parameter-ranges": {"kernel": ["linear", "rbf"]},
    }

    run = runner.run(
        {"config": config, "job-name": "act-hpo", "tuning": json.dumps(tuning)}
    )

    assert run.returncode == 0, run.stderr
    assert set(run.outputs) == EVERY_OUTPUT
    assert run.outputs["tuning-job-name"] == "act-hpo"
    assert "act-hpo" in sagemaker_double.tuning_jobs
    assert not sagemaker_double.jobs.keys() - {
        t for t in sagemaker_double.jobs if t.startswith("act-hpo")
    }, "the action started a plain training job beside the tuning job"
    best = run.outputs["best-training-job-name"]
    assert best.startswith("act-hpo")
    assert set(json.loads(run.outputs["best-hyperparameters"])) == {"kernel"}
    assert run.outputs["best-objective-value"] != ""
    assert "SageMaker tuning job `act-hpo`: Completed" in run.summary
    assert "#### Leaderboard" in run.summary


def test_refreshed_role_credentials_are_masked_as_they_arrive(
    sagemaker_double: SageMakerDouble,
    runner: ActionRunner,
    token_endpoint: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _without_ambient_keys(monkeypatch)
    # 900 s lies inside botocore's refresh window: each call fetches new ones.
    run = runner.run(
        {
            "config": _job_file(runner.workspace),
            "job-name": "act-refresh",
            "role-to-assume": ASSUMED_ROLE,
            "role-duration-seconds": "900",
            "aws-region": "us-east-1",
        }
    )

    assert run.returncode == 0, run.stderr
    assert len(token_endpoint.requests) > 1, "the credentials were never refreshed"
    masked = {
        line.split("::", 2)[2]
        for line in run.step_log.obeyed
        if line.startswith("::add-mask::")
    }
    # Every exchange gave a new key, secret and token, and each was masked.
    assert len(masked) >= 3 * len(token_endpoint.requests)
