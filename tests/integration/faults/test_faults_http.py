"""Throttling, 5xx, resets and slow answers on every call of a run, through a proxy.

Whatever is injected, a run must create exactly one job, show every log line of
every instance exactly once and in order, and report the job's true status.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fault_proxy import KINDS, FaultProxy
from remote_support import make_spec
from sagemaker_double import JobPlan, SageMakerDouble

from recording import RecordingListener
from smtrain.aws.auth import AuthInputs, open_session
from smtrain.aws.clients import RemoteClients
from smtrain.cancel import CancelToken
from smtrain.errors import AwsError
from smtrain.remote import FollowOptions, follow_job, run_remote

LINES = 30
HOSTS = 2
SUBMIT_CALLS = ["S3.PUT", "CreateTrainingJob", "ListTags"]
WATCH_CALLS = ["DescribeTrainingJob", "FilterLogEvents"]


def _spec(name: str, tmp_path: Path, **extra: object) -> object:
    code = tmp_path / "code"
    code.mkdir(exist_ok=True)
    (code / "train.py").write_text("print('training')\n")
    values = {
        "job-name": name,
        "instance-count": HOSTS,
        "source-dir": str(code),
        "entry-point": "train.py",
        **extra,
    }
    return make_spec(**values)


def _assert_every_line_once_in_order(listener: RecordingListener, name: str) -> None:
    for host in range(1, HOSTS + 1):
        label = f"algo-{host}"
        seen = [line for h, line in listener.lines if h == label]
        assert seen == [f"{name} {label} line {n}" for n in range(1, LINES + 1)]


def _report(proxy: FaultProxy, test: str) -> None:
    # Read by `pytest -s` when docs/reliability.md's numbers are refreshed.
    counts = ", ".join(f"{op}/{kind}={n}" for (op, kind), n in proxy.injected.items())
    print(f"\n{test}: {proxy.total_injected()} faults injected ({counts})")
    print(f"forwarded: {dict(proxy.forwarded)}")


@pytest.mark.parametrize("seed", [1, 2])
def test_random_faults_on_every_call_leave_one_job_and_every_line_once(
    proxy: FaultProxy,
    double: SageMakerDouble,
    listener: RecordingListener,
    tmp_path: Path,
    seed: int,
) -> None:
    name = f"faulty-{seed}"
    double.plans[name] = JobPlan(lines_per_host=LINES)
    double.phase_seconds = 0.5  # a job of a few seconds: many calls to hit
    proxy.slow_seconds = 0.2
    proxy.randomly(SUBMIT_CALLS + WATCH_CALLS, KINDS, rate=0.5, seed=seed)

    result = run_remote(_spec(name, tmp_path), listener, CancelToken())

    _report(proxy, f"every call, seed {seed}")
    assert result.status == "Completed"
    assert result.metrics == {"train:loss": 0.25}
    assert list(double.jobs) == [name]
    _assert_every_line_once_in_order(listener, name)
    secondaries = [t.secondary_status for t in listener.transitions]
    assert secondaries == [
        "Starting",
        "Downloading",
        "Training",
        "Uploading",
        "Completed",
    ]
    assert proxy.total_injected() >= 5


@pytest.mark.parametrize("seed", [4, 5])
def test_faults_beyond_botocore_retries_are_ridden_out_by_the_watcher(
    proxy: FaultProxy,
    double: SageMakerDouble,
    listener: RecordingListener,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
) -> None:
    name = f"bare-{seed}"
    double.plans[name] = JobPlan(lines_per_host=LINES, outcome="Failed")
    double.phase_seconds = 0.5
    run_remote(_spec(name, tmp_path, wait=False), listener, CancelToken())
    # One attempt per call: every fault reaches smtrain's own backoff.
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    proxy.slow_seconds = 0.1
    proxy.randomly(WATCH_CALLS, KINDS, rate=0.5, seed=seed)

    result = follow_job(_clients(), name, FollowOptions(), listener, CancelToken())

    _report(proxy, f"watch only, one attempt per call, seed {seed}")
    assert result.status == "Failed"
    assert result.exit_code == 1
    _assert_every_line_once_in_order(listener, name)
    assert proxy.total_injected() >= 5


def test_a_reset_after_the_job_was_created_is_retried_into_the_same_job(
    proxy: FaultProxy,
    double: SageMakerDouble,
    listener: RecordingListener,
    tmp_path: Path,
) -> None:
    # The first attempt dies between CreateTrainingJob and its answer.
    proxy.queue("CreateTrainingJob", "reset-after")

    result = run_remote(_spec("reset-create", tmp_path), listener, CancelToken())

    assert result.status == "Completed"
    assert list(double.jobs) == ["reset-create"]
    # Both attempts reached SageMaker; the second met ResourceInUse on our job.
    assert proxy.forwarded["CreateTrainingJob"] == 2
    assert "attached to existing training job reset-create in us-east-1" in (
        listener.infos
    )


def test_a_lost_create_answer_then_exhausted_retries_still_attach(
    proxy: FaultProxy,
    double: SageMakerDouble,
    listener: RecordingListener,
    tmp_path: Path,
) -> None:
    proxy.queue("CreateTrainingJob", "reset-after", "throttle", "unavailable")
    proxy.max_consecutive = 3

    result = run_remote(_spec("lost-then-busy", tmp_path), listener, CancelToken())

    assert result.status == "Completed"
    assert list(double.jobs) == ["lost-then-busy"]
    assert proxy.forwarded["CreateTrainingJob"] == 1
    assert "attached to existing training job lost-then-busy in us-east-1" in (
        listener.infos
    )


def test_a_create_that_never_reached_sagemaker_fails_with_nothing_running(
    proxy: FaultProxy,
    double: SageMakerDouble,
    listener: RecordingListener,
    tmp_path: Path,
) -> None:
    proxy.queue("CreateTrainingJob", "reset", "reset", "unavailable")
    proxy.max_consecutive = 3

    with pytest.raises(AwsError, match="creating training job never-created"):
        run_remote(_spec("never-created", tmp_path), listener, CancelToken())

    assert double.jobs == {}


def test_when_even_the_lookup_fails_the_message_says_the_job_may_exist(
    proxy: FaultProxy,
    double: SageMakerDouble,
    listener: RecordingListener,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    spec = _spec("unknown-fate", tmp_path)
    # The name check passes; the look-up after the lost answer fails.
    proxy.queue("DescribeTrainingJob", "pass", "unavailable")
    proxy.queue("CreateTrainingJob", "reset-after")

    with pytest.raises(AwsError) as caught:
        run_remote(spec, listener, CancelToken())

    assert "unknown-fate may have been created" in str(caught.value)
    assert "running this step again attaches to it" in str(caught.value)
    assert list(double.jobs) == ["unknown-fate"]

    # And so it does: the re-run attaches, nothing new is created.
    rerun = run_remote(spec, RecordingListener(), CancelToken())
    assert rerun.status == "Completed"
    assert list(double.jobs) == ["unknown-fate"]


def test_faults_while_stopping_still_stop_the_job_once(
    proxy: FaultProxy, double: SageMakerDouble, tmp_path: Path
) -> None:
    double.plans["stop-faults"] = JobPlan(endless=True)
    token = CancelToken()
    results = []
    listener = RecordingListener()

    def target() -> None:
        results.append(run_remote(_spec("stop-faults", tmp_path), listener, token))

    thread = threading.Thread(target=target)
    thread.start()
    double.wait_for("stop-faults", "Training")
    proxy.queue("StopTrainingJob", "throttle", "reset-after")
    proxy.max_consecutive = 3

    token.cancel("SIGTERM")
    thread.join(timeout=60)

    assert results[0].exit_code == 130
    assert double.jobs["stop-faults"].stop_requested is not None
    assert results[0].status in ("Stopping", "Stopped")


def _clients() -> RemoteClients:
    return RemoteClients.from_session(open_session(AuthInputs(), None))
