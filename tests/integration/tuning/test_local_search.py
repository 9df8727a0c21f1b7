"""Local search on real data: the penguins table through smtrain.ml's runtime.

The example runs as a user runs it (``smtrain run --local``), reading its data
from and writing its model to S3 on a moto server on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from recording import RecordingListener
from smtrain.cancel import CancelToken
from smtrain.errors import EXIT_CANCELLED, SpecError
from smtrain.loader import load_spec
from smtrain.local.search import parallel_trials, run_local_search
from smtrain.result import COMPLETED, STOPPED

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "hyperparameter-tuning.yml"
PENGUINS = ROOT / "examples" / "penguins" / "data" / "penguins.csv"
METRIC = "cv:log_loss"


def local_overrides(tmp_path: Path, *extra: str) -> list[str]:
    return [
        "local=true",
        f"inputs.train.uri={PENGUINS.parent}",
        f"output-path={tmp_path / 'out'}",
        f"local-root={tmp_path / 'jobs'}",
        *extra,
    ]


@pytest.fixture(autouse=True)
def runtime_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trials run in their own folder: smtrain.ml must be found from there."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "src"))


@pytest.fixture
def buckets(aws_endpoint: str) -> Any:
    s3 = boto3.client("s3", region_name="us-east-1")
    for bucket in ("example-ml-data", "example-ml-artifacts"):
        s3.create_bucket(Bucket=bucket)
    s3.upload_file(str(PENGUINS), "example-ml-data", "penguins/penguins.csv")
    return s3


def test_the_example_runs_locally_with_its_s3_data(
    buckets: Any, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "GITHUB_OUTPUT": str(tmp_path / "outputs"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    command = [sys.executable, "-m", "smtrain", "run", "--local", str(EXAMPLE)]
    command += ["--set", "tuning.max-jobs=2", "--set", f"local-root={tmp_path}"]
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=120, check=False
    )

    assert done.returncode == 0, done.stderr + done.stdout
    assert "trials: 2 completed, 0 running, 0 failed, 0 stopped" in done.stdout
    outputs = (tmp_path / "outputs").read_text()
    best = json.loads(outputs.split("best-hyperparameters<<")[1].splitlines()[1])
    assert set(best) == {"n-estimators", "max-depth", "min-samples-leaf"}
    summary = (tmp_path / "summary.md").read_text()
    assert "#### Leaderboard" in summary and "| 2 | `penguins-hpo-" in summary
    [board_file] = tmp_path.glob("penguins-hpo-*/leaderboard.json")
    board = json.loads(board_file.read_text())
    losses = [row["objective"] for row in board]
    assert losses == sorted(losses) and 0 < losses[0] < 1
    listed = buckets.list_objects_v2(Bucket="example-ml-artifacts", Prefix="penguins")
    keys = [item["Key"] for item in listed["Contents"]]
    assert sum(key.endswith("/output/model.tar.gz") for key in keys) == 2


def test_grid_runs_every_combination_and_reads_each_objective(
    tmp_path: Path,
) -> None:
    overrides = local_overrides(
        tmp_path,
        "tuning.strategy=Grid",
        "tuning.max-jobs=",
        "tuning.parameter-ranges={max-depth: [2, 8]}",
        "hyperparameters.n-estimators=20",
    )
    spec = load_spec(EXAMPLE, overrides=overrides)
    result = run_local_search(spec, RecordingListener(), CancelToken())

    assert result.status == COMPLETED, result.failure_reason
    tried = sorted(t.hyperparameters["max-depth"] for t in result.leaderboard)
    assert tried == ["2", "8"]
    for trial in result.leaderboard:
        log = tmp_path / "jobs" / result.tuning_job_name / trial.job_name
        assert log.is_dir()
    assert result.best_objective_value == min(
        t.objective for t in result.leaderboard if t.objective is not None
    )
    assert result.model_artifacts.startswith(str(tmp_path / "out"))


def test_a_wrong_objective_regex_fails_the_search_and_says_why(
    tmp_path: Path,
) -> None:
    overrides = local_overrides(
        tmp_path,
        "tuning.strategy=Random",
        "tuning.max-jobs=1",
        "tuning.max-parallel-jobs=1",
        "metric-definitions=[{name: cv:log_loss, regex: 'logloss=([0-9.]+)'}]",
    )
    spec = load_spec(EXAMPLE, overrides=overrides)
    listener = RecordingListener()
    result = run_local_search(spec, listener, CancelToken())

    assert result.status == "Failed"
    assert "no trial reported the objective metric cv:log_loss" in (
        result.failure_reason
    )
    assert any("check that metric's regex" in w for w in listener.warnings)


def test_cancel_stops_running_trials_and_starts_no_more(tmp_path: Path) -> None:
    spec = load_spec(EXAMPLE, overrides=local_overrides(tmp_path, "tuning.max-jobs=4"))
    token = CancelToken()
    result = run_local_search(
        spec, RecordingListener(on_log=lambda _host, _line: token.cancel()), token
    )

    assert result.ended_by == "cancel"
    assert result.exit_code == EXIT_CANCELLED
    assert result.status == STOPPED
    assert len(result.leaderboard) <= parallel_trials(spec)
    assert all(t.status == STOPPED for t in result.leaderboard)


def test_parallel_trials_are_bounded_by_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    overrides = local_overrides(tmp_path, "tuning.max-parallel-jobs=6")
    spec = load_spec(EXAMPLE, overrides=overrides)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert parallel_trials(spec) == 4
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    assert parallel_trials(spec) == 6
    two_hosts = spec.model_copy(update={"instance_count": 2})
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert parallel_trials(two_hosts) == 2


def test_a_trial_that_cannot_start_ends_the_search_with_its_error(
    tmp_path: Path,
) -> None:
    code = tmp_path / "code"
    code.mkdir()
    (code / "train.py").write_text("print('never run')\n")
    overrides = local_overrides(tmp_path, f"source-dir={code}")
    spec = load_spec(EXAMPLE, overrides=overrides)
    (code / "train.py").unlink()

    with pytest.raises(SpecError, match=r"train\.py"):
        run_local_search(spec, RecordingListener(), CancelToken())


def test_bayesian_without_optuna_is_refused_before_the_search_is_announced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "optuna", None)
    spec = load_spec(EXAMPLE, overrides=local_overrides(tmp_path))
    listener = RecordingListener()

    with pytest.raises(SpecError, match=r"needs optuna") as raised:
        run_local_search(spec, listener, CancelToken())

    assert raised.value.exit_code == 2
    assert listener.infos == [] and listener.warnings == []
    assert not (tmp_path / "jobs").exists()
