"""How local jobs end: failing on purpose, interrupted, timed out, image only."""

from __future__ import annotations

import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from recording import RecordingListener
from smtrain.cancel import CancelToken
from smtrain.errors import EXIT_CANCELLED, EXIT_JOB_FAILED, SpecError
from smtrain.local import run_local
from smtrain.result import FAILED, STOPPED
from smtrain.spec import JobSpec


def test_failing_script_reports_the_toolkit_failure_and_its_traceback(
    make_spec: Callable[..., JobSpec],
) -> None:
    spec = make_spec("failing", hyperparameters={"api-token": "s3cr3t"})
    result = run_local(spec, RecordingListener(), CancelToken())

    assert result.status == FAILED and result.exit_code == EXIT_JOB_FAILED
    assert "train.py --api-token ***" in result.failure_reason
    assert "s3cr3t" not in result.failure_reason
    assert result.failure_reason.startswith("AlgorithmError: ExecuteUserScriptError:")
    assert "ExitCode 1" in result.failure_reason
    assert "ValueError: the label column is missing" in result.failure_reason
    assert result.traceback_tail.startswith("Traceback (most recent call last):")
    assert result.traceback_tail.endswith(
        "ValueError: the label column is missing from train.csv"
    )
    failure_file = Path(spec.local_root, result.job_name, "algo-1", "output", "failure")
    assert failure_file.read_text() in result.failure_reason
    assert Path(result.model_artifacts).is_file()


def test_failure_file_written_by_the_script_is_the_reason(
    make_spec: Callable[..., JobSpec],
) -> None:
    spec = make_spec("failing", hyperparameters={"reason": "no rows in train.csv"})
    result = run_local(spec, RecordingListener(), CancelToken())

    assert result.status == FAILED
    assert result.failure_reason == "AlgorithmError: no rows in train.csv"
    assert "ValueError" in result.traceback_tail


def test_cancel_reaches_the_script_which_keeps_its_partial_output(
    make_spec: Callable[..., JobSpec],
) -> None:
    token = CancelToken()

    def cancel_when_ready(host: str, line: str) -> None:
        if line == "ready":
            token.cancel("SIGINT")

    spec = make_spec("interrupted")
    listener = RecordingListener(on_log=cancel_when_ready)
    result = run_local(spec, listener, token)

    assert result.status == STOPPED and result.ended_by == "cancel"
    assert result.exit_code == EXIT_CANCELLED
    assert ("algo-1", "saved partial output") in listener.lines
    assert ("algo-1", "never interrupted") not in listener.lines
    output = Path(result.model_artifacts).with_name("output.tar.gz")
    with tarfile.open(output) as archive:
        assert archive.getnames() == ["interrupted.txt"]
    with tarfile.open(result.model_artifacts) as archive:
        assert archive.getnames() == ["checkpoint.txt"]
    assert listener.secondary_statuses()[-1] == STOPPED


def test_timeout_stops_the_job(make_spec: Callable[..., JobSpec]) -> None:
    spec = make_spec("interrupted", timeout=1)
    listener = RecordingListener()
    result = run_local(spec, listener, CancelToken())

    assert result.status == STOPPED and result.ended_by == "timeout"
    assert result.exit_code == EXIT_JOB_FAILED
    assert ("algo-1", "never interrupted") not in listener.lines
    # Said as the remote run says it, and on the final status line.
    assert f"stopped local job {result.job_name} (timeout of 1s)" in listener.infos
    last = listener.transitions[-1]
    assert (last.status, last.secondary_status) == (STOPPED, STOPPED)
    assert last.message == "Training job stopped at the timeout of 1s"


def test_image_without_entry_point_is_refused_with_what_local_mode_runs(
    tmp_path: Path,
) -> None:
    spec = JobSpec.model_validate(
        {
            "image-uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1",
            "local": True,
            "local-root": str(tmp_path / "jobs"),
        }
    )
    with pytest.raises(SpecError) as raised:
        run_local(spec, RecordingListener(), CancelToken())

    message = str(raised.value)
    assert "entry-point" in message and "without Docker" in message
    assert "train:1" in message
    assert not (tmp_path / "jobs").exists()


def test_limit_passed_before_training_stops_the_job_unstarted(
    make_spec: Callable[..., JobSpec],
) -> None:
    spec = make_spec("interrupted", timeout=0)
    listener = RecordingListener()
    result = run_local(spec, listener, CancelToken())

    assert result.status == STOPPED and result.ended_by == "timeout"
    assert "Training" not in listener.secondary_statuses()
    assert not listener.lines


def _rerun(spec: JobSpec) -> tuple[str, list[str]]:
    listener = RecordingListener()
    return run_local(spec, listener, CancelToken()).job_name, listener.infos


@pytest.mark.parametrize("policy", ["new-name", "attach"])
def test_existing_job_root_gets_a_new_name_unless_policy_is_fail(
    make_spec: Callable[..., JobSpec], policy: str
) -> None:
    first, _ = _rerun(make_spec("requirements", job_name="rerun"))
    refused = make_spec("requirements", job_name="rerun", on_existing_job="fail")
    with pytest.raises(SpecError) as raised:
        run_local(refused, RecordingListener(), CancelToken())
    job_dir = Path(refused.local_root, "rerun")
    folders_after_refusal = sorted(p.name for p in job_dir.parent.iterdir())

    second, infos = _rerun(
        make_spec("requirements", job_name="rerun", on_existing_job=policy)
    )

    assert first == "rerun" and folders_after_refusal == ["rerun"]
    assert raised.value.exit_code == 2
    [problem] = raised.value.problems
    assert problem.key == "on-existing-job"
    assert problem.message == f"local job rerun already exists at {job_dir}"
    assert "on-existing-job: new-name" in (problem.hint or "")
    assert second == "rerun-2"
    note = "local job rerun already exists; this run is a new job"
    assert any(info.startswith(note) for info in infos)
    assert ("attach acts as new-name" in " ".join(infos)) == (policy == "attach")
