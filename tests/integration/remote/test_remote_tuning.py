"""Tuning jobs against the SageMaker double: submit, follow, leaderboard, stop."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from remote_support import make_spec
from sagemaker_double import SageMakerDouble
from sagemaker_tuning import TuningPlan

from recording import RecordingListener
from smtrain.cancel import CancelToken
from smtrain.errors import EXIT_CANCELLED, SpecError
from smtrain.spec import JobSpec
from smtrain.tuning_remote import run_remote_tuning

METRIC = "validation:accuracy"
ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "hyperparameter-tuning.yml"


class CancellingListener(RecordingListener):
    """Cancels the run once the first trial is running, as Ctrl-C would."""

    def __init__(self, token: CancelToken) -> None:
        super().__init__()
        self._token = token

    def info(self, message: str) -> None:
        super().info(message)
        if message.startswith("trials: ") and " 0 running" not in message:
            self._token.cancel()


def tuning_spec(**tuning: Any) -> JobSpec:
    section = {
        "strategy": "Random",
        "objective": {"metric": METRIC, "type": "Maximize"},
        "max-jobs": 4,
        "max-parallel-jobs": 2,
        "random-seed": 3,
        "parameter-ranges": {
            "depth": {"min": 1, "max": 6},
            "rate": {"min": 0.01, "max": 1.0, "scaling": "Logarithmic"},
            "kernel": ["linear", "rbf"],
        },
        **tuning,
    }
    return make_spec(
        **{
            "job-name": "hpo-test",
            "hyperparameters": {"epochs": 3},
            "metric-definitions": [{"name": METRIC, "regex": "acc=([0-9.]+)"}],
            "tuning": section,
        }
    )


def test_tuning_job_runs_its_trials_and_ranks_them(
    sagemaker_double: SageMakerDouble, listener: RecordingListener
) -> None:
    result = run_remote_tuning(tuning_spec(), listener, CancelToken())

    assert result.status == "Completed"
    assert result.tuning_job_name == "hpo-test"
    assert len(result.leaderboard) == 4
    objectives = [t.objective for t in result.leaderboard]
    assert objectives == sorted(objectives, reverse=True)
    best = result.leaderboard[0]
    assert result.best_training_job_name == best.job_name
    assert result.best_objective_value == best.objective
    assert set(result.best_hyperparameters) == {"depth", "rate", "kernel"}
    trial = sagemaker_double.jobs[best.job_name]
    assert trial.request["HyperParameters"]["epochs"] == "3"
    assert result.model_artifacts.endswith(f"{best.job_name}/output/model.tar.gz")
    assert any(m.startswith("trials: 4 completed") for m in listener.infos)
    assert any(m.startswith("best so far: ") for m in listener.infos)
    sent = sagemaker_double.requests[0]
    assert sent[0] == "DescribeHyperParameterTuningJob"


def test_never_more_trials_at_once_than_max_parallel_jobs(
    sagemaker_double: SageMakerDouble, listener: RecordingListener
) -> None:
    run_remote_tuning(tuning_spec(), listener, CancelToken())

    running = [m for m in listener.infos if m.startswith("trials: ")]
    counts = [int(m.split(", ")[1].split()[0]) for m in running]
    assert max(counts) == 2


def test_failed_trials_are_counted_and_ranked_last(
    sagemaker_double: SageMakerDouble, listener: RecordingListener
) -> None:
    sagemaker_double.tuning_plans["hpo-test"] = TuningPlan(failing={1})

    result = run_remote_tuning(tuning_spec(), listener, CancelToken())

    assert result.leaderboard[-1].status == "Failed"
    assert result.leaderboard[-1].objective is None
    assert any(", 1 failed, " in m for m in listener.infos)


def test_cancel_stops_the_tuning_job(sagemaker_double: SageMakerDouble) -> None:
    sagemaker_double.tuning_plans["hpo-test"] = TuningPlan(endless=True)
    token = CancelToken()
    listener = CancellingListener(token)

    result = run_remote_tuning(tuning_spec(), listener, token)

    assert sagemaker_double.calls["StopHyperParameterTuningJob"] == 1
    assert result.ended_by == "cancel"
    assert result.exit_code == EXIT_CANCELLED
    assert sagemaker_double.tuning_jobs["hpo-test"].status in ("Stopping", "Stopped")


def test_timeout_stops_the_tuning_job(
    sagemaker_double: SageMakerDouble, listener: RecordingListener
) -> None:
    sagemaker_double.tuning_plans["hpo-test"] = TuningPlan(endless=True)
    spec = tuning_spec().model_copy(update={"timeout": 1})

    result = run_remote_tuning(spec, listener, CancelToken())

    assert result.ended_by == "timeout"
    assert sagemaker_double.calls["StopHyperParameterTuningJob"] == 1


def test_a_rerun_attaches_to_the_same_tuning_job(
    sagemaker_double: SageMakerDouble, listener: RecordingListener
) -> None:
    first = run_remote_tuning(tuning_spec(), listener, CancelToken())
    second = run_remote_tuning(tuning_spec(), RecordingListener(), CancelToken())

    assert sagemaker_double.calls["CreateHyperParameterTuningJob"] == 1
    assert second.best_training_job_name == first.best_training_job_name


def test_existing_job_with_fail_policy_is_refused(
    sagemaker_double: SageMakerDouble, listener: RecordingListener
) -> None:
    run_remote_tuning(tuning_spec(), listener, CancelToken())
    spec = tuning_spec().model_copy(update={"on_existing_job": "fail"})

    with pytest.raises(SpecError, match="tuning job hpo-test already exists"):
        run_remote_tuning(spec, listener, CancelToken())


def test_new_name_policy_creates_a_numbered_job(
    sagemaker_double: SageMakerDouble, listener: RecordingListener
) -> None:
    run_remote_tuning(tuning_spec(), listener, CancelToken())
    spec = tuning_spec().model_copy(update={"on_existing_job": "new-name"})

    result = run_remote_tuning(spec, listener, CancelToken())

    assert result.tuning_job_name == "hpo-test-2"


def test_the_example_runs_against_the_loopback_servers(
    sagemaker_double: SageMakerDouble, tmp_path: Path
) -> None:
    boto3.client("s3").create_bucket(Bucket="example-ml-artifacts")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "GITHUB_OUTPUT": str(tmp_path / "outputs"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "smtrain", "run", str(EXAMPLE)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr + done.stdout
    [(name, job)] = sagemaker_double.tuning_jobs.items()
    assert len(name) <= 32 and len(job.trials) == 6
    code = job.request["TrainingJobDefinition"]["StaticHyperParameters"]
    archive = json.loads(code["sagemaker_submit_directory"])
    bucket, _, key = archive.removeprefix("s3://").partition("/")
    boto3.client("s3").head_object(Bucket=bucket, Key=key)
    assert "trials: 6 completed, 0 running, 0 failed, 0 stopped" in done.stdout
    outputs = (tmp_path / "outputs").read_text()
    assert "tuning-job-name<<" in outputs and name in outputs
    summary = (tmp_path / "summary.md").read_text()
    assert f"SageMaker tuning job `{name}`: Completed" in summary
    assert "| 6 | `" in summary


def test_a_grid_tries_every_combination_once(
    sagemaker_double: SageMakerDouble, listener: RecordingListener
) -> None:
    ranges = {"kernel": ["linear", "rbf"], "depth": [2, 4]}
    spec = tuning_spec(
        strategy="Grid", **{"max-jobs": None, "parameter-ranges": ranges}
    )

    result = run_remote_tuning(spec, listener, CancelToken())

    sent = sagemaker_double.tuning_jobs["hpo-test"].request
    limits = sent["HyperParameterTuningJobConfig"]["ResourceLimits"]
    assert "MaxNumberOfTrainingJobs" not in limits
    tried = sorted(
        (t.hyperparameters["kernel"], t.hyperparameters["depth"])
        for t in result.leaderboard
    )
    assert tried == [("linear", "2"), ("linear", "4"), ("rbf", "2"), ("rbf", "4")]


def test_no_wait_returns_once_submitted(
    sagemaker_double: SageMakerDouble, listener: RecordingListener
) -> None:
    spec = tuning_spec().model_copy(update={"wait": False})

    result = run_remote_tuning(spec, listener, CancelToken())

    assert (result.ended_by, result.exit_code) == ("no-wait", 0)
    assert result.tuning_job_name == "hpo-test"
    assert sagemaker_double.calls["DescribeHyperParameterTuningJob"] == 1
