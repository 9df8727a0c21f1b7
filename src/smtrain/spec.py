"""The job-spec model: the one vocabulary of the YAML file, action inputs and --set.

Keys are kebab-case everywhere the user sees them (``job-name``); Python code uses
the snake_case attribute (``spec.job_name``). Field descriptions feed the JSON
Schema, ``action.yml`` and ``docs/configuration.md``, so they are written for users.

The model checks types and single-field shapes. Rules that span fields or need
the SageMaker service model live in ``smtrain.rules``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from smtrain.spec_types import (
    Duration,
    Flag,
    HyperparameterValue,
    SpecModel,
    TextList,
    TextMap,
)
from smtrain.spec_types import parse_duration as parse_duration
from smtrain.tuning_spec import TuningSpec

InputMode = Literal["File", "FastFile", "Pipe"]
OnExistingJob = Literal["attach", "fail", "new-name"]
Distribution = Literal["none", "torchrun", "mpi"]
Framework = Literal["sklearn", "xgboost", "pytorch", "tensorflow"]


class Channel(SpecModel):
    """One input channel: where its data is and how the instance receives it."""

    uri: str = Field(
        description="S3 URI (s3://bucket/prefix), file:// URI or local path."
    )
    content_type: str | None = Field(
        None, description="MIME type of the data, e.g. text/csv."
    )
    input_mode: InputMode | None = Field(
        None, description="File, FastFile or Pipe; defaults to the job's input-mode."
    )
    distribution: Literal["FullyReplicated", "ShardedByS3Key"] = Field(
        "FullyReplicated", description="Give every instance all data, or a shard of it."
    )
    compression: Literal["None", "Gzip"] | None = Field(
        None, description="Gzip when the objects are gzip-compressed (Pipe mode)."
    )
    s3_data_type: Literal["S3Prefix", "ManifestFile", "AugmentedManifestFile"] = Field(
        "S3Prefix", description="How the URI is read: a prefix or a manifest file."
    )
    attribute_names: TextList | None = Field(
        None, description="Attribute names to read from an augmented manifest."
    )


def _channel_shorthand(value: Any) -> Any:
    """``train: s3://b/p`` is short for ``train: {uri: s3://b/p}``."""
    if isinstance(value, dict):
        return {k: {"uri": v} if isinstance(v, str) else v for k, v in value.items()}
    return value


class MetricDefinition(SpecModel):
    """A metric SageMaker extracts from the training log with a regex."""

    name: str = Field(description="Metric name, e.g. validation:rmse.")
    regex: str = Field(description="Regex whose first group is the metric value.")


