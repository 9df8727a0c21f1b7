"""A script that reports every contract variable and file, checked one by one.

Expected values follow the training toolkit's ENVIRONMENT_VARIABLES.md and its
rendering rules (environment.py, mapping.py): JSON-decoded hyperparameters,
``str()`` for arguments, compact sorted JSON for non-text variables.
"""

from __future__ import annotations

import json
import os
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from recording import RecordingListener
from smtrain.cancel import CancelToken
from smtrain.local import run_local
from smtrain.result import COMPLETED, JobResult
from smtrain.spec import JobSpec

HYPERPARAMETERS: dict[str, Any] = {
    "c": 0.5,
    "max-iter": 200,
    "optimizer": "adam",
    "use-bias": True,
    "layers": [64, 32],
    "opts": {"b": 1, "a": "x"},
    "empty": None,
}
METRICS = [
    {"name": "train:loss", "regex": r"loss=([0-9.]+)"},
    {"name": "validation:accuracy", "regex": r"validation accuracy: ([0-9.]+)"},
]


@pytest.fixture
def finished(
    make_spec: Callable[..., JobSpec], iris_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[JobResult, RecordingListener, dict[str, Any], Path]:
    # Left over from another job: must not reach this one's script.
    monkeypatch.setenv("SM_CHANNEL_STALE", "/opt/ml/input/data/stale")
    spec = make_spec(
        "contract",
        hyperparameters=HYPERPARAMETERS,
        inputs={"train": str(iris_dir)},
        environment={"FROM_USER": "kept"},
        metric_definitions=METRICS,
        job_name="contract-check",
        aws_region="eu-west-1",
    )
    listener = RecordingListener()
    result = run_local(spec, listener, CancelToken())
    root = Path(spec.local_root) / result.job_name / "algo-1"
    output = root / "output" / "data" / "seen-algo-1.json"
    return result, listener, json.loads(output.read_text()), root


def test_job_completes_with_model_at_the_sagemaker_layout(finished: Any) -> None:
    result, listener, _, root = finished
    assert result.status == COMPLETED and result.exit_code == 0
    job_dir = root.parent
    assert result.model_artifacts == str(job_dir / "output" / "model.tar.gz")
    with tarfile.open(result.model_artifacts) as archive:
        assert archive.getnames() == ["model-algo-1.txt"]
    with tarfile.open(job_dir / "output" / "output.tar.gz") as archive:
        assert "seen-algo-1.json" in archive.getnames()
    assert listener.secondary_statuses() == [
        "Starting",
        "Downloading",
        "Training",
        "Uploading",
        "Completed",
    ]
    assert {host for host, _ in listener.lines} == {"algo-1"}
    copy = root / "input" / "data" / "train" / "iris.csv"
    assert copy.is_file() and not copy.is_symlink()
    assert not (root / "output" / "failure").exists()


def test_metrics_arguments_and_config_files_match_sagemaker(finished: Any) -> None:
    result, _, seen, root = finished
    assert result.metric_series["train:loss"] == [0.5, 0.3333, 0.25]
    assert result.metrics["train:loss"] == 0.25
    assert 0.8 < result.metrics["validation:accuracy"] <= 1.0
    assert result.metric_series["validation:accuracy"] == [
        result.metrics["validation:accuracy"]
    ]
    assert seen["argv"] == [
        "-c",
        "0.5",
        "--empty",
        "",
        "--layers",
        "[64, 32]",
        "--max-iter",
        "200",
        "--optimizer",
        "adam",
        "--opts",
        "a=x,b=1",
        "--use-bias",
        "True",
    ]
    assert seen["cwd"] == str(root / "code")
    assert (root / "code" / "train.py").is_file()
    configs = seen["configs"]
    assert configs["hyperparameters.json"] == {
        "c": "0.5",
        "max-iter": "200",
        "optimizer": "adam",
        "use-bias": "true",
        "layers": "[64, 32]",
        "opts": '{"b": 1, "a": "x"}',
        "empty": "null",
        "sagemaker_program": '"train.py"',
        "sagemaker_submit_directory": json.dumps(str(root / "code")),
        "sagemaker_container_log_level": "20",
        "sagemaker_job_name": json.dumps(result.job_name),
        "sagemaker_region": '"eu-west-1"',
    }
    assert configs["inputdataconfig.json"] == {
        "train": {
            "TrainingInputMode": "File",
            "S3DistributionType": "FullyReplicated",
            "RecordWrapperType": "None",
        }
    }
    assert configs["resourceconfig.json"] == _resource_config(["algo-1"], "algo-1")


def _resource_config(hosts: list[str], current: str) -> dict[str, Any]:
    return {
        "current_host": current,
        "current_instance_type": "ml.m5.large",
        "current_group_name": "homogeneousCluster",
        "hosts": hosts,
        "instance_groups": [
            {
                "instance_group_name": "homogeneousCluster",
                "instance_type": "ml.m5.large",
                "hosts": hosts,
            }
        ],
        "network_interface_name": "eth0",
    }


def _compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def test_every_variable_has_the_documented_value(finished: Any) -> None:
    result, _, seen, root = finished
    env = dict(seen["env"])
    training_env = json.loads(env.pop("SM_TRAINING_ENV"))
    channel = str(root / "input" / "data" / "train")
    hps = {k: v for k, v in HYPERPARAMETERS.items()}
    expected = {
        "SM_MODEL_DIR": str(root / "model"),
        "SM_CHANNELS": '["train"]',
        "SM_CHANNEL_TRAIN": channel,
        "SM_HPS": _compact(hps),
        "SM_HP_C": "0.5",
        "SM_HP_MAX-ITER": "200",
        "SM_HP_MAX_ITER": "200",
        "SM_HP_OPTIMIZER": "adam",
        "SM_HP_USE-BIAS": "true",
        "SM_HP_USE_BIAS": "true",
        "SM_HP_LAYERS": "[64,32]",
        "SM_HP_OPTS": '{"a":"x","b":1}',
        "SM_HP_EMPTY": "",
        "SM_HOSTS": '["algo-1"]',
        "SM_CURRENT_HOST": "algo-1",
        "SM_CURRENT_INSTANCE_TYPE": "ml.m5.large",
        "SM_CURRENT_INSTANCE_GROUP": "homogeneousCluster",
        "SM_CURRENT_INSTANCE_GROUP_HOSTS": '["algo-1"]',
        "SM_INSTANCE_GROUPS": '["homogeneousCluster"]',
        "SM_INSTANCE_GROUPS_DICT": _compact(
            {
                "homogeneousCluster": _resource_config(["algo-1"], "")[
                    "instance_groups"
                ][0]
            }
        ),
        "SM_DISTRIBUTION_INSTANCE_GROUPS": "[]",
        "SM_IS_HETERO": "false",
        "SM_NUM_CPUS": str(os.cpu_count()),
        "SM_NUM_GPUS": "0",
        "SM_LOG_LEVEL": "20",
        "SM_NETWORK_INTERFACE_NAME": "eth0",
        "SM_USER_ENTRY_POINT": "train.py",
        "SM_MODULE_NAME": "train",
        "SM_MODULE_DIR": str(root / "code"),
        "SM_FRAMEWORK_MODULE": "",
        "SM_FRAMEWORK_PARAMS": "{}",
        "SM_USER_ARGS": _compact(seen["argv"]),
        "SM_INPUT_DIR": str(root / "input"),
        "SM_INPUT_CONFIG_DIR": str(root / "input" / "config"),
        "SM_INPUT_DATA_CONFIG": _compact(seen["configs"]["inputdataconfig.json"]),
        "SM_RESOURCE_CONFIG": _compact(seen["configs"]["resourceconfig.json"]),
        "SM_OUTPUT_DIR": str(root / "output"),
        "SM_OUTPUT_DATA_DIR": str(root / "output" / "data"),
        "SM_OUTPUT_INTERMEDIATE_DIR": str(root / "output" / "intermediate"),
        "TRAINING_JOB_NAME": result.job_name,
        "SAGEMAKER_JOB_NAME": result.job_name,
        "CURRENT_HOST": "algo-1",
        "SAGEMAKER_REGION": "eu-west-1",
    }
    assert env == expected
    assert training_env["hyperparameters"] == hps
    assert training_env["channel_input_dirs"] == {"train": channel}
    assert training_env["job_name"] == result.job_name
    assert training_env["is_master"] is True
    assert training_env["master_hostname"] == "algo-1"
    assert seen["user_env"] == "kept"
    assert seen["resolved"] == {"algo-1": "127.0.0.1"}
