"""The job commands through the real CLI: status, logs, stop, attach and Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from remote_support import make_spec
from sagemaker_double import JobPlan, SageMakerDouble

from smtrain.cli import main
from smtrain.render import render_training_job

SRC = Path(__file__).resolve().parents[3] / "src"


def _create(double: SageMakerDouble, name: str, plan: JobPlan | None = None) -> None:
    if plan:
        double.plans[name] = plan
    boto3.client("sagemaker").create_training_job(
        **render_training_job(make_spec(), name)
    )


def test_status_shows_transitions_and_result(
    sagemaker_double: SageMakerDouble, capsys: pytest.CaptureFixture[str]
) -> None:
    _create(sagemaker_double, "looked-at")
    sagemaker_double.wait_for("looked-at", "Completed")

    assert main(["status", "looked-at"]) == 0

    out = capsys.readouterr().out
    assert "Completed - Completed" in out
    assert "looked-at: Completed" in out
    assert "metric train:loss = 0.25" in out


def test_logs_prints_every_line_of_every_host(
    sagemaker_double: SageMakerDouble, capsys: pytest.CaptureFixture[str]
) -> None:
    _create(sagemaker_double, "read-me", JobPlan(lines_per_host=3))
    sagemaker_double.wait_for("read-me", "Completed")

    assert main(["logs", "read-me"]) == 0

    out = capsys.readouterr().out.splitlines()
    assert out == [f"[algo-1] read-me algo-1 line {n}" for n in (1, 2, 3)]


def test_stop_stops_and_a_second_stop_says_it_ended(
    sagemaker_double: SageMakerDouble, capsys: pytest.CaptureFixture[str]
) -> None:
    _create(sagemaker_double, "halt", JobPlan(endless=True))

    assert main(["stop", "halt"]) == 0
    sagemaker_double.wait_for("halt", "Stopped")
    assert main(["stop", "halt"]) == 0

    out = capsys.readouterr().out
    assert "stopping training job halt" in out
    assert "halt had already ended; nothing to stop" in out


def test_unknown_job_is_an_aws_error_with_exit_3(
    sagemaker_double: SageMakerDouble, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "missing"]) == 3

    assert "no training job named missing in us-east-1" in capsys.readouterr().err


def test_no_region_exits_3_naming_the_fix(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")

    assert main(["status", "anything"]) == 3

    assert "no AWS region: set aws-region" in capsys.readouterr().err


def test_attach_writes_outputs_for_a_finished_job(
    sagemaker_double: SageMakerDouble,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "out"))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    _create(sagemaker_double, "later", JobPlan(outcome="Failed"))

    assert main(["attach", "later"]) == 1

    assert "status<<" in (tmp_path / "out").read_text()
    assert "`later`: Failed" in (tmp_path / "summary.md").read_text()


def _wait_for_calls(double: SageMakerDouble, operation: str, count: int) -> None:
    end = time.monotonic() + 30
    while double.calls[operation] < count:
        assert time.monotonic() < end, f"{operation} was never called {count} times"
        time.sleep(0.05)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_to_attach_stops_the_job_and_exits_130(
    sagemaker_double: SageMakerDouble, signum: signal.Signals
) -> None:
    _create(sagemaker_double, "interrupted", JobPlan(endless=True))
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    process = subprocess.Popen(
        [sys.executable, "-m", "smtrain", "attach", "interrupted"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The first status check happens inside the signal handlers' scope.
        _wait_for_calls(sagemaker_double, "DescribeTrainingJob", 1)
        process.send_signal(signum)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()

    assert process.returncode == 130, err
    assert sagemaker_double.calls["StopTrainingJob"] == 1
    assert "stopping training job interrupted (the run was cancelled)" in out


@pytest.mark.parametrize("command", ["status", "logs", "stop", "attach"])
@pytest.mark.parametrize("name", ["bad name!", "-leading", "x" * 64])
def test_invalid_job_name_exits_2_before_any_aws_call(
    sagemaker_double: SageMakerDouble,
    capsys: pytest.CaptureFixture[str],
    command: str,
    name: str,
) -> None:
    with pytest.raises(SystemExit) as raised:
        main([command, "--", name])

    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert f"argument job: {name!r} is not a valid SageMaker name" in err
    assert "letters, digits and hyphens" in err
    assert sum(sagemaker_double.calls.values()) == 0