class JobSpec(SpecModel):
    """A SageMaker training job, as written in the YAML file or the action inputs."""

    # Naming and re-runs
    job_name: str | None = Field(
        None, description="Training job name; generated from job-name-prefix if unset."
    )
    job_name_prefix: str = Field(
        "smtrain", description="Prefix of generated job names."
    )
    on_existing_job: OnExistingJob = Field(
        "attach",
        description="When the job name exists: attach to it, fail, or pick a new name.",
    )

    # Where and as whom
    role_arn: str | None = Field(
        None, description="IAM role SageMaker assumes to run the job."
    )
    aws_region: str | None = Field(
        None, description="AWS region; defaults to the environment's region."
    )

    # What runs
    image_uri: str | None = Field(
        None, description="Training image URI; or set framework and framework-version."
    )
    framework: Framework | None = Field(
        None,
        description="AWS prebuilt image: sklearn, xgboost, pytorch or tensorflow.",
    )
    framework_version: str | None = Field(
        None, description="Version of the framework image, e.g. 1.4-2 for sklearn."
    )
    py_version: str | None = Field(
        None,
        description="Python version tag of the framework image, e.g. py3 or py311.",
    )
    entry_point: str | None = Field(
        None, description="Training script, relative to source-dir (script mode)."
    )
    source_dir: str | None = Field(
        None, description="Local folder packed and uploaded as the training code."
    )
    code_location: str | None = Field(
        None, description="S3 prefix for the code archive; defaults to output-path."
    )

    # Compute
    instance_type: str = Field("ml.m5.large", description="ML instance type.")
    instance_count: int = Field(1, ge=1, description="Number of instances.")
    volume_size: int = Field(30, ge=1, description="EBS volume per instance, in GB.")
    volume_kms_key_id: str | None = Field(
        None, description="KMS key that encrypts the instance volumes."
    )
    distribution: Distribution = Field(
        "none", description="Distributed launcher: none, torchrun or mpi."
    )

    # Data
    inputs: Annotated[dict[str, Channel], BeforeValidator(_channel_shorthand)] = Field(
        default_factory=dict,
        description="Input channels: channel name to URI, or to a channel mapping.",
    )
    input_mode: InputMode = Field(
        "File", description="Default input mode of every channel."
    )
    output_path: str | None = Field(
        None, description="S3 prefix (or local folder in local mode) for model.tar.gz."
    )
    output_kms_key_id: str | None = Field(
        None, description="KMS key that encrypts the output artifacts."
    )

    # What the code sees
    hyperparameters: dict[str, HyperparameterValue] = Field(
        default_factory=dict,
        description="Hyperparameters; stored in plain text by SageMaker.",
    )
    environment: TextMap = Field(
        default_factory=dict,
        description="Environment variables for the container; stored in plain text.",
    )
    metric_definitions: list[MetricDefinition] = Field(
        default_factory=list, description="Metrics to extract from the training log."
    )

    # Limits, spot and checkpoints
    max_runtime: Duration = Field(
        86400, description="Longest the job may train before SageMaker stops it."
    )
    use_spot: Flag = Field(False, description="Use managed spot training.")
    max_wait: Duration | None = Field(
        None, description="Longest to wait for spot capacity plus training (spot only)."
    )
    checkpoint_s3_uri: str | None = Field(
        None, description="S3 URI that checkpoint-local-path is synced to."
    )
    checkpoint_local_path: str | None = Field(
        None,
        description="Folder in the container for checkpoints; /opt/ml/checkpoints.",
    )
    max_retry_attempts: int | None = Field(
        None,
        ge=1,
        le=30,
        description="Times SageMaker retries the job on an internal error.",
    )
    keep_alive_period: Duration | None = Field(
        None,
        description="Keep the instances warm this long for the next job (warm pool).",
    )

    # Network and security
    subnets: TextList = Field(default_factory=list, description="VPC subnet ids.")
    security_group_ids: TextList = Field(
        default_factory=list, description="VPC security group ids."
    )
    enable_network_isolation: Flag = Field(
        False, description="Block all network access from the container."
    )
    encrypt_inter_container_traffic: Flag = Field(
        False, description="Encrypt traffic between instances."
    )

    tags: TextMap = Field(
        default_factory=dict,
        description="Tags on the training job; they win over ours.",
    )

    tuning: TuningSpec | None = Field(
        None,
        description="Run a hyperparameter tuning job over this training job; "
        "see docs/tuning.md.",
    )

    # How smtrain runs it
    local: Flag = Field(
        False, description="Run on this machine under the training contract, no Docker."
    )
    local_root: str = Field(
        ".smtrain/jobs", description="Folder holding one job root per local run."
    )
    install_requirements: Flag = Field(
        False, description="Local mode: pip install source-dir/requirements.txt first."
    )
    wait: Flag = Field(True, description="Wait for the job to finish.")
    stream_logs: Flag = Field(True, description="Stream CloudWatch logs while waiting.")
    timeout: Duration | None = Field(
        None, description="Stop waiting after this long (and stop the job)."
    )
    stop_on_timeout: Flag = Field(
        True, description="Stop the job when timeout is reached."
    )
    stop_on_cancel: Flag = Field(
        True, description="Stop the job when the workflow is cancelled."
    )


def spec_keys() -> list[str]:
    """Every top-level key, as users write it."""
    return [field.alias or name for name, field in JobSpec.model_fields.items()]
