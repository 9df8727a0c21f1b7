"""A JobSpec as the exact CreateTrainingJob request smtrain sends.

Each part of the request has its own function so the CreateHyperParameterTuningJob
renderer can reuse them for its TrainingJobDefinition. ``render_training_job``
checks the finished request against botocore's SageMaker model: if that fails,
smtrain built it wrong, and it says so instead of sending it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from smtrain import images
from smtrain.errors import Problem, SpecError
from smtrain.hyperparameters import render_hyperparameters
from smtrain.rules import effective_max_wait
from smtrain.rules_aws import region_of
from smtrain.servicemodel import validate_request
from smtrain.spec import JobSpec

OPERATION = "CreateTrainingJob"
# The training toolkit's default logging level (logging.INFO).
CONTAINER_LOG_LEVEL = 20
_DISTRIBUTION_FLAGS = {
    "torchrun": "sagemaker_torch_distributed_enabled",
    "mpi": "sagemaker_mpi_enabled",
}


def render_training_job(
    spec: JobSpec,
    job_name: str,
    *,
    code_uri: str | None = None,
    tags: Mapping[str, str] | None = None,
    region: str | None = None,
) -> dict[str, Any]:
    """The CreateTrainingJob request for ``spec`` under ``job_name``.

    ``code_uri`` is where the packed source-dir was uploaded (script mode); it
    defaults to ``default_code_uri``. ``tags`` are smtrain's own; the spec's
    tags win on the same key.
    """
    region = region or region_of(spec)
    if spec.entry_point and code_uri is None:
        code_uri = default_code_uri(spec, job_name)
    request: dict[str, Any] = {
        "TrainingJobName": job_name,
        "RoleArn": spec.role_arn,
        "AlgorithmSpecification": algorithm_specification(spec, region),
        "HyperParameters": hyperparameters(spec, job_name, code_uri, region),
        "InputDataConfig": input_data_config(spec),
        "OutputDataConfig": output_data_config(spec),
        "ResourceConfig": resource_config(spec),
        "StoppingCondition": stopping_condition(spec),
        "EnableNetworkIsolation": spec.enable_network_isolation,
        "EnableInterContainerTrafficEncryption": spec.encrypt_inter_container_traffic,
        "EnableManagedSpotTraining": spec.use_spot,
        "CheckpointConfig": checkpoint_config(spec),
        "VpcConfig": vpc_config(spec),
        "Environment": dict(spec.environment),
        "RetryStrategy": retry_strategy(spec),
        "Tags": tag_list({**(tags or {}), **spec.tags}),
    }
    request = _without_empty(request)
    validate_request(OPERATION, request)
    return request


def default_code_uri(spec: JobSpec, job_name: str) -> str:
    """Where the source-dir archive goes: ``<code-location>/<job>/source/...``."""
    location = (spec.code_location or spec.output_path or "").rstrip("/")
    return f"{location}/{job_name}/source/sourcedir.tar.gz"


def training_image(spec: JobSpec, region: str | None) -> str | None:
    if spec.image_uri or not spec.framework or not spec.framework_version:
        return spec.image_uri
    try:
        return images.image_uri(
            spec.framework,
            spec.framework_version,
            region or "",
            spec.instance_type,
            spec.py_version,
        )
    except images.ImageLookupError as error:
        raise SpecError([Problem(error.key, str(error), hint=error.hint)]) from None


def algorithm_specification(spec: JobSpec, region: str | None) -> dict[str, Any]:
    metrics = [{"Name": m.name, "Regex": m.regex} for m in spec.metric_definitions]
    return _without_empty(
        {
            "TrainingImage": training_image(spec, region),
            "TrainingInputMode": spec.input_mode,
            "MetricDefinitions": metrics,
        }
    )


def hyperparameters(
    spec: JobSpec, job_name: str, code_uri: str | None, region: str | None
) -> dict[str, str]:
    """The user's hyperparameters, plus what framework containers read in script mode.

    The framework entries are JSON-encoded (``"\\"train.py\\""``), as the SageMaker
    Python SDK sends them and the training toolkit decodes them.
    """
    rendered = render_hyperparameters(spec.hyperparameters)
    if not spec.entry_point:
        return rendered
    framework: dict[str, Any] = {
        "sagemaker_program": spec.entry_point,
        "sagemaker_submit_directory": code_uri,
        "sagemaker_container_log_level": CONTAINER_LOG_LEVEL,
        "sagemaker_job_name": job_name,
        "sagemaker_region": region,
    }
    if spec.distribution in _DISTRIBUTION_FLAGS:
        framework[_DISTRIBUTION_FLAGS[spec.distribution]] = True
    if spec.distribution == "torchrun":
        # The PyTorch image picks its launcher settings by instance type.
        framework["sagemaker_instance_type"] = spec.instance_type
    encoded = {k: json.dumps(v) for k, v in framework.items() if v is not None}
    return {**rendered, **encoded}


def input_data_config(spec: JobSpec) -> list[dict[str, Any]]:
    channels = []
    for name, channel in spec.inputs.items():
        s3 = {
            "S3DataType": channel.s3_data_type,
            "S3Uri": channel.uri,
            "S3DataDistributionType": channel.distribution,
            "AttributeNames": channel.attribute_names,
        }
        channels.append(
            _without_empty(
                {
                    "ChannelName": name,
                    "DataSource": {"S3DataSource": _without_empty(s3)},
                    "ContentType": channel.content_type,
                    "CompressionType": channel.compression,
                    "InputMode": channel.input_mode,
                }
            )
        )
    return channels


def output_data_config(spec: JobSpec) -> dict[str, Any]:
    return _without_empty(
        {"S3OutputPath": spec.output_path, "KmsKeyId": spec.output_kms_key_id}
    )


def resource_config(spec: JobSpec) -> dict[str, Any]:
    return _without_empty(
        {
            "InstanceType": spec.instance_type,
            "InstanceCount": spec.instance_count,
            "VolumeSizeInGB": spec.volume_size,
            "VolumeKmsKeyId": spec.volume_kms_key_id,
            "KeepAlivePeriodInSeconds": spec.keep_alive_period,
        }
    )


def stopping_condition(spec: JobSpec) -> dict[str, Any]:
    return _without_empty(
        {
            "MaxRuntimeInSeconds": spec.max_runtime,
            "MaxWaitTimeInSeconds": effective_max_wait(spec),
        }
    )


def checkpoint_config(spec: JobSpec) -> dict[str, Any] | None:
    if not spec.checkpoint_s3_uri:
        return None
    return _without_empty(
        {"S3Uri": spec.checkpoint_s3_uri, "LocalPath": spec.checkpoint_local_path}
    )


def vpc_config(spec: JobSpec) -> dict[str, Any] | None:
    if not spec.subnets:
        return None
    return {
        "SecurityGroupIds": list(spec.security_group_ids),
        "Subnets": list(spec.subnets),
    }


def retry_strategy(spec: JobSpec) -> dict[str, Any] | None:
    if spec.max_retry_attempts is None:
        return None
    return {"MaximumRetryAttempts": spec.max_retry_attempts}


def tag_list(tags: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def _without_empty(values: dict[str, Any]) -> dict[str, Any]:
    """Drop unset parts: botocore refuses None, and SageMaker empty lists."""
    return {k: v for k, v in values.items() if v is not None and v != [] and v != {}}
