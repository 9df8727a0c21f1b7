"""``smtrain run job.yml`` as a user runs it: a subprocess against the double."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from remote_support import BUCKET, ROLE
from sagemaker_double import JobPlan, SageMakerDouble

SRC = Path(__file__).resolve().parents[3] / "src"
# `smtrain run` reads the job file with the spec loader, which lands separately.
pytest.importorskip("smtrain.loader")


def _job_file(tmp_path: Path, name: str, **extra: object) -> Path:
    spec = {
        "job-name": name,
        "role-arn": ROLE,
        "image-uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1",
        "output-path": f"s3://{BUCKET}/out",
        **extra,
    }
    path = tmp_path / "job.yml"
    path.write_text(yaml.safe_dump(spec))
    return path


def _start(tmp_path: Path, job_file: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "GITHUB_OUTPUT": str(tmp_path / "outputs"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "smtrain", "run", str(job_file)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen[str]) -> tuple[str, str]:
    try:
        return process.communicate(timeout=60)
    finally:
        process.kill()


def test_completed_run_prints_logs_and_writes_outputs(
    sagemaker_double: SageMakerDouble, tmp_path: Path
) -> None:
    process = _start(tmp_path, _job_file(tmp_path, "cli-ok", **{"instance-count": 2}))

    out, err = _finish(process)

    assert process.returncode == 0, err
    assert "[algo-2] cli-ok algo-2 line 5" in out
    assert "cli-ok: Completed" in out
    outputs = (tmp_path / "outputs").read_text()
    assert '{"train:loss": 0.25}' in outputs
    assert "`cli-ok`: Completed" in (tmp_path / "summary.md").read_text()


def test_failed_run_exits_1_with_reason_and_traceback(
    sagemaker_double: SageMakerDouble, tmp_path: Path
) -> None:
    sagemaker_double.plans["cli-fail"] = JobPlan(
        outcome="Failed",
        failure_reason="AlgorithmError: ZeroDivisionError",
        closing_lines=["Traceback (most recent call last):", "ZeroDivisionError: x"],
    )
    process = _start(tmp_path, _job_file(tmp_path, "cli-fail"))

    _, err = _finish(process)

    assert process.returncode == 1
    assert "failure reason: AlgorithmError: ZeroDivisionError" in err
    assert "Traceback (most recent call last):\nZeroDivisionError: x" in err
    assert "Failed" in (tmp_path / "outputs").read_text()


def test_sigint_stops_the_job_and_exits_130(
    sagemaker_double: SageMakerDouble, tmp_path: Path
) -> None:
    sagemaker_double.plans["cli-cancel"] = JobPlan(endless=True)
    process = _start(tmp_path, _job_file(tmp_path, "cli-cancel"))
    try:
        sagemaker_double.wait_for("cli-cancel", "Training")
        # Two status checks after the create: the watcher is running.
        end = time.monotonic() + 30
        while sagemaker_double.calls["DescribeTrainingJob"] < 3:
            assert time.monotonic() < end
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
    finally:
        out, err = _finish(process)

    assert process.returncode == 130, err
    assert sagemaker_double.calls["StopTrainingJob"] == 1
    assert "stopping training job cli-cancel (the run was cancelled)" in out
    assert "the run was cancelled" in (tmp_path / "summary.md").read_text()


def test_missing_credentials_exit_3_and_are_summarised(
    sagemaker_double: SageMakerDouble,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    job_file = _job_file(tmp_path, "cli-nocreds")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    process = _start(tmp_path, job_file)

    _, err = _finish(process)

    assert process.returncode == 3
    assert "no AWS credentials found" in err
    assert "no AWS credentials found" in (tmp_path / "summary.md").read_text()
    assert "\nError\n" in (tmp_path / "outputs").read_text()
    assert sagemaker_double.calls["CreateTrainingJob"] == 0
