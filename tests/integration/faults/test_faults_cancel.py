"""A signal at every phase of ``smtrain action`` and ``smtrain run``, as the runner
sends it: the job is stopped when one exists, outputs and summary are written,
and the exit code is 130.

Each phase is pinned by holding one call at the proxy (or the job file, a FIFO
nobody writes to) and signalling while it is blocked.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from action_runner import ActionRunner
from fault_proxy import FaultProxy
from remote_support import BUCKET, ROLE
from sagemaker_double import JobPlan, SageMakerDouble

SRC = Path(__file__).resolve().parents[3] / "src"
CANCELLED_EARLY = "cancelled before the job was submitted; nothing is running"


def _spec_values(name: str) -> dict[str, object]:
    return {
        "job-name": name,
        "role-arn": ROLE,
        "image-uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1",
        "output-path": f"s3://{BUCKET}/out",
        "source-dir": "code",
        "entry-point": "train.py",
    }


def _workspace(root: Path, name: str) -> Path:
    (root / "code").mkdir(exist_ok=True)
    (root / "code" / "train.py").write_text("print('training')\n")
    (root / "job.yml").write_text(yaml.safe_dump(_spec_values(name)))
    return root


@pytest.fixture
def runner(tmp_path: Path) -> ActionRunner:
    # Static keys from the environment: the OIDC endpoint is never asked.
    return ActionRunner(tmp_path, "http://127.0.0.1:9/unused", "unused")


def _wait_until(condition: Callable[[], bool]) -> None:
    end = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < end, "condition never became true"
        time.sleep(0.02)


def _blocked_on_fifo(pid: int) -> bool:
    wchan = Path(f"/proc/{pid}/wchan")
    if not wchan.exists():
        return True  # no /proc: the line read before is the best we have
    return any(word in wchan.read_text() for word in ("pipe", "fifo", "partner"))


@pytest.mark.parametrize(
    ("operation", "signum"),
    [
        ("DescribeTrainingJob", signal.SIGINT),  # the name check before create
        ("DescribeTrainingJob", signal.SIGTERM),
        ("S3.PUT", signal.SIGTERM),  # the code upload
    ],
)
def test_a_signal_before_the_job_exists_creates_nothing(
    proxy: FaultProxy,
    double: SageMakerDouble,
    runner: ActionRunner,
    operation: str,
    signum: int,
) -> None:
    _workspace(runner.workspace, "early")
    gate = proxy.hold(operation)
    process = runner.start({"config": "job.yml"})
    try:
        _wait_until(lambda: proxy.holding[operation] > 0)
        process.send_signal(signum)
        time.sleep(0.2)  # the handler runs while the call is still held
    finally:
        gate.set()
        run = runner.finish(process)

    assert run.returncode == 130, run.stdout + run.stderr
    assert double.jobs == {}
    assert run.outputs["status"] == "Error"
    assert run.outputs["failure-reason"] == CANCELLED_EARLY
    assert CANCELLED_EARLY in run.summary
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_the_spec_is_read_writes_outputs_and_exits_130(
    proxy: FaultProxy,
    double: SageMakerDouble,
    runner: ActionRunner,
    signum: int,
) -> None:
    os.mkfifo(runner.workspace / "job.yml")  # open() blocks: no writer, ever
    process = runner.start({"config": "job.yml"})
    try:
        assert process.stdout is not None
        while "::debug::config" not in process.stdout.readline():
            pass
        _wait_until(lambda: _blocked_on_fifo(process.pid))
        process.send_signal(signum)
    finally:
        run = runner.finish(process)

    assert run.returncode == 130, run.stderr
    assert run.outputs["status"] == "Error"
    assert CANCELLED_EARLY in run.summary
    assert sum(proxy.forwarded.values()) == 1  # the fixture's bucket, nothing else


def test_a_signal_while_logs_are_read_stops_the_job(
    proxy: FaultProxy, double: SageMakerDouble, runner: ActionRunner
) -> None:
    _workspace(runner.workspace, "log-cancel")
    double.plans["log-cancel"] = JobPlan(endless=True)
    gate = proxy.hold("FilterLogEvents")
    process = runner.start({"config": "job.yml"})
    try:
        _wait_until(lambda: proxy.holding["FilterLogEvents"] > 0)
        process.send_signal(signal.SIGTERM)
        _wait_until(lambda: double.calls["StopTrainingJob"] > 0)
    finally:
        gate.set()
        run = runner.finish(process)

    assert run.returncode == 130, run.stderr
    assert double.calls["StopTrainingJob"] == 1
    assert double.jobs["log-cancel"].stop_requested is not None
    assert run.outputs["job-name"] == "log-cancel"
    assert run.outputs["status"] in ("Stopping", "Stopped")
    assert "_the run was cancelled._" in run.summary


def test_smtrain_run_signalled_while_reading_the_spec_reports_and_exits_130(
    proxy: FaultProxy, tmp_path: Path
) -> None:
    job = tmp_path / "job.yml"
    os.mkfifo(job)
    outputs, summary = tmp_path / "outputs", tmp_path / "summary.md"
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "smtrain", "run", str(job)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until(lambda: _blocked_on_fifo(process.pid))
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()

    assert process.returncode == 130, err
    assert f"smtrain: error: {CANCELLED_EARLY}" in err
    assert CANCELLED_EARLY in summary.read_text()
    assert "Error" in outputs.read_text()
