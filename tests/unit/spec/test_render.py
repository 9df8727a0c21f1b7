"""render_training_job: the exact CreateTrainingJob request."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from smtrain.hyperparameters import hyperparameter_text
from smtrain.loader import load_spec
from smtrain.render import default_code_uri, render_training_job
from smtrain.servicemodel import RequestShapeError, validate_request

WriteSpec = Callable[..., Path]  # the write_spec fixture in conftest.py


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0.1", "0.1"),
        ("reg:squarederror", "reg:squarederror"),
        ("", ""),
        (True, "true"),
        (False, "false"),
        (3, "3"),
        (0.1, "0.1"),
        (1e-05, "1e-05"),
        (-2, "-2"),
        ([1, 2, 3], "[1, 2, 3]"),
        (["a", True, None], '["a", true, null]'),
        ({"depth": 3, "fast": False}, '{"depth": 3, "fast": false}'),
    ],
)
def test_hyperparameter_text(value: Any, text: str) -> None:
    assert hyperparameter_text(value) == text


def test_yaml_types_reach_the_request_as_json_text(write_spec: WriteSpec) -> None:
    path = write_spec()
    path.write_text(
        path.read_text()
        + "hyperparameters:\n  lr: 0.1\n  epochs: 10\n  deep: true\n  name: '007'\n"
        "  layers: [64, 32]\n  yes_is_text: yes\n"
    )
    request = render_training_job(load_spec(path), "job-1")
    assert request["HyperParameters"] == {
        "lr": "0.1",
        "epochs": "10",
        "deep": "true",
        "name": "007",
        "layers": "[64, 32]",
        "yes_is_text": "yes",
    }


def test_minimal_request_is_exact(write_spec: WriteSpec) -> None:
    request = render_training_job(load_spec(write_spec()), "job-1")
    assert request == {
        "TrainingJobName": "job-1",
        "RoleArn": "arn:aws:iam::123456789012:role/SageMakerTraining",
        "AlgorithmSpecification": {
            "TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1.0",
            "TrainingInputMode": "File",
        },
        "InputDataConfig": [
            {
                "ChannelName": "train",
                "DataSource": {
                    "S3DataSource": {
                        "S3DataType": "S3Prefix",
                        "S3Uri": "s3://my-bucket/train",
                        "S3DataDistributionType": "FullyReplicated",
                    }
                },
            }
        ],
        "OutputDataConfig": {"S3OutputPath": "s3://my-bucket/output"},
        "ResourceConfig": {
            "InstanceType": "ml.m5.large",
            "InstanceCount": 1,
            "VolumeSizeInGB": 30,
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
        "EnableNetworkIsolation": False,
        "EnableInterContainerTrafficEncryption": False,
        "EnableManagedSpotTraining": False,
    }


def test_every_setting_lands_in_its_request_field(write_spec: WriteSpec) -> None:
    key = "arn:aws:kms:us-east-1:123456789012:alias/training"
    spec = load_spec(
        write_spec(
            {
                "instance-type": "ml.g5.2xlarge",
                "instance-count": 2,
                "volume-size": 100,
                "volume-kms-key-id": key,
                "output-kms-key-id": key,
                "input-mode": "FastFile",
                "inputs": {
                    "train": {
                        "uri": "s3://my-bucket/train",
                        "content-type": "text/csv",
                        "input-mode": "Pipe",
                        "distribution": "ShardedByS3Key",
                        "compression": "Gzip",
                    }
                },
                "metric-definitions": [{"name": "rmse", "regex": "rmse=([0-9.]+)"}],
                "max-runtime": "2h",
                "use-spot": True,
                "max-wait": "3h",
                "checkpoint-s3-uri": "s3://my-bucket/ck",
                "checkpoint-local-path": "/opt/ml/ck",
                "subnets": "subnet-0123abcd",
                "security-group-ids": "sg-0123abcd",
                "enable-network-isolation": True,
                "encrypt-inter-container-traffic": True,
                "environment": {"OMP_NUM_THREADS": 4},
                "max-retry-attempts": 2,
                "tags": {"team": "ml", "smtrain:run": "mine"},
            }
        )
    )
    request = render_training_job(spec, "job-1", tags={"smtrain:run": "ours", "x": "y"})
    assert request["AlgorithmSpecification"] == {
        "TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1.0",
        "TrainingInputMode": "FastFile",
        "MetricDefinitions": [{"Name": "rmse", "Regex": "rmse=([0-9.]+)"}],
    }
    assert request["InputDataConfig"][0] == {
        "ChannelName": "train",
        "DataSource": {
            "S3DataSource": {
                "S3DataType": "S3Prefix",
                "S3Uri": "s3://my-bucket/train",
                "S3DataDistributionType": "ShardedByS3Key",
            }
        },
        "ContentType": "text/csv",
        "CompressionType": "Gzip",
        "InputMode": "Pipe",
    }
    assert request["OutputDataConfig"] == {
        "S3OutputPath": "s3://my-bucket/output",
        "KmsKeyId": key,
    }
    assert request["ResourceConfig"] == {
        "InstanceType": "ml.g5.2xlarge",
        "InstanceCount": 2,
        "VolumeSizeInGB": 100,
        "VolumeKmsKeyId": key,
    }
    assert request["StoppingCondition"] == {
        "MaxRuntimeInSeconds": 7200,
        "MaxWaitTimeInSeconds": 10800,
    }
    assert request["EnableManagedSpotTraining"] is True
    assert request["CheckpointConfig"] == {
        "S3Uri": "s3://my-bucket/ck",
        "LocalPath": "/opt/ml/ck",
    }
    assert request["VpcConfig"] == {
        "SecurityGroupIds": ["sg-0123abcd"],
        "Subnets": ["subnet-0123abcd"],
    }
    assert request["EnableNetworkIsolation"] is True
    assert request["EnableInterContainerTrafficEncryption"] is True
    assert request["Environment"] == {"OMP_NUM_THREADS": "4"}
    assert request["RetryStrategy"] == {"MaximumRetryAttempts": 2}
    assert request["Tags"] == [
        {"Key": "smtrain:run", "Value": "mine"},
        {"Key": "x", "Value": "y"},
        {"Key": "team", "Value": "ml"},
    ]


def test_keep_alive_goes_to_resource_config(write_spec: WriteSpec) -> None:
    request = render_training_job(
        load_spec(write_spec({"keep-alive-period": "30m"})), "j"
    )
    assert request["ResourceConfig"]["KeepAlivePeriodInSeconds"] == 1800


def test_script_mode_adds_framework_hyperparameters(
    write_spec: WriteSpec, script_dir: Path
) -> None:
    spec = load_spec(
        write_spec(
            {
                "image-uri": None,
                "framework": "pytorch",
                "framework-version": "2.3.0",
                "aws-region": "eu-west-1",
                "instance-type": "ml.g5.xlarge",
                "instance-count": 2,
                "entry-point": "train.py",
                "source-dir": "code",
                "distribution": "torchrun",
                "hyperparameters": {"epochs": 3},
            }
        )
    )
    request = render_training_job(spec, "job-1", code_uri="s3://my-bucket/code.tar.gz")
    assert request["AlgorithmSpecification"]["TrainingImage"] == (
        "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-training:2.3.0-gpu-py311"
    )
    assert request["HyperParameters"] == {
        "epochs": "3",
        "sagemaker_program": '"train.py"',
        "sagemaker_submit_directory": '"s3://my-bucket/code.tar.gz"',
        "sagemaker_container_log_level": "20",
        "sagemaker_job_name": '"job-1"',
        "sagemaker_region": '"eu-west-1"',
        "sagemaker_torch_distributed_enabled": "true",
        "sagemaker_instance_type": '"ml.g5.xlarge"',
    }
    assert json.loads(request["HyperParameters"]["sagemaker_program"]) == "train.py"


def test_script_mode_code_uri_defaults_under_code_location(
    write_spec: WriteSpec, script_dir: Path
) -> None:
    spec = load_spec(
        write_spec(
            {
                "entry-point": "train.py",
                "source-dir": "code",
                "code-location": "s3://code-bucket/src/",
            }
        )
    )
    assert default_code_uri(spec, "job-1") == (
        "s3://code-bucket/src/job-1/source/sourcedir.tar.gz"
    )
    request = render_training_job(spec, "job-1")
    assert request["HyperParameters"]["sagemaker_submit_directory"] == (
        '"s3://code-bucket/src/job-1/source/sourcedir.tar.gz"'
    )


def test_a_request_botocore_refuses_is_reported_as_our_bug() -> None:
    with pytest.raises(RequestShapeError, match="bug in smtrain"):
        validate_request("CreateTrainingJob", {"TrainingJobName": "x"})
