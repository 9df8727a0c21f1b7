"""CreateHyperParameterTuningJob from a spec, names, and `smtrain render`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from tuning_support import BASE, METRIC, WriteTuning, tuning_data

from smtrain.loader import load_spec
from smtrain.render import render_training_job
from smtrain.render_tuning import TUNING_OPERATION, render_tuning_job
from smtrain.servicemodel import validate_request
from smtrain.spec import JobSpec
from smtrain.tuning_names import tuning_job_name

SRC = Path(__file__).resolve().parents[3] / "src"


def test_request_passes_botocore_and_reuses_the_training_parts(
    write_tuning: WriteTuning,
) -> None:
    spec = load_spec(write_tuning(BASE))
    request = render_tuning_job(spec, "hpo", tags={"team": "ml"})
    validate_request(TUNING_OPERATION, request)
    training = render_training_job(spec, "hpo")
    definition = request["TrainingJobDefinition"]
    for part in ("ResourceConfig", "InputDataConfig", "OutputDataConfig", "RoleArn"):
        assert definition[part] == training[part]
    assert definition["StaticHyperParameters"] == {"epochs": "10"}
    assert request["Tags"] == [{"Key": "team", "Value": "ml"}]


def test_config_carries_strategy_objective_limits_and_ranges(
    write_tuning: WriteTuning,
) -> None:
    data = tuning_data(
        **{"early-stopping": True, "max-runtime": "3h", "random-seed": 4}
    )
    config = render_tuning_job(load_spec(write_tuning(data)), "hpo")[
        "HyperParameterTuningJobConfig"
    ]
    assert config["Strategy"] == "Random"
    assert config["HyperParameterTuningJobObjective"] == {
        "Type": "Maximize",
        "MetricName": METRIC,
    }
    assert config["ResourceLimits"] == {
        "MaxNumberOfTrainingJobs": 8,
        "MaxParallelTrainingJobs": 2,
        "MaxRuntimeInSeconds": 3 * 3600,
    }
    assert config["TrainingJobEarlyStoppingType"] == "Auto"
    assert config["RandomSeed"] == 4
    ranges = config["ParameterRanges"]
    assert ranges["ContinuousParameterRanges"] == [
        {
            "Name": "learning-rate",
            "MinValue": "0.001",
            "MaxValue": "0.1",
            "ScalingType": "Logarithmic",
        }
    ]
    assert ranges["IntegerParameterRanges"][0]["MinValue"] == "2"
    assert ranges["CategoricalParameterRanges"] == [
        {"Name": "kernel", "Values": ["linear", "rbf"]}
    ]


def test_warm_start_and_script_mode(write_tuning: WriteTuning, tmp_path: Path) -> None:
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "train.py").write_text("print('hi')\n")
    data = tuning_data(**{"warm-start": {"parents": "old-1, old-2"}})
    del data["image-uri"]
    data.update(
        {
            "framework": "sklearn",
            "framework-version": "1.2-1",
            "aws-region": "us-east-1",
            "entry-point": "train.py",
            "source-dir": "code",
        }
    )
    request = render_tuning_job(load_spec(write_tuning(data)), "hpo")
    assert request["WarmStartConfig"] == {
        "ParentHyperParameterTuningJobs": [
            {"HyperParameterTuningJobName": "old-1"},
            {"HyperParameterTuningJobName": "old-2"},
        ],
        "WarmStartType": "IdenticalDataAndAlgorithm",
    }
    static = request["TrainingJobDefinition"]["StaticHyperParameters"]
    assert static["sagemaker_program"] == '"train.py"'
    assert static["sagemaker_job_name"] == '"hpo"'


@given(
    prefix=st.from_regex(r"[a-zA-Z0-9](-?[a-zA-Z0-9]){0,38}", fullmatch=True),
    run_id=st.one_of(st.just(""), st.integers(1, 10**12).map(str)),
)
def test_generated_names_fit_32_characters(prefix: str, run_id: str) -> None:
    data = tuning_data()
    del data["job-name"]
    spec = JobSpec.model_validate({**data, "job-name-prefix": prefix})
    name = tuning_job_name(
        spec,
        environ={"GITHUB_RUN_ID": run_id},
        now=datetime(2026, 12, 4, tzinfo=timezone.utc),
    )
    validate_request(
        TUNING_OPERATION, render_tuning_job(spec, name, region="us-east-1")
    )
    assert len(name) <= 32


def test_github_names_are_stable_across_calls() -> None:
    data = tuning_data()
    del data["job-name"]
    spec = JobSpec.model_validate(data)
    env = {"GITHUB_RUN_ID": "123", "GITHUB_RUN_ATTEMPT": "1", "GITHUB_JOB": "hpo"}
    first = tuning_job_name(spec, environ=env)
    assert first == tuning_job_name(spec, environ=env)
    assert first != tuning_job_name(spec, environ={**env, "GITHUB_RUN_ATTEMPT": "2"})


def test_render_command_prints_the_tuning_request(write_tuning: WriteTuning) -> None:
    data = tuning_data()
    del data["job-name"]
    path = write_tuning(data)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("GITHUB_RUN_ID", None)
    completed = subprocess.run(
        [sys.executable, "-m", "smtrain", "render", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    printed = json.loads(completed.stdout)
    assert list(printed) == [TUNING_OPERATION]
    name = printed[TUNING_OPERATION]["HyperParameterTuningJobName"]
    assert name.startswith("smtrain-") and len(name) <= 32


def test_the_example_renders_a_valid_tuning_request() -> None:
    example = SRC.parent / "examples" / "hyperparameter-tuning.yml"
    spec = load_spec(example)
    request = render_tuning_job(spec, tuning_job_name(spec, deterministic=True))
    validate_request(TUNING_OPERATION, request)
    config = request["HyperParameterTuningJobConfig"]
    assert config["HyperParameterTuningJobObjective"]["MetricName"] == "cv:log_loss"
    static = request["TrainingJobDefinition"]["StaticHyperParameters"]
    assert {"target", "model", "folds", "plots"} <= set(static)
    assert not {"n-estimators", "max-depth", "min-samples-leaf"} & set(static)
