"""requirements.txt reporting and installing; file:// and FastFile channels."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from recording import RecordingListener
from smtrain.cancel import CancelToken
from smtrain.local import run_local
from smtrain.result import COMPLETED, FAILED
from smtrain.spec import JobSpec


def test_missing_requirements_are_reported_before_the_run(
    make_spec: Callable[..., JobSpec],
) -> None:
    listener = RecordingListener()
    result = run_local(make_spec("requirements"), listener, CancelToken())

    assert result.status == COMPLETED
    [warning] = listener.warnings
    assert "smtrain-absent-example==0.0.1 (not installed)" in warning
    assert "pyyaml" not in warning
    assert "install-requirements: true" in warning


def test_install_requirements_runs_pip_and_fails_the_job_when_pip_fails(
    make_spec: Callable[..., JobSpec],
) -> None:
    spec = make_spec("requirements", install_requirements=True)
    listener = RecordingListener()
    result = run_local(spec, listener, CancelToken())

    assert result.status == FAILED
    assert result.failure_reason.startswith(
        "AlgorithmError: InstallRequirementsError:\nExitCode 1\n"
    )
    assert "smtrain-absent-example" in result.failure_reason
    assert "Training" not in listener.secondary_statuses()
    assert {host for host, _ in listener.lines} == {"algo-1"}


def test_file_uri_channel_in_fastfile_mode_is_linked_not_copied(
    make_spec: Callable[..., JobSpec], iris_dir: Path
) -> None:
    spec = make_spec(
        "contract",
        inputs={"train": {"uri": iris_dir.as_uri(), "input-mode": "FastFile"}},
    )
    result = run_local(spec, RecordingListener(), CancelToken())

    assert result.status == COMPLETED
    staged = Path(spec.local_root, result.job_name, "algo-1/input/data/train/iris.csv")
    assert staged.is_symlink()
    assert staged.resolve() == (iris_dir / "iris.csv").resolve()


def test_checkpoints_are_restored_before_and_saved_after_training(
    make_spec: Callable[..., JobSpec], tmp_path: Path
) -> None:
    saved = tmp_path / "checkpoints"
    saved.mkdir()
    (saved / "step-1.txt").write_text("saved\n")
    spec = make_spec("checkpointing", checkpoint_s3_uri=saved.as_uri())
    listener = RecordingListener()
    result = run_local(spec, listener, CancelToken())

    assert result.status == COMPLETED, result.failure_reason
    assert ("algo-1", "resuming after ['step-1.txt']") in listener.lines
    assert sorted(p.name for p in saved.iterdir()) == ["step-1.txt", "step-2.txt"]


def test_pipe_mode_streams_each_epoch_through_a_fifo(
    make_spec: Callable[..., JobSpec], iris_dir: Path
) -> None:
    spec = make_spec("piped", inputs={"train": str(iris_dir)}, input_mode="Pipe")
    listener = RecordingListener()
    result = run_local(spec, listener, CancelToken())

    assert result.status == COMPLETED, result.traceback_tail
    assert ("algo-1", "epoch 0: 150 rows, first 0") in listener.lines
    assert ("algo-1", "epoch 1: 150 rows, first 0") in listener.lines
    data = Path(spec.local_root, result.job_name, "algo-1/input/data")
    assert stat.S_ISFIFO((data / "train_0").stat().st_mode)


def test_local_root_inside_source_dir_is_not_copied_into_code(
    tmp_path: Path,
) -> None:
    source = tmp_path / "project"
    source.mkdir()
    (source / "train.py").write_text("print('ran')\n")
    spec = JobSpec.model_validate(
        {
            "entry-point": "train.py",
            "source-dir": str(source),
            "local-root": str(source / "runs"),
        }
    )
    listener = RecordingListener()
    result = run_local(spec, listener, CancelToken())

    assert result.status == COMPLETED
    code = source / "runs" / result.job_name / "algo-1" / "code"
    assert sorted(p.name for p in code.iterdir()) == ["train.py"]


def test_local_output_path_gets_the_sagemaker_layout(
    make_spec: Callable[..., JobSpec], tmp_path: Path
) -> None:
    results = tmp_path / "results"
    spec = make_spec("requirements", output_path=results.as_uri())
    result = run_local(spec, RecordingListener(), CancelToken())

    output = results / result.job_name / "output"
    assert result.model_artifacts == str(output / "model.tar.gz")
    assert sorted(p.name for p in output.iterdir()) == [
        "model.tar.gz",
        "output.tar.gz",
    ]
